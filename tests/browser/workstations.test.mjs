// Two workstations (issue 17): what one clinician records at their computer
// decides what another sees at theirs, because the sharing service keeps
// consent, opt-outs and overrides for everyone, and every View is made there.
//
// A real ilinks-service (SQLite store in this test's folder; the FHIR test
// server over the demo patients as the organisation holding the record) and
// the sample EPR (serve.mjs --service), which signs a context token for each
// request as its signed-in user. Headless Chromium with three browser
// contexts, three people signed in to that EPR (host-samples/web-epr/users.json):
//   gp        Dr A. Example, a GP (profile 1b) at Sample Practice (ZZ0099)
//   nurse     Nurse B. Example, a practice nurse (profile 7) at the same practice
//   hospital  Dr C. Jones, A&E (profile 6) at Aintree (REM): another organisation
// What each sees is read from the screen (the widget's accessible mirror, what
// a screen reader reads) and from the element (its state, and the basis of
// the last View it was sent).
//
// Run by ctest (tests/CMakeLists.txt, browser-workstations) with
// ILINKS_WIDGET_DIR, ILINKS_BIN, ILINKS_SOURCE_DIR and ILINKS_TEST_OUTPUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { env, startServer, launchChromium } from './harness.mjs';
import { AUDIENCE, ISSUER, makeIssuerKey, startFhirServer, startService, writeConfig } from '../service/service_harness.mjs';

const widgetDir = env('ILINKS_WIDGET_DIR');
const outDir = path.join(env('ILINKS_TEST_OUTPUT'), 'browser-workstations');
const TODAY = '2026-11-22';
const PEOPLE = {
  joe: { hash: 'joe', name: 'BRADSHAW, Joseph Edward' },
  joan: { hash: 'joan', name: 'MCALLISTER, Joan' },
  margaret: { hash: 'margaret', name: 'HUGHES, Margaret Rose' },
};
const CONSENT_REQUIRED = 'Consent required: ask the person whether you may view their shared record.';
const OPTED_OUT_NOTE = 'The person has asked that some or all of their record is not shared.';

let fhir, epr, service, configPath, browser;
const stations = {};

// A port for the service that the EPR can be told before the service starts
// (the EPR names the service; the service names the EPR's origin), and that a
// restarted service listens on again.
const freePort = () => new Promise((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
});

