// Pointer, wheel and keyboard input from the widget's canvas to its viewer
// (bindings/ilinks.h, "Input"). Positions are sent in device pixels.
//
// Tab is left to the browser, so keyboard users can always leave the widget;
// inside it, arrows, Enter, Escape, Page Up/Down, Home/End and Ctrl+Page
// Up/Down (the tabs of the record) work, and Ctrl+F goes to the search box.

// ilinks_key values (bindings/ilinks.h).
const KEYS = {
  ArrowLeft: 2, ArrowRight: 3, ArrowUp: 4, ArrowDown: 5, PageUp: 6, PageDown: 7, Home: 8, End: 9,
  Insert: 10, Delete: 11, Backspace: 12, ' ': 13, Enter: 14, Escape: 15,
};
const LETTERS = { a: 16, c: 17, f: 18, v: 19, x: 20, y: 21, z: 22 };

function modifiers(e) {
  return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
}

// `viewer` has move(x, y), leave(), button(b, down), wheel(dx, dy),
// key(code, down, mods), text(s), focus(f), scale() and changed().
export function forwardInput(canvas, viewer) {
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    const s = viewer.scale();
    return [(e.clientX - r.left) * s, (e.clientY - r.top) * s];
  };
  canvas.addEventListener('pointermove', (e) => { viewer.move(...at(e)); viewer.changed(); });
  canvas.addEventListener('pointerleave', () => { viewer.leave(); viewer.changed(); });
  canvas.addEventListener('pointerdown', (e) => {
    canvas.focus();
    viewer.move(...at(e));
    viewer.button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 1);
    viewer.changed();
  });
  canvas.addEventListener('pointerup', (e) => {
    viewer.move(...at(e));
    viewer.button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 0);
    viewer.changed();
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();  // the record scrolls, not the page under it
    const lines = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 20 : 1 / 40;
    viewer.wheel(-e.deltaX * lines, -e.deltaY * lines);
    viewer.changed();
  }, { passive: false });
  const key = (down) => (e) => {
    const code = KEYS[e.key] ?? ((e.ctrlKey || e.metaKey) ? LETTERS[e.key.toLowerCase()] : undefined);
    if (code !== undefined) {
      viewer.key(code, down, modifiers(e));
      e.preventDefault();
    }
    if (down && e.key.length === 1 && !e.ctrlKey && !e.metaKey) {
      viewer.text(e.key);
      e.preventDefault();
    }
    if (code !== undefined || e.key.length === 1) viewer.changed();
  };
  canvas.addEventListener('keydown', key(1));
  canvas.addEventListener('keyup', key(0));
  canvas.addEventListener('focus', () => { viewer.focus(1); viewer.changed(); });
  canvas.addEventListener('blur', () => { viewer.focus(0); viewer.changed(); });
}
