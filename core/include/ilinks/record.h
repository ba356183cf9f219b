// ilinks/record.h: one person's integrated record, as read from its sources.
//
// A Record is everything the sources said. It is never shown as it is: only the
// policy (ilinks/policy.h) turns a Record into a View, which is what render/ and
// the bindings see.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ilinks/date.h"

namespace ilinks {

// A person's name, as FHIR HumanName carries it.
struct PersonName {
  std::string family;
  std::vector<std::string> given;
  std::vector<std::string> prefix;  // titles: "Mr", "Dr"
  std::string text;                 // the whole name as one string, when that is all there is
};

enum class Gender { not_recorded, male, female, other, unknown };

struct Address {
  std::vector<std::string> lines;
  std::string city;
  std::string district;
  std::string postal_code;
  std::string country;
};

// Who the person is: everything the patient banner needs.
struct Patient {
  std::string resource_id;                  // Patient.id in its source
  std::string nhs_number;                   // ten digits, modulus-11 checked; empty if none valid
  PersonName name;                          // the official (or first usable) name
  std::optional<std::string> preferred_name;  // what they like to be called (HumanName use=usual / nickname)
  std::optional<Date> birth_date;
  Gender gender = Gender::not_recorded;
  bool deceased = false;
  std::optional<Date> deceased_date;
  std::optional<Address> address;          // home address (or the first current one)
  std::string registered_gp;                // registered practice (Patient.generalPractitioner)
};

// Something in the input that could not be read. The rest of the record is
// still used; the view shows that part of the record could not be read.
struct LoadIssue {
  std::string where;  // "Patient/example identifier[0]"
  std::string what;   // "NHS number 1234567890 fails the modulus-11 check"
};

class Record {
 public:
  const Patient& patient() const { return patient_; }
  const std::vector<LoadIssue>& load_issues() const { return load_issues_; }
  const std::string& source_name() const { return source_name_; }

 private:
  friend class FhirReader;
  Patient patient_;
  std::vector<LoadIssue> load_issues_;
  std::string source_name_;
};

}  // namespace ilinks
