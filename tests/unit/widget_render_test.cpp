#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../tools/image_compare.h"
#include "ilinks.h"
#include "ilinks/backends.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_widget.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks::test;

namespace {

std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE_MESSAGE(f, path << " cannot be opened");
  std::string s;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

// Renders a record through the C ABI with the CPU rasterizer, as ilinks-render does.
Image render(const std::string& path, int width, int height, float scale = 1.0f) {
  ilinks_viewer* v = nullptr;
  REQUIRE(ilinks_viewer_create(&v) == ILINKS_OK);
  REQUIRE(ilinks_viewer_set_size(v, width, height, scale) == ILINKS_OK);
  REQUIRE(ilinks_viewer_set_today(v, "2026-11-22") == ILINKS_OK);
  std::string bytes = read_file(path);
  REQUIRE_MESSAGE(ilinks_viewer_load_fhir(v, bytes.data(), bytes.size(), path.c_str()) == ILINKS_OK,
                  ilinks_viewer_last_error(v));
  Image img{width, height, std::vector<unsigned char>(static_cast<size_t>(width * height * 4))};
  do {
    REQUIRE(ilinks_viewer_render_rgba(v, img.rgba.data(), width * 4, img.rgba.size()) == ILINKS_OK);
  } while (ilinks_viewer_needs_redraw(v));
  ilinks_viewer_destroy(v);
  return img;
}

// Renders what `profile` at `ods` sees of a demo patient with consent, on one
// tab, as every host would draw it (the CPU rasterizer).
Image render_view(const std::string& patient, const std::string& profile, const std::string& ods, ilinks::Tab tab,
                  int width, int height) {
  ilinks::Record r = ::test::demo_record(patient);
  ilinks::RecordWidget w;
  w.set_size(width, height, 1.0f);
  w.set_today(ilinks::Date{2026, 11, 22});
  w.set_now(::test::kNow);
  w.set_tab(tab);
  w.show(::test::view_of(r, ::test::request(r, profile, ods)));
  Image img{width, height, std::vector<unsigned char>(static_cast<size_t>(width * height * 4))};
  do {
    std::fill(img.rgba.begin(), img.rgba.end(), 0);
    ilinks::rasterize(w.draw_frame(), w.font_texture(), {img.rgba.data(), width, height, width * 4});
  } while (w.needs_redraw());
  return img;
}

const unsigned char* pixel(const Image& img, int x, int y) { return &img.rgba[static_cast<size_t>((y * img.width + x) * 4)]; }

// The first row, scanning down column x, whose pixel is not `r,g,b`.
int first_row_not(const Image& img, int x, int r, int g, int b) {
  for (int y = 0; y < img.height; ++y) {
    const unsigned char* p = pixel(img, x, y);
    if (p[0] != r || p[1] != g || p[2] != b) return y;
  }
  return img.height;
}

// Golden images: stored PNGs of the CPU render. ILINKS_UPDATE_GOLDEN=1 rewrites them
// (look at them before committing); a mismatch leaves the actual render and a
// difference image beside the build's test output.
void check_against_golden(const Image& actual, const std::string& name) {
  std::string path = golden(name);
  if (std::getenv("ILINKS_UPDATE_GOLDEN")) {
    REQUIRE(save_png(path, actual));
    MESSAGE("golden image rewritten: " << path);
    return;
  }
  Image expected;
  std::string error;
  REQUIRE_MESSAGE(load_png(path, expected, error), error);
  // The CPU render is deterministic: allow only rounding (1 level), nowhere more.
  Comparison c = compare(actual, expected, 1);
  if (!c.within(Tolerance{1, 0.0})) {
    std::string out = std::string(ILINKS_TEST_OUTPUT) + "/" + name;
    save_png(out + ".actual.png", actual);
    save_png(out + ".diff.png", difference_image(actual, expected));
    FAIL_CHECK(name << ": " << c.describe() << "; actual render in " << out << ".actual.png");
  }
}

}  // namespace

