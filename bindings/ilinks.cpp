// The C ABI: every entry point catches everything, sets the last error, and
// returns a code. No exception or C++ type crosses the boundary.
#include "ilinks.h"

#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <imgui.h>

#include "ilinks/audit.h"
#include "ilinks/backends.h"
#include "ilinks/fhir.h"
#include "ilinks/fhir_client.h"
#include "ilinks/mirror.h"
#include "ilinks/nhs_number.h"
#include "ilinks/policy.h"
#include "ilinks/record_widget.h"
#include "ilinks/view_export.h"

#include <nlohmann/json.hpp>

struct ilinks_viewer {
  ilinks::RecordWidget widget;
  const ilinks::Policy& policy = ilinks::Policy::builtin();
  std::optional<ilinks::GlRenderer> gl;
  bool gl_owned = false;
  std::string last_error;
  // What the policy decides on: the record, who is looking, on what basis.
  std::optional<ilinks::Record> record;
  std::optional<ilinks::Viewer> who;
  bool relationship = false;
  std::optional<ilinks::Consent> consent;
  std::optional<ilinks::Override> override_;
  std::optional<ilinks::CaseAccess> case_access;  // wider community access this user recorded for this person
  ilinks_audit_fn audit_callback = nullptr;
  void* audit_user_data = nullptr;
  std::vector<ilinks::OptOut> opt_outs;
  std::string host_nhs_number;  // the person open in the host; empty: the record's own stands in
  ilinks_consent_request_fn consent_request_callback = nullptr;
  void* consent_request_user_data = nullptr;
  ilinks_error_fn error_callback = nullptr;
  void* error_user_data = nullptr;
  ilinks_open_document_fn document_callback = nullptr;
  void* document_user_data = nullptr;
  ilinks_copy_fn copy_callback = nullptr;
  void* copy_user_data = nullptr;
  std::unique_ptr<ilinks::AuditTrail> audit;

  ilinks_viewer() {
    reset_audit();
    // The widget's own dialogs go the same way as the host's calls.
    widget.on_consent_outcome([this](const ilinks::ConsentOutcome& o) {
      try {
        switch (o.kind) {
          case ilinks::ConsentOutcome::Kind::consent: record_consent(o.method, o.given_by); break;
          case ilinks::ConsentOutcome::Kind::override_: start_override(o.reason_code, o.text); break;
          case ilinks::ConsentOutcome::Kind::case_access: record_case_access(o.reason_code, o.text); break;
        }
      } catch (const Refused& e) {
        report(ILINKS_ERROR_REFUSED, std::string("refused: ") + e.what());
      } catch (const std::exception& e) {
        report(ILINKS_ERROR_AUDIT, e.what());
      }
    });
    widget.on_open_document([this](const ilinks::Item& d) {
      if (!document_callback) return false;
      nlohmann::json j = {{"resource_type", d.kind}, {"id", d.source_id}, {"title", d.display},
                          {"date", d.date ? ilinks::format_date(*d.date) : ""}, {"source", ilinks::item_source_text(d)},
                          {"text", d.text}};
      return document_callback(document_user_data, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str()) == 1;
    });
    widget.on_copy([this](const std::string& text) {
      if (copy_callback) copy_callback(copy_user_data, text.c_str());
    });
  }

  // A failure of something the user did in the widget: there is no call to
  // return it from, so it goes to the host's error callback.
  void report(int code, const std::string& message) {
    last_error = message;
    if (error_callback) error_callback(error_user_data, code, message.c_str());
  }

  void reset_audit() {
    ilinks::AuditSink sink;
    if (audit_callback)
      sink = [this](const ilinks::AuditEvent& e) { return audit_callback(audit_user_data, e.to_json().c_str()) == 1; };
    audit = std::make_unique<ilinks::AuditTrail>(policy, "", sink);
  }

  ilinks::Timestamp now() const { return ilinks::Timestamp::now(); }

