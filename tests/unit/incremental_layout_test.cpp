// A tab laid out once and narrowed as the user types (ilinks/incremental_layout.h)
// shows, at every keystroke, exactly what laying the tab out afresh shows.
#include <doctest/doctest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../tools/consented_view.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/incremental_layout.h"
#include "ilinks/mirror.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_layout.h"
#include "ilinks/record_widget.h"
#include "policy_helpers.h"
#include "record_helpers.h"

using namespace ilinks;

namespace {

const Date kToday = *Date::parse_iso_day("2026-11-30");
const Tab kTabs[] = {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline};

// A long record, small enough for a test: 600 results, 80 encounters, 40 letters.
const View& long_record() {
  static const View view = [] {
    RecordBuilder b;
    b.add(ilinks::test::twenty_year_record(600, 80, 40), {"generated.json", {}});
    return *ilinks::test::consented_view(b.build(), "incremental");
  }();
  return view;
}

// Everything a TabLayout says, as text: two layouts are the same when these are.
std::string describe(const TabLayout& l) {
  std::ostringstream o;
  o << tab_id(l.tab) << " available=" << l.available << " [" << l.unavailable_text << "][" << l.own_organisation_note << "]["
    << l.case_access_note << "][" << l.case_access_button << "] shown=" << l.entries_shown << " of " << l.entries_total << "\n";
  for (const auto& s : l.sections) {
    o << "section [" << s.title << "] empty=[" << s.empty_text << "] before=" << s.entries_before_filter << " columns";
    for (Column c : s.columns) o << " " << column_title(c);
    o << "\n";
    for (const auto& r : s.rows) {
      o << "  " << static_cast<int>(r.kind) << " " << (r.item ? r.item->key : "-") << " abnormal=" << r.abnormal
        << " readable=" << r.readable << " |";
      for (const auto& c : r.cells) o << c << "|";
      o << " unit=" << r.unit << " low=" << (r.normal_low ? *r.normal_low : -1) << " high=" << (r.normal_high ? *r.normal_high : -1);
      for (const auto& p : r.trend) o << " (" << format_date(p.date) << " " << p.value << " " << p.text << ")";
      o << "\n";
    }
  }
  return o.str();
}

ListFilter searching(const std::string& text, ListFilter f = {}) {
  f.search = text;
  return f;
}

// Typing, correcting, and starting a new search: extensions, Backspace, a
// search that does not extend the last one, capitals, and nothing matching.
const char* const kKeystrokes[] = {"", "h", "hb", "hba", "hba1c", "hba1", "hb", "h", "", "e", "en", "enc", "ENC", "letter",
                                   "2019", "201", "zzz", "zzzz", "", "high", "igh", "a", ""};

int rows_in(const TabLayout& l) {
  int n = 0;
  for (const auto& s : l.sections) n += static_cast<int>(s.rows.size());
  return n;
}

// The words of a mirror, without where its controls are.
void words(const MirrorNode& n, std::string& out) {
  out += n.role + ":" + n.text + (n.selected ? "*" : "") + "\n";
  for (const auto& c : n.children) words(c, out);
}

}  // namespace

