// Emscripten JS library: lets C++ reach this module instance's own canvas, and
// hand audit events to its element.
// The widget keeps its canvas in a shadow root, where CSS selectors cannot
// find it, so the element hands it over as Module.canvas and we name it here.
mergeInto(LibraryManager.library, {
  ilinks_js_register_canvas__deps: ['$specialHTMLTargets'],
  ilinks_js_register_canvas: function () {
    specialHTMLTargets['!ilinks-canvas'] = Module['canvas'];
  },
  ilinks_js_event: function (name, detail) {
    if (Module['onEvent']) Module['onEvent'](UTF8ToString(name), UTF8ToString(detail));
  },
  // Returns 1 when the page kept the event: without that nothing is shown.
  ilinks_js_audit: function (json) {
    try {
      return Module['onAudit'] && Module['onAudit'](UTF8ToString(json)) ? 1 : 0;
    } catch (e) {
      return 0;
    }
  },
});
