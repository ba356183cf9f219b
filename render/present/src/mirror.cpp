#include "ilinks/mirror_screen.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ilinks/banner_text.h"
#include "ilinks/notices.h"

namespace ilinks {
namespace {

MirrorNode node(std::string role, std::string text = {}, int level = 0) {
  MirrorNode n;
  n.role = std::move(role);
  n.text = std::move(text);
  n.level = level;
  return n;
}

// A windowed table's rows, as the text says them: " (rows 412 to 531 of 10001)".
std::string window_words(const MirrorNode& table) {
  int first = 0, last = 0;
  for (const auto& row : table.children)
    if (row.rowindex > 1) first = first ? std::min(first, row.rowindex) : row.rowindex, last = std::max(last, row.rowindex);
  if (!first) return " (" + std::to_string(table.rowcount - 1) + " rows, none here)";
  return " (rows " + std::to_string(first) + " to " + std::to_string(last) + " of " + std::to_string(table.rowcount) + ")";
}

void text_lines(const MirrorNode& n, int depth, std::string& out) {
  if (n.role == "row") {  // a table row reads as one line
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += "row:";
    for (size_t i = 0; i < n.children.size(); ++i)
      if (n.children[i].role != "button") out += (i ? " | " : " ") + n.children[i].text;
    out += "\n";
    return;
  }
  if (!n.text.empty()) {
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += n.role;
    if (n.level) out += " " + std::to_string(n.level);
    if (n.selected) out += " (selected)";
    out += ": " + n.text;
    if (n.rowcount) out += window_words(n);
    out += "\n";
  }
  for (const auto& c : n.children) text_lines(c, n.text.empty() ? depth : depth + 1, out);
}

nlohmann::json to_json(const MirrorNode& n) {
  nlohmann::json j = {{"role", n.role}};
  if (!n.text.empty()) j["text"] = n.text;
  if (n.level) j["level"] = n.level;
  if (n.selected) j["selected"] = true;
  if (n.rowcount) j["rowcount"] = n.rowcount;
  if (n.rowindex) j["rowindex"] = n.rowindex;
  if (n.width > 0) j["bounds"] = {n.x, n.y, n.width, n.height};
  if (!n.children.empty()) {
    j["children"] = nlohmann::json::array();
    for (const auto& c : n.children) j["children"].push_back(to_json(c));
  }
  return j;
}

// A table row of words: the heading row, or one entry.
MirrorNode row_of(const std::vector<std::string>& cells, const char* cell_role) {
  MirrorNode row = node("row");
  for (const auto& c : cells) row.children.push_back(node(cell_role, c.empty() ? "-" : c));
  return row;
}

// A trend plot in words: what a sighted user takes from the line.
std::string describe_trend(const Row& r) {
  const auto& first = r.trend.front();
  const auto& last = r.trend.back();
  std::string trend = last.value > first.value ? "rising" : last.value < first.value ? "falling" : "unchanged";
  return "Trend of " + std::to_string(r.trend.size()) + " results from " + format_date(first.date) + " to " +
         format_date(last.date) + ", " + trend + ": first " + first.text + "; latest " + last.text + ".";
}

}  // namespace

std::string mirror_as_text(const MirrorNode& root) {
  std::string out;
  text_lines(root, 0, out);
  return out;
}

std::string mirror_as_json(const MirrorNode& root) { return to_json(root).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

MirrorNode control_node(const std::string& role, const std::string& text, const std::string& key, const ControlBounds* controls) {
  MirrorNode n = node(role, text);
  if (controls) {
    auto it = controls->find(key);
    if (it != controls->end()) n.x = it->second[0], n.y = it->second[1], n.width = it->second[2], n.height = it->second[3];
  }
  return n;
}

std::string row_key(size_t section, size_t row) { return "row:" + std::to_string(section) + ":" + std::to_string(row); }

namespace {

MirrorNode banner_node(const BannerText& b) {
  MirrorNode banner = node("banner");
  banner.children.push_back(node("heading", b.name + (b.deceased ? " (deceased)" : ""), 1));
  MirrorNode fields = node("list");
  for (const auto* row : {&b.identity, &b.contact})
    for (const auto& f : *row) fields.children.push_back(node("listitem", f.label + ": " + f.value));
  banner.children.push_back(std::move(fields));
  return banner;
}

void add_notices(const std::vector<Notice>& notices, MirrorNode& into) {
  for (const auto& n : notices) into.children.push_back(node(n.role, n.text));
}

MirrorNode alert_region(const AlertStrip& alerts) {
  MirrorNode strip = node("list");
  for (const auto& line : alert_strip_lines(alerts)) strip.children.push_back(node("listitem", line));
  MirrorNode region = node("region", "Alerts");
  region.children.push_back(std::move(strip));
  return region;
}

MirrorNode tab_list(Tab open, const ControlBounds* controls) {
  MirrorNode list = node("tablist", "Record");
  for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
    MirrorNode tab = control_node("tab", tab_title(t), std::string("tab:") + tab_id(t), controls);
    tab.selected = t == open;
    list.children.push_back(std::move(tab));
  }
  return list;
}

// A section's rows as headings, trend descriptions and tables (a group
// heading starts a new table), the rows in `spans` only. When the spans leave
// rows out (a long table, windowed), every table says how many rows it has
// and every row where it is among them, as aria-rowcount and aria-rowindex:
// the rows left out are counted, never read.
void add_section_rows(const Section& s, size_t si, const std::vector<std::string>& headers, const std::vector<RowSpan>& spans,
                      const ControlBounds* controls, MirrorNode& panel) {
  const bool windowed = !(spans.size() == 1 && spans[0].first == 0 && spans[0].end == s.rows.size());
  MirrorNode table;
  int entries = 0;      // the current table's entries so far, read or not
  bool any_read = false;  // the current table has a row in the window
  auto start_table = [&](const std::string& name) {
    table = node("table", name);
    table.children.push_back(row_of(headers, "columnheader"));
    if (windowed) table.children.back().rowindex = 1;
    entries = 0;
    any_read = false;
  };
  auto end_table = [&] {
    if (!any_read) return;
    if (windowed) table.rowcount = entries + 1;
    panel.children.push_back(std::move(table));
  };
  start_table(s.title);
  size_t span = 0;
  for (size_t ri = 0; ri < s.rows.size(); ++ri) {
    while (span < spans.size() && spans[span].end <= ri) ++span;
    const bool read = span < spans.size() && spans[span].first <= ri;
    const Row& r = s.rows[ri];
    switch (r.kind) {
      case Row::Kind::group:
        end_table();
        if (read) {
          panel.children.push_back(node("heading", r.cells.front(), 3));
          if (r.readable) panel.children.push_back(control_node("button", "Read report: " + r.item->display, row_key(si, ri), controls));
        }
        start_table(r.cells.front());
        break;
      case Row::Kind::trend:
        if (read) panel.children.push_back(node("img", describe_trend(r)));
        break;
      case Row::Kind::entry:
        ++entries;
        if (!read) break;
        any_read = true;
        table.children.push_back(row_of(r.cells, "cell"));
        if (windowed) table.children.back().rowindex = entries + 1;
        if (r.readable) table.children.back().children.push_back(control_node("button", "Read: " + r.item->display, row_key(si, ri), controls));
        break;
    }
  }
  end_table();
}

// One tab's panel: its notices, "Showing n of m", sections as headings and tables.
MirrorNode tab_panel(const TabLayout& layout, const ListFilter& filter, const ControlBounds* controls, const RowsInSight* sight) {
  MirrorNode panel = node("tabpanel", tab_title(layout.tab));
  add_notices(tab_notices(layout), panel);
  if (!layout.available) return panel;
  if (!layout.case_access_button.empty())
    panel.children.push_back(control_node("button", layout.case_access_button, "button:" + layout.case_access_button, controls));
  if (filter.narrows())
    panel.children.push_back(node("status", "Showing " + std::to_string(layout.entries_shown) + " of " +
                                                std::to_string(layout.entries_total) + " entries"));
  for (size_t si = 0; si < layout.sections.size(); ++si) {
    const Section& s = layout.sections[si];
    panel.children.push_back(node("heading", s.title, 2));
    if (s.rows.empty()) {
      panel.children.push_back(node("status", s.entries_before_filter > 0 ? "Nothing matches the search or dates." : s.empty_text));
      continue;
    }
    std::vector<std::string> headers;
    for (Column c : s.columns) headers.push_back(column_title(c));
    add_section_rows(s, si, headers, rows_to_mirror(s, si, sight), controls, panel);
  }
  return panel;
}

}  // namespace

MirrorNode mirror_of_screen(const Screen& s) {
  MirrorNode root = node("region", "Shared care record");
  if (!s.view) {
    root.children.push_back(node("status", "No record loaded."));
    return root;
  }
  const View& view = *s.view;
  const ControlBounds* bounds = s.bounds;
  // The person's name heads the mirror even when the host draws its own banner.
  root.children.push_back(banner_node(banner_text(view.patient(), s.today)));
  add_notices(strip_notices(view, s.now), root);
  root.children.push_back(alert_region(Layout::builtin().alert_strip(view)));
  if (s.controls && view.basis() == Basis::consent_required) {
    root.children.push_back(control_node("button", "Record consent...", "button:Record consent...", bounds));
    if (s.may_override) root.children.push_back(control_node("button", "Emergency override...", "button:Emergency override...", bounds));
  }
  if (view.shows_record()) {  // as on screen: no tabs before consent or override
    if (s.controls) root.children.push_back(tab_list(s.open, bounds));
    if (!s.toolbar.role.empty()) root.children.push_back(s.toolbar);
    for (const TabLayout* panel : s.panels) root.children.push_back(tab_panel(*panel, s.filter, bounds, s.sight));
  }
  add_notices(footer_notices(view), root);
  if (!s.dialog.role.empty()) root.children.push_back(s.dialog);
  return root;
}

MirrorNode mirror_of_view(const View& view, const Date& today, const Timestamp& now) {
  std::vector<TabLayout> tabs;
  if (view.shows_record())
    for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline})
      tabs.push_back(Layout::builtin().lay_out(view, t, ListFilter{}, today));
  Screen s;
  s.view = &view;
  s.today = today;
  s.now = now;
  for (const auto& t : tabs) s.panels.push_back(&t);
  return mirror_of_screen(s);
}

MirrorNode mirror_of_view(const View& view, Tab tab, const Date& today) {
  TabLayout layout = Layout::builtin().lay_out(view, tab, ListFilter{}, today);
  Screen s;
  s.view = &view;
  s.today = today;
  s.now = Timestamp::now();
  s.panels.push_back(&layout);
  return mirror_of_screen(s);
}

}  // namespace ilinks
