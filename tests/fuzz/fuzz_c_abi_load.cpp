// libFuzzer target: the C ABI's load call as a host makes it, with a consented
// doctor signed in (or, for bytes that are no record, the View loader),
// then one small frame and the text mirror. Any result code
// is fine; a crash, leak or undefined behaviour is not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ilinks.h"

namespace {
int keep_audit(void*, const char*) { return 1; }

ilinks_viewer* viewer() {
  static ilinks_viewer* v = [] {
    ilinks_viewer* created = nullptr;
    ilinks_viewer_create(&created);
    ilinks_viewer_set_audit_callback(created, &keep_audit, nullptr);
    ilinks_viewer_set_context(created, "fuzz", "Fuzz Tester", "1a", "ZZFUZZ", "Fuzz Hospital", 1);
    ilinks_viewer_set_size(created, 320, 200, 1.0f);
    return created;
  }();
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ilinks_viewer* v = viewer();
  if (ilinks_viewer_load_fhir(v, reinterpret_cast<const char*>(data), size, "fuzz.json") == ILINKS_OK)
    ilinks_viewer_record_consent(v, "verbal", "patient");
  else  // the same bytes as a sharing service's View (ABI 0.3)
    ilinks_viewer_load_view_json(v, reinterpret_cast<const char*>(data), size, "fuzz-view.json");
  static std::vector<unsigned char> pixels(320 * 200 * 4);
  ilinks_viewer_render_rgba(v, pixels.data(), 320 * 4, pixels.size());
  size_t needed = 0;
  ilinks_viewer_mirror(v, 0, nullptr, 0, &needed);
  std::string text(needed, '\0');
  ilinks_viewer_mirror(v, 0, text.data(), text.size(), &needed);
  return 0;
}
