// ilinks-render: what one viewer may see of a person's record, from the command
// line, through the sharing policy and audited like any other view. For
// printing, documents, deployment checks and tests; no GPU, no display.
//
//   ilinks-render --record FILE [--record FILE ...] --out OUT.png|.json|.txt
//                 --profile 1a|1b|1c|2a|2b|3a|3b|4|5|6|7 --organisation ODS
//                 [--consent given|none|override:<reason-code>:<text>]
//                 [--case-access <reason-code>:<text>] (wider community record, C3)
//                 [--relationship yes|no] [--policy FILE] [--terminology URL] [--audit FILE]
//                 [--user ID] [--include-own-organisation]
//                 [--tab summary|community|diagnostics|hospital|timeline]
//                 [--size WxH] [--scale S] [--today YYYY-MM-DD]
//
// Exit status (README): 0 written; 1 the record could not be read; 2 bad
// usage or a bad policy file; 3 the output could not be written; 4 the view
// was refused (no relationship, wrong person, override not allowed); 5 the
// audit log could not be written (nothing is shown without it).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <zlib.h>

namespace {
// stb's own deflate searches hard at every level (it raises 1 to 5), and took
// longer than drawing the frame; zlib's fastest level, for stb to use.
unsigned char* quick_deflate(unsigned char* data, int size, int* out_size, int /*stb's quality*/) {
  uLongf length = compressBound(static_cast<uLong>(size));
  auto* out = static_cast<unsigned char*>(std::malloc(length));  // stb frees it
  if (!out) return nullptr;
  if (compress2(out, &length, data, static_cast<uLong>(size), Z_BEST_SPEED) != Z_OK) {
    std::free(out);
    return nullptr;
  }
  *out_size = static_cast<int>(length);
  return out;
}
}  // namespace

#define STBIW_ZLIB_COMPRESS quick_deflate
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "ilinks/audit.h"
#include "ilinks/backends.h"
#include "ilinks/fhir.h"
#include "ilinks/mirror.h"
#include "ilinks/policy.h"
#include "ilinks/record_builder.h"
#include "ilinks/record_widget.h"
#include "ilinks/session.h"
#include "ilinks/view_export.h"

