#include "ilinks/banner_text.h"

#include "ilinks/nhs_number.h"
#include "ilinks/view_export.h"

namespace ilinks {

BannerText banner_text(const Patient& p, const Date& today) {
  const char* const not_known = "Not Known";
  BannerText b;
  b.name = display_name(p.name);
  b.deceased = p.deceased;
  std::string born = p.birth_date ? format_date(*p.birth_date) : not_known;
  if (!p.deceased && p.birth_date) {
    std::string age = format_age(*p.birth_date, today);
    if (!age.empty()) born += " (" + age + ")";
  }
  b.identity.push_back({"Born", born});
  if (p.deceased) {
    std::string died = p.deceased_date ? format_date(*p.deceased_date) : not_known;
    if (p.deceased_date && p.birth_date) {
      std::string age = format_age(*p.birth_date, *p.deceased_date);
      if (!age.empty()) died += " (aged " + age + ")";
    }
    b.identity.push_back({"Died", died});
  }
  b.identity.push_back({"Gender", gender_text(p.gender)});
  b.identity.push_back({"NHS No.", p.nhs_number.empty() ? not_known : format_nhs_number(p.nhs_number)});
  b.contact.push_back({"Address", address_text(p.address)});
  b.contact.push_back({"Registered GP", p.registered_gp.empty() ? not_known : p.registered_gp});
  if (p.preferred_name) b.contact.push_back({"Preferred name", *p.preferred_name});
  return b;
}

}  // namespace ilinks
