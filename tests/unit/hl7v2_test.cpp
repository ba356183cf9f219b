// HL7 v2 ADT messages from trust integration engines become hospital tier-1
// events in the person's record.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "ilinks/fhir.h"
#include "record_helpers.h"
#include "test_data.h"

using namespace ilinks;
using test::has_issue;

namespace {

// PV1 with the given fields set by number (PV1-1 is the set id).
std::string pv1(const std::map<int, std::string>& fields) {
  std::string out = "PV1|1";
  for (int n = 2; n <= 45; ++n) out += "|" + (fields.count(n) ? fields.at(n) : std::string());
  return out;
}

// A minimal message from Southport and Ormskirk for Joe (NHS number in PID-3),
// segments joined by `eol`. The event was recorded (EVN-2) a day after the
// admission (PV1-44), so a test can tell which one a date came from.
std::string adt(const std::string& event, const std::string& control, const std::string& eol = "\r",
                const std::string& visit = "V0001") {
  return "MSH|^~\\&|PAS|RVY|ILINKS|NM|20261102093000||ADT^" + event + "|" + control + "|P|2.4" + eol +
         "EVN|" + event + "|20261102093000" + eol +
         "PID|1||9434765919^^^NHS^NH||BLOGGS^JOE^^^MR||19630402|M|||1 Marine Drive^^Southport^^PR8 1AA" + eol +
         pv1({{2, "I"}, {3, "Ward 14B^Bay 2^Bed 4"}, {7, "C123^Patel^Anjali^^^Dr"}, {19, visit}, {44, "20261101093000"}}) + eol +
         "PV2|||195967001^Asthma^SCT||||||20261105" + eol;
}

// Whether text is UTF-8 that JSON can carry (checked by a strict parse).
bool is_valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

const Item* only_event(const Record& r) {
  const Item* found = nullptr;
  for (const auto& i : r.items())
    if (i.kind == "AdtEvent") { if (found) return nullptr; found = &i; }
  return found;
}

}  // namespace