  // Shows what the policy lets this viewer see now; throws InputError (refused
  // or audit) with the reason, having shown nothing of the record.
  void refresh() {
    if (!record) return widget.clear();
    if (!host_nhs_number.empty() && record->patient().nhs_number != host_nhs_number) {
      widget.clear();  // not even the name of someone else's record
      throw Refused("the record loaded is about a different person (NHS number) from the one open in your system; it is not shown");
    }
    if (!who) return widget.show(policy.consent_request(record->patient()));  // no context: identity and a consent request, unaudited
    ilinks::Request req;
    req.viewer = *who;
    req.host_patient = record->patient();
    if (!host_nhs_number.empty()) req.host_patient.nhs_number = host_nhs_number;  // the policy refuses a mismatch
    req.legitimate_relationship = relationship;
    req.consent = consent;
    req.override_ = override_;
    req.case_access = case_access;
    req.opt_outs = opt_outs;
    req.now = now();
    ilinks::Decision d;
    try {
      d = policy.view_for(*record, req, *audit);
    } catch (...) {
      widget.clear();  // the audit failed: nothing stays on screen, not even what an earlier viewer saw
      throw;
    }
    if (!d.view) {
      widget.clear();
      throw Refused(d.refused);
    }
    bool ask = d.view->basis() == ilinks::Basis::consent_required;
    widget.show(std::move(*d.view));
    if (ask && consent_request_callback) consent_request_callback(consent_request_user_data);
  }

  void record_consent(const std::string& method, const std::string& given_by) {
    if (!record || !who) throw Refused("no record and viewer context to record consent for");
    ilinks::Consent c{who->user_id, now(), method, given_by, std::nullopt};
    policy.record_consent(*who, record->patient(), c, *audit);
    consent = c;
    refresh();
  }

  void start_override(const std::string& reason_code, const std::string& text) {
    if (!record || !who) throw Refused("no record and viewer context to override for");
    try {
      override_ = policy.start_override(*who, record->patient(), reason_code, text, now(), *audit);
    } catch (const ilinks::InputError& e) {
      throw Refused(e.what());
    }
    refresh();
  }

  // Records why this user needs the wider community record of this person
  // (Community tier 3). The policy's refusal throws Refused; an audit that
  // cannot be written throws InputError (nothing is granted without it).
  void record_case_access(const std::string& reason_code, const std::string& text) {
    if (!record || !who) throw Refused("no record and viewer context to record wider access for");
    ilinks::Patient patient = record->patient();
    if (!host_nhs_number.empty()) patient.nhs_number = host_nhs_number;  // the grant is for the person open in the host
    try {
      case_access = policy.record_case_access(*who, patient, reason_code, text, now(), *audit);
    } catch (const ilinks::InputError& e) {
      std::string what = e.what();
      if (what.rfind("wider access: ", 0) == 0) throw Refused(what);  // the policy's reasons start so; else the audit failed
      throw;
    }
    refresh();
  }

  // Consent, an override and wider access are one user's, for one person.
  void forget_basis() {
    consent.reset();
    override_.reset();
    case_access.reset();
  }

  struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  int fail(int code, std::string message) {
    last_error = std::move(message);
    return code;
  }
  int ok() {
    last_error.clear();
    return ILINKS_OK;
  }
};

namespace {

static_assert(ILINKS_KEY_TAB == static_cast<int>(ilinks::Key::tab) && ILINKS_KEY_ESCAPE == static_cast<int>(ilinks::Key::escape) &&
                  ILINKS_KEY_Z == static_cast<int>(ilinks::Key::z),
              "ilinks_key and ilinks::Key must agree");

// The viewers alive now: a handle used after ilinks_viewer_destroy (or one
// that never was a viewer) is refused instead of being read.
std::mutex live_lock;
std::unordered_set<const ilinks_viewer*>& live() {
  static std::unordered_set<const ilinks_viewer*> viewers;
  return viewers;
}
bool alive(const ilinks_viewer* v) {
  std::lock_guard<std::mutex> guard(live_lock);
  return v && live().count(v) == 1;
}

// Runs `body` and turns any escaping exception into a result code.
template <typename Body>
int guarded(ilinks_viewer* v, const char* call, Body&& body) {
  if (!alive(v)) return ILINKS_ERROR_ARGUMENT;
  try {
    return body();
  } catch (const ilinks_viewer::Refused& e) {
    return v->fail(ILINKS_ERROR_REFUSED, std::string(call) + ": refused: " + e.what());
  } catch (const ilinks::InputError& e) {  // the audit trail: nothing was shown
    return v->fail(ILINKS_ERROR_AUDIT, std::string(call) + ": " + e.what());
  } catch (const std::bad_alloc&) {
    return v->fail(ILINKS_ERROR_MEMORY, std::string(call) + ": out of memory");
  } catch (const std::exception& e) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure: " + e.what());
  } catch (...) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure");
  }
}

}  // namespace