TEST_SUITE("patient banner") {
  TEST_CASE("the banner of a UK Core patient matches its golden image") {
    check_against_golden(render(shared_data("nhs-england-examples/UKCore-Patient-RichardSmith-Example.json"), 800, 180),
                         "banner-richard-smith-800x180.png");
  }

  TEST_CASE("a patient with a preferred name and a registered GP matches its golden image") {
    check_against_golden(render(demo_patient("margaret-hughes.json"), 800, 180), "banner-margaret-hughes-800x180.png");
  }

  TEST_CASE("a deceased patient's banner is dark and hatched, not white") {
    Image living = render(demo_patient("joe-bradshaw.json"), 800, 180);
    Image deceased = render(demo_patient("harold-winstanley.json"), 800, 180);
    // Sample the banner's body, right of the text.
    const unsigned char* l = pixel(living, 700, 60);
    CHECK(l[0] == 255);
    CHECK(l[1] == 255);
    CHECK(l[2] == 255);
    int dark = 0, shades = 0;
    int last = -1;
    for (int x = 500; x < 700; ++x) {
      const unsigned char* p = pixel(deceased, x, 90);
      dark += p[0] < 0x50;
      if (p[0] != last) ++shades, last = p[0];
    }
    CHECK(dark == 200);     // all dark
    CHECK(shades > 10);     // and striped: the hatch changes shade along the row
    check_against_golden(deceased, "banner-harold-winstanley-deceased-800x180.png");
  }

  TEST_CASE("at DPI scale 2 the banner is drawn twice as large, not stretched") {
    Image one = render(demo_patient("joe-bradshaw.json"), 600, 200, 1.0f);
    Image two = render(demo_patient("joe-bradshaw.json"), 1200, 400, 2.0f);
    // The banner's white surface ends where the page's grey begins (right edge, clear of text).
    int end1 = first_row_not(one, one.width - 5, 255, 255, 255);
    int end2 = first_row_not(two, two.width - 5, 255, 255, 255);
    CAPTURE(end1);
    CAPTURE(end2);
    CHECK(end2 >= 2 * end1 - 3);
    CHECK(end2 <= 2 * end1 + 3);
  }

  TEST_CASE("a narrow host wraps the banner's fields rather than cutting them off") {
    Image wide = render(demo_patient("margaret-hughes.json"), 1000, 300);
    Image narrow = render(demo_patient("margaret-hughes.json"), 420, 300);
    CHECK(first_row_not(narrow, narrow.width - 5, 255, 255, 255) > first_row_not(wide, wide.width - 5, 255, 255, 255));
  }
}

TEST_SUITE("the seven scenarios, drawn") {
  // Each scenario of SHARING-MODEL.md, as its professional sees it and as
  // another profile sees the same person, compared with stored images.
  struct Shot {
    const char* patient;
    const char* profile;
    const char* ods;
    ilinks::Tab tab;
  };
  const Shot kShots[] = {
      {"joe-bradshaw", "6", "RVY", ilinks::Tab::summary},          {"joe-bradshaw", "5", "RVY", ilinks::Tab::summary},
      {"joan-mcallister", "7", "ZZNBH1", ilinks::Tab::summary},    {"joan-mcallister", "5", "ZZNBH1", ilinks::Tab::community},
      {"brenda-kelly", "2b", "RW4", ilinks::Tab::diagnostics},     {"brenda-kelly", "1b", "ZZ0001", ilinks::Tab::diagnostics},
      {"david-okafor", "1a", "REM", ilinks::Tab::hospital},        {"david-okafor", "3b", "ZZSEF1", ilinks::Tab::hospital},
      {"margaret-hughes", "6", "RVY", ilinks::Tab::summary},       {"margaret-hughes", "5", "RVY", ilinks::Tab::summary},
      {"arthur-prescott", "3b", "ZZNBH1", ilinks::Tab::hospital},  {"arthur-prescott", "1b", "ZZNBH1", ilinks::Tab::hospital},
      {"susan-doyle", "3b", "ZZSEF1", ilinks::Tab::summary},       {"susan-doyle", "5", "ZZSEF1", ilinks::Tab::summary}};

  TEST_CASE("each scenario x two profiles matches its golden image (CPU, 900x640, scale 1)") {
    for (const auto& shot : kShots) {
      std::string name = std::string("scenario-") + shot.patient + "-" + shot.profile + "-" + ilinks::tab_id(shot.tab) + "-900x640.png";
      CAPTURE(name);
      check_against_golden(render_view(shot.patient, shot.profile, shot.ods, shot.tab, 900, 640), name);
    }
  }
}

TEST_CASE("a source that did not answer is drawn as a warning strip under the banner, pushing the record down") {
  auto draw = [](bool with_gap) {
    ilinks::RecordBuilder builder;
    builder.add_file(std::string(ILINKS_DEMO_PATIENTS) + "/joe-bradshaw.json");
    if (with_gap) builder.add_unavailable_source({"Aintree University Hospital", "no answer within 8 s"});
    ilinks::Record r = builder.build();
    ilinks::RecordWidget w;
    w.set_size(900, 640, 1.0f);
    w.set_today(ilinks::Date{2026, 11, 22});
    w.set_now(::test::kNow);
    w.show(::test::view_of(r, ::test::request(r, "1a")));
    Image img{900, 640, std::vector<unsigned char>(900 * 640 * 4)};
    do {
      std::fill(img.rgba.begin(), img.rgba.end(), 0);
      ilinks::rasterize(w.draw_frame(), w.font_texture(), {img.rgba.data(), 900, 640, 900 * 4});
    } while (w.needs_redraw());
    return img;
  };
  Image whole = draw(false), gap = draw(true);
  REQUIRE(save_png(std::string(ILINKS_TEST_OUTPUT) + "/source-did-not-answer-900x640.png", gap));
  // The banner is the same; below it the screens differ from the strip down.
  int first_difference = -1;
  for (int y = 0; y < 640 && first_difference < 0; ++y)
    for (int x = 0; x < 900; ++x)
      if (std::memcmp(pixel(whole, x, y), pixel(gap, x, y), 4) != 0) {
        first_difference = y;
        break;
      }
  CHECK(first_difference > 60);   // not in the banner
  CHECK(first_difference < 300);  // a strip near the top, where notices are, not at the foot
}
