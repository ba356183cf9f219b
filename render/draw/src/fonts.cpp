#include "fonts.h"

#include <cmath>

#include "theme.h"

// Generated at build time from Debian's fonts-liberation2 (render/draw/CMakeLists.txt).
extern const unsigned char ilinks_font_regular[];
extern const unsigned int ilinks_font_regular_size;
extern const unsigned char ilinks_font_bold[];
extern const unsigned int ilinks_font_bold_size;

namespace ilinks {
namespace {

// Latin, Latin-1, Latin Extended-A (names such as Siân, Łukasz, Dvořák), and the
// punctuation clinical text uses (dashes, quotes, bullet, ellipsis, euro).
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x2027, 0x20AC, 0x20AC, 0};

ImFont* add(ImFontAtlas& atlas, const unsigned char* data, unsigned int size, float px) {
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the data is static; the atlas must not free it
  // One texel per pixel and glyphs on whole pixels: crisp text, and sampling
  // that every backend (GPU or CPU) reproduces exactly.
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  return atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(data), static_cast<int>(size), px, &cfg,
                                    kGlyphRanges);
}

}  // namespace

Fonts load_fonts(ImFontAtlas& atlas, float scale) {
  atlas.Clear();
  Fonts f;
  f.body = add(atlas, ilinks_font_regular, ilinks_font_regular_size, std::floor(theme::body_size * scale));
  f.body_bold = add(atlas, ilinks_font_bold, ilinks_font_bold_size, std::floor(theme::body_size * scale));
  f.small = add(atlas, ilinks_font_regular, ilinks_font_regular_size, std::floor(theme::small_size * scale));
  f.heading = add(atlas, ilinks_font_bold, ilinks_font_bold_size, std::floor(theme::heading_size * scale));
  f.name = add(atlas, ilinks_font_bold, ilinks_font_bold_size, std::floor(theme::name_size * scale));
  atlas.Build();
  return f;
}

}  // namespace ilinks
