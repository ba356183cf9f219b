// Browser-only glue: the WebGL2 context on the widget's own canvas, and audit
// events handed to the element. All other calls from JavaScript go through
// the C ABI (bindings/ilinks.h).
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include "ilinks.h"

extern "C" void ilinks_js_register_canvas(void);
extern "C" int ilinks_js_audit(const char* event_json);
extern "C" void ilinks_js_event(const char* name, const char* detail);

namespace {
int audit_to_element(void*, const char* event_json) { return ilinks_js_audit(event_json); }
void consent_request_to_element(void*) { ilinks_js_event("consent-required", ""); }
void error_to_element(void*, int, const char* message) { ilinks_js_event("error", message); }
void copy_to_element(void*, const char* text) { ilinks_js_event("copy", text); }
void service_action_to_element(void*, const char* action_json) { ilinks_js_event("service-action", action_json); }
}  // namespace

extern "C" {

// Makes a WebGL2 context on Module.canvas current and tells the viewer that it
// owns it. Returns 1 on success; 0 when WebGL2 is unavailable, in which case
// the element falls back to ilinks_viewer_render_rgba() and putImageData.
EMSCRIPTEN_KEEPALIVE int ilinks_wasm_attach_webgl2(ilinks_viewer* viewer) {
  ilinks_js_register_canvas();
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;             // the record is opaque
  attrs.depth = false;
  attrs.stencil = false;
  attrs.antialias = false;         // ImGui anti-aliases itself; MSAA would differ from the CPU render
  attrs.premultipliedAlpha = false;
  attrs.preserveDrawingBuffer = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE context = emscripten_webgl_create_context("!ilinks-canvas", &attrs);
  if (context <= 0) return 0;
  if (emscripten_webgl_make_context_current(context) != EMSCRIPTEN_RESULT_SUCCESS) return 0;
  return ilinks_viewer_set_gl_context_owned(viewer, 1) == ILINKS_OK ? 1 : 0;
}

// Sends every audit event to Module.onAudit(json), which answers whether the
// page kept it (the element dispatches it as an ilinks-audit DOM event).
EMSCRIPTEN_KEEPALIVE int ilinks_wasm_attach_audit(ilinks_viewer* viewer) {
  return ilinks_viewer_set_audit_callback(viewer, &audit_to_element, nullptr);
}

// The other callbacks, as Module.onEvent(name, detail): "consent-required",
// "error" (a failure in the widget's own dialogs), "copy" (text to put on
// the clipboard), "service-action" (a dialog finished while a sharing
// service's View is shown: the element sends it to the service; JSON as
// ilinks_viewer_on_service_action). Documents open in the widget's own reader.
EMSCRIPTEN_KEEPALIVE int ilinks_wasm_attach_events(ilinks_viewer* viewer) {
  int rc = ilinks_viewer_on_consent_request(viewer, &consent_request_to_element, nullptr);
  if (rc == ILINKS_OK) rc = ilinks_viewer_on_error(viewer, &error_to_element, nullptr);
  if (rc == ILINKS_OK) rc = ilinks_viewer_on_copy(viewer, &copy_to_element, nullptr);
  if (rc == ILINKS_OK) rc = ilinks_viewer_on_service_action(viewer, &service_action_to_element, nullptr);
  return rc;
}

}  // extern "C"
