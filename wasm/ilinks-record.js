// <ilinks-record>: the integrated record as a custom element for web EPRs.
//
//   <script type="module" src="/widget/ilinks-record.js"></script>
//   <ilinks-record src="/fhir/Patient-123-everything.json"></ilinks-record>
//
// Two modes. Service mode (the `service` and `nhs-number` attributes) is for
// every host outside a data holder's own boundary: the page never holds a
// record; a sharing service applies the policy, keeps the audit trail and
// sends the View made for the user its context token names. Direct mode (a
// record from `src`, `fhir-base` or `iss`, or load()) applies the policy in
// the page, and is only for hosts inside the boundary of the organisation
// that holds the record.
//
//   <ilinks-record service="https://ilinks.example.nhs.uk" nhs-number="9990000115"></ilinks-record>
//   element.tokenProvider = async (reason, { nhsNumber }) => (await epr.signContextToken(nhsNumber));
//
// Attributes
//   service    the sharing service's base URL: GET {service}/v1/view with
//              Authorization: Bearer <context token>, for the person in
//              nhs-number; src, fhir-base and iss are then not used
//   src        URL of a FHIR R4 Bundle or Patient resource (JSON) to show
//   fhir-base, patient   or: a FHIR server and a patient id; the record is
//              Patient/{id}/$everything, every page (set the accessToken
//              property first when the server needs a bearer token)
//   iss, launch [client-id]   or: a SMART App Launch (EHR launch): the widget
//              is authorized, takes the patient (and need_patient_banner)
//              from the launch context, and fetches the record from iss
//   today      YYYY-MM-DD: the date ages are counted to (default: today)
//   renderer   "auto" (WebGL2, else CPU), "webgl2" or "cpu"
//   nhs-number the person open in the EPR: a record about anyone else is refused
//   user-id, user-name, profile ("1a" ... "7"), organisation (ODS code),
//   organisation-name, relationship ("yes" when the EPR has established a
//   care relationship): who is looking. Without user-id, profile and
//   organisation the widget shows only the person's identity and a consent
//   request; with them, what the sharing policy allows, audited. In service
//   mode the token says who is looking: a change of these clears the screen
//   and asks the service again.
// Properties and methods
//   contextToken             service mode: a first context token, used once
//                            (a property, never an attribute: not in the markup)
//   tokenProvider            service mode: async (reason, { nhsNumber }) => token,
//                            asked for every request after contextToken;
//                            reason "request", or "expired" when the service
//                            refused the last one as expired (one retry)
//   refresh()                service mode: clears the screen and asks for the View
//                            again (the EPR's user or role changed)
//   load(json, sourceName)   show a record the host already holds (string or bytes); also loadRecord
//   setViewer({ userId, userName, profile, organisation, organisationName, relationship })
//   recordConsent(method, givenBy, scope)   "verbal"|"written", "patient"|"representative";
//                            scope (service mode) "user"|"organisation"|"team"|"all-participants"
//   override(reasonCode, text)       an emergency override, in the user's own words
//   recordCaseAccess(reasonCode, text)   why the user needs the wider community record
//                            (Community tier 3: free text and documents, shared case by case)
//   recordOptOut(scope, value)       the person restricts sharing ("whole-record",
//                            "segment", "setting", "label", "organisation"; "entry" in service mode)
//   withdrawConsent()        service mode: withdraws the consents that let this user in
//   In service mode each of these is a POST to the service, and the View it
//   answers is shown (after an opt-out the View is asked for again); so are the
//   widget's own consent, override and wider-access dialogs. A refusal leaves
//   the View on screen, says why in the message strip and in ilinks-error,
//   and rejects the returned promise.
//   setTab(id)               "summary", "community", "diagnostics", "hospital", "timeline"
//   mirrorText()             what is on screen as text (what a screen reader gets)
//   state                    "empty" (no src) | "loading" | "ready" (the record is drawn)
//                            | "error" (also the data-state attribute)
//   renderer                 the renderer in use: "webgl2" or "cpu"
// Events
//   ilinks-ready   detail { renderer }     the record is drawn and settled
//   ilinks-error   detail { message }      the record could not be shown, or an action was
//                                          refused; says why ("The sharing service refused: ...")
//   ilinks-audit   detail { ...event }     direct mode: each audit event (view, consent, override,
//                                          case-access, refusal) as written; the page keeps it.
//                  detail { informational: true, recordedBy: 'sharing service', action: 'view', basis }
//                                          service mode: one per View received. The service keeps
//                                          the audit trail; these are for the page's own interest.
//   ilinks-consent-required                the record waits for the person's consent
// Copying (the reader's "Copy text", Ctrl+C in the search box) goes to the
// browser clipboard, and only of what the View shows or the user typed.
//
// Accessibility: a hidden copy of the screen in DOM with ARIA roles follows
// what is drawn (the open tab, dialogs), and its controls work.
//
// Each element is its own module instance with its own canvas, so several
// records can sit on one page. The element draws only when something changed:
// an idle record costs the page no CPU.
import createIlinksModule from './ilinks.mjs';
import { forwardInput } from './ilinks-input.js';
import { clearMirror, updateMirror } from './ilinks-mirror.js';
import { fetchPatientRecord } from './ilinks-fhir.js';
import { Download } from './ilinks-download.js';
import { smartEhrLaunch } from './ilinks-smart.js';
import { SERVICE_ACTIONS, askService } from './ilinks-service.js';