extern "C" {

const char* ilinks_version(void) { return ILINKS_VERSION; }

const char* ilinks_result_text(int result) {
  switch (result) {
    case ILINKS_OK: return "ok";
    case ILINKS_ERROR_ARGUMENT: return "invalid argument";
    case ILINKS_ERROR_INPUT: return "the record could not be read";
    case ILINKS_ERROR_GRAPHICS: return "no usable OpenGL context";
    case ILINKS_ERROR_MEMORY: return "out of memory";
    case ILINKS_ERROR_REFUSED: return "refused by the sharing policy";
    case ILINKS_ERROR_AUDIT: return "the audit event could not be delivered";
    case ILINKS_ERROR_BUFFER: return "the buffer is too small";
    case ILINKS_ERROR_INTERNAL: return "internal error";
    default: return "unknown result code";
  }
}

int ilinks_viewer_create(ilinks_viewer** out) {
  if (!out) return ILINKS_ERROR_ARGUMENT;
  *out = nullptr;
  try {
    auto viewer = std::make_unique<ilinks_viewer>();
    std::lock_guard<std::mutex> guard(live_lock);
    live().insert(viewer.get());
    *out = viewer.release();
    return ILINKS_OK;
  } catch (const std::bad_alloc&) {
    return ILINKS_ERROR_MEMORY;
  } catch (...) {
    return ILINKS_ERROR_INTERNAL;
  }
}

void ilinks_viewer_destroy(ilinks_viewer* v) {
  {
    std::lock_guard<std::mutex> guard(live_lock);
    if (!v || live().erase(v) == 0) return;  // NULL, destroyed already, or not a viewer
  }
  delete v;
}

const char* ilinks_viewer_last_error(const ilinks_viewer* v) {
  if (!v) return "ilinks_viewer_last_error: the viewer is NULL";
  if (!alive(v)) return "ilinks_viewer_last_error: not a live viewer (destroyed already?)";
  return v->last_error.c_str();
}

int ilinks_viewer_load_fhir(ilinks_viewer* v, const char* data, size_t size, const char* source_name) {
  return guarded(v, "ilinks_viewer_load_fhir", [&] {
    std::string source = source_name && *source_name ? source_name : "the record";
    if (!data && size > 0) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir: data is NULL");
    v->widget.clear();  // never leave the previous person on screen
    v->record.reset();
    v->forget_basis();  // consent, overrides, wider access and opt-outs belong to one person's record
    v->opt_outs.clear();
    if (size == 0) return v->fail(ILINKS_ERROR_INPUT, source + ": is empty");
    try {
      v->record = ilinks::read_fhir_json(std::string_view(data, size), source);
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, e.what());
    }
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_load_fhir_server(ilinks_viewer* v, const char* base_url, const char* patient_id, const char* bearer_token,
                                   long timeout_ms) {
  return guarded(v, "ilinks_viewer_load_fhir_server", [&] {
    if (!base_url || !patient_id)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir_server: base_url and patient_id are required");
    if (timeout_ms < 0) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir_server: timeout_ms must be 0 or more");
    v->widget.clear();  // never leave the previous person on screen while the next one is fetched
    v->record.reset();
    v->forget_basis();
    v->opt_outs.clear();
    ilinks::FhirServer server;
    server.base_url = base_url;
    server.bearer_token = bearer_token ? bearer_token : "";
    if (timeout_ms > 0) server.timeout_ms = timeout_ms;
    try {
      ilinks::Record record = ilinks::fetch_record(server, patient_id);
      if (!record.identity_known())
        return v->fail(ILINKS_ERROR_INPUT, std::string(base_url) + ": Patient/" + patient_id + " came back without a Patient resource");
      v->record = std::move(record);
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, e.what());
    }
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_clear(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_clear", [&] {
    v->widget.clear();
    v->record.reset();
    v->forget_basis();
    v->opt_outs.clear();
    return v->ok();
  });
}

int ilinks_viewer_set_context(ilinks_viewer* v, const char* user_id, const char* user_name, const char* profile_id,
                              const char* organisation_ods, const char* organisation_name, int relationship) {
  return guarded(v, "ilinks_viewer_set_context", [&] {
    auto given = [](const char* s) { return s && *s; };
    if (!given(user_id) || !given(profile_id) || !given(organisation_ods))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_context: user_id, profile_id and organisation_ods are required");
    if (!v->policy.profile(profile_id))
      return v->fail(ILINKS_ERROR_ARGUMENT, std::string("ilinks_viewer_set_context: '") + profile_id +
                                                "' is not a role profile of the policy (1a, 1b, 1c, 2a, 2b, 3a, 3b, 4, 5, 6, 7)");
    ilinks::Viewer who;
    who.user_id = user_id;
    who.user_name = given(user_name) ? user_name : user_id;
    who.profile = profile_id;
    who.organisation_ods = organisation_ods;
    who.organisation_name = given(organisation_name) ? organisation_name : organisation_ods;
    who.device = "ilinks C ABI " ILINKS_VERSION;
    bool same_user = v->who && v->who->user_id == who.user_id && v->who->profile == who.profile &&
                     v->who->organisation_ods == who.organisation_ods;
    if (!same_user) v->forget_basis();  // consent was given to, an override or wider access made by, the user before
    v->who = who;
    v->relationship = relationship != 0;
    v->widget.set_consent_options(ilinks::consent_options(v->policy, profile_id));
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_set_patient(ilinks_viewer* v, const char* nhs_number) {
  return guarded(v, "ilinks_viewer_set_patient", [&] {
    std::string digits = nhs_number ? ilinks::normalise_nhs_number(nhs_number) : "";
    if (!digits.empty() && !ilinks::is_valid_nhs_number(digits))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_patient: not a valid NHS number (10 digits, modulus 11)");
    if (digits != v->host_nhs_number) {  // another person: their consent, overrides, wider access and opt-outs are theirs
      v->forget_basis();
      v->opt_outs.clear();
    }
    v->host_nhs_number = digits;
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_set_audit_callback(ilinks_viewer* v, ilinks_audit_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_set_audit_callback", [&] {
    v->audit_callback = callback;
    v->audit_user_data = user_data;
    v->reset_audit();
    return v->ok();
  });
}

int ilinks_viewer_record_consent(ilinks_viewer* v, const char* method, const char* given_by) {
  return guarded(v, "ilinks_viewer_record_consent", [&] {
    if (!method || !given_by) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent: method and given_by are required");
    std::string by = given_by;
    if (by != "patient" && by != "representative")
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent: given_by must be \"patient\" or \"representative\"");
    try {
      v->record_consent(method, by);
    } catch (const ilinks::InputError& e) {  // an unknown method, or the audit
      std::string what = e.what();
      bool audit = what.find("audit") != std::string::npos;
      return v->fail(audit ? ILINKS_ERROR_AUDIT : ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent: " + what);
    }
    return v->ok();
  });
}

int ilinks_viewer_start_override(ilinks_viewer* v, const char* reason_code, const char* text) {
  return guarded(v, "ilinks_viewer_start_override", [&] {
    if (!reason_code || !text) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_start_override: reason_code and text are required");
    v->start_override(reason_code, text);
    return v->ok();
  });
}

int ilinks_viewer_record_case_access(ilinks_viewer* v, const char* reason_code, const char* text) {
  return guarded(v, "ilinks_viewer_record_case_access", [&] {
    if (!reason_code || !text)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_case_access: reason_code and text are required");
    v->record_case_access(reason_code, text);
    return v->ok();
  });
}

int ilinks_viewer_record_opt_out(ilinks_viewer* v, const char* scope, const char* value) {
  return guarded(v, "ilinks_viewer_record_opt_out", [&] {
    static const std::pair<const char*, ilinks::OptOut::Scope> scopes[] = {
        {"record", ilinks::OptOut::Scope::whole_record}, {"segment", ilinks::OptOut::Scope::segment},
        {"setting", ilinks::OptOut::Scope::setting},     {"label", ilinks::OptOut::Scope::security_label},
        {"organisation", ilinks::OptOut::Scope::organisation}};
    std::optional<ilinks::OptOut::Scope> chosen;
    for (const auto& [name, sc] : scopes)
      if (scope && std::string(scope) == name) chosen = sc;
    if (!chosen)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_opt_out: scope must be record, segment, setting, label or organisation");
    if (*chosen != ilinks::OptOut::Scope::whole_record && (!value || !*value))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_opt_out: this scope needs a value");
    if (!v->record || !v->who) throw ilinks_viewer::Refused("no record and viewer context to record an opt-out for");
    ilinks::OptOut o{*chosen, value ? value : ""};
    try {
      v->policy.record_opt_out(*v->who, v->record->patient(), o, v->now(), *v->audit);
    } catch (const ilinks::InputError& e) {
      std::string what = e.what();
      return v->fail(what.find("audit") != std::string::npos ? ILINKS_ERROR_AUDIT : ILINKS_ERROR_ARGUMENT,
                     "ilinks_viewer_record_opt_out: " + what);
    }
    v->opt_outs.push_back(o);
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_on_consent_request(ilinks_viewer* v, ilinks_consent_request_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_on_consent_request", [&] {
    v->consent_request_callback = callback;
    v->consent_request_user_data = user_data;
    return v->ok();
  });
}

int ilinks_viewer_on_error(ilinks_viewer* v, ilinks_error_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_on_error", [&] {
    v->error_callback = callback;
    v->error_user_data = user_data;
    return v->ok();
  });
}

int ilinks_viewer_on_open_document(ilinks_viewer* v, ilinks_open_document_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_on_open_document", [&] {
    v->document_callback = callback;
    v->document_user_data = user_data;
    return v->ok();
  });
}

int ilinks_viewer_on_copy(ilinks_viewer* v, ilinks_copy_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_on_copy", [&] {
    v->copy_callback = callback;
    v->copy_user_data = user_data;
    return v->ok();
  });
}

int ilinks_viewer_set_tab(ilinks_viewer* v, const char* tab_id) {
  return guarded(v, "ilinks_viewer_set_tab", [&] {
    ilinks::Tab tab;
    if (!tab_id || !ilinks::tab_from_id(tab_id, tab))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_tab: expected summary, community, diagnostics, hospital or timeline");
    v->widget.set_tab(tab);
    return v->ok();
  });
}

int ilinks_viewer_mirror(ilinks_viewer* v, int format, char* buffer, size_t buffer_size, size_t* out_needed) {
  return guarded(v, "ilinks_viewer_mirror", [&] {
    if (format != 0 && format != 1) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_mirror: format must be 0 (text) or 1 (JSON)");
    ilinks::MirrorNode m = v->widget.mirror();
    std::string text = format == 0 ? ilinks::mirror_as_text(m) : ilinks::mirror_as_json(m);
    if (out_needed) *out_needed = text.size() + 1;
    if (!buffer || buffer_size < text.size() + 1)
      return v->fail(ILINKS_ERROR_BUFFER, "ilinks_viewer_mirror: the buffer holds " + std::to_string(buffer_size) +
                                              " bytes; the mirror needs " + std::to_string(text.size() + 1));
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return v->ok();
  });
}

unsigned long ilinks_viewer_mirror_version(const ilinks_viewer* v) { return alive(v) ? v->widget.mirror_version() : 0; }

int ilinks_viewer_mouse_move(ilinks_viewer* v, float x, float y) {
  return guarded(v, "ilinks_viewer_mouse_move", [&] {
    v->widget.mouse_move(x, y);
    return v->ok();
  });
}

int ilinks_viewer_mouse_leave(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_mouse_leave", [&] {
    v->widget.mouse_leave();
    return v->ok();
  });
}

