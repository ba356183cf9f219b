// The widget as a clinician uses it: pointer and keyboard, the consent and
// override dialogs (whose outcome goes to the policy and the audit), the text
// mirror a screen reader reads, and an idle widget costing no frames.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "../tools/image_compare.h"
#include "../tools/twenty_year_record.h"
#include "ilinks/record_builder.h"
#include "ilinks/backends.h"
#include <imgui.h>
#include "ilinks/mirror.h"
#include "ilinks/record_widget.h"
#include "policy_helpers.h"
#include "record_helpers.h"
#include "record_maker.h"

using namespace ilinks;

namespace {

const Date kToday{2026, 11, 22};

// Draws frames until the widget is idle, as a host's loop would.
void settle(RecordWidget& w) {
  int guard = 0;
  while (w.needs_redraw() && ++guard < 50) w.draw_frame();
  REQUIRE(guard < 50);
}

RecordWidget& prepared(RecordWidget& w, View view) {
  w.set_size(1100, 800, 1.0f);
  w.set_today(kToday);
  w.set_now(::test::kNow);
  w.show(std::move(view));
  settle(w);
  return w;
}

// Saves what the widget shows now, for a person to look at (build/test-output/).
void snapshot(RecordWidget& w, const std::string& name) {
  ilinks::test::Image img{w.width(), w.height(), std::vector<unsigned char>(static_cast<size_t>(w.width() * w.height() * 4))};
  rasterize(w.draw_frame(), w.font_texture(), {img.rgba.data(), img.width, img.height, img.width * 4});
  CHECK(ilinks::test::save_png(std::string(ILINKS_TEST_OUTPUT) + "/" + name + ".png", img));
}

// The first node for which `pred` holds, depth first.
const MirrorNode* find(const MirrorNode& n, const std::function<bool(const MirrorNode&)>& pred) {
  if (pred(n)) return &n;
  for (const auto& c : n.children)
    if (const MirrorNode* hit = find(c, pred)) return hit;
  return nullptr;
}
const MirrorNode* find(const MirrorNode& n, const std::string& role, const std::string& text_starts) {
  return find(n, [&](const MirrorNode& m) { return m.role == role && m.text.rfind(text_starts, 0) == 0; });
}

// Presses a control the mirror names (exactly; text boxes by the start of
// their words, which go on with their value), where it says it is.
void press(RecordWidget& w, const std::string& role, const std::string& text) {
  MirrorNode m = w.mirror();
  bool box = role == "textbox" || role == "searchbox";
  const MirrorNode* n = box ? find(m, role, text) : find(m, [&](const MirrorNode& x) { return x.role == role && x.text == text; });
  REQUIRE_MESSAGE(n, role << " '" << text << "' is not on screen:\n" << mirror_as_text(m));
  REQUIRE_MESSAGE(n->width > 0, role << " '" << text << "' has no place on screen");
  float x = n->x + n->width / 2, y = n->y + n->height / 2;
  w.mouse_move(x, y);
  w.mouse_button(0, true);
  w.mouse_button(0, false);
  settle(w);
}

View without_consent(const Record& r, const std::string& profile) {
  Request req = ::test::request(r, profile, "ZZVIEW");
  req.consent.reset();
  return ::test::view_of(r, req);
}

}  // namespace

