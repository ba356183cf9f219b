// What crosses the wire to the browser, tested as an attacker would: in
// service mode the page never holds a record, so nothing the policy withheld
// may reach the browser at all, not only the screen.
//
// The records the native leak test planted markers in (build/test-output/leaks,
// written by ilinks_leak_tests; ctest runs it first) are held by two
// organisations' FHIR endpoints (tests/service/leak_sources.mjs) behind a real
// ilinks-service. A page of this test's own, on another origin (the service
// lists it in browser_origins), holds <ilinks-record service=... nhs-number=...>
// whose tokenProvider signs each request's context token for one case's
// viewer. For every record, role profile and standing (no consent, consent,
// override, no relationship) the viewer's standing is set up through the
// widget (recordConsent, recordCaseAccess, override), the View is asked for
// again, and every tab is read. Every
// response body the browser receives (page.on('response')) is kept:
//   - no marker (QZ<n>X) of an item withheld from that viewer may be in any byte;
//   - a View that shows no record holds no marker at all;
//   - the final View holds the marker of every item shown, and so does the screen.
// Then direct mode (the page hands the widget the whole record, as a host
// inside the holder's boundary does): the withheld markers DO arrive there,
// captured the same way, so the test proves the difference it claims, and
// that its capture would see a record passed through.
//
// Run by ctest (browser-wire-leaks) with ILINKS_WIDGET_DIR, ILINKS_BIN,
// ILINKS_SOURCE_DIR and ILINKS_TEST_OUTPUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, launchChromium, servePage, WALK_THE_WINDOWS } from './harness.mjs';
import { makeIssuerKey, sign, startService } from '../service/service_harness.mjs';
import { OVERRIDE_WORDS, VIEWER_ODS, WIDER_ACCESS_WORDS, leakOrganisations, markersIn, roundsOf, startLeakFhir } from '../service/leak_sources.mjs';

const widgetDir = env('ILINKS_WIDGET_DIR');
const leaksDir = path.join(env('ILINKS_TEST_OUTPUT'), 'leaks');
const outDir = path.join(env('ILINKS_TEST_OUTPUT'), 'browser-wire-leaks');
const PAGE = `<!doctype html><meta charset="utf-8"><title>wire leaks</title><body style="margin:0">
<script type="module">import '/widget/ilinks-record.js';</script>`;

let fhir, site, browser, page;
const services = [];
const key = makeIssuerKey();
// The case being run: whom the tokens name, which step it is at, and every response the page received.
let current = { phase: 'load', viewer: null, related: true, responses: [] };
const problems = [];

before(async () => {
  if (!fs.existsSync(path.join(leaksDir, 'index.json')))
    throw new Error(`no planted records in ${leaksDir}: ilinks_leak_tests writes them (ctest runs it first)`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fhir = await startLeakFhir();
  site = await servePage(PAGE, { '/widget/': widgetDir, '/records/': leaksDir });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 })).newPage();
  await page.addInitScript(WALK_THE_WINDOWS);
  page.on('pageerror', (e) => problems.push(e.message));
  // The EPR's back end, as the widget's tokenProvider reaches it: a token for this case's viewer.
  await page.exposeFunction('contextToken', (nhsNumber) => sign(key, current.viewer, nhsNumber, { relationship: current.related }));
  // The records direct mode fetches pass through here, their bodies kept as
  // they cross the wire: the widget reads them as a stream as they arrive,
  // and the browser keeps no copy of a body read that way for r.body().
  const recordBodies = new Map();
  await page.route('**/records/**', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    recordBodies.set(route.request().url(), body.toString('utf8'));
    await route.fulfill({ response, body });
  });
  // Every response, its body read in full (a body that cannot be read fails the case: unread is unchecked).
  page.on('response', (r) => {
    const kept = { what: `${r.request().method()} ${new URL(r.url()).pathname}`, url: r.url(), status: r.status(), phase: current.phase };
    kept.body = recordBodies.has(r.url()) ? Promise.resolve(recordBodies.get(r.url()))
      : r.body().then((b) => b.toString('utf8'), (e) => { kept.unread = e.message; return ''; });
    current.responses.push(kept);
  });
  await page.goto(site.url);
  // Waits until an element is no longer loading (ready, error, or empty: no one open).
  await page.evaluate(() => {
    window.settled = async (r) => {
      for (let i = 0; i < 600 && (r.state === 'loading' || !r.hasAttribute('data-state')); ++i)
        await new Promise((resolve) => setTimeout(resolve, 20));
    };
  });
});

after(async () => {
  await browser?.close();
  for (const svc of services) { svc.kill(); await svc.exited; }
  fhir?.close();
  site?.close();
});

// ---- In the page ------------------------------------------------------------------------------

