#include "tab_body.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "ilinks/notices.h"
#include "text_fit.h"
#include "theme.h"

namespace ilinks {
namespace {

constexpr size_t kNoSection = static_cast<size_t>(-1);

// Fixed columns keep their width (CSS px); the others share what is left by weight.
float fixed_width(Column c) {
  switch (c) {
    case Column::date: return 110;
    case Column::status: return 110;
    case Column::range: return 110;
    case Column::flag: return 100;
    case Column::stay_length: return 130;
    case Column::expected_discharge: return 160;
    default: return 0;
  }
}
float weight(Column c) {
  switch (c) {
    case Column::what: case Column::person: return 3;
    case Column::detail: return 3;
    default: return 2;
  }
}

std::vector<float> column_x(const std::vector<Column>& cols, float left, float right, float scale) {
  float fixed = 0, weights = 0;
  for (Column c : cols) fixed += fixed_width(c) * scale, weights += fixed_width(c) > 0 ? 0 : weight(c);
  float flexible = std::max(0.0f, right - left - fixed);
  std::vector<float> x;
  float at = left;
  for (Column c : cols) {
    x.push_back(at);
    at += fixed_width(c) > 0 ? fixed_width(c) * scale : flexible * weight(c) / weights;
  }
  x.push_back(right);
  return x;
}

// Text clipped to [x0, x1) with an ellipsis; the full text on hover.
void cell_text(ImDrawList* dl, const std::string& text, float x0, float x1, float y, float h, ImU32 ink, float gap) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  float ty = y + std::floor((h - size.y) * 0.5f);
  float limit = x1 - gap;
  std::string cut = cut_to_width(text, limit - x0);
  const std::string& shown = cut.empty() ? text : cut;
  const ImVec4 clip(x0, ty, limit, ty + size.y);  // a first character wider than the cell is clipped
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(x0, ty), ink, shown.c_str(), shown.c_str() + shown.size(), 0.0f, &clip);
  if (!cut.empty() && ImGui::IsMouseHoveringRect(ImVec2(x0, y), ImVec2(x1, y + h))) ImGui::SetTooltip("%s", text.c_str());
}

void draw_trend(const Row& r, ImVec2 min, ImVec2 max, float scale, const Fonts& fonts, size_t id) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float gap = theme::gap * scale;
  dl->AddRectFilled(min, max, theme::surface);
  dl->AddRect(min, max, theme::border);
  double lo = std::numeric_limits<double>::max(), hi = -lo;
  long first = 0, last = 0;
  auto day = [](const Date& d) { return static_cast<long>(d.year) * 372 + (d.month ? d.month - 1 : 0) * 31 + (d.day ? d.day : 1); };
  for (const auto& p : r.trend) lo = std::min(lo, p.value), hi = std::max(hi, p.value);
  if (r.normal_low) lo = std::min(lo, *r.normal_low);
  if (r.normal_high) hi = std::max(hi, *r.normal_high);
  first = day(r.trend.front().date);
  last = day(r.trend.back().date);
  if (hi - lo < 1e-9) lo -= 1, hi += 1;
  ImGui::PushFont(fonts.small);
  std::string top = format_number(hi) + " " + r.unit, bottom = format_number(lo) + " " + r.unit;
  float label_w = std::max(ImGui::CalcTextSize(top.c_str()).x, ImGui::CalcTextSize(bottom.c_str()).x) + 2 * gap;
  ImVec2 a(min.x + label_w, min.y + gap), b(max.x - gap, max.y - gap - ImGui::GetTextLineHeight());
  dl->AddText(ImVec2(min.x + gap, a.y - 2), theme::text_secondary, top.c_str());
  dl->AddText(ImVec2(min.x + gap, b.y - ImGui::GetTextLineHeight() + 2), theme::text_secondary, bottom.c_str());
  std::string from = format_date(r.trend.front().date), to = format_date(r.trend.back().date);
  dl->AddText(ImVec2(a.x, b.y + 2), theme::text_secondary, from.c_str());
  dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(to.c_str()).x, b.y + 2), theme::text_secondary, to.c_str());
  ImGui::PopFont();
  if (r.normal_low || r.normal_high) {  // the normal range, shaded
    auto y_of = [&](double v) { return std::round(b.y - static_cast<float>((v - lo) / (hi - lo)) * (b.y - a.y)); };
    float top_y = r.normal_high ? y_of(*r.normal_high) : a.y, bottom_y = r.normal_low ? y_of(*r.normal_low) : b.y;
    dl->AddRectFilled(ImVec2(a.x, top_y), ImVec2(b.x, bottom_y), theme::plot_range);
  }
  dl->AddLine(ImVec2(a.x, a.y), ImVec2(b.x, a.y), theme::border);
  dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, b.y), theme::border);
  auto at = [&](const TrendPoint& p) {
    float fx = last > first ? static_cast<float>(day(p.date) - first) / static_cast<float>(last - first) : 0.5f;
    float fy = static_cast<float>((p.value - lo) / (hi - lo));
    return ImVec2(std::round(a.x + fx * (b.x - a.x)), std::round(b.y - fy * (b.y - a.y)));
  };
  std::vector<ImVec2> points;
  for (const auto& p : r.trend) points.push_back(at(p));
  dl->AddPolyline(points.data(), static_cast<int>(points.size()), theme::plot_line, 0, 2.0f * scale);
  for (const auto& p : points) dl->AddCircleFilled(p, 3.0f * scale, theme::plot_line, 12);

  // Hovering shows the value and date of the nearest point.
  ImGui::SetCursorScreenPos(a);
  ImGui::PushID(static_cast<int>(id));
  ImGui::InvisibleButton("trend", ImVec2(std::max(1.0f, b.x - a.x), std::max(1.0f, b.y - a.y)));
  ImGui::PopID();
  if (ImGui::IsItemHovered()) {
    float mx = ImGui::GetIO().MousePos.x;
    size_t best = 0;
    for (size_t i = 1; i < points.size(); ++i)
      if (std::fabs(points[i].x - mx) < std::fabs(points[best].x - mx)) best = i;
    dl->AddCircle(points[best], 6.0f * scale, theme::text, 12, 2.0f * scale);
    ImGui::SetTooltip("%s", r.trend[best].text.c_str());
  }
}

}  // namespace

