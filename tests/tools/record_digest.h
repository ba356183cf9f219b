// A record as one text: its person, load issues and every item with what a
// reader decided about it, in order. For tests and fuzz targets that compare
// two ways of reading the same input (one thread and two).
#pragma once
#include <sstream>
#include <string>

#include "ilinks/record.h"

namespace ilinks::test {

inline std::string item_digest(const Item& i) {
  std::ostringstream out;
  out << i.key << '|' << i.kind << '|' << i.source_id << '|' << i.display << '|' << i.status << '|' << i.date_time << '|'
      << (i.date ? format_date(*i.date) : "-") << '|' << (i.end_date ? format_date(*i.end_date) : "-") << '|' << i.value.text
      << '|' << (i.value.number ? std::to_string(*i.value.number) : "-") << '|' << i.value.unit << '|' << i.interpretation
      << '|' << i.text << '|' << i.source.ods_code << '|' << i.source.name << '|' << i.source.found_by << '|'
      << i.source.setting_found_by << '|' << static_cast<int>(i.source.setting) << '|' << i.source_system << '|' << i.input
      << '|' << static_cast<int>(i.segment) << '|' << i.tier << '|' << i.rule << '|' << i.sensitive_test << '|'
      << bool(i.directive) << '|' << i.participants.size() << '|' << i.components.size() << '|' << i.ranges.size();
  for (const auto& c : i.codings) out << "|c:" << c.system << ' ' << c.code << ' ' << c.display;
  for (const auto& c : i.categories) out << "|k:" << c.system << ' ' << c.code;
  for (const auto& c : i.security_labels) out << "|s:" << c.system << ' ' << c.code;
  for (const auto& l : i.links) out << "|l:" << l.relation << ' ' << l.target;
  for (const auto& t : i.tags) out << "|t:" << t;
  return out.str();
}

inline std::string record_digest(const Record& r) {
  std::ostringstream out;
  out << "person " << r.patient().nhs_number << ' ' << r.patient().resource_id << ' ' << r.identity_known() << ' '
      << r.other_people_left_out() << '\n';
  for (const auto& issue : r.load_issues())
    out << "issue " << issue.where << " | " << issue.what << " | " << issue.damage << issue.whole_input << '\n';
  for (const auto& item : r.items()) out << item_digest(item) << '\n';
  return out.str();
}

}  // namespace ilinks::test
