// Emscripten JS library: lets C++ reach this module instance's own canvas.
// The widget keeps its canvas in a shadow root, where CSS selectors cannot
// find it, so the element hands it over as Module.canvas and we name it here.
mergeInto(LibraryManager.library, {
  ilinks_js_register_canvas__deps: ['$specialHTMLTargets'],
  ilinks_js_register_canvas: function () {
    specialHTMLTargets['!ilinks-canvas'] = Module['canvas'];
  },
});
