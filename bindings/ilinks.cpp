// The C ABI: every entry point catches everything, sets the last error, and
// returns a code. No exception or C++ type crosses the boundary.
#include "ilinks.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
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
#include "ilinks/service_client.h"
#include "ilinks/session.h"
#include "ilinks/view_export.h"
#include "ilinks/view_wire.h"

#include <nlohmann/json.hpp>

namespace {

// The result code for an error of this kind.
int result_of(ilinks::ErrorKind kind) {
  switch (kind) {
    case ilinks::ErrorKind::input: return ILINKS_ERROR_INPUT;
    case ilinks::ErrorKind::policy_file: return ILINKS_ERROR_INPUT;
    case ilinks::ErrorKind::audit: return ILINKS_ERROR_AUDIT;
    case ilinks::ErrorKind::refused: return ILINKS_ERROR_REFUSED;
    case ilinks::ErrorKind::unavailable: return ILINKS_ERROR_UNAVAILABLE;
  }
  return ILINKS_ERROR_INTERNAL;
}

// "call: refused: why", "call: why".
std::string message_of(const char* call, const ilinks::Error& e) {
  std::string prefix = call ? std::string(call) + ": " : std::string();
  return prefix + (e.kind() == ilinks::ErrorKind::refused ? "refused: " : "") + e.what();
}

}  // namespace

// A viewer is a Session (core: what may be shown, audited) drawn by a
// RecordWidget (render), with the host's callbacks. Every call that changes
// the session shows its View again.
struct ilinks_viewer {
  ilinks::Session session{ilinks::Policy::builtin()};
  ilinks::RecordWidget widget;
  std::optional<ilinks::GlRenderer> gl;
  bool gl_owned = false;
  std::string last_error;
  ilinks_audit_fn audit_callback = nullptr;
  void* audit_user_data = nullptr;
  ilinks_consent_request_fn consent_request_callback = nullptr;
  void* consent_request_user_data = nullptr;
  ilinks_error_fn error_callback = nullptr;
  void* error_user_data = nullptr;
  ilinks_open_document_fn document_callback = nullptr;
  void* document_user_data = nullptr;
  ilinks_copy_fn copy_callback = nullptr;
  void* copy_user_data = nullptr;
  // Views from a sharing service (0.3): what is on screen came from one, not
  // from the session; the service the viewer calls itself (native), or the
  // host's callback that calls it.
  bool showing_service_view = false;
  std::string host_patient;  // the NHS number the host set, digits only
  std::optional<ilinks::ServiceClient> service;
  ilinks_token_fn token_provider = nullptr;
  void* token_user_data = nullptr;
  ilinks_service_action_fn action_callback = nullptr;
  void* action_user_data = nullptr;
  // A record still arriving (ilinks_viewer_load_fhir_begin): its bytes so far.
  std::optional<ilinks::ArrivingInput> arriving;

