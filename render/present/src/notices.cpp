#include "ilinks/notices.h"

#include <cstdio>

namespace ilinks {

const char* const kIncompleteNotice = "Part of this record could not be read. What is shown may be incomplete.";

std::string basis_strip_text(const View& view, const Timestamp& now) {
  switch (view.basis()) {
    case Basis::consent_required:
      return "Consent required: ask the person whether you may view their shared record.";
    case Basis::opted_out:
      return "The person has opted out of sharing their record.";
    case Basis::override_: {
      std::string text = "EMERGENCY OVERRIDE: " + view.override_reason() + ".";
      if (const auto& ends = view.override_ends()) {
        int m = ends->local_minute_of_day();
        long left = static_cast<long>((ends->utc_seconds - now.utc_seconds + 59) / 60);
        char buf[64];
        if (left > 0)
          std::snprintf(buf, sizeof buf, " Ends %02d:%02d (%ld h %02ld min left).", m / 60, m % 60, left / 60, left % 60);
        else
          std::snprintf(buf, sizeof buf, " Ended %02d:%02d: ask for consent or override again.", m / 60, m % 60);
        text += buf;
      }
      return text;
    }
    case Basis::consent:
      return view.basis_text();
  }
  return "";
}

std::vector<Notice> strip_notices(const View& view, const Timestamp& now) {
  std::vector<Notice> out;
  if (view.incomplete()) out.push_back({Notice::Look::warning, "alert", kIncompleteNotice});
  if (view.shows_record())  // a gap in what is shown: which source, never what it held
    for (const auto& source : view.unavailable_sources()) out.push_back({Notice::Look::warning, "alert", source});
  Notice::Look look = view.basis() == Basis::override_ ? Notice::Look::emergency
                      : view.basis() == Basis::consent ? Notice::Look::basis
                                                       : Notice::Look::warning;
  out.push_back({look, view.basis() == Basis::override_ ? "alert" : "status", basis_strip_text(view, now)});
  return out;
}

std::vector<Notice> tab_notices(const TabLayout& tab) {
  std::vector<Notice> out;
  if (!tab.available) {
    out.push_back({Notice::Look::message, "status", tab.unavailable_text});
    return out;
  }
  if (!tab.own_organisation_note.empty()) out.push_back({Notice::Look::message, "status", tab.own_organisation_note});
  if (!tab.case_access_note.empty()) out.push_back({Notice::Look::inset, "note", tab.case_access_note});
  return out;
}

std::vector<Notice> footer_notices(const View& view) {
  std::vector<Notice> out;
  // Said at the person's request: part of the record is withheld from every viewer.
  if (!view.opt_out_notice().empty()) out.push_back({Notice::Look::footer, "note", view.opt_out_notice()});
  out.push_back({Notice::Look::footer, "note", view.notice()});
  return out;
}

std::vector<std::string> alert_strip_lines(const AlertStrip& a) {
  std::vector<std::string> out;
  std::string allergies = allergy_state_text(a.allergy_state);
  if (a.allergy_state == AllergyState::known) {
    allergies += ": ";
    for (size_t i = 0; i < a.allergies.size(); ++i) allergies += (i ? ", " : "") + a.allergies[i];
  }
  out.push_back(allergies);
  for (const auto& f : a.flags) out.push_back("Flag: " + f);
  for (const auto& p : a.preferences) out.push_back(p.label + ": " + p.text);
  return out;
}

}  // namespace ilinks