TEST_SUITE("widget: consent and override dialogs") {
  TEST_CASE("without consent the widget asks for it; the viewer's answer goes to the policy, is audited, and the record shows") {
    const Policy& policy = Policy::builtin();
    Record r = ::test::demo_record("joe-bradshaw");
    Request req = ::test::request(r, "1a", "ZZVIEW");
    req.consent.reset();
    AuditTrail audit(policy.alerts());
    RecordWidget w;
    std::optional<ConsentOutcome> chosen;
    w.on_consent_outcome([&](const ConsentOutcome& o) { chosen = o; });
    prepared(w, *policy.view_for(r, req, audit).view);
    CHECK(find(w.mirror(), "status", "Consent required"));
    CHECK_FALSE(find(w.mirror(), "tablist", ""));

    press(w, "button", "Record consent...");
    REQUIRE(find(w.mirror(), "dialog", "Record consent"));
    snapshot(w, "widget-consent-dialog");
    press(w, "radio", "Written");
    press(w, "button", "Record consent");
    REQUIRE(chosen);
    CHECK(chosen->kind == ConsentOutcome::Kind::consent);
    CHECK(chosen->method == "written");
    CHECK(chosen->given_by == "patient");
    CHECK_FALSE(find(w.mirror(), "dialog", ""));

    // The host records it through the policy, which audits it, and shows the new View.
    Consent consent{req.viewer.user_id, ::test::kNow, chosen->method, chosen->given_by, std::nullopt, Consent::Scope::user, ""};
    policy.record_consent(req.viewer, r.patient(), consent, audit);
    req.consent = consent;
    Decision d = policy.view_for(r, req, audit);
    REQUIRE(d.view);
    w.show(*d.view);
    settle(w);
    CHECK(audit.last_sequence() == 3);  // the refused-until-consent view, the consent, the view
    CHECK(find(w.mirror(), "tab", "Summary"));
    CHECK(find(w.mirror(), "cell", "Metformin 500mg tablets"));
  }

  TEST_CASE("an emergency override needs a reason and the viewer's own words before it can start") {
    const Policy& policy = Policy::builtin();
    Record r = ::test::demo_record("joe-bradshaw");
    RecordWidget w;
    std::optional<ConsentOutcome> chosen;
    w.on_consent_outcome([&](const ConsentOutcome& o) { chosen = o; });
    prepared(w, without_consent(r, "1a"));
    press(w, "button", "Emergency override...");
    REQUIRE(find(w.mirror(), "dialog", "Emergency override"));
    press(w, "button", "Start override");  // too few words: nothing happens
    CHECK_FALSE(chosen);
    press(w, "textbox", "Why is the override needed?");
    w.text_input("Collapsed in clinic, cannot consent");
    settle(w);
    CHECK(find(w.mirror(), "textbox", "Why is the override needed? 35 of at least 10 characters"));
    snapshot(w, "widget-override-dialog");
    press(w, "button", "Start override");
    REQUIRE(chosen);
    CHECK(chosen->kind == ConsentOutcome::Kind::override_);
    CHECK(chosen->reason_code == policy.override_reasons().front().code);
    CHECK(chosen->text == "Collapsed in clinic, cannot consent");
  }

  TEST_CASE("a role that may not override is not offered the override") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, without_consent(r, "5"));
    CHECK(find(w.mirror(), "button", "Record consent..."));
    CHECK_FALSE(find(w.mirror(), "button", "Emergency override..."));
  }

  TEST_CASE("under an override the banner strip says so, with the reason and the time left") {
    const Policy& policy = Policy::builtin();
    Record r = ::test::demo_record("joe-bradshaw");
    Request req = ::test::request(r, "1a", "ZZVIEW");
    req.consent.reset();
    AuditTrail audit(policy.alerts());
    req.override_ = policy.start_override(req.viewer, r.patient(), "unconscious", "Found unconscious at home", ::test::kNow, audit);
    RecordWidget w;
    prepared(w, *policy.view_for(r, req, audit).view);
    MirrorNode screen = w.mirror();
    const MirrorNode* strip = find(screen, "alert", "EMERGENCY OVERRIDE");
    REQUIRE(strip);
    CHECK(strip->text.find("(4 h 00 min left)") != std::string::npos);
    w.set_now(::test::kNow.plus_minutes(75));
    settle(w);
    CHECK(find(w.mirror(), "alert", "EMERGENCY OVERRIDE")->text.find("(2 h 45 min left)") != std::string::npos);
    snapshot(w, "widget-override-running");
  }
}

namespace {

// Joe's record with one Community tier 3 item: district nursing notes (a
// text/plain document) from Liverpool Community Health.
Record with_community_notes() {
  return ::test::record_of({::test::organisation("o1", "RY1", "Liverpool Community Health NHS Trust"),
                            R"({"resourceType":"DocumentReference","id":"dn","status":"current","subject":{"reference":"Patient/joe"},
                                "custodian":{"reference":"Organization/o1"},"date":"2026-11-02T09:00:00Z",
                                "type":{"text":"District nursing notes"},
                                "content":[{"attachment":{"contentType":"text/plain","data":"TGVnIHVsY2VyIGRyZXNzZWQsIGhlYWxpbmcgd2VsbC4="}}]})"});
}

}  // namespace