  ilinks_viewer() {
    // The widget's own dialogs go the same way as the host's calls; a failure
    // there has no call to return it from, so it goes to the error callback.
    widget.on_consent_outcome([this](const ilinks::ConsentOutcome& o) {
      try {
        if (through_service()) return act_at_service(action_of(o));
        switch (o.kind) {
          case ilinks::ConsentOutcome::Kind::consent: session.record_consent(o.method, o.given_by); break;
          case ilinks::ConsentOutcome::Kind::override_: session.start_override(o.reason_code, o.text); break;
          case ilinks::ConsentOutcome::Kind::case_access: session.record_case_access(o.reason_code, o.text); break;
        }
        refresh();
      } catch (const ilinks::Error& e) {
        report(result_of(e.kind()), message_of(nullptr, e));
      } catch (const std::exception& e) {
        report(ILINKS_ERROR_INTERNAL, std::string("unexpected failure: ") + e.what());
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

  // ---- Through a sharing service ------------------------------------------------
  bool through_service() const { return service.has_value() || showing_service_view; }

  // A dialog's outcome as the service route's body, with "action" naming the route.
  static nlohmann::json action_of(const ilinks::ConsentOutcome& o) {
    switch (o.kind) {
      case ilinks::ConsentOutcome::Kind::consent:
        return {{"action", "consent"}, {"method", o.method}, {"given_by", o.given_by}, {"scope", "user"}};
      case ilinks::ConsentOutcome::Kind::override_:
        return {{"action", "override"}, {"reason_code", o.reason_code}, {"text", o.text}};
      case ilinks::ConsentOutcome::Kind::case_access:
        return {{"action", "case-access"}, {"reason_code", o.reason_code}, {"text", o.text}};
    }
    return {};
  }

  // Sends what the user recorded to the service and shows the View it
  // answers; or hands it to the host that calls the service itself.
  void act_at_service(nlohmann::json action) {
    std::string route = action["action"].get<std::string>();
    if (service) {
      action.erase("action");
      if (route == "opt-outs") {
        service->post(route, action.dump());
        return show_from_service(service->view());
      }
      return show_from_service(service->post_for_view(route, action.dump()));
    }
    if (!action_callback)
      throw ilinks::Refused("this View came from a sharing service, and the host has not said how to reach it "
                            "(ilinks_viewer_set_service or ilinks_viewer_on_service_action)");
    action_callback(action_user_data, action.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }

  // Shows a View a service made, if it is about the person open in the host.
  void show_from_service(ilinks::ServiceView got) {
    widget.clear();
    showing_service_view = false;
    const std::string& about = got.view().patient().nhs_number;
    if (!host_patient.empty() && about != host_patient)
      throw ilinks::Refused("the View is about someone other than the person open in the host; nothing of it is shown");
    bool ask = got.view().basis() == ilinks::Basis::consent_required;
    widget.show(got.view());
    showing_service_view = true;
    if (ask && consent_request_callback) consent_request_callback(consent_request_user_data);
  }

  void report(int code, const std::string& message) {
    last_error = message;
    if (error_callback) error_callback(error_user_data, code, message.c_str());
  }

  // Shows what the session's View is now. On a refusal or an audit failure
  // nothing stays on screen, not even what an earlier viewer saw.
  void refresh() {
    showing_service_view = false;  // whatever the session shows replaces a service's View
    std::optional<ilinks::View> view;
    try {
      view = session.view();
    } catch (...) {
      widget.clear();
      throw;
    }
    if (!view) return widget.clear();
    bool ask = session.viewer() && view->basis() == ilinks::Basis::consent_required;
    widget.show(std::move(*view));
    if (ask && consent_request_callback) consent_request_callback(consent_request_user_data);
  }

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
  } catch (const ilinks::Error& e) {  // refused, the audit trail, a record that cannot be read
    return v->fail(result_of(e.kind()), message_of(call, e));
  } catch (const std::bad_alloc&) {
    return v->fail(ILINKS_ERROR_MEMORY, std::string(call) + ": out of memory");
  } catch (const std::exception& e) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure: " + e.what());
  } catch (...) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure");
  }
}

// The words for a host that calls a sharing service itself and asks the viewer to record something.
std::string not_here(const char* call) {
  return std::string(call) + ": the View shown came from a sharing service, which keeps consent, overrides and "
                             "opt-outs: send it there (ilinks_viewer_on_service_action says how) and load the View it answers";
}

#if !defined(__EMSCRIPTEN__)
// A token from the host's provider, grown to fit; empty when it has none.
std::string token_from(ilinks_token_fn provider, void* user_data, bool expired) {
  std::string buffer(8192, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    size_t n = provider(user_data, expired ? 1 : 0, buffer.data(), buffer.size());
    if (n == 0) return {};
    if (n < buffer.size()) return std::string(buffer.data(), n);
    buffer.assign(std::min<size_t>(n + 1, 1u << 20), '\0');  // a token is a few kB; 1 MB is plenty
  }
  return {};
}
#endif

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
    v->arriving.reset();
    v->widget.clear();  // never leave the previous person on screen
    v->session.clear();
    if (size == 0) return v->fail(ILINKS_ERROR_INPUT, source + ": is empty");
    try {
      v->session.load(ilinks::read_fhir_json(std::string_view(data, size), source));
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, e.what());
    }
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_load_fhir_begin(ilinks_viewer* v, size_t expected_size, const char* source_name) {
  return guarded(v, "ilinks_viewer_load_fhir_begin", [&] {
    v->arriving.reset();
    v->widget.clear();  // never leave the previous person on screen while the next one arrives
    v->session.clear();
    v->showing_service_view = false;
    ilinks::InputOptions input;
    input.name = source_name && *source_name ? source_name : "the record";
    v->arriving.emplace(std::move(input), expected_size);
    return v->ok();
  });
}

int ilinks_viewer_load_fhir_more(ilinks_viewer* v, const char* data, size_t size) {
  return guarded(v, "ilinks_viewer_load_fhir_more", [&] {
    if (!v->arriving)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir_more: no record is arriving (ilinks_viewer_load_fhir_begin "
                                            "starts one; another load or a clear since abandons it)");
    if (!data && size > 0) {
      v->arriving.reset();
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir_more: data is NULL; the arriving record is abandoned");
    }
    try {
      v->arriving->append(std::string_view(data ? data : "", size));
    } catch (...) {
      v->arriving.reset();  // some bytes kept and some not: never loaded as if whole
      throw;
    }
    return v->ok();
  });
}

int ilinks_viewer_load_fhir_end(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_load_fhir_end", [&] {
    if (!v->arriving)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir_end: no record is arriving (ilinks_viewer_load_fhir_begin "
                                            "starts one; another load or a clear since abandons it)");
    ilinks::ArrivingInput arrived = std::move(*v->arriving);
    v->arriving.reset();
    if (arrived.size() == 0) return v->fail(ILINKS_ERROR_INPUT, arrived.name() + ": is empty");
    try {
      v->session.load(ilinks::read_fhir_json(std::move(arrived)));
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
    v->arriving.reset();
    v->widget.clear();  // never leave the previous person on screen while the next one is fetched
    v->session.clear();
    ilinks::FhirServer server;
    server.base_url = base_url;
    server.bearer_token = bearer_token ? bearer_token : "";
    if (timeout_ms > 0) server.timeout_ms = timeout_ms;
    try {
      ilinks::Record record = ilinks::fetch_record(server, patient_id);
      if (!record.identity_known())
        return v->fail(ILINKS_ERROR_INPUT, std::string(base_url) + ": Patient/" + patient_id + " came back without a Patient resource");
      v->session.load(std::move(record));
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, e.what());
    }
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_load_view_json(ilinks_viewer* v, const char* data, size_t size, const char* source_name) {
  return guarded(v, "ilinks_viewer_load_view_json", [&] {
    std::string source = source_name && *source_name ? source_name : "the sharing service's View";
    if (!data && size > 0) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_view_json: data is NULL");
    v->arriving.reset();
    v->widget.clear();  // never leave the previous person on screen
    v->session.clear();
    v->showing_service_view = false;
    try {
      v->show_from_service(ilinks::ServiceView::read(std::string_view(data ? data : "", size), source));
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, std::string("ilinks_viewer_load_view_json: ") + e.what());
    }
    return v->ok();
  });
}

int ilinks_viewer_on_service_action(ilinks_viewer* v, ilinks_service_action_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_on_service_action", [&] {
    v->action_callback = callback;
    v->action_user_data = user_data;
    return v->ok();
  });
}