void TabBody::set(TabLayout layout, float scale) {
  layout_ = std::move(layout);
  lines_.clear();
  const float row = std::round(theme::row_height * scale), title = std::round((theme::row_height + theme::gap) * scale);
  float y = 0;
  auto add = [&](Line::Type t, size_t s, size_t r, float h) {
    lines_.push_back({t, s, r, y, h});
    y += h;
  };
  // The tab's own messages (ilinks/notices.h), a line each; an inset notice
  // is drawn above the list (widget_chrome.cpp).
  messages_.clear();
  first_row_line_.assign(layout_.sections.size(), 0);
  sight_first_ = sight_end_ = 0;
  focused_.reset();
  for (const Notice& n : tab_notices(layout_))
    if (n.look == Notice::Look::message) add(Line::Type::message, kNoSection, messages_.size(), title), messages_.push_back(n.text);
  for (size_t s = 0; s < layout_.sections.size(); ++s) {
    const Section& sec = layout_.sections[s];
    add(Line::Type::gap, s, 0, std::round(theme::gap * scale));
    add(Line::Type::title, s, 0, title);
    if (sec.rows.empty()) {
      add(Line::Type::message, s, 0, row);
      continue;
    }
    add(Line::Type::header, s, 0, row);
    first_row_line_[s] = lines_.size();
    for (size_t r = 0; r < sec.rows.size(); ++r)
      add(Line::Type::row, s, r, sec.rows[r].kind == Row::Kind::trend ? std::round(theme::trend_height * scale) : row);
  }
  total_ = y + theme::padding * scale;
}