TEST_SUITE("incremental layout") {
  TEST_CASE("at every keystroke, on every tab, the narrowed rows are the rows a full layout gives") {
    const View& view = long_record();
    for (Tab tab : kTabs) {
      CAPTURE(tab_id(tab));
      IncrementalLayout incremental;
      for (const char* typed : kKeystrokes) {
        CAPTURE(typed);
        ListFilter f = searching(typed);
        CHECK(describe(incremental.lay_out(view, tab, f, kToday)) == describe(Layout::builtin().lay_out(view, tab, f, kToday)));
      }
    }
  }

  TEST_CASE("Diagnostics by panel and by test, in every sort order, with and without dates: the same rows as a full layout") {
    const View& view = long_record();
    IncrementalLayout incremental;  // one for the whole sequence: each change of sort or grouping starts it again
    for (bool by_panel : {false, true})
      for (SortOrder sort : {SortOrder::newest_first, SortOrder::oldest_first, SortOrder::a_to_z})
        for (int dates = 0; dates < 2; ++dates)
          for (const char* typed : {"", "h", "hb", "hba1c", "hb", "panel", "x", ""}) {
            CAPTURE(by_panel);
            CAPTURE(static_cast<int>(sort));
            CAPTURE(dates);
            CAPTURE(typed);
            ListFilter f = searching(typed);
            f.sort = sort;
            f.results_by_panel = by_panel;
            if (dates) f.from = Date::parse_iso_day("2015-01-01"), f.to = Date::parse_iso_day("2020-06-30");
            CHECK(describe(incremental.lay_out(view, Tab::diagnostics, f, kToday)) ==
                  describe(Layout::builtin().lay_out(view, Tab::diagnostics, f, kToday)));
          }
  }

  TEST_CASE("a search that extends the last one looks only at what the last one matched; any other looks at every row") {
    const View& view = long_record();
    IncrementalLayout incremental;
    const size_t all = incremental.lay_out(view, Tab::timeline, {}, kToday).entries_total;
    CHECK(incremental.rows_tested() == all);
    TabLayout h = incremental.lay_out(view, Tab::timeline, searching("h"), kToday);
    CHECK(incremental.rows_tested() == all);  // everything matched ""
    incremental.lay_out(view, Tab::timeline, searching("hb"), kToday);
    CHECK(incremental.rows_tested() == static_cast<size_t>(h.entries_shown));
    CHECK(incremental.rows_tested() < all);
    incremental.lay_out(view, Tab::timeline, searching("h"), kToday);  // Backspace widens: every row again
    CHECK(incremental.rows_tested() == all);
    incremental.lay_out(view, Tab::timeline, searching("hb"), kToday);
    CHECK(incremental.rows_tested() < all);
    incremental.lay_out(view, Tab::timeline, searching("b"), kToday);  // not an extension of "hb"
    CHECK(incremental.rows_tested() == all);
    ListFilter dated = searching("b1");
    dated.from = Date::parse_iso_day("2019-01-01");
    incremental.lay_out(view, Tab::timeline, dated, kToday);  // new dates: every row again
    CHECK(incremental.rows_tested() == all);
  }

  TEST_CASE("dates set, changed or cleared while typing: the same rows as a full layout") {
    const View& view = long_record();
    IncrementalLayout incremental;
    const std::optional<Date> none, y2015 = Date::parse_iso_day("2015-01-01"), y2019 = Date::parse_iso_day("2019-01-01");
    struct Step {
      const char* search;
      std::optional<Date> from;
    };
    const Step steps[] = {{"h", y2015}, {"hb", none}, {"hba", y2019}, {"hba1", y2015}, {"hba1c", none}, {"", y2019}, {"e", none}};
    for (Tab tab : {Tab::diagnostics, Tab::timeline})
      for (const Step& step : steps) {
        CAPTURE(tab_id(tab));
        CAPTURE(step.search);
        ListFilter f = searching(step.search);
        f.from = step.from;
        CHECK(describe(incremental.lay_out(view, tab, f, kToday)) == describe(Layout::builtin().lay_out(view, tab, f, kToday)));
      }
  }

  TEST_CASE("another tab, day, sort, grouping or View lays the rows out again; after forget() a new View at the same place does too") {
    RecordBuilder a, b;
    a.add(ilinks::test::twenty_year_record(60, 10, 5), {"a.json", {}});
    b.add(ilinks::test::twenty_year_record(90, 20, 5), {"b.json", {}});
    std::optional<View> shown = ilinks::test::consented_view(a.build(), "incremental");
    IncrementalLayout incremental;
    ListFilter f = searching("h");
    CHECK(describe(incremental.lay_out(*shown, Tab::diagnostics, f, kToday)) ==
          describe(Layout::builtin().lay_out(*shown, Tab::diagnostics, f, kToday)));
    CHECK(describe(incremental.lay_out(*shown, Tab::timeline, f, kToday)) ==
          describe(Layout::builtin().lay_out(*shown, Tab::timeline, f, kToday)));
    // What is still to come (the Summary's diary) depends on the day.
    Record joe = ::test::demo_record("joe-bradshaw");
    View joes = ::test::view_of(joe, ::test::request(joe, "1a", "ZZVIEW"));
    const Date next_summer = *Date::parse_iso_day("2027-06-01");  // after the appointment on 03-Dec-2026
    TabLayout then = incremental.lay_out(joes, Tab::summary, {}, next_summer);
    CHECK(describe(then) == describe(Layout::builtin().lay_out(joes, Tab::summary, {}, next_summer)));
    TabLayout now = incremental.lay_out(joes, Tab::summary, {}, kToday);
    CHECK(describe(now) == describe(Layout::builtin().lay_out(joes, Tab::summary, {}, kToday)));
    CHECK(describe(then) != describe(now));
    f.sort = SortOrder::a_to_z;
    CHECK(describe(incremental.lay_out(*shown, Tab::timeline, f, kToday)) ==
          describe(Layout::builtin().lay_out(*shown, Tab::timeline, f, kToday)));
    shown = ilinks::test::consented_view(b.build(), "incremental");  // the same address, another View
    incremental.forget();
    TabLayout after = incremental.lay_out(*shown, Tab::timeline, f, kToday);
    CHECK(describe(after) == describe(Layout::builtin().lay_out(*shown, Tab::timeline, f, kToday)));
    CHECK(rows_in(after) > 0);
  }

  TEST_CASE("typed into the widget a key at a time, the count and the mirror follow as if the search had been set whole") {
    const View& view = long_record();
    RecordWidget typing, set_whole;
    for (RecordWidget* w : {&typing, &set_whole}) {
      w->set_size(1000, 700, 1.0f);
      w->set_today(kToday);
      w->show(view);
      w->set_tab(Tab::diagnostics);
    }
    auto settle = [](RecordWidget& w) {
      do w.draw_frame();
      while (w.needs_redraw());
    };
    typing.key(Key::f, true, modifier_ctrl);  // Ctrl+F: to the search box
    typing.key(Key::f, false, modifier_ctrl);
    settle(typing);
    auto same_words = [&](const std::string& search) {
      CAPTURE(search);
      REQUIRE(typing.filter().search == search);
      set_whole.set_filter(searching(search, set_whole.filter()));
      settle(set_whole);
      std::string typed_words, whole_words;
      words(typing.mirror(), typed_words);
      words(set_whole.mirror(), whole_words);
      CHECK(typed_words == whole_words);
      if (!search.empty()) CHECK(typed_words.find("Showing ") != std::string::npos);
    };
    std::string search;
    for (char c : std::string("hba1c")) {
      typing.text_input(std::string(1, c));
      settle(typing);
      same_words(search += c);
    }
    for (int i = 0; i < 3; ++i) {
      typing.key(Key::backspace, true);
      typing.key(Key::backspace, false);
      settle(typing);
      search.pop_back();
      same_words(search);
    }
    typing.text_input("x");
    settle(typing);
    same_words(search += "x");
  }

  TEST_CASE("a new View shown in the widget replaces the rows it kept, with the same search still typed") {
    RecordBuilder small;
    small.add(ilinks::test::twenty_year_record(50, 6, 3), {"small.json", {}});
    View first = *ilinks::test::consented_view(small.build(), "incremental");
    const View& second = long_record();
    RecordWidget widget, fresh;
    for (RecordWidget* w : {&widget, &fresh}) {
      w->set_size(1000, 700, 1.0f);
      w->set_today(kToday);
      w->set_tab(Tab::diagnostics);
      w->set_filter(searching("hb"));
    }
    auto settle = [](RecordWidget& w) {
      do w.draw_frame();
      while (w.needs_redraw());
    };
    widget.show(first);
    settle(widget);
    widget.show(second);  // into the same place in the widget
    settle(widget);
    fresh.show(second);
    settle(fresh);
    std::string shown, expected;
    words(widget.mirror(), shown);
    words(fresh.mirror(), expected);
    CHECK(shown == expected);
  }
}