TEST_SUITE("widget: wider community record, case by case (Community tier 3)") {
  TEST_CASE("a GP with consent is told on the Community tab that the wider community record is shared case by case, with a button to ask") {
    Record r = with_community_notes();
    RecordWidget w;
    prepared(w, ::test::view_of(r, ::test::request(r, "1b")));
    CHECK_FALSE(find(w.mirror(), "note", "Any free text and documents from community services"));  // Summary: not its tab
    w.set_tab(Tab::community);
    settle(w);
    MirrorNode screen = w.mirror();
    const MirrorNode* panel = find(screen, "tabpanel", "Community");
    REQUIRE(panel);
    CHECK(find(*panel, "note", "Any free text and documents from community services"));
    const MirrorNode* button = find(*panel, [](const MirrorNode& n) { return n.role == "button" && n.text == "Record why you need it..."; });
    REQUIRE(button);
    CHECK(button->width > 0);  // drawn where the mirror says
    CHECK_FALSE(find(screen, "cell", "District nursing notes"));
    snapshot(w, "widget-case-access-offered");
  }

  TEST_CASE("the wider-access dialog, used with the pointer, records the need through the policy (audited) and the C3 document then shows") {
    const Policy& policy = Policy::builtin();
    Record r = with_community_notes();
    Request req = ::test::request(r, "1b");
    std::vector<AuditEvent> events;
    AuditTrail audit(policy.alerts(), "", [&](const AuditEvent& e) { events.push_back(e); return true; });
    RecordWidget w;
    std::optional<ConsentOutcome> chosen;
    w.on_consent_outcome([&](const ConsentOutcome& o) { chosen = o; });
    prepared(w, *policy.view_for(r, req, audit).view);
    w.set_tab(Tab::community);
    settle(w);

    press(w, "button", "Record why you need it...");
    REQUIRE(find(w.mirror(), "dialog", "Wider community record"));
    CHECK(find(w.mirror(), "combobox", "Reason: " + policy.case_access_reasons().front().display));
    press(w, "button", "Record");  // no words yet: nothing happens
    CHECK_FALSE(chosen);
    press(w, "textbox", "Why do you need it?");
    w.text_input("Virtual ward MDT review");
    settle(w);
    CHECK(find(w.mirror(), "textbox", "Why do you need it? 23 of at least 10 characters"));
    snapshot(w, "widget-case-access-dialog");
    press(w, "button", "Record");
    REQUIRE(chosen);
    CHECK(chosen->kind == ConsentOutcome::Kind::case_access);
    CHECK(chosen->reason_code == policy.case_access_reasons().front().code);
    CHECK(chosen->text == "Virtual ward MDT review");
    CHECK_FALSE(find(w.mirror(), "dialog", ""));

    // The host records it through the policy, which audits it, and shows the new View.
    req.case_access = policy.record_case_access(req.viewer, r.patient(), chosen->reason_code, chosen->text, ::test::kNow, audit);
    REQUIRE(events.size() == 2);  // the view, the wider access
    CHECK(events.back().action == "case-access");
    CHECK(events.back().alerts.empty());  // audited like an override, without its alert
    w.show(*policy.view_for(r, req, audit).view);
    settle(w);
    MirrorNode screen = w.mirror();
    CHECK(find(screen, "cell", "District nursing notes"));
    CHECK(find(screen, "note", "Wider community record for this person: " + policy.case_access_reasons().front().display +
                                   " (Virtual ward MDT review), recorded by u1."));
    CHECK_FALSE(find(screen, "button", "Record why you need it..."));
    snapshot(w, "widget-case-access-granted");
  }

  TEST_CASE("a role whose level does not reach Community tier 3 (2a) is not offered wider access") {
    Record r = with_community_notes();
    RecordWidget w;
    prepared(w, ::test::view_of(r, ::test::request(r, "2a")));
    w.set_tab(Tab::community);
    settle(w);
    MirrorNode screen = w.mirror();
    REQUIRE(find(screen, "tabpanel", "Community"));
    CHECK_FALSE(find(screen, "note", "Any free text and documents from community services"));
    CHECK_FALSE(find(screen, "button", "Record why you need it..."));
    CHECK_FALSE(find(screen, "cell", "District nursing notes"));
  }

  TEST_CASE("the text mirror says what the screen says: the notice and button, and the grant in force, in the same words") {
    const Policy& policy = Policy::builtin();
    Record r = with_community_notes();
    Request req = ::test::request(r, "7");  // the extended primary care team
    View offered = ::test::view_of(r, req);
    REQUIRE(offered.case_access_available());
    // Every tab in turn (ilinks-render --out x.txt) says what the open tab does.
    std::string whole = mirror_as_text(mirror_of_view(offered, kToday, ::test::kNow));
    RecordWidget w;
    prepared(w, offered);
    w.set_tab(Tab::community);
    settle(w);
    std::string screen = mirror_as_text(w.mirror());
    for (const std::string& line : {std::string("note: Any free text and documents from community services"),
                                    std::string("button: Record why you need it...")}) {
      CHECK(screen.find(line) != std::string::npos);
      CHECK(whole.find(line) != std::string::npos);
    }
    AuditTrail audit(policy.alerts());
    req.case_access = policy.record_case_access(req.viewer, r.patient(), "case-review", "Weekly complex case review", ::test::kNow, audit);
    View granted = ::test::view_of(r, req);
    REQUIRE_FALSE(granted.case_access_text().empty());
    w.show(granted);
    settle(w);
    screen = mirror_as_text(w.mirror());
    whole = mirror_as_text(mirror_of_view(granted, kToday, ::test::kNow));
    CHECK(screen.find("note: " + granted.case_access_text()) != std::string::npos);
    CHECK(whole.find("note: " + granted.case_access_text()) != std::string::npos);
    CHECK(screen.find("Record why you need it...") == std::string::npos);
    CHECK(screen.find("District nursing notes") != std::string::npos);
  }
}

