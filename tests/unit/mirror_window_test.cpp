// The accessible mirror of a long table is a window of rows around the screen
// (ilinks/mirror_window.h), with aria-rowcount and aria-rowindex; the rows it
// carries read exactly as in the unwindowed mirror; short tables and the
// text export (mirror_of_view) are never windowed.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "../tools/consented_view.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/mirror.h"
#include "ilinks/mirror_screen.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_layout.h"
#include "ilinks/record_widget.h"
#include "policy_helpers.h"

using namespace ilinks;

namespace {

const Date kToday = *Date::parse_iso_day("2026-11-30");

// 1,500 results, 120 encounters, 60 letters: the timeline is one table of
// about 1,700 rows, each Diagnostics test a table of about 60.
const View& long_record() {
  static const View view = [] {
    RecordBuilder b;
    b.add(ilinks::test::twenty_year_record(1500, 120, 60), {"generated.json", {}});
    return *ilinks::test::consented_view(b.build(), "mirror-window");
  }();
  return view;
}

void settle(RecordWidget& w) {
  do w.draw_frame();
  while (w.needs_redraw());
}

struct Widget {
  RecordWidget w;
  explicit Widget(const View& view, Tab tab, const ListFilter& filter = {}) {
    w.set_size(1000, 700, 1.0f);
    w.set_today(kToday);
    w.set_now(::test::kNow);
    w.show(view);
    w.set_tab(tab);
    w.set_filter(filter);
    settle(w);
    w.mouse_move(500, 500);  // over the list, for the wheel
  }
  void scroll_down(float lines) {
    w.mouse_wheel(0, -lines);
    settle(w);
  }
};

const MirrorNode* find_role(const MirrorNode& n, const std::string& role) {
  if (n.role == role) return &n;
  for (const auto& c : n.children)
    if (const MirrorNode* f = find_role(c, role)) return f;
  return nullptr;
}

// The open tab's panel as the widget's mirror reads it.
MirrorNode panel_of(const RecordWidget& w) {
  MirrorNode m = w.mirror();
  const MirrorNode* p = find_role(m, "tabpanel");
  REQUIRE(p);
  return *p;
}

// The same tab, filtered the same, with every row: the unwindowed mirror.
MirrorNode whole_panel(const View& view, Tab tab, const ListFilter& filter) {
  TabLayout layout = Layout::builtin().lay_out(view, tab, filter, kToday);
  Screen s;
  s.view = &view;
  s.today = kToday;
  s.now = ::test::kNow;
  s.panels.push_back(&layout);
  s.filter = filter;
  MirrorNode m = mirror_of_screen(s);
  return *find_role(m, "tabpanel");
}

std::vector<const MirrorNode*> tables_of(const MirrorNode& panel) {
  std::vector<const MirrorNode*> out;
  for (const auto& c : panel.children)
    if (c.role == "table") out.push_back(&c);
  return out;
}

// A row's words as the text mirror reads them.
std::string words_of(const MirrorNode& row) {
  std::string out;
  for (const auto& c : row.children) out += c.role + ":" + c.text + "|";
  return out;
}

// Every windowed table's rows are the rows at the same places in the
// unwindowed mirror's table of the same name (tables in the same order), and
// its row count is that table's. Returns how many rows were compared.
int check_window_against_whole(const MirrorNode& windowed, const MirrorNode& whole) {
  auto full = tables_of(whole);
  size_t at = 0;
  int compared = 0;
  for (const MirrorNode* table : tables_of(windowed)) {
    CAPTURE(table->text);
    while (at < full.size() && full[at]->text != table->text) ++at;
    REQUIRE(at < full.size());
    const MirrorNode& same = *full[at++];
    REQUIRE(table->rowcount > 0);
    CHECK(table->rowcount == static_cast<int>(same.children.size()));
    for (const auto& row : table->children) {
      REQUIRE(row.rowindex >= 1);
      REQUIRE(row.rowindex <= table->rowcount);
      CHECK(words_of(row) == words_of(same.children[static_cast<size_t>(row.rowindex - 1)]));
      ++compared;
    }
  }
  return compared;
}

// The data rows (not the header row) a table's window holds, by aria-rowindex.
std::vector<int> row_indices(const MirrorNode& table) {
  std::vector<int> out;
  for (const auto& row : table.children)
    if (row.rowindex > 1) out.push_back(row.rowindex);
  return out;
}

}  // namespace

