#include <doctest/doctest.h>

#include <string>

#include "ilinks/fhir.h"
#include "test_data.h"

using namespace ilinks;

namespace {
std::string error_of(const std::string& json, const std::string& source = "input.json") {
  try {
    read_fhir_json(json, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_SUITE("reading the patient from FHIR R4") {
  TEST_CASE("a UK Core Patient gives name, NHS number, birth date, gender and address") {
    Record r = read_fhir_file(shared_data("nhs-england-examples/UKCore-Patient-RichardSmith-Example.json"));
    const Patient& p = r.patient();
    CHECK(p.name.family == "SMITH");
    REQUIRE(p.name.given.size() == 1);
    CHECK(p.name.given[0] == "Richard");
    CHECK(p.nhs_number == "9912003888");
    REQUIRE(p.birth_date);
    CHECK(format_date(*p.birth_date) == "11-Sep-1970");
    CHECK(p.gender == Gender::male);
    REQUIRE(p.address);
    CHECK(p.address->lines == std::vector<std::string>{"4 Sandmoor Drive", "LEEDS"});
    CHECK(p.address->postal_code == "LS17 7DF");
    CHECK_FALSE(p.deceased);
    CHECK(r.load_issues().empty());
  }

  TEST_CASE("the official name is the banner name; a usual name is the preferred name") {
    Record r = read_fhir_file(shared_data("hl7-fhir-r4-examples/Patient-example.json"));
    CHECK(r.patient().name.family == "Chalmers");
    CHECK(r.patient().name.given == std::vector<std::string>{"Peter", "James"});
    REQUIRE(r.patient().preferred_name);
    CHECK(*r.patient().preferred_name == "Jim");
  }

  TEST_CASE("a patient with no NHS number has none, and that is not an error") {
    Record r = read_fhir_file(shared_data("hl7-fhir-r4-examples/Patient-f201.json"));
    CHECK(r.patient().nhs_number.empty());
    CHECK(r.load_issues().empty());
  }

  TEST_CASE("the patient is found in a Synthea transaction bundle of over a thousand entries") {
    Record r = read_fhir_file(shared_data("synthea/9fa1e332-a3eb-52e2-d79a-62042a485967.json"));
    CHECK(r.patient().resource_id == "9fa1e332-a3eb-52e2-d79a-62042a485967");
    CHECK_FALSE(r.patient().name.family.empty());
    CHECK(r.patient().birth_date);
  }

  TEST_CASE("the registered GP practice is resolved from the bundle by fullUrl") {
    Record r = read_fhir_file(demo_patient("margaret-hughes.json"));
    CHECK(r.patient().registered_gp == "Formby Village Surgery");
  }

  TEST_CASE("a deceased patient is marked with the date of death") {
    Record r = read_fhir_file(demo_patient("harold-winstanley.json"));
    CHECK(r.patient().deceased);
    REQUIRE(r.patient().deceased_date);
    CHECK(format_date(*r.patient().deceased_date) == "30-Sep-2026");
  }

  TEST_CASE("an NHS number failing the modulus-11 check is not shown, and is reported without its value") {
    Record r = read_fhir_json(R"({"resourceType":"Patient","id":"p1",
      "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765918"}]})", "input.json");
    CHECK(r.patient().nhs_number.empty());
    REQUIRE(r.load_issues().size() == 1);
    CHECK(r.load_issues()[0].where == "input.json Patient/p1 identifier[0]");
    CHECK(r.load_issues()[0].what.find("modulus-11") != std::string::npos);
    CHECK(r.load_issues()[0].what.find("9434765918") == std::string::npos);
  }

  TEST_CASE("fields of the wrong shape are reported and left out; the rest is read") {
    Record r = read_fhir_json(R"({"resourceType":"Patient","id":"p2","name":"Smith",
      "birthDate":"14/07/1945","gender":"M","address":[{"line":["1 High St"],"postalCode":"L1 1AA"}]})", "in.json");
    CHECK(r.patient().name.family.empty());
    CHECK_FALSE(r.patient().birth_date);
    CHECK(r.patient().gender == Gender::not_recorded);
    REQUIRE(r.patient().address);
    CHECK(r.patient().address->postal_code == "L1 1AA");
    CHECK(r.load_issues().size() == 3);
  }

  TEST_CASE("malformed JSON is refused, naming the input, line and column") {
    std::string e = error_of("{\n  \"resourceType\": \"Patient\",\n  \"id\": }", "joe.json");
    CHECK(e.find("joe.json") == 0);
    CHECK(e.find("not valid JSON") != std::string::npos);
    CHECK(e.find("line 3") != std::string::npos);
  }

  TEST_CASE("JSON that is not a FHIR resource is refused") {
    CHECK(error_of(R"({"name":"x"})").find("not a FHIR resource") != std::string::npos);
    CHECK(error_of("[1,2,3]").find("not a FHIR resource") != std::string::npos);
  }

  TEST_CASE("a bundle without a Patient is refused: a record must say whose it is") {
    std::string e = error_of(R"({"resourceType":"Bundle","type":"collection","entry":[]})");
    CHECK(e.find("no Patient") != std::string::npos);
    CHECK_THROWS_AS(read_fhir_file(shared_data("hl7-fhir-r4-examples/Bundle-lipids.json")), InputError);
  }

  TEST_CASE("a single input holding two different people is refused: which one is meant cannot be guessed") {
    std::string e = error_of(R"({"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Patient","id":"b"}}]})");
    CHECK(e.find("2 different people") != std::string::npos);
  }

  TEST_CASE("a missing or empty file is refused with its name") {
    CHECK_THROWS_WITH_AS(read_fhir_file("/nonexistent/record.json"), "/nonexistent/record.json: cannot be opened for reading",
                         InputError);
  }

  TEST_CASE("a UTF-8 byte-order mark before the JSON is accepted") {
    Record r = read_fhir_json("\xEF\xBB\xBF{\"resourceType\":\"Patient\",\"id\":\"bom\"}", "bom.json");
    CHECK(r.patient().resource_id == "bom");
  }
}
