// <ilinks-record>: the integrated record as a custom element for web EPRs.
//
//   <script type="module" src="/widget/ilinks-record.js"></script>
//   <ilinks-record src="/fhir/Patient-123-everything.json"></ilinks-record>
//
// Attributes
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
//   request; with them, what the sharing policy allows, audited.
// Properties and methods
//   load(json, sourceName)   show a record the host already holds (string or bytes); also loadRecord
//   setViewer({ userId, userName, profile, organisation, organisationName, relationship })
//   recordConsent(method, givenBy)   "verbal"|"written", "patient"|"representative"
//   override(reasonCode, text)       an emergency override, in the user's own words
//   recordCaseAccess(reasonCode, text)   why the user needs the wider community record
//                            (Community tier 3: free text and documents, shared case by case)
//   setTab(id)               "summary", "community", "diagnostics", "hospital", "timeline"
//   mirrorText()             what is on screen as text (what a screen reader gets)
//   state                    "empty" (no src) | "loading" | "ready" (the record is drawn)
//                            | "error" (also the data-state attribute)
//   renderer                 the renderer in use: "webgl2" or "cpu"
// Events
//   ilinks-ready   detail { renderer }     the record is drawn and settled
//   ilinks-error   detail { message }      the record could not be shown; says why
//   ilinks-audit   detail { ...event }     each audit event (view, consent, override,
//                                          case-access, refusal) as written; the page may forward it
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
import { updateMirror } from './ilinks-mirror.js';
import { fetchPatientRecord } from './ilinks-fhir.js';
import { smartEhrLaunch } from './ilinks-smart.js';

const STYLE = `
:host { display: block; position: relative; min-height: 200px; contain: content; }
canvas { display: block; width: 100%; height: 100%; outline: none; }
.message { position: absolute; left: 16px; right: 16px; top: 48px; padding: 8px 12px;
  font: 14px "Liberation Sans", Arial, sans-serif; color: #212b32; background: #fff4c2;
  border-left: 4px solid #ffb81c; }
.message[hidden] { display: none; }
canvas:focus-visible { outline: 3px solid #ffeb3b; outline-offset: -3px; }
.mirror { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
const CONTEXT_ATTRIBUTES = ['user-id', 'user-name', 'profile', 'organisation', 'organisation-name', 'relationship'];

const OK = 0;

export class IlinksRecord extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'fhir-base', 'patient', 'iss', 'launch', 'today', 'nhs-number', ...CONTEXT_ATTRIBUTES];
  }

  // The bearer token for fhir-base: a property, never an attribute, so that it
  // is not in the page's markup.
  accessToken = '';

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
    if (!this.#started) this.#started = this.#start();
  }

  disconnectedCallback() {
    // The element may only be moving: keep the module (its memory goes with
    // the element when it is garbage), stop following the size meanwhile.
    this.#resizeObserver.disconnect();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.#module) return;
    if (['src', 'fhir-base', 'patient', 'iss', 'launch'].includes(name)) this.#loadFromSrc();
    if (name === 'today') this.#applyToday();
    if (CONTEXT_ATTRIBUTES.includes(name)) this.#applyContext();
    if (name === 'nhs-number') { this.#showNoOne(); this.#applyPatient(); }
  }

  async recordConsent(method = 'verbal', givenBy = 'patient') {
    await this.#started;
    this.#callChecked((M, p) => M._ilinks_viewer_record_consent(this.#viewer, p[0], p[1]), [method, givenBy]);
  }

  async override(reasonCode, text) {
    await this.#started;
    this.#callChecked((M, p) => M._ilinks_viewer_start_override(this.#viewer, p[0], p[1]), [reasonCode, text]);
  }

  async recordCaseAccess(reasonCode, text) {
    await this.#started;
    this.#callChecked((M, p) => M._ilinks_viewer_record_case_access(this.#viewer, p[0], p[1]), [reasonCode, text]);
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
    ++this.#loadSerial;  // a fetch still in flight must not replace this record
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
      if (name === 'consent-required') this.dispatchEvent(new CustomEvent('ilinks-consent-required', { bubbles: true }));
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
    if (this.hasAttribute('src') || (this.hasAttribute('fhir-base') && this.hasAttribute('patient')) ||
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
    const serial = ++this.#loadSerial;
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
    let bytes;
    try {
      const response = await fetch(src);
      if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      if (serial === this.#loadSerial) this.#fail(`${src}: could not be fetched: ${e.message}`);
      return;
    }
    if (serial === this.#loadSerial) this.#loadBytes(bytes, src);
  }

  #loadBytes(bytes, sourceName) {
    const M = this.#module;
    const data = M._malloc(Math.max(bytes.length, 1));
    M.HEAPU8.set(bytes, data);
    const rc = this.#call((M2, name) => M2._ilinks_viewer_load_fhir(this.#viewer, data, bytes.length, name), sourceName);
    M._free(data);
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
