/*
 * ilinks.h: the ilinks-viewer C ABI.
 *
 * Puts a person's integrated health and social care record inside a host
 * system. Plain C, callable from C, C++, C#, Delphi and Java; the WebAssembly
 * build exports the same functions to JavaScript.
 *
 * Conventions
 *   - Handles are opaque. The caller creates and destroys them.
 *   - Every call that can fail returns an ilinks_result; ILINKS_OK is 0.
 *     ilinks_viewer_last_error() then says what failed, where and why, in
 *     words fit for a support desk. It never repeats clinical content.
 *   - Strings are UTF-8 and NUL-terminated unless a size is given. Strings the
 *     library returns belong to the library; see each function for how long
 *     they stay valid.
 *   - Buffers are caller-owned: the library never keeps a pointer to them.
 *   - No exception, C++ type or allocation crosses this boundary.
 *   - Threads: all calls on all viewers come from one thread, the host's UI
 *     thread (Dear ImGui keeps one current context per library).
 *   - A handle used after ilinks_viewer_destroy is refused with
 *     ILINKS_ERROR_ARGUMENT (the library keeps the set of live viewers), as is
 *     NULL. Destroying twice is harmless.
 */
#ifndef ILINKS_H
#define ILINKS_H

#include <stddef.h>

/* ---- Version ------------------------------------------------------------ */
/* The header's version. Compare with ilinks_version() at run time: a library
 * with the same major version is ABI-compatible with this header. */
#define ILINKS_VERSION_MAJOR 0
#define ILINKS_VERSION_MINOR 4
#define ILINKS_VERSION_PATCH 0
#define ILINKS_VERSION "0.4.0"

#if defined(_WIN32)
#  if defined(ILINKS_BUILDING_LIBRARY)
#    define ILINKS_API __declspec(dllexport)
#  elif defined(ILINKS_STATIC)
#    define ILINKS_API
#  else
#    define ILINKS_API __declspec(dllimport)
#  endif
#else
#  define ILINKS_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Results -------------------------------------------------------------- */
typedef enum ilinks_result {
  ILINKS_OK = 0,
  ILINKS_ERROR_ARGUMENT = 1,  /* a NULL handle or pointer, a size out of range, a malformed value */
  ILINKS_ERROR_INPUT = 2,     /* the record could not be read; nothing from it is shown */
  ILINKS_ERROR_GRAPHICS = 3,  /* no usable OpenGL 3.2 / OpenGL ES 3 / WebGL2 context is current */
  ILINKS_ERROR_MEMORY = 4,    /* out of memory */
  ILINKS_ERROR_REFUSED = 5,   /* the policy refused: no viewer context, no relationship, an override not allowed */
  ILINKS_ERROR_AUDIT = 6,     /* the audit event could not be delivered: nothing is shown without it */
  ILINKS_ERROR_BUFFER = 7,    /* the caller's buffer is too small: *out_needed says how big it must be */
  ILINKS_ERROR_UNAVAILABLE = 8, /* the sharing service could not be reached, or is down (its store, its audit): try again (0.3) */
  ILINKS_ERROR_INTERNAL = 99  /* a bug in ilinks-viewer: please report the last error text */
} ilinks_result;

/* The runtime library version, "MAJOR.MINOR.PATCH". Static string. */
ILINKS_API const char* ilinks_version(void);

/* A short English description of a result code. Static string. */
ILINKS_API const char* ilinks_result_text(int result);

/* ---- Viewer lifetime ------------------------------------------------------ */
typedef struct ilinks_viewer ilinks_viewer;

/* Creates a viewer showing no record. On success *out_viewer is a new handle
 * the caller must pass to ilinks_viewer_destroy(). */
ILINKS_API int ilinks_viewer_create(ilinks_viewer** out_viewer);

/* Destroys a viewer and everything it holds. NULL is ignored. If the viewer
 * drew with OpenGL, its GL context must be current (or already destroyed). */
ILINKS_API void ilinks_viewer_destroy(ilinks_viewer* viewer);

/* The message of the last failed call on this viewer, or "" after a success.
 * Valid until the next call on the same viewer. */
ILINKS_API const char* ilinks_viewer_last_error(const ilinks_viewer* viewer);

/* ---- The record ------------------------------------------------------------ */
/* Loads a FHIR R4 Bundle (any type) or a Patient resource, as JSON bytes
 * (`size` bytes; need not be NUL-terminated). `source_name` (may be NULL)
 * names the input in error messages. On ILINKS_ERROR_INPUT the viewer shows
 * no record rather than a previous person's. With a viewer context set, what
 * is shown is decided by the sharing policy and audited (ILINKS_ERROR_REFUSED
 * or ILINKS_ERROR_AUDIT when it may not be shown). A record about someone
 * other than the person set with ilinks_viewer_set_patient is refused. */