TEST_SUITE("widget: pointer and keyboard") {
  TEST_CASE("clicking a tab opens it; Ctrl+PageDown moves to the next") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    press(w, "tab", "Diagnostics");
    CHECK(w.tab() == Tab::diagnostics);
    CHECK(find(w.mirror(), [](const MirrorNode& n) { return n.role == "tab" && n.selected; })->text == "Diagnostics");
    CHECK(find(w.mirror(), "tabpanel", "Diagnostics"));
    w.key(Key::page_down, true, modifier_ctrl);
    w.key(Key::page_down, false, modifier_ctrl);
    settle(w);
    CHECK(w.tab() == Tab::hospital);
  }

  TEST_CASE("after Ctrl+PageDown between tabs, the mouse wheel still scrolls the list (hosts do not report Ctrl's release)") {
    RecordBuilder b;
    b.add(ilinks::test::twenty_year_record(), {"generated.json", {}});
    Record r = b.build();
    RecordWidget w;
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    for (int i = 0; i < 2; ++i) {  // Summary -> Community -> Diagnostics
      w.key(Key::page_down, true, modifier_ctrl);
      w.key(Key::page_down, false, modifier_ctrl);
      settle(w);
    }
    REQUIRE(w.tab() == Tab::diagnostics);
    // The last row in the mirror's window: it moves on as the list scrolls.
    auto last_row = [&] {
      int last = 0;
      std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        if (n.role == "row") last = std::max(last, n.rowindex);
        for (const auto& c : n.children) walk(c);
      };
      walk(w.mirror());
      return last;
    };
    int before = last_row();
    REQUIRE(before > 0);
    w.mouse_move(600, 600);
    settle(w);
    for (int i = 0; i < 10; ++i) {
      w.mouse_wheel(0, -12);
      settle(w);
    }
    CHECK(last_row() > before);
  }

  TEST_CASE("Ctrl+F goes to the search box, so the keyboard alone can search") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    w.key(Key::f, true, modifier_ctrl);
    w.key(Key::f, false, modifier_ctrl);
    settle(w);
    w.text_input("ramipril");
    settle(w);
    CHECK(w.filter().search == "ramipril");
    CHECK(find(w.mirror(), "cell", "Ramipril 5mg capsules"));
    CHECK_FALSE(find(w.mirror(), "cell", "Metformin 500mg tablets"));
  }

  TEST_CASE("typing in the search box narrows the open tab, and says how many are shown") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    press(w, "searchbox", "Search this tab");
    w.text_input("metformin");
    settle(w);
    CHECK(w.filter().search == "metformin");
    MirrorNode m = w.mirror();
    CHECK(find(m, "status", "Showing 1 of "));
    CHECK(find(m, "cell", "Metformin 500mg tablets"));
    CHECK_FALSE(find(m, "cell", "Ramipril 5mg capsules"));
  }

  TEST_CASE("a date the viewer types that cannot be read is pointed out, not silently ignored") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    press(w, "textbox", "From date");
    w.text_input("31-Feb-2016");
    settle(w);
    CHECK(find(w.mirror(), "textbox", "From date: 31-Feb-2016 (not understood: use dd-Mmm-yyyy)"));
  }

  TEST_CASE("a letter opens in the reader, and Escape closes it") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    press(w, "tab", "Hospital");
    press(w, "button", "Read: Discharge summary");
    MirrorNode m = w.mirror();
    const MirrorNode* dialog = find(m, "dialog", "Discharge summary");
    REQUIRE(dialog);
    CHECK(find(*dialog, "document", "")->text.size() > 50);
    snapshot(w, "widget-reader");
    w.key(Key::escape, true);
    w.key(Key::escape, false);
    settle(w);
    CHECK_FALSE(find(w.mirror(), "dialog", ""));
  }
}

