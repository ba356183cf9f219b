// The accessible mirror of the widget: the viewer's text mirror
// (ilinks/mirror.h, as JSON) turned into DOM with ARIA roles, visually hidden
// behind the canvas. It follows the screen: the open tab, the filter, an open
// dialog. Controls (tabs, buttons, text boxes) are real focusable elements:
// activating one presses the control at its place on the canvas.
// A long table is windowed (ilinks/mirror_window.h): its rows around the
// screen, with aria-rowcount on the table and aria-rowindex on each row, so a
// screen reader still says "row 512 of 10,001"; scrolling moves the window.

const CONTROLS = new Set(['button', 'tab', 'textbox', 'searchbox', 'combobox', 'radio']);
const LABELLED = new Set(['region', 'tablist', 'tabpanel', 'table', 'dialog', 'radiogroup', 'search']);

function build(node, press) {
  const control = CONTROLS.has(node.role);
  const el = document.createElement(node.role === 'button' || node.role === 'tab' ? 'button' : 'div');
  if (el.localName !== 'button' || node.role !== 'button') el.setAttribute('role', node.role);
  if (node.role === 'heading') el.setAttribute('aria-level', String(node.level || 2));
  if (node.role === 'tab') el.setAttribute('aria-selected', String(!!node.selected));
  if (node.role === 'dialog') el.setAttribute('aria-modal', 'true');
  if (node.rowcount) el.setAttribute('aria-rowcount', String(node.rowcount));
  if (node.rowindex) el.setAttribute('aria-rowindex', String(node.rowindex));
  if (LABELLED.has(node.role) && node.text) el.setAttribute('aria-label', node.text);
  else if (node.text && !node.children) el.textContent = node.text;
  else if (node.text) el.setAttribute('aria-label', node.text);
  if (control) {
    el.tabIndex = 0;
    if (node.bounds) el.dataset.bounds = node.bounds.join(',');
    el.addEventListener('click', () => press(node.bounds));
    if (el.localName !== 'button')
      el.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); press(node.bounds); } });
  }
  for (const child of node.children || []) el.append(build(child, press));
  return el;
}

// Replaces the mirror in `container` when `json` differs from what it shows.
const shown = new WeakMap();  // container -> the JSON it shows

// A focusable element's identity across rebuilds: its role and words, and
// which of the elements so named it is.
const identityKey = (e) => `${e.getAttribute('role') || e.localName}|${e.getAttribute('aria-label') || e.textContent}`;
const namedAlike = (container, key) => [...container.querySelectorAll('[tabindex]')].filter((e) => identityKey(e) === key);
function identity(container, el) {
  const key = identityKey(el);
  return { key, nth: namedAlike(container, key).indexOf(el) };
}

export function updateMirror(container, json, press) {
  if (shown.get(container) === json) return false;
  shown.set(container, json);
  let tree;
  try { tree = JSON.parse(json); } catch { return false; }
  // Rebuilt whole (a long table is a window of rows, so this stays cheap);
  // focus stays on the same control when it is still there.
  const active = container.getRootNode().activeElement;
  const focused = active && container.contains(active) ? identity(container, active) : null;
  container.replaceChildren(build(tree, press));
  if (focused) {
    const same = namedAlike(container, focused.key);
    (same[focused.nth] || same[0])?.focus({ preventScroll: true });
  }
  return true;
}

// Empties the mirror at once (another person is being asked for), and
// forgets what it showed, so the next update builds it again even when it is
// the same as before.
export function clearMirror(container) {
  shown.delete(container);
  container.replaceChildren();
}