// A fresh element: service mode when `service` is given (no one open yet:
// takeStanding opens the person), else direct mode with the record at `src`
// for the person `nhs`. Resolves with its state once settled.
async function mount({ service, nhs, src }) {
  document.body.innerHTML = '';
  const r = document.createElement('ilinks-record');
  r.id = 'record';
  r.style.cssText = 'display:block;width:1000px;height:700px';
  r.setAttribute('today', '2026-11-22');
  if (service) {
    r.tokenProvider = (reason, { nhsNumber }) => window.contextToken(nhsNumber);
    r.setAttribute('service', service);
  } else {
    r.setViewer({ userId: 'direct-gp', userName: 'Dr Direct', profile: '1b', organisation: 'ZZVIEW', relationship: true });
    r.setAttribute('src', src);
    r.setAttribute('nhs-number', nhs);
  }
  document.body.append(r);
  await window.settled(r);
  return r.state;
}

// Sets up the viewer's standing through the widget; returns what it refused, in its words.
async function takeStanding({ nhs, standing, widerAccess, overrideWords, widerAccessWords }) {
  const r = document.getElementById('record');
  const refused = [];
  const attempt = async (what) => { try { await what(); } catch (e) { refused.push(e.message); } };
  // The View for this viewer before anything is recorded: the person opened, or asked for again.
  if (r.getAttribute('nhs-number') !== nhs) {
    r.setAttribute('nhs-number', nhs);
    await window.settled(r);
  } else await attempt(() => r.refresh());
  if (standing === 'consent') await attempt(() => r.recordConsent('verbal', 'patient', 'user'));
  if (standing === 'consent' && widerAccess) await attempt(() => r.recordCaseAccess('extended-team', widerAccessWords));
  if (standing === 'override') await attempt(() => r.override('emergency', overrideWords));
  return refused;
}

// The View the viewer is finally sent, and what is on screen: the text
// mirror (what a screen reader reads) of every tab. (The reader, the
// clipboard and the page's events are browser-leaks' part: the same View.)
async function readScreen() {
  const r = document.getElementById('record');
  try { await r.refresh(); } catch { /* refused: said in the strip, which is read below */ }
  const out = [];
  const settle = async () => {
    for (let i = 0; i < 4; ++i) await new Promise((resolve) => requestAnimationFrame(resolve));
  };
  for (const tab of ['summary', 'community', 'diagnostics', 'hospital', 'timeline']) {
    try { await r.setTab(tab); } catch { continue; }  // no View to show a tab of
    out.push(r.mirrorText());
    await settle();
    await window.walkTheWindows(r, settle, out);
  }
  return out.join('\n');
}

// ---- The run ----------------------------------------------------------------------------------

// Runs `step` in the page as `phase` of the current case.
async function step(phase, fn, arg) {
  current.phase = phase;
  return page.evaluate(fn, arg);
}

// Every response the current case received, with its body.
async function received() {
  const responses = current.responses;
  current.responses = [];
  for (const r of responses) r.body = await r.body;
  return responses;
}