TEST_SUITE("widget: trend plots") {
  TEST_CASE("hovering a trend plot shows the value and date of the nearest result") {
    RecordWidget w;
    Record r = ::test::demo_record("brenda-kelly");
    w.set_tab(Tab::diagnostics);
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    auto pixels = [&] {
      std::vector<unsigned char> px(static_cast<size_t>(w.width() * w.height() * 4));
      rasterize(w.draw_frame(), w.font_texture(), {px.data(), w.width(), w.height(), w.width() * 4});
      return px;
    };
    std::vector<unsigned char> before = pixels();
    const MirrorNode* plot = nullptr;
    MirrorNode m = w.mirror();
    plot = find(m, "img", "Trend of 2 results");
    REQUIRE(plot);
    w.mouse_move(1000, 390);  // over the ALT plot, near its latest point
    settle(w);
    std::vector<unsigned char> after = pixels();
    snapshot(w, "widget-trend-hover");
    size_t changed = 0;
    for (size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
    CHECK(changed > 500);  // a tooltip and a ring around the point
  }
}

TEST_SUITE("widget: idle costs nothing") {
  TEST_CASE("no frame is drawn while nothing changes; input draws, then it settles again") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    unsigned long before = w.frames_drawn();
    for (int poll = 0; poll < 600; ++poll)  // ten seconds of a 60 Hz host loop
      if (w.needs_redraw()) w.draw_frame();
    CHECK(w.frames_drawn() == before);
    w.mouse_move(300, 400);
    CHECK(w.needs_redraw());
    settle(w);
    unsigned long after_input = w.frames_drawn();
    CHECK(after_input > before);
    CHECK(after_input - before <= 4);
    for (int poll = 0; poll < 600; ++poll)
      if (w.needs_redraw()) w.draw_frame();
    CHECK(w.frames_drawn() == after_input);
  }
}

TEST_SUITE("text mirror: versions") {
  TEST_CASE("the mirror's version changes with what a screen reader reads, not with hovering") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    unsigned long mirror = w.mirror_version();
    w.mouse_move(300, 400);
    settle(w);
    CHECK(w.mirror_version() == mirror);
    w.set_tab(Tab::community);
    settle(w);
    CHECK(w.mirror_version() != mirror);
    mirror = w.mirror_version();
    w.open_consent_dialog();
    settle(w);
    CHECK(w.mirror_version() != mirror);
  }
}

TEST_SUITE("widget: a 20-year record") {
  // Lists are clipped: a frame holds what is in sight, whatever the record's
  // length. Counted in vertices, not timed (scripts/bench times it).
  TEST_CASE("a frame of a 20-year record is no bigger than a frame of a two-year one") {
    auto vertices = [](int results, int encounters, int letters, Tab tab) {
      RecordBuilder b;
      b.add(ilinks::test::twenty_year_record(results, encounters, letters), {"generated.json", {}});
      Record r = b.build();
      RecordWidget w;
      w.set_tab(tab);
      prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
      w.mouse_move(600, 600);
      int most = 0;
      for (int frame = 0; frame < 20; ++frame) {  // scroll down through the list
        w.mouse_wheel(0, -5);
        most = std::max(most, w.draw_frame().TotalVtxCount);
      }
      return most;
    };
    for (Tab tab : {Tab::diagnostics, Tab::timeline, Tab::hospital}) {
      CAPTURE(tab_id(tab));
      int small = vertices(1000, 100, 50, tab), large = vertices(10000, 1000, 500, tab);
      CHECK(large > 0);
      CHECK(large < small * 3 / 2);
    }
  }
}