ILINKS_API int ilinks_viewer_load_fhir(ilinks_viewer* viewer, const char* data, size_t size,
                                       const char* source_name);

/* A record that arrives in pieces, such as a download (ABI 0.4): its bytes
 * are given as they come, and most of the reading is done by the time the
 * last one is in. The outcome is ilinks_viewer_load_fhir's with all the bytes.
 *   ilinks_viewer_load_fhir_begin(viewer, expected_size, source_name);
 *   ilinks_viewer_load_fhir_more(viewer, data, size);   (as often as needed)
 *   ilinks_viewer_load_fhir_end(viewer);                (loads it: results as ilinks_viewer_load_fhir)
 * `expected_size` (0: not known) is a hint, such as a Content-Length.
 * Begin takes the previous record off screen at once. Another begin, any
 * other load, or ilinks_viewer_clear abandons an arriving record: more and
 * end are then refused (ILINKS_ERROR_ARGUMENT). A failed more abandons it too. */
ILINKS_API int ilinks_viewer_load_fhir_begin(ilinks_viewer* viewer, size_t expected_size, const char* source_name);
ILINKS_API int ilinks_viewer_load_fhir_more(ilinks_viewer* viewer, const char* data, size_t size);
ILINKS_API int ilinks_viewer_load_fhir_end(ilinks_viewer* viewer);

/* Fetches a person's record from a FHIR R4 server and loads it (ABI 0.2):
 * Patient/{patient_id}/$everything with Bundle paging (or searches kind by
 * kind when the server has no $everything), `bearer_token` (may be NULL) as
 * "Authorization: Bearer", each request timed out after `timeout_ms` (0: 15 s)
 * and tried again on 429 and 5xx. Blocks until done: call it from a worker
 * thread's own viewer, or accept the wait. ILINKS_ERROR_INPUT with the reason
 * in words (401, 403, 404, a timeout, the server's OperationOutcome text).
 * Native builds only; in the browser the widget fetches (fhir-base attribute). */
ILINKS_API int ilinks_viewer_load_fhir_server(ilinks_viewer* viewer, const char* base_url, const char* patient_id,
                                              const char* bearer_token, long timeout_ms);

/* Shows no record: call it as soon as the host switches to another person,
 * before that person's record has arrived, so the previous person is never on
 * screen in the meantime. */
ILINKS_API int ilinks_viewer_clear(ilinks_viewer* viewer);

/* ---- Who is looking (ABI 0.2) ---------------------------------------------- */
/* The person using the host: their user id and name, their role profile
 * ("1a" ... "7", SHARING-MODEL.md table 6), their organisation's ODS code and
 * name, and whether the host has established a legitimate (care)
 * relationship with the person whose record is loaded (1) or not (0).
 * Until it is set the viewer shows only the person's identity and a consent
 * request, audits nothing and offers nothing else. Setting it again shows the
 * record again through the policy, audited; another user (or role, or
 * organisation) must ask for consent again. */
ILINKS_API int ilinks_viewer_set_context(ilinks_viewer* viewer, const char* user_id, const char* user_name,
                                         const char* profile_id, const char* organisation_ods,
                                         const char* organisation_name, int legitimate_relationship);

/* The person open in the host, by NHS number (10 digits, spaces allowed):
 * a record about anyone else is refused (ILINKS_ERROR_REFUSED) and nothing of
 * it is shown. NULL or "" forgets it; then the loaded record's own NHS number
 * stands in (only for hosts that load nothing but the open person's record). */
ILINKS_API int ilinks_viewer_set_patient(ilinks_viewer* viewer, const char* nhs_number);

/* Receives every audit event as one JSON object (ilinks/audit.h AuditEvent),
 * as it is written: views, refusals, consent and overrides. `event_json` is
 * valid during the call only. Return 1 when the event is safely kept, 0 when
 * not: a view whose event is not kept is not shown (fail closed). Without a
 * callback events are kept in the viewer's memory only. */
typedef int (*ilinks_audit_fn)(void* user_data, const char* event_json);
ILINKS_API int ilinks_viewer_set_audit_callback(ilinks_viewer* viewer, ilinks_audit_fn callback, void* user_data);

/* ---- Consent and override (ABI 0.2) ----------------------------------------- */
/* The person consented to this viewing: `method` "verbal" or "written",
 * `given_by` "patient" or "representative". Audited; the record then shows.
 * The widget's own consent dialog does the same. */