int ilinks_viewer_set_service(ilinks_viewer* v, const char* base_url, ilinks_token_fn token_provider, void* user_data,
                              long timeout_ms) {
  return guarded(v, "ilinks_viewer_set_service", [&] {
#if defined(__EMSCRIPTEN__)
    (void)base_url, (void)token_provider, (void)user_data, (void)timeout_ms;
    return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_service: native builds only; in the browser the "
                                          "<ilinks-record> element calls the service (its service attribute)");
#else
    if (!base_url) {
      v->service.reset();
      v->token_provider = nullptr;
      return v->ok();
    }
    std::string url = base_url;
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_service: base_url must start with https:// (or http:// on this machine)");
    if (!token_provider) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_service: a token provider is required");
    if (timeout_ms < 0) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_service: timeout_ms must be 0 or more");
    v->token_provider = token_provider;
    v->token_user_data = user_data;
    ilinks::ServiceSettings settings;
    settings.base_url = url;
    if (timeout_ms > 0) settings.timeout_ms = timeout_ms;
    v->service.emplace(settings, [v](bool expired) { return token_from(v->token_provider, v->token_user_data, expired); });
    return v->ok();
#endif
  });
}

int ilinks_viewer_load_from_service(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_load_from_service", [&] {
    if (!v->service)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_from_service: no sharing service is set (ilinks_viewer_set_service)");
    v->arriving.reset();
    v->widget.clear();  // never leave the previous person on screen while the next View is fetched
    v->session.clear();
    v->showing_service_view = false;
    v->show_from_service(v->service->view());
    return v->ok();
  });
}

int ilinks_viewer_clear(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_clear", [&] {
    v->arriving.reset();
    v->showing_service_view = false;
    v->widget.clear();
    v->session.clear();
    return v->ok();
  });
}