TEST_SUITE("text mirror: windowed long tables") {
  TEST_CASE("a long table's mirror is a window around the screen, and scrolling moves the window") {
    Widget widget(long_record(), Tab::timeline);
    MirrorNode before = panel_of(widget.w);
    auto tables = tables_of(before);
    REQUIRE(tables.size() == 1);
    std::vector<int> top = row_indices(*tables[0]);
    REQUIRE(!top.empty());
    CHECK(top.front() == 2);  // the first row under the header, at the top of the list
    CHECK(top.size() < 200);
    CHECK(tables[0]->children.front().rowindex == 1);  // the header row is always there, first
    CHECK(tables[0]->children.front().children.front().role == "columnheader");

    unsigned long version = widget.w.mirror_version();
    widget.scroll_down(40);
    CHECK(widget.w.mirror_version() != version);
    std::vector<int> lower = row_indices(*tables_of(panel_of(widget.w))[0]);
    REQUIRE(!lower.empty());
    CHECK(lower.front() > top.front());
    CHECK(lower.back() > top.back());
    CHECK(lower.size() < 200);
  }

  TEST_CASE("aria-rowcount is the table's rows in all, its header row counted, however far it is scrolled") {
    const View& view = long_record();
    Widget widget(view, Tab::timeline);
    MirrorNode whole = whole_panel(view, Tab::timeline, {});
    const int total = static_cast<int>(tables_of(whole)[0]->children.size());
    CHECK(total > 1500);
    for (int step = 0; step < 3; ++step) {
      CHECK(tables_of(panel_of(widget.w))[0]->rowcount == total);
      widget.scroll_down(60);
    }
    std::string text = mirror_as_text(widget.w.mirror());
    CHECK(text.find(" of " + std::to_string(total) + ")") != std::string::npos);  // "table: ... (rows a to b of n)"
  }

  TEST_CASE("the rows in the window read exactly as the same rows of the unwindowed mirror, on every long tab") {
    const View& view = long_record();
    for (Tab tab : {Tab::diagnostics, Tab::timeline}) {
      CAPTURE(tab_id(tab));
      Widget widget(view, tab);
      MirrorNode whole = whole_panel(view, tab, {});
      for (int step = 0; step < 4; ++step) {
        CHECK(check_window_against_whole(panel_of(widget.w), whole) > 20);
        widget.scroll_down(50);
      }
    }
  }

  TEST_CASE("row indices count the rows the filter leaves, not the rows before it") {
    const View& view = long_record();
    ListFilter f;
    f.search = "mmol";  // a third of the results: still a long table
    Widget widget(view, Tab::timeline, f);
    MirrorNode whole = whole_panel(view, Tab::timeline, f);
    MirrorNode panel = panel_of(widget.w), unfiltered = whole_panel(view, Tab::timeline, {});
    const MirrorNode* table = tables_of(panel)[0];
    CHECK(table->rowcount == static_cast<int>(tables_of(whole)[0]->children.size()));
    CHECK(table->rowcount > 201);
    CHECK(table->rowcount < static_cast<int>(tables_of(unfiltered)[0]->children.size()));
    widget.scroll_down(20);
    CHECK(check_window_against_whole(panel_of(widget.w), whole) > 10);
  }

  TEST_CASE("walking the windows from top to bottom reads every row of a long table") {
    const View& view = long_record();
    Widget widget(view, Tab::timeline);
    std::set<int> read;
    int rowcount = 0;
    for (int step = 0; step < 200; ++step) {
      MirrorNode panel = panel_of(widget.w);  // kept: the table points into it
      const MirrorNode* table = tables_of(panel)[0];
      rowcount = table->rowcount;
      for (int i : row_indices(*table)) read.insert(i);
      if (read.count(rowcount)) break;
      widget.scroll_down(12);  // about a screenful a step
    }
    REQUIRE(rowcount > 1500);
    CHECK(static_cast<int>(read.size()) == rowcount - 1);
  }

  TEST_CASE("a short table is mirrored whole, with no row count or row indices") {
    RecordBuilder b;
    b.add(ilinks::test::twenty_year_record(50, 6, 3), {"small.json", {}});
    View small = *ilinks::test::consented_view(b.build(), "mirror-window");
    for (Tab tab : {Tab::diagnostics, Tab::hospital, Tab::timeline}) {
      CAPTURE(tab_id(tab));
      Widget widget(small, tab);
      MirrorNode panel = panel_of(widget.w);
      MirrorNode whole = whole_panel(small, tab, {});
      auto tables = tables_of(panel), full = tables_of(whole);
      REQUIRE(tables.size() == full.size());
      for (size_t t = 0; t < tables.size(); ++t) {
        CHECK(tables[t]->rowcount == 0);
        REQUIRE(tables[t]->children.size() == full[t]->children.size());
        for (size_t r = 0; r < tables[t]->children.size(); ++r) {
          CHECK(tables[t]->children[r].rowindex == 0);
          CHECK(words_of(tables[t]->children[r]) == words_of(full[t]->children[r]));
        }
      }
    }
  }

  TEST_CASE("the text export of the whole View is never windowed") {
    std::string text = mirror_as_text(mirror_of_view(long_record(), kToday, ::test::kNow));
    CHECK(text.find("(rows ") == std::string::npos);
    size_t rows = 0;
    for (size_t at = text.find("row:"); at != std::string::npos; at = text.find("row:", at + 1)) ++rows;
    CHECK(rows > 3000);  // every row of every tab
    CHECK(mirror_as_json(mirror_of_view(long_record(), Tab::timeline, kToday)).find("rowcount") == std::string::npos);
  }
}