ILINKS_API int ilinks_viewer_record_consent(ilinks_viewer* viewer, const char* method, const char* given_by);

/* Starts an emergency override: `reason_code` from the policy (for example
 * "emergency", "unconscious") and the user's own words (at least 10
 * characters). Refused (ILINKS_ERROR_REFUSED, with the reason) for a role that
 * may not override. Audited, with an alert to the privacy officer. */
ILINKS_API int ilinks_viewer_start_override(ilinks_viewer* viewer, const char* reason_code, const char* text);

/* Records why the user needs the wider community record of the person loaded
 * (Community tier 3: free text and documents, shared "on an individual case
 * basis"): `reason_code` from the policy (for example "extended-team",
 * "case-review") and the user's own words (at least 10 characters). Audited
 * (a "case-access" event, no alert); the record then shows Community tier 3
 * for this user and person until the grant ends. It is forgotten when another
 * user, role or organisation takes over or another person is loaded or set.
 * Refused (ILINKS_ERROR_REFUSED, with the reason; the attempt is audited) for
 * a role whose level does not reach it, an unknown reason or too few words;
 * ILINKS_ERROR_AUDIT when its event cannot be written. The widget offers the
 * same on its Community tab ("Record why you need it..."). Added in 0.2. */
ILINKS_API int ilinks_viewer_record_case_access(ilinks_viewer* viewer, const char* reason_code, const char* text);

/* The person restricts sharing (an opt-out), audited; it wins even over an
 * override. `scope`: "record" (everything), "segment" ("S", "C", "D", "H"),
 * "setting" ("mental_health", "social_care", ...), "label" (an HL7 v3
 * security label, "PSY"), "organisation" (an ODS code). */
ILINKS_API int ilinks_viewer_record_opt_out(ilinks_viewer* viewer, const char* scope, const char* value);

/* ---- Through a sharing service (ABI 0.3) ---------------------------------------
 * Hosts outside the data holders' boundary never hold a record: a sharing
 * service (README "The sharing service") applies the policy, audits, and
 * sends the View made for the user named in a signed context token. The
 * viewer then draws that View and nothing else; its own policy and audit are
 * not used (the service did both), and the widget's dialogs (consent,
 * override, wider access) act at the service. Two ways:
 *   - the library calls the service itself (native builds: libcurl):
 *     ilinks_viewer_set_service, then ilinks_viewer_load_from_service;
 *   - the host calls it and hands over each answer:
 *     ilinks_viewer_load_view_json, with ilinks_viewer_on_service_action. */

/* Shows a View a sharing service made: the JSON body of its GET /v1/view
 * (or of a consent, override or wider-access POST), format "ilinks-view/1".
 * It is read strictly: another format, an unknown member, a value of the
 * wrong type or more than 64 MB is refused (ILINKS_ERROR_INPUT, saying what
 * and where) and then no record is shown. A View about someone other than
 * the person set with ilinks_viewer_set_patient is refused
 * (ILINKS_ERROR_REFUSED). Added in 0.3. */
ILINKS_API int ilinks_viewer_load_view_json(ilinks_viewer* viewer, const char* data, size_t size,
                                            const char* source_name);

/* The user finished one of the widget's dialogs while it shows a View from a
 * service the host calls itself. `action_json` names the service route and
 * holds its body:
 *   {"action":"consent","method":"verbal","given_by":"patient","scope":"user"}
 *   {"action":"override","reason_code":"emergency","text":"..."}
 *   {"action":"case-access","reason_code":"extended-team","text":"..."}
 * The host POSTs the rest to /v1/{action} and loads the View it answers
 * with ilinks_viewer_load_view_json. Valid during the call only. Added in 0.3. */
typedef void (*ilinks_service_action_fn)(void* user_data, const char* action_json);
ILINKS_API int ilinks_viewer_on_service_action(ilinks_viewer* viewer, ilinks_service_action_fn callback, void* user_data);

/* Gives a context token for the next request to the service: a JWT the
 * host's own issuer signed for the signed-in user and the person open
 * (README "Context tokens"). The service accepts each token once, so this is
 * called for every request. `reason`: 0 a request needs a token, 1 the last
 * one was refused as expired (one more try is made). Write it NUL-terminated
 * into `buffer` and return its length; return 0 when there is none (nothing
 * is sent), or the length needed when it does not fit (it is asked again
 * with a buffer that big). */
typedef size_t (*ilinks_token_fn)(void* user_data, int reason, char* buffer, size_t buffer_size);