int ilinks_viewer_set_context(ilinks_viewer* v, const char* user_id, const char* user_name, const char* profile_id,
                              const char* organisation_ods, const char* organisation_name, int relationship) {
  return guarded(v, "ilinks_viewer_set_context", [&] {
    auto given = [](const char* s) { return s && *s; };
    if (!given(user_id) || !given(profile_id) || !given(organisation_ods))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_context: user_id, profile_id and organisation_ods are required");
    if (!v->session.policy().profile(profile_id))
      return v->fail(ILINKS_ERROR_ARGUMENT, std::string("ilinks_viewer_set_context: '") + profile_id +
                                                "' is not a role profile of the policy (1a, 1b, 1c, 2a, 2b, 3a, 3b, 4, 5, 6, 7)");
    ilinks::Viewer who;
    who.user_id = user_id;
    who.user_name = given(user_name) ? user_name : user_id;
    who.profile = profile_id;
    who.organisation_ods = organisation_ods;
    who.organisation_name = given(organisation_name) ? organisation_name : organisation_ods;
    who.device = "ilinks C ABI " ILINKS_VERSION;
    v->session.set_viewer(who, relationship != 0);
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_set_patient(ilinks_viewer* v, const char* nhs_number) {
  return guarded(v, "ilinks_viewer_set_patient", [&] {
    std::string digits = nhs_number ? ilinks::normalise_nhs_number(nhs_number) : "";
    if (!digits.empty() && !ilinks::is_valid_nhs_number(digits))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_patient: not a valid NHS number (10 digits, modulus 11)");
    v->session.set_host_patient(digits);
    v->host_patient = digits;
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_set_audit_callback(ilinks_viewer* v, ilinks_audit_fn callback, void* user_data) {
  return guarded(v, "ilinks_viewer_set_audit_callback", [&] {
    v->audit_callback = callback;
    v->audit_user_data = user_data;
    ilinks::AuditSink sink;
    if (callback)
      sink = [v](const ilinks::AuditEvent& e) { return v->audit_callback(v->audit_user_data, e.to_json().c_str()) == 1; };
    v->session.set_audit_trail(std::make_shared<ilinks::AuditTrail>(v->session.policy().alerts(), "", sink));
    return v->ok();
  });
}

int ilinks_viewer_record_consent(ilinks_viewer* v, const char* method, const char* given_by) {
  return guarded(v, "ilinks_viewer_record_consent", [&] {
    if (!method || !given_by) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent: method and given_by are required");
    std::string by = given_by;
    if (by != "patient" && by != "representative")
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent: given_by must be \"patient\" or \"representative\"");
    const auto& methods = v->session.policy().consent_methods();
    if (std::find(methods.begin(), methods.end(), method) == methods.end())
      return v->fail(ILINKS_ERROR_ARGUMENT, std::string("ilinks_viewer_record_consent: consent: method \"") + method +
                                                "\" is not one the policy knows (verbal, written)");
    if (v->service) {
      v->act_at_service({{"action", "consent"}, {"method", method}, {"given_by", by}, {"scope", "user"}});
      return v->ok();
    }
    if (v->showing_service_view) return v->fail(ILINKS_ERROR_ARGUMENT, not_here("ilinks_viewer_record_consent"));
    v->session.record_consent(method, by);
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_record_consent_for(ilinks_viewer* v, const char* method, const char* given_by, const char* scope) {
  return guarded(v, "ilinks_viewer_record_consent_for", [&] {
    if (!method || !given_by || !scope)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent_for: method, given_by and scope are required");
    std::string by = given_by;
    if (by != "patient" && by != "representative")
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent_for: given_by must be \"patient\" or \"representative\"");
    ilinks::Consent::Scope chosen;
    if (!ilinks::consent_scope_from_id(scope, chosen))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_consent_for: scope must be user, organisation, team or all-participants");
    if (v->service) {
      v->act_at_service({{"action", "consent"}, {"method", method}, {"given_by", by}, {"scope", scope}});
      return v->ok();
    }
    if (v->showing_service_view) return v->fail(ILINKS_ERROR_ARGUMENT, not_here("ilinks_viewer_record_consent_for"));
    v->session.record_consent(method, by, chosen);
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_start_override(ilinks_viewer* v, const char* reason_code, const char* text) {
  return guarded(v, "ilinks_viewer_start_override", [&] {
    if (!reason_code || !text) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_start_override: reason_code and text are required");
    if (v->service) {
      v->act_at_service({{"action", "override"}, {"reason_code", reason_code}, {"text", text}});
      return v->ok();
    }
    if (v->showing_service_view) return v->fail(ILINKS_ERROR_ARGUMENT, not_here("ilinks_viewer_start_override"));
    v->session.start_override(reason_code, text);
    v->refresh();
    return v->ok();
  });
}

int ilinks_viewer_record_case_access(ilinks_viewer* v, const char* reason_code, const char* text) {
  return guarded(v, "ilinks_viewer_record_case_access", [&] {
    if (!reason_code || !text)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_record_case_access: reason_code and text are required");
    if (v->service) {
      v->act_at_service({{"action", "case-access"}, {"reason_code", reason_code}, {"text", text}});
      return v->ok();
    }
    if (v->showing_service_view) return v->fail(ILINKS_ERROR_ARGUMENT, not_here("ilinks_viewer_record_case_access"));
    v->session.record_case_access(reason_code, text);
    v->refresh();
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
    if (v->service) {
      v->act_at_service({{"action", "opt-outs"}, {"scope", std::string(scope) == "record" ? "whole-record" : scope},
                         {"value", value ? value : ""}});
      return v->ok();
    }
    if (v->showing_service_view) return v->fail(ILINKS_ERROR_ARGUMENT, not_here("ilinks_viewer_record_opt_out"));
    v->session.record_opt_out({*chosen, value ? value : ""});
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