before(async () => {
  if (!fs.existsSync(path.join(widgetDir, 'ilinks.wasm')))
    throw new Error(`no WebAssembly build in ${widgetDir}: build it first (scripts/test does)`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fhir = await startFhirServer();
  const key = makeIssuerKey();
  const keyFile = path.join(outDir, 'epr-issuer-key.pem');
  fs.writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const port = await freePort();
  epr = await startServer('host-samples/web-epr/serve.mjs', ['--port', '0', '--widget', widgetDir,
    '--service', `http://127.0.0.1:${port}`, '--issuer-key', keyFile, '--issuer', ISSUER, '--audience', AUDIENCE],
  'the sample EPR server (service mode)');
  // The page is on the EPR's origin and the service on another: the service must allow it (CORS).
  configPath = writeConfig({ dir: outDir, key, port, store: { kind: 'sqlite', path: path.join(outDir, 'store.db') },
    organisations: [{ ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust',
      fhir: { base_url: `${fhir.url}/ok`, bearer_token: 'good-token', timeout_ms: 4000, attempts: 2, backoff_ms: 10 } }],
    browserOrigins: [new URL(epr.url).origin] });
  service = await startService({ configPath });
  browser = await launchChromium();
  for (const [name, user] of [['gp', 'dr.example'], ['nurse', 'nurse.example'], ['hospital', 'dr.jones']])
    stations[name] = await signIn(name, user);
});

after(async () => {
  await browser?.close();
  service?.kill();
  epr?.process.kill();
  fhir?.stop();
});

// One workstation: its own browser context (its own cookies, storage and
// widget), the EPR signed in as `user`.
async function signIn(name, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // The basis of every View the service sends this workstation, in order (the widget's informational ilinks-audit).
  await page.addInitScript(() => {
    window.__bases = [];
    document.addEventListener('ilinks-audit', (e) => { if (e.detail.informational) window.__bases.push(e.detail.basis); });
  });
  await page.goto(`${epr.url}?user=${user}&today=${TODAY}#patient=joe`);
  await settled(page, PEOPLE.joe);
  return { name, user, page, problems };
}

// Waits until the widget has drawn the View for `person` (their name in the
// banner, state ready); fails saying what is on screen instead.
async function settled(page, person) {
  const shows = () => page.evaluate(() => {
    const r = document.getElementById('record');
    const h = r.shadowRoot.querySelector('.mirror [role=heading][aria-level="1"]');
    return { state: r.state, heading: h?.textContent || '', message: r.shadowRoot.querySelector('.message').textContent };
  });
  try {
    await page.waitForFunction((name) => {
      const r = document.getElementById('record');
      const h = r.shadowRoot.querySelector('.mirror [role=heading][aria-level="1"]');
      return r.state === 'ready' && h?.textContent.startsWith(name);
    }, person.name, { timeout: 30000, polling: 50 });
  } catch (e) {
    assert.fail(`${person.name} was not shown within 30 s: ${JSON.stringify(await shows())}`);
  }
}

// The workstation opens `person` from its patient list and waits for their View.
async function open(station, person) {
  await station.page.evaluate((hash) => { location.hash = `patient=${hash}`; }, person.hash);
  await settled(station.page, person);
}

// The workstation asks the service again (as the EPR does when its user comes
// back to the record): the View for the person open now.
async function lookAgain(station, person) {
  await station.page.evaluate(() => document.getElementById('record').refresh());
  await settled(station.page, person);
}

// What the workstation shows: the basis of the last View (the element's
// state) and the text of each tab asked for (the screen, as read aloud).
async function screenOf(station, tabs = ['summary']) {
  return station.page.evaluate(async (tabs) => {
    const r = document.getElementById('record');
    const text = {};
    for (const tab of tabs) {
      await r.setTab(tab);
      for (let i = 0; i < 3; ++i) await new Promise((resolve) => requestAnimationFrame(resolve));
      text[tab] = r.mirrorText();
    }
    await r.setTab('summary');
    return { state: r.state, basis: window.__bases.at(-1), ...text };
  }, tabs);
}

// Calls a method of the workstation's widget; resolves with what it threw ('' when it did not).
const act = (station, method, ...args) => station.page.evaluate(async ({ method, args }) => {
  try { await document.getElementById('record')[method](...args); return ''; } catch (e) { return e.message; }
}, { method, args });

test('consent recorded for the organisation by the GP lets the practice nurse in, and not a doctor of another organisation', async () => {
  const { gp, nurse, hospital } = stations;
  for (const s of [gp, nurse, hospital]) {
    await open(s, PEOPLE.joe);
    const before = await screenOf(s);
    assert.equal(before.basis, 'consent-required', `${s.name} before consent`);
    assert.ok(before.summary.includes(CONSENT_REQUIRED), `${s.name} is asked for consent first:\n${before.summary}`);
    assert.ok(!before.summary.includes('Metformin'), `${s.name} sees no medication before consent:\n${before.summary}`);
  }

  assert.equal(await act(gp, 'recordConsent', 'verbal', 'patient', 'organisation'), '');
  const gpNow = await screenOf(gp);
  assert.equal(gpNow.basis, 'consent');
  assert.ok(gpNow.summary.includes('Metformin'), `the GP sees Joe's medication once consent is recorded:\n${gpNow.summary}`);

  // The nurse, at another computer of the same practice, looks again: the practice's consent lets her in.
  await lookAgain(nurse, PEOPLE.joe);
  const nurseNow = await screenOf(nurse);
  assert.equal(nurseNow.basis, 'consent', 'the nurse is let in by the consent the GP recorded for the practice');
  assert.match(nurseNow.summary, /Consent \(verbal\) given by patient, recorded .* by dr\.example\./,
    `the nurse's screen says who recorded the consent:\n${nurseNow.summary}`);
  assert.ok(nurseNow.summary.includes('Metformin'), `the nurse sees Joe's medication:\n${nurseNow.summary}`);
  assert.ok(!nurseNow.summary.includes(CONSENT_REQUIRED));

  // The A&E doctor at Aintree is another organisation: still asked for consent, shown nothing.
  await lookAgain(hospital, PEOPLE.joe);
  const hospitalNow = await screenOf(hospital, ['summary', 'diagnostics']);
  assert.equal(hospitalNow.basis, 'consent-required', 'the practice\'s consent does not reach another organisation');
  assert.ok(hospitalNow.summary.includes(CONSENT_REQUIRED), hospitalNow.summary);
  assert.ok(!hospitalNow.summary.includes('Metformin') && !hospitalNow.diagnostics.includes('HbA1c'),
    `the doctor at Aintree sees nothing of Joe's record:\n${hospitalNow.summary}\n${hospitalNow.diagnostics}`);
  await gp.page.screenshot({ path: path.join(outDir, 'gp-joe-consented.png') });
  await hospital.page.screenshot({ path: path.join(outDir, 'hospital-joe-consent-required.png') });
});

test('an opt-out recorded at one workstation is honoured at the other at once, and after the service restarts', async () => {
  const { gp, nurse } = stations;
  await open(gp, PEOPLE.joan);
  assert.equal(await act(gp, 'recordConsent', 'verbal', 'patient', 'organisation'), '');
  await open(nurse, PEOPLE.joan);
  const before = await screenOf(nurse, ['summary', 'diagnostics']);
  assert.equal(before.basis, 'consent');
  assert.ok(before.diagnostics.includes('Potassium') && before.diagnostics.includes('eGFR'),
    `the nurse sees Joan's test results before the opt-out:\n${before.diagnostics}`);

  // Joan asks the GP that her test results are not shared (segment D: Diagnostics).
  assert.equal(await act(gp, 'recordOptOut', 'segment', 'D'), '');
  const expectHonoured = async (station, when) => {
    const now = await screenOf(station, ['summary', 'diagnostics']);
    assert.equal(now.basis, 'consent', `${station.name} ${when}: the rest of the record is still shared`);
    assert.ok(!now.diagnostics.includes('Potassium') && !now.diagnostics.includes('eGFR'),
      `${station.name} ${when}: Joan's test results are no longer shown:\n${now.diagnostics}`);
    assert.ok(now.summary.includes('Bisoprolol'), `${station.name} ${when}: her medication is still shown:\n${now.summary}`);
    assert.ok(`${now.summary}\n${now.diagnostics}`.includes(OPTED_OUT_NOTE), `${station.name} ${when}: the screen says the person restricted sharing`);
  };
  await expectHonoured(gp, 'at once');
  await lookAgain(nurse, PEOPLE.joan);
  await expectHonoured(nurse, 'at once');

  // The service stops (as for a deployment) and starts again on the same store and port.
  service.kill('SIGTERM');
  assert.equal(await service.exited, 0, `the service did not stop cleanly: ${service.stderr()}`);
  service = await startService({ configPath });
  for (const station of [nurse, gp]) {
    await station.page.reload();  // a new widget: nothing kept in the page; Joan is still open (#patient=joan)
    await settled(station.page, PEOPLE.joan);
    await expectHonoured(station, 'after the service restarted');
  }
  await nurse.page.screenshot({ path: path.join(outDir, 'nurse-joan-opted-out-of-diagnostics.png') });
});

test('an emergency override shows as an override only to the doctor who made it', async () => {
  const { gp, nurse, hospital } = stations;
  await open(hospital, PEOPLE.margaret);
  assert.equal((await screenOf(hospital)).basis, 'consent-required');
  assert.equal(await act(hospital, 'override', 'emergency', 'Collapsed in A&E, unable to consent'), '');
  const theirs = await screenOf(hospital);
  assert.equal(theirs.basis, 'override');
  assert.match(theirs.summary, /EMERGENCY OVERRIDE: /, `the A&E doctor sees the override strip:\n${theirs.summary}`);
  await hospital.page.screenshot({ path: path.join(outDir, 'hospital-margaret-override.png') });

  // At the practice nobody has overridden or recorded consent for Margaret: both are still asked for consent.
  for (const s of [gp, nurse]) {
    await open(s, PEOPLE.margaret);
    const now = await screenOf(s);
    assert.equal(now.basis, 'consent-required', `${s.name}: another user's override is not theirs`);
    assert.ok(now.summary.includes(CONSENT_REQUIRED) && !now.summary.includes('EMERGENCY OVERRIDE'),
      `${s.name} is asked for consent, with no override on screen:\n${now.summary}`);
  }
  // With consent the GP sees the record on the basis of consent, never of the A&E doctor's override.
  assert.equal(await act(gp, 'recordConsent', 'verbal', 'patient', 'user'), '');
  const gpNow = await screenOf(gp);
  assert.equal(gpNow.basis, 'consent');
  assert.ok(!gpNow.summary.includes('EMERGENCY OVERRIDE'), gpNow.summary);
  // And the override still stands for the doctor who made it.
  await lookAgain(hospital, PEOPLE.margaret);
  assert.equal((await screenOf(hospital)).basis, 'override');
});

test('no workstation had a script error', () => {
  for (const s of Object.values(stations)) assert.deepEqual(s.problems, [], `${s.name}'s page`);
});