int ilinks_viewer_mouse_button(ilinks_viewer* v, int button, int down) {
  return guarded(v, "ilinks_viewer_mouse_button", [&] {
    if (button < 0 || button > 2) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_mouse_button: button must be 0, 1 or 2");
    v->widget.mouse_button(button, down != 0);
    return v->ok();
  });
}

int ilinks_viewer_mouse_wheel(ilinks_viewer* v, float dx, float dy) {
  return guarded(v, "ilinks_viewer_mouse_wheel", [&] {
    v->widget.mouse_wheel(dx, dy);
    return v->ok();
  });
}

int ilinks_viewer_key(ilinks_viewer* v, int key, int down, int modifiers) {
  return guarded(v, "ilinks_viewer_key", [&] {
    if (key < ILINKS_KEY_TAB || key > ILINKS_KEY_Z) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_key: not an ilinks_key");
    v->widget.key(static_cast<ilinks::Key>(key), down != 0, modifiers & 15);
    return v->ok();
  });
}

int ilinks_viewer_text_input(ilinks_viewer* v, const char* utf8) {
  return guarded(v, "ilinks_viewer_text_input", [&] {
    if (!utf8) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_text_input: utf8 is NULL");
    v->widget.text_input(utf8);
    return v->ok();
  });
}

int ilinks_viewer_focus(ilinks_viewer* v, int focused) {
  return guarded(v, "ilinks_viewer_focus", [&] {
    v->widget.focus(focused != 0);
    return v->ok();
  });
}