namespace {

int usage(const std::string& message) {
  std::fprintf(stderr,
               "ilinks-render: %s\n"
               "usage: ilinks-render --record FILE --out OUT.png|.json|.txt --profile ID --organisation ODS\n"
               "                     [--consent given|none|override:<reason-code>:<text>] [--relationship yes|no]\n"
               "                     [--case-access <reason-code>:<text>] [--policy FILE] [--terminology URL]\n"
               "                     [--audit FILE] [--user ID] [--include-own-organisation]\n"
               "                     [--tab summary|community|diagnostics|hospital|timeline] [--size WxH] [--scale S]\n"
               "                     [--today YYYY-MM-DD]\n",
               message.c_str());
  return 2;
}

bool ends_with(const std::string& s, const char* suffix) {
  std::string x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

struct Options {
  std::vector<std::string> records;
  std::string out, profile, organisation, consent = "none", relationship = "yes", policy, audit, user = "ilinks-render";
  std::string tab = "summary", today, case_access, terminology;
  bool include_own = false;
  int width = 1024, height = 640;
  float scale = 1.0f;
};

// Returns an empty string when the arguments are good, else what is wrong.
std::string parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--include-own-organisation") { o.include_own = true; continue; }
    if (i + 1 >= argc) return "missing value after " + arg;
    std::string value = argv[++i];
    if (arg == "--record") o.records.push_back(value);
    else if (arg == "--out") o.out = value;
    else if (arg == "--profile") o.profile = value;
    else if (arg == "--organisation") o.organisation = value;
    else if (arg == "--consent") o.consent = value;
    else if (arg == "--relationship") o.relationship = value;
    else if (arg == "--policy") o.policy = value;
    else if (arg == "--case-access") o.case_access = value;
    else if (arg == "--terminology") o.terminology = value;
    else if (arg == "--audit") o.audit = value;
    else if (arg == "--user") o.user = value;
    else if (arg == "--tab") o.tab = value;
    else if (arg == "--today") o.today = value;
    else if (arg == "--size") {
      char* end = nullptr;
      long w = std::strtol(value.c_str(), &end, 10);
      if (*end != 'x') return "--size takes WIDTHxHEIGHT in pixels, such as 1024x640";
      long h = std::strtol(end + 1, &end, 10);
      if (*end != '\0' || w < 1 || h < 1 || w > 16384 || h > 16384) return "--size takes WIDTHxHEIGHT in pixels, such as 1024x640";
      o.width = static_cast<int>(w), o.height = static_cast<int>(h);
    } else if (arg == "--scale") {
      char* end = nullptr;
      o.scale = std::strtof(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(o.scale >= 0.5f && o.scale <= 4.0f)) return "--scale takes a number from 0.5 to 4";
    } else return "unknown option " + arg;
  }
  if (o.records.empty()) return "--record is required";
  if (o.out.empty()) return "--out is required";
  for (const auto& record : o.records)
    if (std::error_code ignored; std::filesystem::equivalent(record, o.out, ignored))
      return "--out " + o.out + " is the record itself; writing it would destroy the record";
  if (!ends_with(o.out, ".png") && !ends_with(o.out, ".json") && !ends_with(o.out, ".txt"))
    return "--out must end in .png, .json or .txt";
  if (o.profile.empty()) return "--profile is required (1a, 1b, 1c, 2a, 2b, 3a, 3b, 4, 5, 6, 7)";
  if (o.organisation.empty()) return "--organisation is required (the viewer's ODS code)";
  if (o.relationship != "yes" && o.relationship != "no") return "--relationship takes yes or no";
  if (o.consent != "given" && o.consent != "none" && o.consent.rfind("override:", 0) != 0)
    return "--consent takes given, none or override:<reason-code>:<text>";
  ilinks::Tab tab;
  if (!ilinks::tab_from_id(o.tab, tab)) return "--tab takes summary, community, diagnostics, hospital or timeline";
  if (!o.today.empty() && !ilinks::Date::parse_iso_day(o.today)) return "--today takes a date as YYYY-MM-DD";
  return {};
}

