// The rules of render/data/layout.json, read and checked (record_layout.cpp
// applies them).
#pragma once
#include <array>
#include <string>
#include <vector>

#include "ilinks/record_layout.h"

namespace ilinks {

// ASCII lower case, for matching words and sorting (shared by the layout's
// reading and applying).
std::string lower(std::string s);

struct Layout::Rules {
  // One way an item may match a section; every stated condition must hold.
  struct Match {
    std::vector<std::string> kinds, tags, status, not_status;  // tags: any of them
    std::string when;  // "", "future", "past"
    bool key_preference = false;
  };
  enum class Rows { items, participants, results, stay };
  struct SectionRule {
    std::string title;
    std::vector<Match> any;  // empty: matches everything (a tab's last section)
    std::vector<Column> columns;
    Rows rows = Rows::items;
    std::string empty;
    bool reader = false;
    std::vector<std::string> panel_kinds;      // rows "results": the kinds that head their results
    std::vector<std::string> discharge_kinds;  // rows "stay": the events that may give the expected discharge
  };
  struct Preference {
    std::string tag, label;
  };

  std::string allergy_tag, none_known_tag;
  Segment allergy_segment = Segment::summary;
  int allergy_tier = 2;
  std::vector<std::string> allergy_not_current;
  std::vector<std::string> flag_kinds, flag_current;  // flags show only while current (or without a status)
  std::vector<Preference> preferences;
  std::array<std::vector<SectionRule>, 5> tabs;  // by Tab

  static Rules parse(const std::string& text, const std::string& file);
};

}  // namespace ilinks