int ilinks_viewer_set_size(ilinks_viewer* v, int width, int height, float scale) {
  return guarded(v, "ilinks_viewer_set_size", [&] {
    if (width < 1 || height < 1 || width > 16384 || height > 16384)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_size: width and height must be 1..16384 pixels");
    if (!(scale >= 0.5f && scale <= 4.0f))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_size: scale must be between 0.5 and 4");
    v->widget.set_size(width, height, scale);
    return v->ok();
  });
}

int ilinks_viewer_set_banner(ilinks_viewer* v, int shown) {
  return guarded(v, "ilinks_viewer_set_banner", [&] {
    v->widget.set_banner(shown != 0);
    return v->ok();
  });
}

int ilinks_viewer_set_today(ilinks_viewer* v, const char* text) {
  return guarded(v, "ilinks_viewer_set_today", [&] {
    auto date = text ? ilinks::Date::parse_iso_day(text) : std::nullopt;
    if (!date)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_today: expected a date as YYYY-MM-DD");
    v->widget.set_today(*date);
    return v->ok();
  });
}

int ilinks_viewer_needs_redraw(const ilinks_viewer* v) { return alive(v) && v->widget.needs_redraw() ? 1 : 0; }

int ilinks_viewer_render_rgba(ilinks_viewer* v, unsigned char* pixels, int stride, size_t buffer_size) {
  return guarded(v, "ilinks_viewer_render_rgba", [&] {
    const int w = v->widget.width(), h = v->widget.height();
    if (!pixels) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: pixels is NULL");
    if (stride < 4 * w)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: stride_bytes is less than 4 x width (" +
                                                std::to_string(4 * w) + ")");
    if (buffer_size < static_cast<size_t>(stride) * static_cast<size_t>(h))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: buffer_size is less than stride_bytes x height (" +
                                                std::to_string(static_cast<size_t>(stride) * static_cast<size_t>(h)) + ")");
    for (int y = 0; y < h; ++y) std::memset(pixels + static_cast<size_t>(y) * static_cast<size_t>(stride), 0, static_cast<size_t>(4 * w));
    const ImDrawData& frame = v->widget.draw_frame();
    ilinks::rasterize(frame, v->widget.font_texture(), {pixels, w, h, stride});
    return v->ok();
  });
}

int ilinks_viewer_render_gl(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_render_gl", [&] {
    if (!v->gl) {
      v->gl.emplace(!v->gl_owned);
      std::string error;
      if (!v->gl->init(error)) {
        v->gl.reset();
        return v->fail(ILINKS_ERROR_GRAPHICS, "ilinks_viewer_render_gl: " + error);
      }
    }
    const ImDrawData& frame = v->widget.draw_frame();
    v->gl->render(frame, v->widget.font_texture(), v->widget.font_generation(), v->widget.width(), v->widget.height());
    return v->ok();
  });
}

int ilinks_viewer_set_gl_context_owned(ilinks_viewer* v, int owned) {
  return guarded(v, "ilinks_viewer_set_gl_context_owned", [&] {
    if (v->gl)
      return v->fail(ILINKS_ERROR_ARGUMENT,
                     "ilinks_viewer_set_gl_context_owned: must be called before the first ilinks_viewer_render_gl");
    v->gl_owned = owned != 0;
    return v->ok();
  });
}

}  // extern "C"