const STYLE = `
:host { display: block; position: relative; min-height: 200px; contain: content; }
canvas { display: block; width: 100%; height: 100%; outline: none; }
/* At the foot: a refusal while a record is shown must never cover the banner (who this is). */
.message { position: absolute; left: 16px; right: 16px; bottom: 16px; padding: 8px 12px;
  font: 14px "Liberation Sans", Arial, sans-serif; color: #212b32; background: #fff4c2;
  border-left: 4px solid #ffb81c; }
.message[hidden] { display: none; }
canvas:focus-visible { outline: 3px solid #ffeb3b; outline-offset: -3px; }
.mirror { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
const CONTEXT_ATTRIBUTES = ['user-id', 'user-name', 'profile', 'organisation', 'organisation-name', 'relationship'];

const OK = 0;
// A download is given to the viewer in slices of this many bytes (each one
// read in a few milliseconds), the page's tasks running between them.
const SLICE = 256 * 1024;

// Resolves in a task of its own, after the tasks already queued (a resolved
// promise would not let them run; setTimeout is held back to 4 ms when nested).
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
}

export class IlinksRecord extends HTMLElement {
  static get observedAttributes() {
    return ['service', 'src', 'fhir-base', 'patient', 'iss', 'launch', 'today', 'nhs-number', ...CONTEXT_ATTRIBUTES];
  }

  // The bearer token for fhir-base: a property, never an attribute, so that it
  // is not in the page's markup.
  accessToken = '';
  // Service mode: a first context token (used once: the service accepts each
  // token once), then tokenProvider(reason, { nhsNumber }) for every request.
  // Properties, never attributes, and never shown, logged or put in an event.
  contextToken = '';
  tokenProvider = null;

  #module = null;
  #viewer = 0;
  #canvas;
  #message;
  #mirror;
  #mirrorVersion = -1;
  #renderer = null;
  #context2d = null;
  #pixels = 0;          // CPU renderer: RGBA buffer in the module's heap
  #pixelBytes = 0;
  #frameRequested = false;
  #loadSerial = 0;
  #recordLoaded = false;  // a record was accepted and is being (or has been) drawn
  #resizeObserver = new ResizeObserver(() => this.#schedule());
  #started = null;
  #reloadQueued = false;  // a service reload is due once the current task's attribute changes are done
  #consentAsked = false;  // the viewer itself said consent is required during the last View's load
  #early = null;          // the record's Download, started while the module starts
  #arriving = 0;          // the load serial of a record still arriving from src, or 0
  #download = null;       // its Download

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style><canvas part="canvas" tabindex="0" aria-hidden="true"></canvas>` +
      `<div class="message" role="alert" hidden></div><div class="mirror"></div>`;
    this.#canvas = root.querySelector('canvas');
    this.#message = root.querySelector('.message');
    this.#mirror = root.querySelector('.mirror');
  }

  get state() { return this.getAttribute('data-state') || 'loading'; }
  get renderer() { return this.#renderer; }

  connectedCallback() {
    this.#resizeObserver.observe(this);
    if (this.#started) return;
    // The record downloads while the WebAssembly compiles and starts, not
    // after: for a long record that is a third of a second sooner on screen.
    const src = this.getAttribute('src');
    if (src && !this.#serviceMode()) {
      this.#early = new Download(src);  // a failure is reported when the record is wanted, not here
    }
    this.#started = this.#start();
  }

  disconnectedCallback() {
    // The element may only be moving: keep the module (its memory goes with
    // the element when it is garbage), stop following the size meanwhile.
    this.#resizeObserver.disconnect();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.#module) return;
    if (name === 'service') {
      if (this.#serviceMode()) this.#loadFromService();
      else this.#loadFromSrc();
    }
    if (['src', 'fhir-base', 'patient', 'iss', 'launch'].includes(name) && !this.hasAttribute('service')) this.#loadFromSrc();
    if (name === 'today') this.#applyToday();
    // Who is looking: in service mode the token says it, so another user or
    // role means asking the service again (once, however many attributes changed).
    if (CONTEXT_ATTRIBUTES.includes(name)) {
      if (this.#serviceMode()) this.#reloadSoon();
      else this.#applyContext();
    }
    if (name === 'nhs-number') {
      const arriving = this.#arriving === this.#loadSerial;
      this.#showNoOne();  // which drops a record still arriving: it is asked for again, for this person
      this.#applyPatient();
      if (arriving && !this.hasAttribute('service')) this.#loadFromSrc();
      if (this.hasAttribute('service')) {
        this.#newLoad();  // an answer still on its way is about the previous person: never shown
        this.#recordLoaded = false;
        if (this.#serviceMode()) this.#loadFromService();
      }
    }
  }

  async recordConsent(method = 'verbal', givenBy = 'patient', scope = 'user') {
    await this.#started;
    if (this.#serviceMode()) return this.#serviceAction('/v1/consent', { method, given_by: givenBy, scope });
    if (scope === 'user') this.#callChecked((M, p) => M._ilinks_viewer_record_consent(this.#viewer, p[0], p[1]), [method, givenBy]);
    else this.#callChecked((M, p) => M._ilinks_viewer_record_consent_for(this.#viewer, p[0], p[1], p[2]), [method, givenBy, scope]);
  }

  async override(reasonCode, text) {
    await this.#started;
    if (this.#serviceMode()) return this.#serviceAction('/v1/override', { reason_code: reasonCode, text });
    this.#callChecked((M, p) => M._ilinks_viewer_start_override(this.#viewer, p[0], p[1]), [reasonCode, text]);
  }

  async recordCaseAccess(reasonCode, text) {
    await this.#started;
    if (this.#serviceMode()) return this.#serviceAction('/v1/case-access', { reason_code: reasonCode, text });
    this.#callChecked((M, p) => M._ilinks_viewer_record_case_access(this.#viewer, p[0], p[1]), [reasonCode, text]);
  }

  // The service answers an opt-out with its id, not a View: the View is asked for again.
  async recordOptOut(scope, value = '') {
    await this.#started;
    if (this.#serviceMode()) return this.#serviceAction('/v1/opt-outs', { scope, value }, { viewAgain: true });
    // The C ABI names the whole record "record"; the service's API "whole-record".
    const abiScope = scope === 'whole-record' ? 'record' : scope;
    this.#callChecked((M, p) => M._ilinks_viewer_record_opt_out(this.#viewer, p[0], p[1]), [abiScope, value]);
  }

  async withdrawConsent() {
    await this.#started;
    if (this.#serviceMode()) return this.#serviceAction('/v1/consent/withdraw', undefined);
    // Direct mode keeps consent for this session only: it ends with the user or person.
    const message = 'Withdrawing consent is kept by a sharing service: this element has no service attribute';
    this.dispatchEvent(new CustomEvent('ilinks-error', { detail: { message }, bubbles: true }));
    throw new Error(message);
  }

  // Service mode: the View again, for whoever the next context token names.
  async refresh() {
    await this.#started;
    if (this.#serviceMode()) await this.#loadFromService();
  }

  async setTab(id) {
    await this.#started;
    this.#callChecked((M, p) => M._ilinks_viewer_set_tab(this.#viewer, p[0]), [id]);
  }

  mirrorText() { return this.#module ? this.#mirrorOf(0) : ''; }

  // The names a vendor may look for first: loadRecord(json) is load(json);
  // setViewer({...}) sets the viewer attributes in one call.
  loadRecord(json, sourceName) { return this.load(json, sourceName); }
  setViewer({ userId, userName = '', profile, organisation, organisationName = '', relationship = false }) {
    const values = { 'user-id': userId, 'user-name': userName, profile, organisation, 'organisation-name': organisationName,
      relationship: relationship ? 'yes' : 'no' };
    for (const [name, value] of Object.entries(values)) this.setAttribute(name, value ?? '');
  }

  async load(json, sourceName = 'the record') {
    await this.#started;
    this.#newLoad();  // a fetch still in flight must not replace this record
    const bytes = typeof json === 'string' ? new TextEncoder().encode(json) : new Uint8Array(json);
    this.#loadBytes(bytes, sourceName);
  }

  async #start() {
    this.#setState('loading');
    try {
      this.#module = await createIlinksModule({
        canvas: this.#canvas,
        locateFile: (path) => new URL(path, import.meta.url).href,
      });
    } catch (e) {
      this.#fail(`The record viewer could not start: ${e.message}`);
      return;
    }
    const M = this.#module;
    const out = M._malloc(4);
    if (M._ilinks_viewer_create(out) !== OK) { this.#fail('The record viewer could not start: out of memory'); return; }
    this.#viewer = M.HEAPU32[out >> 2];
    M._free(out);
    M.onAudit = (json) => {
      this.dispatchEvent(new CustomEvent('ilinks-audit', { detail: JSON.parse(json), bubbles: true }));
      return true;
    };
    M._ilinks_wasm_attach_audit(this.#viewer);
    M.onEvent = (name, detail) => {
      if (name === 'consent-required') {
        this.#consentAsked = true;
        this.dispatchEvent(new CustomEvent('ilinks-consent-required', { bubbles: true }));
      }
      // The widget's own dialogs, when the View came from a service: the service acts.
      if (name === 'service-action') this.#onServiceAction(detail);
      if (name === 'error') this.dispatchEvent(new CustomEvent('ilinks-error', { detail: { message: detail }, bubbles: true }));
      // Copying is the user's own action in the widget (a button, Ctrl+C): the
      // text is what the View shows, or what they typed.
      if (name === 'copy') navigator.clipboard?.writeText(detail).catch(() => {});
    };
    M._ilinks_wasm_attach_events(this.#viewer);
    forwardInput(this.#canvas, {
      move: (x, y) => M._ilinks_viewer_mouse_move(this.#viewer, x, y),
      leave: () => M._ilinks_viewer_mouse_leave(this.#viewer),
      button: (b, down) => M._ilinks_viewer_mouse_button(this.#viewer, b, down),
      wheel: (dx, dy) => M._ilinks_viewer_mouse_wheel(this.#viewer, dx, dy),
      key: (code, down, mods) => M._ilinks_viewer_key(this.#viewer, code, down, mods),
      text: (t) => this.#call((M2, p) => M2._ilinks_viewer_text_input(this.#viewer, p), t),
      focus: (f) => M._ilinks_viewer_focus(this.#viewer, f),
      scale: () => this.#scale(),
      changed: () => this.#schedule(),
    });
    this.#applyContext();
    this.#applyPatient();

    const wanted = this.getAttribute('renderer') || 'auto';
    if (wanted !== 'cpu' && M._ilinks_wasm_attach_webgl2(this.#viewer) === 1) {
      this.#renderer = 'webgl2';
    } else if (wanted === 'webgl2') {
      this.#fail('WebGL2 is not available in this browser');
      return;
    } else {
      this.#renderer = 'cpu';
      this.#context2d = this.#canvas.getContext('2d');
    }
    this.#applyToday();
    if (this.#serviceMode()) await this.#loadFromService();
    else if (this.hasAttribute('src') || (this.hasAttribute('fhir-base') && this.hasAttribute('patient')) ||
        (this.hasAttribute('iss') && this.hasAttribute('launch'))) await this.#loadFromSrc();
    else { this.#setState('empty'); this.#schedule(); }
  }

  // Who is looking, from the attributes; the viewer shows what the policy allows.
  #applyContext() {
    if (!this.#module) return;
    const a = (name) => this.getAttribute(name) || '';
    if (!a('user-id') || !a('profile') || !a('organisation')) return;
    const rc = this.#call((M, p) => M._ilinks_viewer_set_context(this.#viewer, p[0], p[1], p[2], p[3], p[4],
      a('relationship') === 'yes' ? 1 : 0), [a('user-id'), a('user-name'), a('profile'), a('organisation'), a('organisation-name')]);
    if (rc !== OK) this.#fail(this.#lastError());
    this.#schedule();
  }

  // The person open in the EPR; a record about anyone else will be refused.
  #applyPatient() {
    if (!this.#module) return;
    if (this.#call((M, p) => M._ilinks_viewer_set_patient(this.#viewer, p), this.getAttribute('nhs-number') || '') !== OK)
      this.#fail(this.#lastError());
    this.#schedule();
  }

  // Calls the viewer; a failure becomes an ilinks-error (and a thrown Error for the caller).
  #callChecked(fn, texts) {
    const rc = this.#call(fn, texts);
    this.#schedule();
    if (rc !== OK) {
      const message = this.#lastError();
      this.dispatchEvent(new CustomEvent('ilinks-error', { detail: { message }, bubbles: true }));
      throw new Error(message);
    }
  }

  #mirrorOf(format) {
    const M = this.#module;
    const needed = M._malloc(4);
    M._ilinks_viewer_mirror(this.#viewer, format, 0, 0, needed);
    const size = M.HEAPU32[needed >> 2];
    const buffer = M._malloc(size);
    const rc = M._ilinks_viewer_mirror(this.#viewer, format, buffer, size, needed);
    const text = rc === OK ? M.UTF8ToString(buffer) : '';
    M._free(buffer);
    M._free(needed);
    return text;
  }

  // Presses the control drawn at `bounds` (device pixels), as a pointer would.
  #press(bounds) {
    if (!bounds) return;
    const M = this.#module;
    const x = bounds[0] + bounds[2] / 2, y = bounds[1] + bounds[3] / 2;
    M._ilinks_viewer_mouse_move(this.#viewer, x, y);
    M._ilinks_viewer_mouse_button(this.#viewer, 0, 1);
    M._ilinks_viewer_mouse_button(this.#viewer, 0, 0);
    this.#schedule();
  }

  #scale() { return Math.min(4, Math.max(0.5, window.devicePixelRatio || 1)); }

  #applyToday() {
    const today = this.getAttribute('today');
    if (!today || !this.#module) return;
    if (this.#call((M, s) => M._ilinks_viewer_set_today(this.#viewer, s), today) !== OK)
      this.#fail(this.#lastError());
    this.#schedule();
  }

  async #loadFromSrc() {
    const src = this.getAttribute('src');
    const serial = this.#newLoad();
    this.#recordLoaded = false;
    this.#showNoOne();
    this.#setState('loading');
    let base = this.getAttribute('fhir-base'), patient = this.getAttribute('patient');
    const iss = this.getAttribute('iss'), launch = this.getAttribute('launch');
    if (!src && iss && launch) {
      try {
        const context = await smartEhrLaunch(iss, launch, { clientId: this.getAttribute('client-id') || 'ilinks-viewer' });
        if (serial !== this.#loadSerial) return;
        this.accessToken = context.accessToken;
        this.#module._ilinks_viewer_set_banner(this.#viewer, context.needPatientBanner ? 1 : 0);
        this.dataset.patient = context.patient;  // which person the launch was for
        [base, patient] = [iss, context.patient];
      } catch (e) {
        if (serial === this.#loadSerial) this.#fail(e.message);
        return;
      }
    }
    if (!src && base && patient) {
      try {
        const bundle = await fetchPatientRecord(base, patient, { token: this.accessToken });
        if (serial === this.#loadSerial) this.#loadBytes(new TextEncoder().encode(JSON.stringify(bundle)), `${base}/Patient/${patient}`);
      } catch (e) {
        if (serial === this.#loadSerial) this.#fail(e.message);
      }
      return;
    }
    if (!src) return;
    const early = this.#early;
    this.#early = null;
    if (early && early.src !== src) early.cancel();
    await this.#loadArriving(early && early.src === src ? early : new Download(src), serial);
  }

  // Gives the record to the viewer chunk by chunk as it downloads: the viewer
  // reads its entries meanwhile, and little is left once the last byte is in.
  async #loadArriving(download, serial) {
    const M = this.#module;
    const src = download.src;
    let begun = false, scratch = 0, ranSince = performance.now();
    this.#arriving = serial;
    this.#download = download;
    try {
      for (;;) {
        let chunks;
        try {
          chunks = await download.next();
        } catch (e) {
          if (serial !== this.#loadSerial) return;
          if (begun) M._ilinks_viewer_clear(this.#viewer);  // what came is dropped, never shown
          this.#fail(`${src}: could not be fetched: ${e.message}`);
          return;
        }
        // Another record (or person) was asked for meanwhile: this one is not wanted.
        if (serial !== this.#loadSerial) { download.cancel(); return; }
        if (!begun) {
          const rc = this.#call((M2, name) => M2._ilinks_viewer_load_fhir_begin(this.#viewer, download.expected, name), src);
          if (rc !== OK) { this.#fail(this.#lastError()); return; }
          begun = true;
        }
        if (!chunks.length) break;
        for (const chunk of chunks) {
          for (let at = 0; at < chunk.length; at += SLICE) {
            const slice = chunk.subarray(at, at + SLICE);
            if (!scratch && !(scratch = M._malloc(SLICE))) {
              download.cancel();
              this.#fail(`${src}: could not be read: out of memory`);
              return;
            }
            M.HEAPU8.set(slice, scratch);
            if (M._ilinks_viewer_load_fhir_more(this.#viewer, scratch, slice.length) !== OK) {
              download.cancel();
              this.#fail(this.#lastError());
              return;
            }
            // While bytes are still coming, the page (and the download, which
            // the page's own tasks read) goes on between slices.
            if (!download.finished && performance.now() - ranSince > 8) {
              await nextTask();
              ranSince = performance.now();
              if (serial !== this.#loadSerial) { download.cancel(); return; }
            }
          }
        }
      }
    } finally {
      if (scratch) M._free(scratch);
      if (this.#arriving === serial) this.#arriving = 0;
    }
    this.#loaded(M._ilinks_viewer_load_fhir_end(this.#viewer));
  }

  // A new load's serial: whatever is still arriving for an earlier one is
  // never shown, and its download stops (so that its loader returns).
  #newLoad() {
    this.#download?.cancel();
    this.#download = null;
    return ++this.#loadSerial;
  }

  #serviceMode() { return this.hasAttribute('service') && !!this.getAttribute('nhs-number'); }

  #reloadSoon() {
    if (this.#reloadQueued) return;
    this.#reloadQueued = true;
    this.#showNoOne();  // the previous user's View goes at once
    queueMicrotask(() => { this.#reloadQueued = false; if (this.#serviceMode()) this.#loadFromService(); });
  }

  async #loadFromService() {
    const serial = this.#newLoad();
    this.#recordLoaded = false;
    this.#showNoOne();
    this.#setState('loading');
    try {
      const text = await this.#askService('GET', '/v1/view');
      if (serial === this.#loadSerial) this.#showView(text);
    } catch (e) {
      if (serial === this.#loadSerial) this.#fail(e.message);
    }
  }

  // A POST to the service; the View it answers (or, with viewAgain, the View
  // asked for afterwards) replaces the one on screen. A refusal leaves the
  // View on screen and says why; the caller's promise is rejected with it.
  async #serviceAction(route, body, { viewAgain = false } = {}) {
    const serial = this.#newLoad();
    try {
      let text = await this.#askService('POST', route, body);
      if (viewAgain && serial === this.#loadSerial) text = await this.#askService('GET', '/v1/view');
      if (serial === this.#loadSerial) this.#showView(text);
    } catch (e) {
      if (serial !== this.#loadSerial) return;  // another person (or action) since: not this View's business
      this.#refused(e.message);
      throw e;
    }
  }

  #onServiceAction(json) {
    let name, body;
    try {
      ({ action: name, ...body } = JSON.parse(json));
    } catch {
      name = '';
    }
    if (!SERVICE_ACTIONS[name] || !this.#serviceMode()) {
      this.#refused(`The widget asked the sharing service for "${name}", which this element cannot send`);
      return;
    }
    this.#serviceAction(SERVICE_ACTIONS[name], body).catch(() => {});  // already shown and dispatched
  }

  // One request with a fresh context token from the page (ilinks-service.js).
  #askService(method, route, body) {
    return askService(this, this.getAttribute('service'), this.getAttribute('nhs-number') || '', method, route, body);
  }

  // Shows a View the service made (ilinks-view/1); the service audited it.
  #showView(text) {
    const M = this.#module;
    if (typeof M._ilinks_viewer_load_view_json !== 'function') {
      this.#fail('This build of the record viewer cannot show a View from a sharing service (no ilinks_viewer_load_view_json)');
      return;
    }
    const bytes = new TextEncoder().encode(text);
    const data = M._malloc(Math.max(bytes.length, 1));
    M.HEAPU8.set(bytes, data);
    this.#consentAsked = false;
    const rc = this.#call((M2, name) => M2._ilinks_viewer_load_view_json(this.#viewer, data, bytes.length, name), 'the sharing service');
    M._free(data);
    this.#recordLoaded = rc === OK;
    if (rc !== OK) { this.#fail(this.#lastError()); return; }
    this.#message.hidden = true;
    this.#setState('loading');
    this.#schedule();
    let basis = '';
    try { basis = String(JSON.parse(text).basis || ''); } catch { /* load_view_json read it: it is JSON */ }
    // The service wrote the audit event; this one only tells the page a View arrived (no clinical content).
    this.dispatchEvent(new CustomEvent('ilinks-audit', {
      detail: { informational: true, recordedBy: 'sharing service', action: 'view', basis }, bubbles: true }));
    if (basis === 'consent-required' && !this.#consentAsked)
      this.dispatchEvent(new CustomEvent('ilinks-consent-required', { bubbles: true }));
  }

  // An action the service refused: the View stays; the strip and ilinks-error say why.
  #refused(message) {
    this.#message.textContent = message;
    this.#message.hidden = false;
    this.dispatchEvent(new CustomEvent('ilinks-error', { detail: { message }, bubbles: true }));
  }

  #loadBytes(bytes, sourceName) {
    const M = this.#module;
    const data = M._malloc(Math.max(bytes.length, 1));
    M.HEAPU8.set(bytes, data);
    const rc = this.#call((M2, name) => M2._ilinks_viewer_load_fhir(this.#viewer, data, bytes.length, name), sourceName);
    M._free(data);
    this.#loaded(rc);
  }

  // After a load: on screen once drawn, or why not.
  #loaded(rc) {
    this.#recordLoaded = rc === OK;
    if (rc !== OK) this.#fail(this.#lastError());
    else { this.#message.hidden = true; this.#setState('loading'); }
    this.#schedule();
  }

  // Calls fn(Module, cString) with `text` (or fn(Module, [cStrings]) with a
  // list of texts) copied into the module's heap for the call.
  #call(fn, text) {
    const M = this.#module;
    const texts = Array.isArray(text) ? text : [text];
    const ptrs = texts.map((t) => {
      const size = M.lengthBytesUTF8(t) + 1;
      const ptr = M._malloc(size);
      M.stringToUTF8(t, ptr, size);
      return ptr;
    });
    try { return fn(M, Array.isArray(text) ? ptrs : ptrs[0]); } finally { ptrs.forEach((p) => M._free(p)); }
  }

  // Another person was asked for: the previous one must not stay on screen
  // while (or if) the next record does not arrive.
  #showNoOne() {
    this.#module._ilinks_viewer_clear(this.#viewer);
    this.#message.hidden = true;
    // The accessible mirror too, now: it follows the canvas only once a frame
    // settles, and a screen reader must not read the previous person meanwhile.
    clearMirror(this.#mirror);
    this.#mirrorVersion = -1;
    this.#schedule();
  }

  #lastError() { return this.#module.UTF8ToString(this.#module._ilinks_viewer_last_error(this.#viewer)); }

  #schedule() {
    if (this.#frameRequested || !this.#viewer) return;
    this.#frameRequested = true;
    requestAnimationFrame(() => { this.#frameRequested = false; this.#frame(); });
  }

  #frame() {
    const M = this.#module;
    const scale = this.#scale();
    // The canvas's own box (the element's content box, not its border box):
    // backing pixels must map 1:1 to what is displayed, or the frame is stretched.
    const rect = this.#canvas.getBoundingClientRect();
    const width = Math.max(1, Math.round(rect.width * scale));
    const height = Math.max(1, Math.round(rect.height * scale));
    let resized = false;
    if (this.#canvas.width !== width || this.#canvas.height !== height) {
      this.#canvas.width = width;   // clears the canvas: it must be drawn again
      this.#canvas.height = height;
      resized = true;
    }
    M._ilinks_viewer_set_size(this.#viewer, width, height, scale);
    if (!resized && !M._ilinks_viewer_needs_redraw(this.#viewer)) return;

    const rc = this.#renderer === 'webgl2' ? M._ilinks_viewer_render_gl(this.#viewer) : this.#drawCpu(width, height);
    if (rc !== OK) { this.#fail(this.#lastError()); return; }

    if (M._ilinks_viewer_needs_redraw(this.#viewer)) { this.#schedule(); return; }
    // Settled: the accessible mirror follows what is now on screen (read
    // again only when it changed: a long record's mirror is large).
    const version = M._ilinks_viewer_mirror_version(this.#viewer);
    if (version !== this.#mirrorVersion) {
      this.#mirrorVersion = version;
      updateMirror(this.#mirror, this.#mirrorOf(1), (bounds) => this.#press(bounds));
    }
    if (this.#recordLoaded && this.state === 'loading') this.#ready();
  }

  #drawCpu(width, height) {
    const M = this.#module;
    const bytes = width * height * 4;
    if (this.#pixelBytes !== bytes) {
      if (this.#pixels) M._free(this.#pixels);
      this.#pixels = M._malloc(bytes);
      this.#pixelBytes = bytes;
    }
    const rc = M._ilinks_viewer_render_rgba(this.#viewer, this.#pixels, width * 4, bytes);
    if (rc === OK) {
      const view = new Uint8ClampedArray(M.HEAPU8.buffer, this.#pixels, bytes);
      this.#context2d.putImageData(new ImageData(view, width, height), 0, 0);
    }
    return rc;
  }

  #setState(state) { this.setAttribute('data-state', state); }

  #ready() {
    this.#setState('ready');
    this.dispatchEvent(new CustomEvent('ilinks-ready', { detail: { renderer: this.#renderer }, bubbles: true }));
  }

  #fail(message) {
    this.#message.textContent = message;
    this.#message.hidden = false;
    this.#setState('error');
    this.dispatchEvent(new CustomEvent('ilinks-error', { detail: { message }, bubbles: true }));
  }
}

if (!customElements.get('ilinks-record')) customElements.define('ilinks-record', IlinksRecord);
