#include "text_fit.h"

#include <algorithm>
#include <cfloat>

#include <imgui.h>

namespace ilinks {

std::string cut_to_width(const std::string& text, float width) {
  const ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const char* begin = text.c_str();
  const char* end = begin + text.size();
  if (font->CalcTextSizeA(size, FLT_MAX, 0.0f, begin, end).x <= width) return {};
  const float ellipsis = font->EllipsisWidth * size / font->FontSize;
  const char* cut = end;
  font->CalcTextSizeA(size, std::max(width - ellipsis, 1.0f), 0.0f, begin, end, &cut);
  if (cut == begin)  // not even one character and the ellipsis: keep the first character
    do ++cut; while (cut < end && (static_cast<unsigned char>(*cut) & 0xC0) == 0x80);
  while (cut > begin && (cut[-1] == ' ' || cut[-1] == '\t')) --cut;
  std::string out(begin, cut);
  // The font's ellipsis ("…": the atlas holds U+2026), else three full stops.
  out += font->EllipsisChar == 0x2026 ? "\u2026" : "...";
  return out;
}

}  // namespace ilinks