/* Native builds: the viewer calls the sharing service at `base_url` itself
 * (https, or http for a service on this machine), with tokens from
 * `token_provider`, each request timed out after `timeout_ms` (0: 15 s).
 * From then ilinks_viewer_record_consent(_for), ilinks_viewer_start_override,
 * ilinks_viewer_record_case_access, ilinks_viewer_record_opt_out and the
 * widget's dialogs go to the service and show the View it answers. NULL
 * base_url goes back to showing records the host loads. Each request blocks
 * the calling thread until it is answered or times out. Setting the context
 * or the person takes a service's View off screen: load it again. In the browser the
 * <ilinks-record> element calls the service (its "service" attribute): this
 * call is refused there (ILINKS_ERROR_ARGUMENT). Added in 0.3. */
ILINKS_API int ilinks_viewer_set_service(ilinks_viewer* viewer, const char* base_url, ilinks_token_fn token_provider,
                                         void* user_data, long timeout_ms);

/* Fetches the View of the person named in the token from the service set
 * with ilinks_viewer_set_service and shows it. The screen is cleared first.
 * ILINKS_ERROR_REFUSED (the token or the policy refused), ILINKS_ERROR_UNAVAILABLE
 * (no answer, or the service's store or audit is down), ILINKS_ERROR_INPUT (an
 * answer that is not a View), each with the service's own words. Added in 0.3. */
ILINKS_API int ilinks_viewer_load_from_service(ilinks_viewer* viewer);

/* Consent with its scope (0.3): `scope` "user" (this user only, as
 * ilinks_viewer_record_consent), "organisation" (everyone in the user's
 * organisation), "team" (the user's team) or "all-participants" (everyone in
 * the sharing agreement). */
ILINKS_API int ilinks_viewer_record_consent_for(ilinks_viewer* viewer, const char* method, const char* given_by,
                                                const char* scope);

/* ---- Callbacks (ABI 0.2) -------------------------------------------------------
 * Each is called on the calling thread, during the call that caused it (a load,
 * a frame); strings are valid during the call only. NULL removes a callback. */

/* The record is loaded but may not be shown until the person consents: the
 * host may ask in its own way (or leave it to the widget's button). */
typedef void (*ilinks_consent_request_fn)(void* user_data);
ILINKS_API int ilinks_viewer_on_consent_request(ilinks_viewer* viewer, ilinks_consent_request_fn callback, void* user_data);

/* Something the user did in the widget failed (a refused override or wider
 * access from its dialog): the same words ilinks_viewer_last_error gives. */
typedef void (*ilinks_error_fn)(void* user_data, int result, const char* message);
ILINKS_API int ilinks_viewer_on_error(ilinks_viewer* viewer, ilinks_error_fn callback, void* user_data);

/* The user opened a letter, document or report: `document_json` is
 * {"resource_type", "id", "title", "date", "source", "text"}, all from the View.
 * Return 1 when the host shows it itself, 0 for the widget's own reader. */
typedef int (*ilinks_open_document_fn)(void* user_data, const char* document_json);
ILINKS_API int ilinks_viewer_on_open_document(ilinks_viewer* viewer, ilinks_open_document_fn callback, void* user_data);

/* The user copied text (the reader's "Copy text", Ctrl+C in a text field):
 * put it on the system clipboard. Only what the View holds, or the user
 * typed, is ever passed. */
typedef void (*ilinks_copy_fn)(void* user_data, const char* text);
ILINKS_API int ilinks_viewer_on_copy(ilinks_viewer* viewer, ilinks_copy_fn callback, void* user_data);

/* ---- What is on screen (ABI 0.2) --------------------------------------------- */
/* Opens a tab: "summary", "community", "diagnostics", "hospital", "timeline". */
ILINKS_API int ilinks_viewer_set_tab(ilinks_viewer* viewer, const char* tab_id);

/* The accessible text mirror of the screen (ilinks/mirror.h): format 0 is
 * plain text in reading order, 1 is JSON with ARIA roles and the place of
 * each control. Writes a NUL-terminated string into the caller's buffer; when
 * it does not fit, returns ILINKS_ERROR_BUFFER and sets *out_needed (bytes,
 * with the NUL). `out_needed` may be NULL. */
ILINKS_API int ilinks_viewer_mirror(ilinks_viewer* viewer, int format, char* buffer, size_t buffer_size,
                                    size_t* out_needed);

/* A number that changes whenever the mirror would read differently (content,
 * tab, filter, a dialog, a control's place). A long record's mirror is large:
 * hosts keep their copy and read it again only when this changes. 0 for NULL. */
ILINKS_API unsigned long ilinks_viewer_mirror_version(const ilinks_viewer* viewer);