TabBodyAction TabBody::draw(const Fonts& fonts, float scale, SortOrder sort, ControlBounds& controls) {
  TabBodyAction action;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = theme::padding * scale, gap = theme::gap * scale;
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // top of the list, scrolled
  const float width = ImGui::GetWindowWidth() - ImGui::GetStyle().ScrollbarSize;
  const float left = origin.x + pad, right = origin.x + width - pad;
  const float scroll = ImGui::GetScrollY(), visible = ImGui::GetWindowHeight();

  // The lines in sight: binary search on their tops.
  auto first = std::upper_bound(lines_.begin(), lines_.end(), scroll, [](float v, const Line& l) { return v < l.y + l.h; });
  sight_first_ = sight_end_ = static_cast<size_t>(first - lines_.begin());
  // Focus kept on a row scrolled out of sight stays noted; on nothing, is forgotten.
  if (!ImGui::IsAnyItemFocused()) focused_.reset();
  for (auto it = first; it != lines_.end() && it->y < scroll + visible; ++it) {
    sight_end_ = static_cast<size_t>(it - lines_.begin()) + 1;
    const Line& line = *it;
    const float y = origin.y + line.y;
    if (line.type == Line::Type::gap) continue;
    if (line.section == kNoSection) {  // a message about the whole tab
      ImGui::PushFont(fonts.body_bold);
      cell_text(dl, messages_[line.row], left, right, y, line.h, theme::text_secondary, gap);
      ImGui::PopFont();
      continue;
    }
    const Section& sec = layout_.sections[line.section];
    std::vector<float> x = column_x(sec.columns, left, right, scale);
    switch (line.type) {
      case Line::Type::title: {
        ImGui::PushFont(fonts.heading);
        std::string title = sec.title;
        cell_text(dl, title, left, right, y, line.h, theme::text, gap);
        ImGui::PopFont();
        break;
      }
      case Line::Type::message:
        ImGui::PushFont(fonts.body);
        cell_text(dl, sec.entries_before_filter > 0 ? "Nothing matches the search or dates." : sec.empty_text, left, right, y,
                  line.h, theme::text_secondary, gap);
        ImGui::PopFont();
        break;
      case Line::Type::header: {
        ImGui::PushFont(fonts.body_bold);
        dl->AddLine(ImVec2(left, y + line.h - 1), ImVec2(right, y + line.h - 1), theme::border, 1.0f);
        for (size_t c = 0; c < sec.columns.size(); ++c) {
          Column col = sec.columns[c];
          std::string title = column_title(col);
          bool sortable = col == Column::date || col == Column::what || col == Column::person;
          if (col == Column::date && sort != SortOrder::a_to_z) title += sort == SortOrder::newest_first ? " \xE2\x80\x93 newest" : " \xE2\x80\x93 oldest";
          if ((col == Column::what || col == Column::person) && sort == SortOrder::a_to_z) title += " \xE2\x80\x93 A to Z";
          cell_text(dl, title, x[c], x[c + 1], y, line.h, sortable ? theme::accent : theme::text_secondary, gap);
          if (sortable) {
            ImGui::SetCursorScreenPos(ImVec2(x[c], y));
            ImGui::PushID(static_cast<int>(it - lines_.begin()) * 16 + static_cast<int>(c));
            if (ImGui::InvisibleButton("sort", ImVec2(std::max(1.0f, x[c + 1] - x[c] - gap), line.h)))
              action.sort = col == Column::date ? (sort == SortOrder::newest_first ? SortOrder::oldest_first : SortOrder::newest_first)
                                                : SortOrder::a_to_z;
            ImGui::PopID();
          }
        }
        ImGui::PopFont();
        break;
      }
      case Line::Type::row: {
        const Row& r = sec.rows[line.row];
        ImVec2 min(origin.x + pad * 0.5f, y), max(origin.x + width - pad * 0.5f, y + line.h);
        if (r.kind == Row::Kind::trend) {
          draw_trend(r, ImVec2(left, y + gap * 0.5f), ImVec2(right, y + line.h - gap * 0.5f), scale, fonts,
                     static_cast<size_t>(it - lines_.begin()));
          break;
        }
        if (r.kind == Row::Kind::group) {
          dl->AddRectFilled(min, max, theme::group_fill);
          ImGui::PushFont(fonts.body_bold);
          cell_text(dl, r.cells.front(), left, right - (r.readable ? 120 * scale : 0), y, line.h, theme::text, gap);
          ImGui::PopFont();
        } else {
          if (line.row % 2 == 1) dl->AddRectFilled(min, max, theme::row_alt);
          if (ImGui::IsMouseHoveringRect(min, max) && ImGui::IsWindowHovered()) dl->AddRectFilled(min, max, theme::row_hover);
          for (size_t c = 0; c < sec.columns.size() && c < r.cells.size(); ++c) {
            bool flag = sec.columns[c] == Column::flag && r.abnormal;
            ImGui::PushFont(flag || (r.readable && sec.columns[c] == Column::what) ? fonts.body_bold : fonts.body);
            ImU32 ink = flag ? theme::abnormal_text
                        : (r.readable && sec.columns[c] == Column::what) ? theme::accent
                        : sec.columns[c] == Column::source ? theme::text_secondary
                                                           : theme::text;
            cell_text(dl, r.cells[c], x[c], x[c + 1], y, line.h, ink, gap);
            ImGui::PopFont();
          }
        }
        if (r.readable) {
          // The whole row opens the reader, by pointer or by keyboard (Enter / Space).
          ImGui::SetCursorScreenPos(min);
          ImGui::PushID(static_cast<int>(it - lines_.begin()));
          if (ImGui::InvisibleButton("read", ImVec2(max.x - min.x, max.y - min.y))) action.read = r.item;
          note_control(controls, row_key(line.section, line.row));
          if (ImGui::IsItemFocused()) {
            dl->AddRect(min, max, theme::focus_ring, 0, 0, 3.0f * scale);
            focused_ = std::make_pair(line.section, line.row);
          }
          ImGui::PopID();
          if (r.kind == Row::Kind::group) {
            ImGui::PushFont(fonts.body_bold);
            cell_text(dl, "Read report", right - 110 * scale, right, y, line.h, theme::accent, gap);
            ImGui::PopFont();
          }
        }
        break;
      }
      case Line::Type::gap:
        break;
    }
  }
  // The list's full height, so the scrollbar knows it.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + total_));
  ImGui::Dummy(ImVec2(1, 0));
  return action;
}

RowsInSight TabBody::in_sight() const {
  RowsInSight sight;
  sight.focused = focused_;
  for (size_t s = 0; s < layout_.sections.size(); ++s) {
    // Rows are consecutive lines: clamp the lines in sight to this section's.
    const size_t n = layout_.sections[s].rows.size(), base = first_row_line_[s];
    auto clamp = [&](size_t line) { return line <= base ? 0 : std::min(line - base, n); };
    sight.sections.emplace_back(clamp(sight_first_), clamp(sight_end_));
  }
  return sight;
}

}  // namespace ilinks
