// ilinks/record_layout.h: what each tab of the record shows, as sections and
// rows of text.
//
// The one place that decides what is on screen: the widget draws a TabLayout,
// and the accessible text mirror (ilinks/mirror.h) reads the same TabLayout,
// so a screen reader hears exactly what a sighted user sees. The rules (which
// items go in which section, the columns) are data: render/data/layout.json.
// Pure C++: no ImGui, no FHIR.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/view.h"
#include "ilinks/view_export.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// Narrowing a tab's lists
// ---------------------------------------------------------------------------

enum class SortOrder { newest_first, oldest_first, a_to_z };
const char* sort_order_title(SortOrder order);  // "Newest first", ...

// What the search box, the date range and the sort control say. Applies to
// every list of the open tab.
struct ListFilter {
  std::string search;            // case-insensitive, matched against every column
  std::optional<Date> from, to;  // inclusive; with a range set, undated entries are hidden
  SortOrder sort = SortOrder::newest_first;
  bool results_by_panel = false;  // Diagnostics: group results by panel rather than by test

  bool narrows() const { return !search.empty() || from || to; }
};

// Parses a date a user typed: "14-Jul-1945", "14/07/1945" or "1945-07-14".
std::optional<Date> parse_user_date(const std::string& text);

// ---------------------------------------------------------------------------
// Sections and rows
// ---------------------------------------------------------------------------

enum class Column {
  date, what, detail, status, range, flag, person, role, organisation, contact, source,
  stay_length, expected_discharge  // the current stay
};
const char* column_title(Column column);  // "Date", "Entry", "Detail", ...

// One point of a test's trend over time.
struct TrendPoint {
  Date date;
  double value = 0;
  std::string text;  // "61 mmol/mol (H) on 30-Sep-2026": what hovering shows
};

struct Row {
  enum class Kind {
    entry,   // one item (or one person involved in it): cells parallel to the columns
    group,   // a heading over the rows that follow: a test, a panel
    trend,   // a plot of the group's numeric results over time
  };
  Kind kind = Kind::entry;
  std::vector<std::string> cells;  // entry: one per column; group: the heading alone
  const Item* item = nullptr;      // the item shown (entry rows); lives in the View
  bool abnormal = false;           // flagged outside its reference range
  bool readable = false;           // has text the document reader can open
  std::vector<TrendPoint> trend;   // trend rows, oldest first
  std::string unit;                // trend rows
  std::optional<double> normal_low, normal_high;  // trend rows: the latest result's reference range
};

struct Section {
  std::string title;
  std::vector<Column> columns;
  std::vector<Row> rows;
  std::string empty_text;  // said when there are no rows (and nothing was filtered out)
  int entries_before_filter = 0;
};

// One tab as it is on screen.
struct TabLayout {
  Tab tab = Tab::summary;
  bool available = true;          // false: the viewer's role may not see this segment
  std::string unavailable_text;   // "Not available for your role: Admin / clerical"
  // Said above the sections when the viewer's own organisation's entries are
  // left out (the host shows them), so an empty list is not misread.
  std::string own_organisation_note;
  // Community tier 3 (free text and documents) is shared case by case
  // (View::case_access_available / case_access_text). Said above the
  // sections: while this viewer may ask for it, what it is and how to ask
  // (case_access_button is then the button's label, which opens the widget's
  // wider-access dialog); while a grant is in force, the grant in the View's
  // words (and no button).
  std::string case_access_note;
  std::string case_access_button;
  std::vector<Section> sections;  // sections with nothing to say are left out
  int entries_shown = 0, entries_total = 0;
};

// ---------------------------------------------------------------------------
// The alert strip, under the banner
// ---------------------------------------------------------------------------

enum class AllergyState { known, none_known, not_recorded, unavailable };
const char* allergy_state_text(AllergyState state);  // "Known allergies", ..., "Allergies unavailable"

struct AlertStrip {
  AllergyState allergy_state = AllergyState::not_recorded;
  std::vector<std::string> allergies;  // what the person is allergic to (known)
  std::vector<std::string> flags;      // active flags' text
  struct Preference { std::string label, text; };
  std::vector<Preference> preferences;  // resuscitation, mental capacity, end-of-life wishes
};

// ---------------------------------------------------------------------------
// The layout rules
// ---------------------------------------------------------------------------

class Layout {
 public:
  // The rules embedded from render/data/layout.json.
  static const Layout& builtin();
  // Reads rules; a bad file throws std::runtime_error naming the file, the place and why.
  static Layout from_json(const std::string& text, const std::string& file);

  // The tab as it is on screen. Rows point into `view`, which must outlive it.
  TabLayout lay_out(const View& view, Tab tab, const ListFilter& filter, const Date& today) const;
  AlertStrip alert_strip(const View& view) const;

  // Where allergies sit in the sharing model (checked against the classification).
  Segment allergy_segment() const;
  int allergy_tier() const;

  struct Rules;

 private:
  friend class IncrementalLayout;  // lays tabs out in two steps with the same rules
  explicit Layout(std::shared_ptr<const Rules> rules) : rules_(std::move(rules)) {}
  std::shared_ptr<const Rules> rules_;
};

}  // namespace ilinks