/* ---- Input (ABI 0.2), in device pixels from the surface's top-left ----------- */
/* Keys the viewer understands; hosts map their own key codes to these. */
typedef enum ilinks_key {
  ILINKS_KEY_TAB = 1, ILINKS_KEY_LEFT, ILINKS_KEY_RIGHT, ILINKS_KEY_UP, ILINKS_KEY_DOWN, ILINKS_KEY_PAGE_UP,
  ILINKS_KEY_PAGE_DOWN, ILINKS_KEY_HOME, ILINKS_KEY_END, ILINKS_KEY_INSERT, ILINKS_KEY_DELETE, ILINKS_KEY_BACKSPACE,
  ILINKS_KEY_SPACE, ILINKS_KEY_ENTER, ILINKS_KEY_ESCAPE, ILINKS_KEY_A, ILINKS_KEY_C, ILINKS_KEY_F, ILINKS_KEY_V,
  ILINKS_KEY_X, ILINKS_KEY_Y, ILINKS_KEY_Z
} ilinks_key;
/* Modifier bits for ilinks_viewer_key. */
#define ILINKS_MOD_CTRL 1
#define ILINKS_MOD_SHIFT 2
#define ILINKS_MOD_ALT 4
#define ILINKS_MOD_SUPER 8

ILINKS_API int ilinks_viewer_mouse_move(ilinks_viewer* viewer, float x, float y);
ILINKS_API int ilinks_viewer_mouse_leave(ilinks_viewer* viewer);
/* button: 0 primary, 1 secondary, 2 middle; down: 1 pressed, 0 released. */
ILINKS_API int ilinks_viewer_mouse_button(ilinks_viewer* viewer, int button, int down);
/* In lines; positive dy scrolls up (towards the top of the record). */
ILINKS_API int ilinks_viewer_mouse_wheel(ilinks_viewer* viewer, float dx, float dy);
ILINKS_API int ilinks_viewer_key(ilinks_viewer* viewer, int key, int down, int modifiers);
/* Characters typed, UTF-8 (what the keyboard produced, not key codes). */
ILINKS_API int ilinks_viewer_text_input(ilinks_viewer* viewer, const char* utf8);
ILINKS_API int ilinks_viewer_focus(ilinks_viewer* viewer, int focused);

/* ---- Surface -------------------------------------------------------------- */
/* The drawing surface in device pixels (1..16384 each way) and the DPI scale
 * (device pixels per logical pixel, 0.5..4): text is rasterised at that scale.
 * Default 800 x 600 at 1. */
ILINKS_API int ilinks_viewer_set_size(ilinks_viewer* viewer, int width_px, int height_px, float scale);

/* 1: the viewer draws its own patient banner (default); 0: the host shows
 * one already (a SMART launch with need_patient_banner false). */
ILINKS_API int ilinks_viewer_set_banner(ilinks_viewer* viewer, int shown);

/* The date ages are counted to, "YYYY-MM-DD". Default: today, local time.
 * For prints and reproducible images. */
ILINKS_API int ilinks_viewer_set_today(ilinks_viewer* viewer, const char* yyyy_mm_dd);

/* ---- Drawing -------------------------------------------------------------- */
/* 1 when something changed since the last frame drawn, else 0 (and 0 for a
 * NULL viewer). Hosts draw only when this says so: an idle record costs
 * nothing. */
ILINKS_API int ilinks_viewer_needs_redraw(const ilinks_viewer* viewer);

/* Draws one frame into a caller-owned 8-bit RGBA buffer of the viewer's size.
 * `stride_bytes` >= 4 * width; `buffer_size` >= stride_bytes * height. No GPU
 * is used. The buffer is overwritten whole. */
ILINKS_API int ilinks_viewer_render_rgba(ilinks_viewer* viewer, unsigned char* pixels, int stride_bytes,
                                         size_t buffer_size);

/* Draws one frame into the current framebuffer of the OpenGL 3.2+ (or ES 3 /
 * WebGL2) context current on this thread, at the viewer's size. The first
 * call compiles shaders in that context. All GL state the viewer changes is
 * restored unless ilinks_viewer_set_gl_context_owned() said otherwise. */
ILINKS_API int ilinks_viewer_render_gl(ilinks_viewer* viewer);

/* owned = 1: the GL context is the viewer's alone, so it need not save and
 * restore GL state around each frame (much faster under WebGL). Default 0. */
ILINKS_API int ilinks_viewer_set_gl_context_owned(ilinks_viewer* viewer, int owned);

#ifdef __cplusplus
}
#endif
#endif /* ILINKS_H */