TEST_SUITE("text mirror") {
  TEST_CASE("the mirror follows the open tab and reads the banner in NHS order") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    std::string text = mirror_as_text(w.mirror());
    size_t name = text.find("heading 1: BRADSHAW, Joseph Edward (Mr)"), born = text.find("Born: 08-Mar-1963 (63y)"),
           gender = text.find("Gender: Male"), nhs = text.find("NHS No.: 999 000 0115");
    REQUIRE(name != std::string::npos);
    CHECK(name < born);
    CHECK(born < gender);
    CHECK(gender < nhs);
    CHECK(text.find("tabpanel: Summary") != std::string::npos);
    CHECK(text.find("tabpanel: Diagnostics") == std::string::npos);
    w.set_tab(Tab::diagnostics);
    settle(w);
    text = mirror_as_text(w.mirror());
    CHECK(text.find("tabpanel: Diagnostics") != std::string::npos);
    CHECK(text.find("row: 30-Sep-2026 | HbA1c | 61 mmol/mol | 20 - 42 | High | Liverpool Clinical Laboratories") != std::string::npos);
  }

  TEST_CASE("the mirror as JSON carries roles, levels and where each control is") {
    RecordWidget w;
    Record r = ::test::demo_record("joe-bradshaw");
    prepared(w, ::test::view_of(r, ::test::request(r, "1a", "ZZVIEW")));
    auto j = nlohmann::json::parse(mirror_as_json(w.mirror()));
    CHECK(j["role"] == "region");
    std::string dump = j.dump();
    CHECK(dump.find(R"("role":"tablist")") != std::string::npos);
    CHECK(dump.find(R"("level":1)") != std::string::npos);
    CHECK(dump.find(R"("bounds":[)") != std::string::npos);
  }

  TEST_CASE("nothing the policy withheld reaches the mirror, and everything it showed does") {
    const Policy& policy = Policy::builtin();
    ::test::RecordMaker maker(5150);
    int checked = 0;
    for (int round = 0; round < 6; ++round) {
      Record r = ::test::record_of(maker.make(40));
      for (const auto& profile : policy.profiles()) {
        for (int state = 0; state < 3; ++state) {  // no consent, consent, override
          AuditTrail audit(policy.alerts());
          Request req = ::test::request(r, profile.id, "RY1");
          if (state != 1) req.consent.reset();
          if (state == 2) {
            if (!profile.may_override) continue;
            req.override_ = policy.start_override(req.viewer, r.patient(), "emergency", "Collapsed, unable to consent", ::test::kNow, audit);
          }
          View v = *policy.view_for(r, req, audit).view;
          std::string whole = mirror_as_text(mirror_of_view(v, kToday, ::test::kNow));
          RecordWidget w;
          w.set_size(900, 700, 1.0f);
          w.set_today(kToday);
          w.set_now(::test::kNow);
          w.show(v);
          std::string screens;
          for (Tab t : {Tab::summary, Tab::community, Tab::diagnostics, Tab::hospital, Tab::timeline}) {
            w.set_tab(t);
            settle(w);
            screens += mirror_as_json(w.mirror());
          }
          CAPTURE(round);
          CAPTURE(profile.id);
          CAPTURE(state);
          for (const auto& item : r.items()) {
            std::string mark = "MARK-" + item.source_id + "-";
            bool shown = v.find(item.key) != nullptr;
            if (!shown && (whole.find(mark) != std::string::npos || screens.find(mark) != std::string::npos))
              FAIL_CHECK(item.key << " was withheld but is in the mirror");
            if (shown && item.kind != "CareTeam") CHECK_MESSAGE(whole.find(mark) != std::string::npos, item.key << " is shown but not in the mirror");
            ++checked;
          }
        }
      }
    }
    CHECK(checked > 5000);
  }
}