test('in service mode no byte the browser receives holds what the View withheld; in direct mode it does', { timeout: 900000 }, async () => {
  const index = JSON.parse(fs.readFileSync(path.join(leaksDir, 'index.json'), 'utf8'));
  assert.ok(index.length >= 11, `only ${index.length} planted records`);
  const failures = [];
  const fail = (where, what, body) => {
    failures.push(`${where}: ${what}`);
    if (body !== undefined && failures.length <= 100)
      fs.writeFileSync(path.join(outDir, `failure-${failures.length}.txt`), `${where}\n${what}\n\n${body}`);
  };
  // What is not a View (the page, the widget's own files) holds nothing of any record.
  const noRecordIn = (responses, where) => {
    for (const res of responses) {
      const found = markersIn(res.body);
      if (found.size || res.unread) fail(where, `${res.url} (${res.status}) holds markers ${[...found].slice(0, 10)} ${res.unread || ''}`);
    }
  };
  let cases = 0, serviceResponses = 0, withheldChecked = 0, shownChecked = 0, directProofs = 0;
  noRecordIn(await received(), 'the page');

  for (const [r, round] of roundsOf(index).entries()) {
    for (const input of round) fhir.share(`r${r}`, JSON.parse(fs.readFileSync(path.join(leaksDir, input.file), 'utf8')));
    const dir = path.join(outDir, `round-${r}`);
    const svc = await startService({ dir, key, store: { kind: 'sqlite', path: path.join(dir, 'store.db') },
      organisations: leakOrganisations(fhir.url, `r${r}`),
      limits: { record_cache_seconds: 3600, fetch_deadline_ms: 20000, request_timeout_ms: 60000 }, browserOrigins: [site.origin] });
    services.push(svc);

    for (const input of round) {
      const byCase = (profile, standing) => input.cases.find((c) => c.profile === profile && c.standing === standing);

      // Direct mode: the whole record handed to the widget. The capture must see the withheld markers.
      current.viewer = null;
      const directState = await step('direct', mount, { nhs: input.nhs_number, src: `/records/${input.file}` });
      if (directState !== 'ready') fail(`${input.name}, direct mode`, `the widget did not show the record (${directState})`);
      const direct = new Set();
      for (const res of await received()) for (const m of markersIn(res.body)) direct.add(m);
      for (const c of input.cases) {
        const missing = c.withheld.filter((m) => !direct.has(m));
        if (missing.length) fail(`${input.name}, profile ${c.profile}, ${c.standing}, direct mode`,
          `withheld markers did not cross the wire in direct mode (the test would prove nothing): ${missing.slice(0, 10)}`);
        else if (c.withheld.length) ++directProofs;
      }

      // Service mode: a widget of its own for this record, then every case in turn.
      await step('load', mount, { service: svc.url });
      const loaded = await received();  // the widget's own files again; no one is open yet, so nothing is asked of the service
      noRecordIn(loaded, `${input.name}, service mode, before anyone is open`);
      if (loaded.some((res) => res.url.startsWith(svc.url))) fail(input.name, 'the widget asked the service before a person was open');
      for (const c of input.cases) {
        const where = `${input.name}, profile ${c.profile}, ${c.standing}`;
        const user = `wire-${r}-${input.nhs_number}-${c.profile}-${c.standing.replace(/ /g, '-')}`;
        current.viewer = { user, name: 'A Tester', profile: c.profile, ods: VIEWER_ODS, orgName: 'Leak Test Viewer' };
        current.related = c.standing !== 'no relationship';
        ++cases;
        await step('before', takeStanding, { nhs: input.nhs_number, standing: c.standing, widerAccess: c.wider_access, overrideWords: OVERRIDE_WORDS,
          widerAccessWords: WIDER_ACCESS_WORDS });
        const screen = await step('final', readScreen);
        const before = byCase(c.profile, c.standing === 'no relationship' ? 'no relationship' : 'no consent');
        const responses = await received();
        let finalView;
        for (const res of responses) {
          if (res.unread) fail(where, `${res.what} (${res.status}): its body could not be read: ${res.unread}`);
          if (!res.url.startsWith(svc.url)) { fail(where, `a response from elsewhere: ${res.url}`); continue; }
          ++serviceResponses;
          // The View before the standing is set is the no-consent one; after, this case's.
          const expected = res.phase === 'before' && res.what === 'GET /v1/view' ? before : c;
          const found = markersIn(res.body);
          const leaked = expected.withheld.filter((m) => found.has(m));
          if (leaked.length) fail(where, `${res.what} (${res.status}) holds withheld markers ${leaked.slice(0, 20)}`, res.body);
          else if (found.size && !expected.shows_record)
            fail(where, `${res.what} (${res.status}) holds markers though it shows no record: ${[...found].slice(0, 20)}`, res.body);
          if (res.phase === 'final' && res.what === 'GET /v1/view') finalView = { res, found };
        }
        if (!finalView) fail(where, 'no View was received after the standing was set');
        else if (c.shows_record) {
          const missing = c.on_screen.filter((m) => !finalView.found.has(m));
          if (missing.length) fail(where, `the final View lacks ${missing.length} markers of items it shows: ${missing.slice(0, 20)}`, finalView.res.body);
        }
        const onScreen = markersIn(screen);
        const shownWithheld = c.withheld.filter((m) => onScreen.has(m));
        if (shownWithheld.length) fail(where, `withheld markers on screen: ${shownWithheld.slice(0, 20)}`, screen);
        const notShown = c.on_screen.filter((m) => !onScreen.has(m));
        if (notShown.length) fail(where, `${notShown.length} shown items are not on screen: ${notShown.slice(0, 20)}`, screen);
        if (!c.shows_record && onScreen.size) fail(where, `markers on screen though no record is shown: ${[...onScreen].slice(0, 20)}`, screen);
        withheldChecked += c.withheld.length;
        shownChecked += c.shows_record ? c.on_screen.length : 0;
      }
    }
    svc.kill();
    await svc.exited;
  }

  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({
    cases, serviceResponses, withheldChecked, shownChecked, directProofs, failures: failures.length }, null, 1));
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} failures (bodies in ${outDir}/failure-*.txt)`);
  assert.deepEqual(problems, [], 'script errors in the page');
  assert.ok(cases >= 11 * 11 * 4, `only ${cases} cases`);
  assert.ok(serviceResponses >= cases * 2, `only ${serviceResponses} responses from the service were checked`);
  assert.ok(withheldChecked > 10000, `only ${withheldChecked} withheld markers were checked`);
  assert.ok(shownChecked > 1000, `only ${shownChecked} shown markers were checked`);
  assert.ok(directProofs > 100, `only ${directProofs} cases showed their withheld markers crossing the wire in direct mode`);
});