// The output is written and every audit event was written as it happened
// (AuditTrail appends and flushes each one): the process ends here, and the
// operating system takes back the record, View and widget at once. Freeing
// them item by item took a sixth of the time to a long record's PNG (issue 18).
[[noreturn]] void done() {
  std::fflush(nullptr);
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      usage("renders what one viewer may see of a record");
      return 0;
    }
  Options o;
  if (std::string problem = parse(argc, argv, o); !problem.empty()) return usage(problem);

  std::optional<ilinks::Policy> loaded;
  try {
    ilinks::PolicySources sources;
    if (!o.terminology.empty()) {
      sources.terminology = ilinks::TerminologyServer{};
      sources.terminology->base_url = o.terminology;
    }
    if (!o.policy.empty()) loaded = ilinks::Policy::from_file(o.policy, sources);
    else if (sources.terminology) loaded = ilinks::Policy::builtin(sources);
    if (loaded)
      for (const auto& note : loaded->load_notes()) std::fprintf(stderr, "ilinks-render: note: %s\n", note.c_str());
  } catch (const ilinks::Error& e) {  // the policy or a code list (PolicyFileError), or its terminology server
    std::fprintf(stderr, "ilinks-render: %s\n", e.what());
    return 2;
  }
  const ilinks::Policy& policy = loaded ? *loaded : ilinks::Policy::builtin();
  if (!policy.profile(o.profile)) return usage("\"" + o.profile + "\" is not a role profile of policy " + policy.version());

  ilinks::Record record = [&] {
    ilinks::RecordBuilder builder;
    for (const auto& path : o.records) builder.add_file(path);
    return builder.build();
  }();
  for (const auto& path : o.records)
    for (const auto& issue : record.load_issues())
      if (issue.whole_input && issue.where.rfind(path, 0) == 0) {  // a file named on the command line gave nothing
        std::fprintf(stderr, "ilinks-render: %s: %s\n", path.c_str(), issue.what.c_str());
        return 1;
      }
  if (!record.identity_known()) {
    std::fprintf(stderr, "ilinks-render: %s: holds no Patient resource; whose record it is cannot be told\n", o.records.front().c_str());
    return 1;
  }

  // The command line stands in for a host that has this person open.
  ilinks::Timestamp now = ilinks::Timestamp::now();
  ilinks::Session session(policy);
  session.set_clock([now] { return now; });
  session.set_include_own_organisation(o.include_own);
  session.load(std::move(record));  // the session keeps the one copy
  session.set_viewer({o.user, o.user, o.profile, o.organisation, "", "ilinks-render", "", "", ""}, o.relationship == "yes");
  try {
    session.set_audit_trail(std::make_shared<ilinks::AuditTrail>(policy.alerts(), o.audit));
    if (o.consent == "given") {
      session.record_consent("verbal", "patient");
    } else if (o.consent.rfind("override:", 0) == 0) {
      std::string rest = o.consent.substr(9);
      size_t colon = rest.find(':');
      if (colon == std::string::npos) return usage("--consent override takes override:<reason-code>:<text>");
      session.start_override(rest.substr(0, colon), rest.substr(colon + 1));
    }
    if (!o.case_access.empty()) {
      size_t colon = o.case_access.find(':');
      if (colon == std::string::npos) return usage("--case-access takes <reason-code>:<text>");
      session.record_case_access(o.case_access.substr(0, colon), o.case_access.substr(colon + 1));
    }
    std::optional<ilinks::View> shown = session.view();
    ilinks::Date today = o.today.empty() ? ilinks::Date::today() : *ilinks::Date::parse_iso_day(o.today);
    const ilinks::View& view = *shown;
    if (ends_with(o.out, ".json") || ends_with(o.out, ".txt")) {
      // .txt is the widget's text mirror of every tab in turn: what a screen reader reads.
      std::string text = ends_with(o.out, ".json") ? ilinks::view_as_json(view, today)
                                                   : ilinks::mirror_as_text(ilinks::mirror_of_view(view, today, now));
      if (!write_text(o.out, text)) {
        std::fprintf(stderr, "ilinks-render: %s: could not be written\n", o.out.c_str());
        return 3;
      }
      done();
    }
    ilinks::RecordWidget widget;
    widget.set_size(o.width, o.height, o.scale);
    widget.set_today(today);
    widget.set_now(now);
    ilinks::Tab tab;
    ilinks::tab_from_id(o.tab, tab);
    widget.set_tab(tab);
    widget.show(std::move(*shown));  // the widget keeps the one copy
    const int stride = o.width * 4;
    std::vector<unsigned char> pixels(static_cast<size_t>(stride) * static_cast<size_t>(o.height));
    do {  // until the layout has settled (ImGui measures on the first frame)
      std::fill(pixels.begin(), pixels.end(), 0);
      ilinks::rasterize(widget.draw_frame(), widget.font_texture(), {pixels.data(), o.width, o.height, stride});
    } while (widget.needs_redraw());
    if (!stbi_write_png(o.out.c_str(), o.width, o.height, 4, pixels.data(), stride)) {
      std::fprintf(stderr, "ilinks-render: %s: the PNG could not be written\n", o.out.c_str());
      return 3;
    }
    done();
  } catch (const ilinks::Refused& e) {
    std::fprintf(stderr, "ilinks-render: refused: %s\n", e.what());
    return 4;
  } catch (const ilinks::AuditError& e) {  // the audit log: nothing is shown without it
    std::fprintf(stderr, "ilinks-render: %s\n", e.what());
    return 5;
  }
}
