// libFuzzer target: the bytes a viewer receives from a sharing service, read
// as a View (ilinks/view_wire.h) and, when read, laid out as every tab's
// mirror, as the widget would. The only allowed failure is InputError; and a
// View that was read must cross the wire again unchanged (written and read
// back, it writes the same bytes), or the reader and writer disagree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "ilinks/errors.h"
#include "ilinks/mirror.h"
#include "ilinks/view_export.h"
#include "ilinks/view_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    ilinks::ServiceView got = ilinks::ServiceView::read(text, "fuzz");
    std::string wire = ilinks::view_to_wire(got.view());
    if (ilinks::view_to_wire(ilinks::ServiceView::read(wire, "fuzz again").view()) != wire) {
      std::fprintf(stderr, "a View read from the wire does not cross it again unchanged\n");
      std::abort();
    }
    const ilinks::Date today{2026, 11, 29};
    for (ilinks::Tab t : {ilinks::Tab::summary, ilinks::Tab::community, ilinks::Tab::diagnostics, ilinks::Tab::hospital,
                          ilinks::Tab::timeline})
      (void)ilinks::mirror_as_text(ilinks::mirror_of_view(got.view(), t, today));
  } catch (const ilinks::InputError&) {
  }
  return 0;
}
