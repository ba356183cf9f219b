// The screen and the text mirror tell the viewer the same things. For every
// standing (consent required, opted out, consent, an override, a partial
// opt-out, an incomplete record, wider community access offered or in force,
// the viewer's own organisation's entries left out, a tab the role may not
// see), every notice the presentation layer gives (ilinks/notices.h) is drawn,
// as read back from ImGui's draw lists glyph by glyph, and is in the mirror;
// and every notice the mirror reads is drawn.
#include <doctest/doctest.h>

#include "ilinks/record_builder.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "ilinks/mirror.h"
#include "ilinks/notices.h"
#include "ilinks/record_widget.h"
#include "policy_helpers.h"
#include "record_helpers.h"

using namespace ilinks;

namespace {

const Date kToday{2026, 11, 22};

// Spaces draw nothing, so drawn text is compared without them.
std::string squeezed(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\t') out += c;
  return out;
}

void append_utf8(unsigned c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The text a frame drew, in drawing order, read back from its draw lists: a
// glyph is a quad whose corners sample its rectangle of the font atlas, so
// the texture coordinates of its top-left and right edges name the character. (The widget's ImGui context is
// current after draw_frame(), so its atlas is ImGui::GetIO().Fonts.)
std::string drawn_text(const ImDrawData& frame) {
  struct Glyph {
    unsigned codepoint;
    float u1, v1;
  };
  // (A quad's corners: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left.)
  std::map<std::pair<float, float>, Glyph> by_corner;
  for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
    for (const ImFontGlyph& g : font->Glyphs)
      if (g.Visible) by_corner[{g.U0, g.V0}] = {g.Codepoint, g.U1, g.V1};
  std::string out;
  for (const ImDrawList* list : frame.CmdLists) {
    const auto& v = list->VtxBuffer;
    for (int i = 0; i + 2 < v.Size; ++i) {
      auto hit = by_corner.find({v[i].uv.x, v[i].uv.y});
      // A glyph's foot may be clipped at the line's bottom (its v1 moves), never its top-left or width.
      if (hit != by_corner.end() && v[i + 2].uv.x == hit->second.u1 && v[i + 2].uv.y <= hit->second.v1) {
        append_utf8(hit->second.codepoint, out);
        i += 3;
      }
    }
  }
  return out;
}

bool is_notice(const MirrorNode& n) { return n.role == "alert" || n.role == "status" || n.role == "note"; }

// The notices the mirror reads: about the whole View (the root's) and about
// the open tab (its panel's, above its first section).
std::vector<const MirrorNode*> mirror_notices(const MirrorNode& root) {
  std::vector<const MirrorNode*> out;
  for (const auto& n : root.children) {
    if (is_notice(n)) out.push_back(&n);
    if (n.role != "tabpanel") continue;
    for (const auto& p : n.children) {
      if (p.role == "heading") break;
      if (is_notice(p)) out.push_back(&p);
    }
  }
  return out;
}

bool mirror_has(const MirrorNode& root, const Notice& notice) {
  for (const MirrorNode* n : mirror_notices(root))
    if (n->role == notice.role && n->text == notice.text) return true;
  return false;
}

Record with_community_notes() {
  return test::record_of({test::organisation("o1", "RY1", "Liverpool Community Health NHS Trust"),
                          R"({"resourceType":"DocumentReference","id":"dn","status":"current","subject":{"reference":"Patient/joe"},
                              "custodian":{"reference":"Organization/o1"},"date":"2026-11-02T09:00:00Z",
                              "type":{"text":"District nursing notes"},
                              "content":[{"attachment":{"contentType":"text/plain","data":"TGVnIHVsY2VyIGRyZXNzZWQsIGhlYWxpbmcgd2VsbC4="}}]})"});
}

struct Standing {
  const char* name;
  Tab tab;
  std::function<View()> view;
  std::function<bool(const View&)> holds;  // the View really is in this standing
};

std::vector<Standing> standings() {
  auto joe = [] { return test::demo_record("joe-bradshaw"); };
  return {
      {"consent required", Tab::summary,
       [=] {
         Record r = joe();
         Request q = test::request(r, "1a");
         q.consent.reset();
         return test::view_of(r, q);
       },
       [](const View& v) { return v.basis() == Basis::consent_required; }},
      {"opted out", Tab::summary,
       [=] {
         Record r = joe();
         Request q = test::request(r, "1a");
         q.opt_outs.push_back({OptOut::Scope::whole_record, ""});
         return test::view_of(r, q);
       },
       [](const View& v) { return v.basis() == Basis::opted_out; }},
      {"consent", Tab::summary, [=] { Record r = joe(); return test::view_of(r, test::request(r, "1a")); },
       [](const View& v) { return v.basis() == Basis::consent; }},
      {"emergency override", Tab::summary,
       [=] {
         const Policy& policy = Policy::builtin();
         Record r = joe();
         Request q = test::request(r, "1a");
         q.consent.reset();
         AuditTrail audit(policy.alerts());
         q.override_ = policy.start_override(q.viewer, r.patient(), "unconscious", "Found unconscious at home", test::kNow, audit);
         return test::view_of(r, q);
       },
       [](const View& v) { return v.basis() == Basis::override_; }},
      {"partial opt-out (a segment)", Tab::summary,
       [=] {
         Record r = joe();
         Request q = test::request(r, "1a");
         q.opt_outs.push_back({OptOut::Scope::segment, "C"});
         return test::view_of(r, q);
       },
       [](const View& v) { return v.shows_record() && !v.opt_out_notice().empty(); }},
      {"partial opt-out (an organisation)", Tab::timeline,
       [=] {
         Record r = with_community_notes();
         Request q = test::request(r, "1a");
         q.opt_outs.push_back({OptOut::Scope::organisation, "RY1"});
         return test::view_of(r, q);
       },
       [](const View& v) { return v.shows_record() && !v.opt_out_notice().empty(); }},
      {"incomplete record", Tab::summary,
       [=] {
         Record r = test::record_of({R"({"resourceType":"MedicationStatement","id":"m","status":"active","subject":{"reference":"Patient/joe"},
             "medicationCodeableConcept":{"text":"Ramipril"},"reasonReference":[{"reference":"Condition/not-sent"}]})"});
         return test::view_of(r, test::request(r, "1a"));
       },
       [](const View& v) { return v.incomplete(); }},
      {"a source did not answer", Tab::summary,
       [=] {
         RecordBuilder builder;
         builder.add_file(std::string(ILINKS_DEMO_PATIENTS) + "/joe-bradshaw.json");
         builder.add_unavailable_source({"Aintree University Hospital", "no answer within 8 s"});
         Record r = builder.build();
         return test::view_of(r, test::request(r, "1a"));
       },
       [](const View& v) { return v.shows_record() && v.unavailable_sources().size() == 1; }},
      {"wider community access available", Tab::community,
       [=] { Record r = with_community_notes(); return test::view_of(r, test::request(r, "7")); },
       [](const View& v) { return v.case_access_available(); }},
      {"wider community access in force", Tab::community,
       [=] {
         const Policy& policy = Policy::builtin();
         Record r = with_community_notes();
         Request q = test::request(r, "7");
         AuditTrail audit(policy.alerts());
         q.case_access = policy.record_case_access(q.viewer, r.patient(), "case-review", "Weekly complex case review", test::kNow, audit);
         return test::view_of(r, q);
       },
       [](const View& v) { return !v.case_access_text().empty(); }},
      {"own organisation's entries left out", Tab::summary,
       [=] { Record r = joe(); return test::view_of(r, test::request(r, "6", "RVY")); },
       [](const View& v) { return v.own_organisation_items_hidden() > 0; }},
      {"a tab the role may not see", Tab::diagnostics,
       [=] { Record r = joe(); return test::view_of(r, test::request(r, "5")); },
       [](const View& v) { return v.tier(Segment::diagnostics) == 0; }},
  };
}

}  // namespace

TEST_SUITE("notices: the screen and the mirror say the same") {
  TEST_CASE("for every standing, every notice is drawn and read, and the mirror reads no notice the screen does not draw") {
    for (const Standing& s : standings()) {
      std::string standing = s.name;
      CAPTURE(standing);
      View view = s.view();
      REQUIRE(s.holds(view));
      RecordWidget w;
      w.set_size(2400, 3000, 1.0f);  // room for every notice on one line, uncut
      w.set_today(kToday);
      w.set_now(test::kNow);
      w.set_tab(s.tab);
      w.show(view);
      while (w.needs_redraw()) w.draw_frame();
      std::string drawn = squeezed(drawn_text(w.draw_frame()));
      MirrorNode mirror = w.mirror();
      CAPTURE(mirror_as_text(mirror));

      std::vector<Notice> notices = strip_notices(view, test::kNow);
      if (view.shows_record())  // no tabs before consent or override
        for (auto& n : tab_notices(Layout::builtin().lay_out(view, s.tab, ListFilter{}, kToday))) notices.push_back(n);
      for (auto& n : footer_notices(view)) notices.push_back(n);
      for (const Notice& n : notices) {
        CAPTURE(n.text);
        CHECK_MESSAGE(drawn.find(squeezed(n.text)) != std::string::npos, "not drawn");
        CHECK_MESSAGE(mirror_has(mirror, n), "not in the mirror");
      }
      for (const MirrorNode* n : mirror_notices(mirror)) {
        CAPTURE(n->text);
        CHECK_MESSAGE(drawn.find(squeezed(n->text)) != std::string::npos, "read by the mirror but not drawn");
      }
    }
  }

  TEST_CASE("the drawn text is read back faithfully: a word the frame does not draw is not found") {
    Record r = test::demo_record("joe-bradshaw");
    RecordWidget w;
    w.set_size(2400, 3000, 1.0f);
    w.set_today(kToday);
    w.show(test::view_of(r, test::request(r, "1a")));
    while (w.needs_redraw()) w.draw_frame();
    std::string drawn = squeezed(drawn_text(w.draw_frame()));
    CHECK(drawn.find("BRADSHAW") != std::string::npos);
    CHECK(drawn.find(squeezed("Known allergies: Allergy to penicillin")) != std::string::npos);
    CHECK(drawn.find(squeezed(kIncompleteNotice)) == std::string::npos);  // the record is whole
  }
}