TEST_SUITE("HL7 v2 ADT") {
  TEST_CASE("an admission becomes a hospital tier-1 event of the person named in PID, from the sending trust") {
    RecordBuilder b;
    b.add(adt("A01", "M1"), {"tie.hl7", {}});
    Record r = b.build();
    REQUIRE(r.identity_known());
    CHECK(r.patient().nhs_number == "9434765919");
    CHECK(r.patient().name.family == "BLOGGS");
    const Item* e = only_event(r);
    REQUIRE(e);
    CHECK(e->display == "Admitted: Ward 14B, Bay 2, Bed 4");
    CHECK(test::placed(*e) == "H1");
    CHECK(e->source.ods_code == "RVY");
    CHECK(e->source.setting == CareSetting::acute_hospital);
    CHECK(format_date(*e->date) == "01-Nov-2026");
    CHECK(format_date(*e->end_date) == "05-Nov-2026");  // expected date of discharge (PV2-9)
    REQUIRE_FALSE(e->participants.empty());
    CHECK(e->participants[0].name == "Dr Anjali Patel");
  }

  TEST_CASE("CR, LF and CRLF segment endings, and a byte-order mark, read the same") {
    for (const std::string eol : {"\r", "\n", "\r\n"}) {
      for (const std::string bom : {"", "\xEF\xBB\xBF"}) {
        CAPTURE(eol.size());
        RecordBuilder b;
        b.add(bom + adt("A01", "M1", eol), {"tie.hl7", {}});
        Record r = b.build();
        REQUIRE(only_event(r));
        CHECK(only_event(r)->display == "Admitted: Ward 14B, Bay 2, Bed 4");
        CHECK(r.load_issues().empty());
      }
    }
  }

  TEST_CASE("ADT events join the FHIR record of the same person by NHS number") {
    RecordBuilder b;
    b.add(test::bundle({test::patient(), R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"code":{"text":"COPD"}})"}), {"gp.json", {}});
    b.add(adt("A01", "M1") + adt("A03", "M2"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.other_people_left_out() == 0);
    CHECK(r.find("Condition/c"));
    CHECK(r.find("AdtEvent/M1"));
    CHECK(r.find("AdtEvent/M2")->display.rfind("Discharged", 0) == 0);
  }

  TEST_CASE("a planned admission (A05) is dated when the person is to come in") {
    std::string a05 = adt("A05", "M5");
    a05.replace(a05.find("PV2|||195967001^Asthma^SCT||||||20261105"), 40, "PV2|||195967001^Asthma^SCT|||||20261201|20261203");
    RecordBuilder b;
    b.add(a05, {"tie.hl7", {}});
    Record r = b.build();
    const Item* e = only_event(r);
    REQUIRE(e);
    CHECK(e->display.rfind("Planned admission (TCI)", 0) == 0);
    CHECK(e->status == "planned");
    CHECK(format_date(*e->date) == "01-Dec-2026");
  }

  TEST_CASE("a cancelled admission (A11) marks the admission it cancels") {
    RecordBuilder b;
    b.add(adt("A01", "M1") + adt("A11", "M2"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.find("AdtEvent/M1")->status == "cancelled");
    REQUIRE_FALSE(r.find("AdtEvent/M2")->links.empty());
    CHECK(r.find("AdtEvent/M2")->links[0].target == "AdtEvent/M1");
  }

  TEST_CASE("a cancel only cancels an event of the same visit (PV1-19)") {
    RecordBuilder b;
    b.add(adt("A01", "M1", "\r", "V0001") + adt("A11", "M2", "\r", "V0002"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.find("AdtEvent/M1")->status == "completed");
    CHECK(r.find("AdtEvent/M2")->links.empty());
  }

  TEST_CASE("a message that is not ADT, or has no PID, is reported and skipped; the rest still loads") {
    std::string oru = "MSH|^~\\&|LAB|RQ6|X|Y|20261101||ORU^R01|L1|P|2.4\rPID|1||9434765919^^^NHS^NH\r";
    std::string no_pid = "MSH|^~\\&|PAS|RVY|X|Y|20261101||ADT^A02|M9|P|2.4\rEVN|A02|20261101\r";
    RecordBuilder b;
    b.add(oru + no_pid + adt("A01", "M1"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.find("AdtEvent/M1"));
    CHECK(has_issue(r, "not ADT"));
    CHECK(has_issue(r, "no PID segment"));
  }

  TEST_CASE("a malformed message (broken MSH) is reported, never a crash") {
    RecordBuilder b;
    b.add("MSH|\r" + std::string("MSH|^~|\r") + adt("A01", "M1"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.find("AdtEvent/M1"));
    CHECK(has_issue(r, "message 1"));
  }

  TEST_CASE("separators that are not ASCII are refused, so no text is split inside a character (found by fuzzing)") {
    std::string msg = adt("A01", "M2");
    msg.replace(msg.find("^~\\&"), 4, "^~\xEF\xBF");  // escape and subcomponent: halves of U+FFFD
    msg += "PV2|||X^Reason \xEF\xBF\xBD here\r";
    RecordBuilder b;
    b.add(msg + adt("A01", "M1"), {"tie.hl7", {}});
    Record r = b.build();
    CHECK(r.find("AdtEvent/M1"));
    CHECK_FALSE(r.find("AdtEvent/M2"));
    CHECK(has_issue(r, "must be printable ASCII"));
    for (const auto& issue : r.load_issues()) CHECK(is_valid_utf8(issue.what));
  }

  TEST_CASE("the ADT samples in shared/data load as hospital tier-1 events") {
    for (const char* file : {"ADT-A01-01.hl7", "ADT-A02-01.hl7", "ADT-A03-01.hl7", "ADT-A05-01.hl7", "ADT01-23.hl7"}) {
      CAPTURE(file);
      RecordBuilder b;
      b.add_file(shared_data(std::string("hl7v2-adt/") + file));
      Record r = b.build();
      CHECK(r.identity_known());
      const Item* e = only_event(r);
      REQUIRE(e);
      CHECK(test::placed(*e) == "H1");
      CHECK(e->date);
    }
  }
}
