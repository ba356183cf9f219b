// ilinks/view_export.h: a View as data, for files, tests and hosts that draw
// their own UI, and the NHS CUI words of its values, which every output
// (the widget, the text mirror, the JSON) writes the same way. Only what the
// View holds is written. (The View as text is its mirror: ilinks/mirror.h.)
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ilinks/view.h"

namespace ilinks {

// The tabs of the record: one per segment, and the timeline across them.
enum class Tab { summary, community, diagnostics, hospital, timeline };
const char* tab_id(Tab tab);                   // "summary", ..., "timeline"
const char* tab_title(Tab tab);                // "Summary", ..., "Timeline"
bool tab_from_id(const std::string& id, Tab& out);
Segment tab_segment(Tab tab);                  // Segment::none for the timeline

// The items a tab lists, in its order (most recent first; undated last).
std::vector<const Item*> tab_items(const View& view, Tab tab);

// NHS CUI text of the banner's values; "Not Known" when there is none.
std::string display_name(const PersonName& name);  // "BRADSHAW, Joe (Mr)"; "ÖZTÜRK, Ayşe", "ŁUKASIEWICZ, Jan"
const char* gender_text(Gender gender);            // "Female"
std::string address_text(const std::optional<Address>& address);  // lines, city, district, postcode

// One item's words, as every output writes them.
std::string item_value_text(const Item& item);   // "61 mmol/mol", "Systolic 120 mmHg; Diastolic 80 mmHg", a dose
std::string item_range_text(const Item& item);   // "20 - 42"
std::string item_source_text(const Item& item);  // organisation name, else ODS code, else "Source not known"
std::string format_number(double value);         // "6.8", "139", "0.1": as few digits as the value needs

// The whole View as JSON: banner, basis, access, notices, and every tab with
// each shown item and the FHIR resource type and id it came from.
std::string view_as_json(const View& view, const Date& today);

}  // namespace ilinks
