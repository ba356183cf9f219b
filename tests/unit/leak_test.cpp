// Confidentiality, tested as an attacker would: markers planted in every item
// of the demo patients and of ../shared/data (marker_planting.h); for every
// role profile and every basis (no viewer yet, no consent, consent, override,
// no relationship) every output is collected, and no marker of an item the
// View withheld may be in any of them, while the markers of shown items are on
// screen.
//
// Outputs: the JSON View and the plain-text View (core), the whole-View mirror,
// and through the C ABI: the mirror of every tab (text and JSON), every
// callback (audit events, consent requests, errors, documents opened, copied
// text), the reader the widget opens and every error message, including those
// for refused, unauditable and damaged input.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "ilinks.h"
#include "ilinks/audit.h"
#include "ilinks/mirror.h"
#include "ilinks/policy.h"
#include "ilinks/record_builder.h"
#include "ilinks/view_export.h"
#include "marker_planting.h"
#include "test_data.h"

using namespace ilinks;
namespace fs = std::filesystem;

namespace {

// One person's record as the tests feed it: FHIR JSON and HL7 v2 messages.
struct Input {
  std::string name;
  std::string fhir;                // one FHIR Bundle (or resource); empty for HL7 v2 only
  std::vector<std::string> hl7v2;  // ADT messages about the same person
};

std::vector<std::string> files_in(const std::string& dir, const std::string& starting = "") {
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(dir))
    if (f.is_regular_file() && f.path().filename().string().rfind(starting, 0) == 0) files.push_back(f.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Whether a resource is about someone other than Patient/`person`.
bool about_someone_else(const nlohmann::json& r, const std::string& person) {
  if (r.value("resourceType", "") == "Patient") return r.value("id", "") != person;
  std::string text = r.dump();
  for (size_t at = text.find("\"Patient/"); at != std::string::npos; at = text.find("\"Patient/", at + 1))
    if (text.compare(at + 9, person.size() + 1, person + "\"") != 0) return true;
  return false;
}

// The resources of a folder's files as one collection Bundle; with `person`,
// only those about Patient/`person` and about no one (medications, organisations).
std::string as_one_bundle(const std::string& dir, const std::string& person) {
  nlohmann::json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", nlohmann::json::array()}};
  bool has_patient = false;  // the examples hold two versions of Patient/example: the first is kept
  auto add = [&](const nlohmann::json& r) {
    if (!person.empty() && about_someone_else(r, person)) return;
    if (r.value("resourceType", "") == "Patient" && std::exchange(has_patient, true)) return;
    bundle["entry"].push_back({{"resource", r}});
  };
  for (const auto& file : files_in(dir)) {
    if (fs::path(file).extension() != ".json") continue;
    auto r = nlohmann::json::parse(slurp(file));
    if (r.value("resourceType", "") != "Bundle") add(r);
    else
      for (const auto& e : r.value("entry", nlohmann::json::array()))
        if (e.contains("resource")) add(e["resource"]);
  }
  return bundle.dump();
}

// The demo patients (with their hospital's ADT), every Synthea patient, the
// HL7 and NHS England examples, and the HL7 v2 ADT messages.
std::vector<Input> all_inputs() {
  std::vector<Input> inputs;
  for (const char* person : {"joe-bradshaw", "joan-mcallister", "brenda-kelly", "david-okafor", "margaret-hughes",
                             "arthur-prescott", "susan-doyle", "harold-winstanley"}) {
    Input in{person, slurp(demo_patient(std::string(person) + ".json")), {}};
    for (const auto& f : files_in(demo_patient("adt"), person)) in.hl7v2.push_back(slurp(f));
    inputs.push_back(in);
  }
  for (const auto& f : files_in(shared_data("synthea")))
    if (fs::path(f).filename().string().rfind("0-", 0) != 0)  // not the practitioner and hospital lists
      inputs.push_back({"synthea/" + fs::path(f).filename().string(), slurp(f), {}});
  inputs.push_back({"hl7-fhir-r4-examples", as_one_bundle(shared_data("hl7-fhir-r4-examples"), "example"), {}});
  inputs.push_back({"nhs-england-examples", as_one_bundle(shared_data("nhs-england-examples"), ""), {}});
  for (const auto& f : files_in(shared_data("hl7v2-adt")))
    inputs.push_back({"hl7v2-adt/" + fs::path(f).filename().string(), "", {slurp(f)}});
  return inputs;
}

// An input with markers planted, and the records it makes: from everything
// (what core's outputs show) and from its FHIR alone (what the C ABI loads).
struct Planted {
  ::test::MarkerPlanting markers;
  std::string fhir;
  std::vector<std::string> hl7v2;
  std::optional<Record> whole, fhir_only;
};

std::unique_ptr<Planted> plant(const Input& in) {
  auto p = std::make_unique<Planted>();
  if (!in.fhir.empty()) p->fhir = p->markers.plant_fhir(in.fhir);
  for (const auto& m : in.hl7v2) p->hl7v2.push_back(p->markers.plant_hl7v2(m));
  auto build = [&](bool with_hl7v2) {
    RecordBuilder b;
    if (!p->fhir.empty()) b.add(p->fhir, {in.name + ".json", ""});
    for (size_t i = 0; with_hl7v2 && i < p->hl7v2.size(); ++i) b.add(p->hl7v2[i], {in.name + ".hl7", ""});
    return b.build();
  };
  p->whole = build(true);
  if (!p->fhir.empty()) p->fhir_only = build(false);
  return p;
}

// The markers in a text: found by one scan, so huge outputs stay cheap.
std::set<std::string> markers_in(const std::string& text) {
  std::set<std::string> found;
  for (size_t at = text.find("QZ"); at != std::string::npos; at = text.find("QZ", at + 2)) {
    size_t end = at + 2;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end > at + 2 && end < text.size() && text[end] == 'X') found.insert(text.substr(at, end + 1 - at));
  }
  return found;
}

enum class Standing { no_consent, consent, override_, no_relationship };
const Standing kStandings[] = {Standing::no_consent, Standing::consent, Standing::override_, Standing::no_relationship};
const char* standing_name(Standing b) {
  switch (b) {
    case Standing::no_consent: return "no consent";
    case Standing::consent: return "consent";
    case Standing::override_: return "override";
    default: return "no relationship";
  }
}
const char* const kViewerOds = "ZZVIEW";
const char* const kOverrideWords = "Collapsed in clinic, unable to consent";
const char* const kWiderAccessWords = "Extended team case review this week";

// With consent, a role that reaches Community tier 3 also records why it needs
// it (section 7.2), so the wider record's documents are looked at too; under an
// override it does not, so the held-back state is looked at as well.
bool reaches_wider_access(const Profile& profile) {
  return Policy::builtin().effective_tier(profile, Segment::community) >= 3;
}

// What the policy decides for `profile` on `basis`: the View, or none when refused.
std::optional<View> expected_view(const Record& r, const Profile& profile, Standing basis) {
  const Policy& policy = Policy::builtin();
  AuditTrail audit(policy.alerts());
  Request req;
  req.viewer.user_id = "attacker";
  req.viewer.user_name = "A Tester";
  req.viewer.profile = profile.id;
  req.viewer.organisation_ods = kViewerOds;
  req.host_patient = r.patient();
  req.legitimate_relationship = basis != Standing::no_relationship;
  if (basis == Standing::consent) req.consent = Consent{"attacker", req.now, "verbal", "patient", std::nullopt, Consent::Scope::user, ""};
  if (basis == Standing::consent && reaches_wider_access(profile))
    req.case_access = policy.record_case_access(req.viewer, r.patient(), "extended-team", kWiderAccessWords, req.now, audit);
  if (basis == Standing::override_ && profile.may_override)
    req.override_ = policy.start_override(req.viewer, r.patient(), "emergency", kOverrideWords, req.now, audit);
  return policy.view_for(r, req, audit).view;
}

// Which markers must stay hidden, and which must show, for a View.
struct Expectation {
  std::map<std::string, std::string> withheld;  // marker -> the item it was planted in, which the View does not hold
  std::set<std::string> on_screen;  // in the display of an item the View holds
  size_t shown_items = 0;
};

// The resource an item came from: its own, or the one it is contained in
// ("CarePlan/example#p1").
std::string owner_of(const Item& i) {
  size_t hash = i.key.find('#');
  return hash == std::string::npos ? i.kind + "/" + i.source_id : i.key.substr(0, hash);
}

Expectation expect(const Planted& p, const Record& r, const std::optional<View>& view) {
  Expectation e;
  std::set<std::string> shown_owners;
  if (view)
    for (const auto& i : view->items()) shown_owners.insert(owner_of(i));
  for (const auto& i : r.items()) {
    // Reference data (practitioners, their roles, organisations) is never an
    // item of a View; it names who is involved and where things came from.
    if (i.segment == Segment::none) continue;
    bool shown = view && view->find(i.key) != nullptr;
    // Two items from one resource id (the same id in two sources): only when
    // neither is shown are its markers surely withheld.
    if (!shown && !shown_owners.count(owner_of(i)))
      for (const auto& m : p.markers.markers_of(owner_of(i))) e.withheld[m] = i.key;
    if (shown) {
      ++e.shown_items;
      for (const auto& m : p.markers.markers_of(owner_of(i)))
        if (i.display.find(m) != std::string::npos) e.on_screen.insert(m);
    }
  }
  return e;
}

// Fails for each withheld marker found in `output`; returns how many there were.
void check_nothing_withheld_in(const std::string& output, const Expectation& e, const std::string& what) {
  for (const auto& m : markers_in(output))
    if (auto it = e.withheld.find(m); it != e.withheld.end())
      FAIL_CHECK(what << " holds " << m << ", planted in " << it->second << ", which the View withheld");
}

void check_everything_shown_in(const std::string& output, const Expectation& e, const std::string& what) {
  std::set<std::string> found = markers_in(output);
  for (const auto& m : e.on_screen)
    if (!found.count(m)) FAIL_CHECK(what << " lacks " << m << ", from the display of an item the View shows");
}

// ---- Through the C ABI, as a host vendor (or an attacker with one) sees it ----

// Everything the host's callbacks are given, as one text.
struct Host {
  std::string received;
  int keep_audit = 1;
  int show_documents_myself = 1;
  int documents = 0, copies = 0;
  void attach(ilinks_viewer* v) {
    ilinks_viewer_set_audit_callback(v, &Host::audit, this);
    ilinks_viewer_on_consent_request(v, &Host::consent_request, this);
    ilinks_viewer_on_error(v, &Host::error, this);
    ilinks_viewer_on_open_document(v, &Host::open_document, this);
    ilinks_viewer_on_copy(v, &Host::copy, this);
  }
  static Host& of(void* self) { return *static_cast<Host*>(self); }
  static int audit(void* self, const char* event) { return of(self).received += event, of(self).keep_audit; }
  static void consent_request(void* self) { of(self).received += "\n[consent request]\n"; }
  static void error(void* self, int, const char* message) { of(self).received += message; }
  static int open_document(void* self, const char* document) {
    of(self).received += document;
    ++of(self).documents;
    return of(self).show_documents_myself;
  }
  static void copy(void* self, const char* text) { of(self).received += text, ++of(self).copies; }
};

class Session {
 public:
  explicit Session(Host& host) : host_(host) {
    REQUIRE(ilinks_viewer_create(&v_) == ILINKS_OK);
    host_.attach(v_);
    ilinks_viewer_set_size(v_, kWidth, kHeight, 1.0f);
  }
  ~Session() { ilinks_viewer_destroy(v_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Every call's result words go into what was seen.
  int call(int result) {
    errors_ += ilinks_viewer_last_error(v_);
    errors_ += "\n";
    return result;
  }
  ilinks_viewer* v() { return v_; }

  // Opens every tab; reads the mirror as text and as JSON; opens up to three
  // documents a tab (the first in the widget's own reader, copied from there).
  void look_everywhere(bool open_documents) {
    for (const char* tab : {"summary", "community", "diagnostics", "hospital", "timeline"}) {
      call(ilinks_viewer_set_tab(v_, tab));
      frame();
      screen_ += mirror(0);
      std::string json = mirror(1);
      screen_ += json;
      walk_the_windows();
      if (!open_documents) continue;
      auto buttons = reader_buttons(json);
      for (size_t n = 0; n < buttons.size() && n < 3; ++n) {
        host_.show_documents_myself = n == 0 ? 0 : 1;
        press(buttons[n]);
        if (n == 0) {
          screen_ += mirror(0);  // the reader
          if (auto copy = find(mirror(1), "button", "Copy text")) press(*copy);
          call(ilinks_viewer_key(v_, ILINKS_KEY_ESCAPE, 1, 0));
          call(ilinks_viewer_key(v_, ILINKS_KEY_ESCAPE, 0, 0));
          frame();
        }
      }
    }
  }

  // Everything any output gave since the last call, and the screens alone.
  std::string take_all() {
    std::string all = screen_ + errors_ + host_.received;
    screen_.clear(), errors_.clear(), host_.received.clear();
    return all;
  }
  const std::string& screen() const { return screen_; }

 private:
  static constexpr int kWidth = 1000, kHeight = 700;
  struct Control {
    float x, y;
  };

  void frame() {
    std::vector<unsigned char> px(size_t(kWidth) * kHeight * 4);
    int frames = 0;
    do call(ilinks_viewer_render_rgba(v_, px.data(), kWidth * 4, px.size()));
    while (ilinks_viewer_needs_redraw(v_) && ++frames < 6);
  }

  // A long table's mirror is a window of rows around the screen
  // (ilinks/mirror_window.h): scrolled through a screenful at a time to its
  // end, every row is read, as a screen reader user scrolling would; then back
  // to the top.
  void walk_the_windows() {
    std::string text = mirror(0);
    if (mirror(1).find("\"rowcount\"") == std::string::npos) return;  // nothing windowed
    call(ilinks_viewer_mouse_move(v_, kWidth / 2.0f, kHeight - 100.0f));
    for (int step = 0; step < 5000; ++step) {
      call(ilinks_viewer_mouse_wheel(v_, 0, -12));  // about a screenful
      frame();
      std::string next = mirror(0);
      if (next == text) break;  // the end
      screen_ += next;
      screen_ += mirror(1);
      text = std::move(next);
    }
    call(ilinks_viewer_mouse_wheel(v_, 0, 1e6f));
    frame();
  }

  std::string mirror(int format) {
    size_t needed = 0;
    ilinks_viewer_mirror(v_, format, nullptr, 0, &needed);
    std::string text(needed, '\0');
    if (call(ilinks_viewer_mirror(v_, format, text.data(), text.size(), &needed)) != ILINKS_OK) return "";
    text.resize(needed ? needed - 1 : 0);
    return text;
  }

  static void walk(const nlohmann::json& n, const std::function<void(const nlohmann::json&)>& visit) {
    visit(n);
    if (n.contains("children"))
      for (const auto& c : n["children"]) walk(c, visit);
  }
  static std::optional<Control> control_of(const nlohmann::json& n) {
    if (!n.contains("bounds")) return std::nullopt;
    const auto& b = n["bounds"];
    return Control{b[0].get<float>() + b[2].get<float>() / 2, b[1].get<float>() + b[3].get<float>() / 2};
  }
  static std::optional<Control> find(const std::string& json, const std::string& role, const std::string& text) {
    std::optional<Control> hit;
    if (json.empty()) return hit;
    walk(nlohmann::json::parse(json), [&](const nlohmann::json& n) {
      if (!hit && n.value("role", "") == role && n.value("text", "") == text) hit = control_of(n);
    });
    return hit;
  }
  static std::vector<Control> reader_buttons(const std::string& json) {
    std::vector<Control> found;
    if (json.empty()) return found;
    walk(nlohmann::json::parse(json), [&](const nlohmann::json& n) {
      if (n.value("role", "") == "button" && n.value("text", "").rfind("Read", 0) == 0)
        if (auto c = control_of(n)) found.push_back(*c);
    });
    return found;
  }
  void press(const Control& c) {
    call(ilinks_viewer_mouse_move(v_, c.x, c.y));
    call(ilinks_viewer_mouse_button(v_, 0, 1));
    call(ilinks_viewer_mouse_button(v_, 0, 0));
    frame();
  }

  Host& host_;
  ilinks_viewer* v_ = nullptr;
  std::string screen_, errors_;
};

}  // namespace

TEST_SUITE("confidentiality: planted markers in every output") {
  TEST_CASE("markers are planted in every item of the demo patients and the shared data, and reach the record") {
    size_t items = 0, marked = 0;
    for (const auto& in : all_inputs()) {
      CAPTURE(in.name);
      auto p = plant(in);
      CHECK_MESSAGE(p->whole->identity_known(), in.name << " does not say whose record it is");
      for (const auto& i : p->whole->items()) {
        if (i.segment == Segment::none) continue;  // reference data, never shown as an item
        ++items;
        if (!p->markers.markers_of(owner_of(i)).empty()) ++marked;
      }
    }
    CHECK(items > 2000);
    CHECK(marked * 100 >= items * 95);  // nearly every item carries markers: the tests below are not vacuous
  }

  TEST_CASE("core's outputs (JSON View, text View, whole mirror) hold no withheld marker, for every profile and basis") {
    const Policy& policy = Policy::builtin();
    size_t withheld_checked = 0, shown_checked = 0;
    for (const auto& in : all_inputs()) {
      auto p = plant(in);
      const Record& r = *p->whole;
      for (const auto& profile : policy.profiles()) {
        for (Standing basis : kStandings) {
          CAPTURE(in.name);
          CAPTURE(profile.id);
          std::string standing = standing_name(basis);
          CAPTURE(standing);
          auto view = expected_view(r, profile, basis);
          Expectation e = expect(*p, r, view);
          if (!view) continue;  // refused: there is no output to look at
          Date today = Timestamp::now().local_date();
          std::string screen = mirror_as_text(mirror_of_view(*view, today, Timestamp::now()));
          std::string exports = view_as_json(*view, today) + mirror_as_text(mirror_of_view(*view, Tab::timeline, today));
          check_nothing_withheld_in(screen, e, "the whole mirror");
          check_nothing_withheld_in(exports, e, "the exported View");
          check_everything_shown_in(screen, e, "the whole mirror");
          check_everything_shown_in(exports, e, "the exported View");
          withheld_checked += e.withheld.size();
          shown_checked += e.on_screen.size();
        }
      }
    }
    CHECK(withheld_checked > 10000);
    CHECK(shown_checked > 1000);
  }

  TEST_CASE("the C ABI's mirrors, callbacks, documents, clipboard and errors hold no withheld marker") {
    const Policy& policy = Policy::builtin();
    size_t withheld_checked = 0, shown_checked = 0, documents = 0, copies = 0;
    for (const auto& in : all_inputs()) {
      if (in.fhir.empty()) continue;  // the ABI loads FHIR
      auto p = plant(in);
      const Record& r = *p->fhir_only;
      CAPTURE(in.name);
      Host host;
      Session s(host);
      std::string nhs = r.patient().nhs_number;
      s.call(ilinks_viewer_set_patient(s.v(), nhs.c_str()));
      REQUIRE_MESSAGE(s.call(ilinks_viewer_load_fhir(s.v(), p->fhir.data(), p->fhir.size(), in.name.c_str())) == ILINKS_OK,
                      std::string(ilinks_viewer_last_error(s.v())));
      s.look_everywhere(false);
      CHECK_MESSAGE(markers_in(s.take_all()).empty(), "before anyone signs in, only the person's identity shows");
      for (const auto& profile : policy.profiles()) {
        CAPTURE(profile.id);
        for (Standing basis : kStandings) {
          std::string standing = standing_name(basis);
          CAPTURE(standing);
          std::string user = "attacker-" + profile.id + "-" + standing_name(basis);
          int related = basis != Standing::no_relationship;
          s.call(ilinks_viewer_set_context(s.v(), user.c_str(), "A Tester", profile.id.c_str(), kViewerOds, "Test", related));
          if (basis == Standing::consent) s.call(ilinks_viewer_record_consent(s.v(), "verbal", "patient"));
          if (basis == Standing::consent && reaches_wider_access(profile))
            s.call(ilinks_viewer_record_case_access(s.v(), "extended-team", kWiderAccessWords));
          if (basis == Standing::override_) s.call(ilinks_viewer_start_override(s.v(), "emergency", kOverrideWords));
          s.look_everywhere(basis == Standing::consent || basis == Standing::override_);
          std::string screen = s.screen();
          std::string all = s.take_all();
          auto view = expected_view(r, profile, basis);
          Expectation e = expect(*p, r, view);
          check_nothing_withheld_in(all, e, "the C ABI's outputs");
          if (!view || !view->shows_record()) CHECK_MESSAGE(markers_in(all).empty(), "nothing of the record shows without a basis");
          check_everything_shown_in(screen, e, "the C ABI's mirror of every tab");
          withheld_checked += e.withheld.size();
          shown_checked += e.on_screen.size();
        }
      }
      documents += size_t(host.documents), copies += size_t(host.copies);

      // Attacks on the edges: an audit store that fails, another person open
      // in the host, damaged bytes. Nothing of the record may come out.
      s.call(ilinks_viewer_set_context(s.v(), "clinician", "Dr Test", "1a", kViewerOds, "Test", 1));
      s.call(ilinks_viewer_record_consent(s.v(), "verbal", "patient"));
      s.take_all();
      host.keep_audit = 0;
      CHECK(s.call(ilinks_viewer_set_context(s.v(), "next-user", "Dr Next", "1a", kViewerOds, "Test", 1)) == ILINKS_ERROR_AUDIT);
      s.look_everywhere(false);
      CHECK_MESSAGE(markers_in(s.take_all()).empty(), "the audit failed: nothing of the record shows");
      host.keep_audit = 1;
      s.call(ilinks_viewer_set_patient(s.v(), nhs == "9434765919" ? "9990000115" : "9434765919"));
      CHECK(s.call(ilinks_viewer_load_fhir(s.v(), p->fhir.data(), p->fhir.size(), in.name.c_str())) == ILINKS_ERROR_REFUSED);
      s.look_everywhere(false);
      CHECK_MESSAGE(markers_in(s.take_all()).empty(), "a record about someone else: nothing of it shows");
      s.call(ilinks_viewer_set_patient(s.v(), nhs.c_str()));
      // Damaged bytes: cut short, or broken inside a marked text. What can be
      // read may show (with a notice); the words about the damage name the
      // place, never the content.
      std::string damaged = p->fhir.substr(0, p->fhir.size() / 2);
      size_t marker = p->fhir.find("QZ", p->fhir.size() / 3);
      std::string broken = p->fhir;
      if (marker != std::string::npos) broken.insert(marker + 2, "\"}");
      for (const std::string* bytes : {&damaged, &broken}) {
        RecordBuilder b;
        b.add(*bytes, {in.name, ""});
        Record partial = b.build();
        for (const auto& issue : partial.load_issues())
          CHECK_MESSAGE(markers_in(issue.where + issue.what).empty(), "a load issue quotes the record: " << issue.what);
        int loaded = s.call(ilinks_viewer_load_fhir(s.v(), bytes->data(), bytes->size(), in.name.c_str()));
        CHECK((loaded == ILINKS_OK || loaded == ILINKS_ERROR_INPUT || loaded == ILINKS_ERROR_REFUSED));
        s.call(ilinks_viewer_record_consent(s.v(), "verbal", "patient"));
        s.look_everywhere(true);
        std::string all = s.take_all();
        const Profile& doctor = *policy.profile("1a");
        auto view = loaded == ILINKS_OK ? expected_view(partial, doctor, Standing::consent) : std::nullopt;
        if (view) check_nothing_withheld_in(all, expect(*p, partial, view), "the outputs for a damaged record");
        else CHECK_MESSAGE(markers_in(all).empty(), "nothing of a record that was not loaded shows");
      }
    }
    CHECK(withheld_checked > 10000);
    CHECK(shown_checked > 1000);
    CHECK(documents > 20);
    CHECK(copies > 5);
  }

  // The browser's half of this test (tests/browser/leak.test.mjs) cannot plant
  // markers or ask the policy itself: it reads what this case writes.
  TEST_CASE("the planted records, and what each viewer may and may not see, are written for the browser's leak test") {
    const Policy& policy = Policy::builtin();
    std::string dir = std::string(ILINKS_TEST_OUTPUT) + "/leaks";
    fs::create_directories(dir);
    nlohmann::json index = nlohmann::json::array();
    for (const auto& in : all_inputs()) {
      bool small_synthea = in.name == "synthea/8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json";
      if (in.fhir.empty() || (in.name.rfind("synthea/", 0) == 0 && !small_synthea)) continue;  // the browser takes long
      auto p = plant(in);
      const Record& r = *p->fhir_only;
      std::string file = fs::path(in.name).stem().string() + ".json";
      std::ofstream(dir + "/" + file, std::ios::binary) << p->fhir;
      nlohmann::json cases = nlohmann::json::array();
      for (const auto& profile : policy.profiles())
        for (Standing standing : kStandings) {
          auto view = expected_view(r, profile, standing);
          Expectation e = expect(*p, r, view);
          nlohmann::json withheld = nlohmann::json::array();
          for (const auto& [marker, item] : e.withheld) withheld.push_back(marker);
          cases.push_back({{"profile", profile.id}, {"standing", standing_name(standing)},
                           {"wider_access", standing == Standing::consent && reaches_wider_access(profile)},
                           {"shows_record", view && view->shows_record()}, {"withheld", withheld}, {"on_screen", e.on_screen}});
        }
      index.push_back({{"name", in.name}, {"file", file}, {"nhs_number", r.patient().nhs_number}, {"cases", cases}});
    }
    std::ofstream(dir + "/index.json") << index.dump();
    CHECK(index.size() == 11);
    CHECK(fs::file_size(dir + "/index.json") > 10000);
  }
}
