// Browser tests of the <ilinks-record> widget in the sample web EPR, in Debian's
// headless Chromium (WebGL2 through SwiftShader), driven by playwright-core.
//
// Run by ctest with: ILINKS_WIDGET_DIR (wasm dist/), ILINKS_BIN (native bin/ with
// ilinks-render and png-compare), ILINKS_TEST_OUTPUT (where screenshots go).
//
// Tolerance for "matches the CPU render": at most 0.5% of pixels may differ by
// more than 2 levels in any channel (measured under SwiftShader: see README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, startServer, startSampleEpr, launchChromium, launchChromiumProfile } from './harness.mjs';
import { PNG } from 'pngjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const widgetDir = env('ILINKS_WIDGET_DIR');
const binDir = env('ILINKS_BIN');
const outDir = env('ILINKS_TEST_OUTPUT');
const TODAY = '2026-11-22';
const TOLERANCE = ['--channel-tolerance', '2', '--max-differing-percent', '0.5'];

let server, baseUrl, browser, fhirServer, fhirUrl;

before(async () => {
  if (!fs.existsSync(path.join(widgetDir, 'ilinks.wasm')))
    throw new Error(`no WebAssembly build in ${widgetDir}: build it first (scripts/test does)`);
  ({ process: server, url: baseUrl } = await startSampleEpr(widgetDir));
  // The FHIR test server (tests/fetch/fhir_test_server.mjs) on another port.
  ({ process: fhirServer, url: fhirUrl } = await startServer('tests/fetch/fhir_test_server.mjs',
    [path.join(repo, 'host-samples/demo-patients')], 'the FHIR test server'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
  fhirServer?.kill();
});

async function openPatient(patient, { initScript, query = '' } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(`${baseUrl}?today=${TODAY}${query}#patient=${patient}`);
  await page.waitForSelector('ilinks-record[data-state="ready"], ilinks-record[data-state="error"]', { timeout: 30000 });
  assert.equal(await page.getAttribute('#record', 'data-state'), 'ready', `widget error: ${await messageOf(page)}`);
  assert.deepEqual(problems, []);
  return page;
}

const messageOf = (page) => page.locator('#record .message').textContent();

// Screenshots the widget's canvas, renders the same record with ilinks-render
// at the same size, and compares them; returns the screenshot's path.
async function compareWithCpuRender(page, patientFile, name, viewer = SIGNED_IN_GP) {
  const canvas = page.locator('#record canvas');
  const { width, height } = await canvas.evaluate((c) => ({ width: c.width, height: c.height }));
  const shot = path.join(outDir, `${name}.png`);
  const cpu = path.join(outDir, `${name}.cpu.png`);
  await canvas.screenshot({ path: shot });
  execFileSync(path.join(binDir, 'ilinks-render'), ['--record', path.join(repo, 'host-samples/demo-patients', patientFile),
    '--out', cpu, '--size', `${width}x${height}`, '--today', TODAY,
    ...viewer]);
  try {
    execFileSync(path.join(binDir, 'png-compare'), [shot, cpu, ...TOLERANCE, '--diff', path.join(outDir, `${name}.diff.png`)],
      { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`${name}: the browser frame differs from the CPU render: ${e.stdout}${e.stderr} (see ${shot})`);
  }
  return shot;
}

// The sample EPR's signed-in user, as ilinks-render options: a GP at ZZ0099,
// before anyone has recorded consent.
const SIGNED_IN_GP = ['--profile', '1b', '--organisation', 'ZZ0099', '--user', 'dr.example', '--consent', 'none'];

// Waits until the widget's accessible mirror (hidden DOM, updated once a frame
// has settled) has an element matching `selector` whose text includes `text`.
async function waitForMirror(page, selector, text = '') {
  await page.locator(`#record .mirror ${selector}`, { hasText: text }).first().waitFor({ state: 'attached', timeout: 15000 });
}

// Clicks the canvas where the mirror says a control is drawn, as a user would.
async function clickControl(page, selector, text) {
  const control = page.locator(`#record .mirror ${selector}`, { hasText: text }).first();
  const bounds = (await control.getAttribute('data-bounds')).split(',').map(Number);
  const box = await page.locator('#record canvas').boundingBox();
  await page.mouse.click(box.x + bounds[0] + bounds[2] / 2, box.y + bounds[1] + bounds[3] / 2);
}

// Pixels of the banner's white surface and of dark text, to know the frame is no blank.
function census(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  let white = 0, dark = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = png.data.subarray(i, i + 3);
    if (r === 255 && g === 255 && b === 255) white++;
    if (r < 80 && g < 80 && b < 80) dark++;
  }
  return { white, dark };
}

test('the sample EPR shows the patient banner, drawn with WebGL2, as the CPU renders it', async () => {
  const page = await openPatient('margaret');
  assert.equal(await page.evaluate(() => document.getElementById('record').renderer), 'webgl2');
  const shot = await compareWithCpuRender(page, 'margaret-hughes.json', 'browser-webgl2-margaret-hughes');
  const { white, dark } = census(shot);
  assert.ok(white > 50000, `the banner's surface is missing (${white} white pixels)`);
  assert.ok(dark > 1000, `the banner's text is missing (${dark} dark pixels)`);
  await page.screenshot({ path: path.join(outDir, 'browser-sample-epr-page.png') });
  await page.close();
});

test('without WebGL2 the widget falls back to the CPU rasterizer and draws the same', async () => {
  const noWebGL2 = () => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  };
  const page = await openPatient('margaret', { initScript: noWebGL2 });
  assert.equal(await page.evaluate(() => document.getElementById('record').renderer), 'cpu');
  await compareWithCpuRender(page, 'margaret-hughes.json', 'browser-cpu-margaret-hughes');
  await page.close();
});

test('choosing another patient in the EPR shows that person', async () => {
  const page = await openPatient('margaret');
  await page.click('a[data-patient="harold"]');
  await page.waitForFunction(() => {
    const r = document.getElementById('record');
    return r.getAttribute('src').endsWith('harold-winstanley.json') && r.dataset.state === 'ready';
  }, null, { timeout: 30000 });
  await compareWithCpuRender(page, 'harold-winstanley.json', 'browser-webgl2-harold-winstanley');
  await page.close();
});

test('a record that cannot be fetched is reported in words, and no one is shown', async () => {
  const page = await openPatient('margaret');
  await page.evaluate(() => document.getElementById('record').setAttribute('src', '/patients/no-such-person.json'));
  await page.waitForSelector('ilinks-record[data-state="error"]', { timeout: 30000 });
  assert.match(await messageOf(page), /no-such-person\.json: could not be fetched: the server answered 404/);
  const shot = path.join(outDir, 'browser-after-failed-fetch.png');
  await page.waitForTimeout(200);
  await page.locator('#record canvas').screenshot({ path: shot });
  assert.equal(census(shot).white, 0, 'the previous patient is still on screen after a failed fetch');
  await page.close();
});

test('a record that is not FHIR is refused with the reason from the component', async () => {
  const page = await openPatient('margaret');
  const state = await page.evaluate(async () => {
    const r = document.getElementById('record');
    await r.load('{"resourceType":"Observation","id":"x"}', 'pasted.json');
    return r.dataset.state;
  });
  assert.equal(state, 'error');
  assert.match(await messageOf(page), /pasted\.json: holds no Patient resource/);
  // The previous patient's banner is gone: the canvas is the empty page colour.
  await page.waitForTimeout(200);
  const shot = path.join(outDir, 'browser-after-refused-record.png');
  await page.locator('#record canvas').screenshot({ path: shot });
  assert.equal(census(shot).white, 0, 'the previous patient is still on screen');
  await page.close();
});

test('while the next patient is being fetched, the previous one is no longer shown', async () => {
  const page = await openPatient('margaret');
  // Hold the next record's response back, and look at the widget meanwhile.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/patients/joe-bradshaw.json', async (route) => { await held; await route.continue(); });
  await page.click('a[data-patient="joe"]');
  await page.waitForSelector('ilinks-record[data-state="loading"]');
  await page.waitForTimeout(300);
  const shot = path.join(outDir, 'browser-while-fetching.png');
  await page.locator('#record canvas').screenshot({ path: shot });
  assert.equal(census(shot).white, 0, 'the previous patient is on screen while the next one loads');
  release();
  await page.waitForSelector('ilinks-record[data-state="ready"]', { timeout: 30000 });
  await compareWithCpuRender(page, 'joe-bradshaw.json', 'browser-webgl2-joe-bradshaw');
  await page.close();
});

test('an element moved elsewhere in the page still follows its size', async () => {
  const page = await openPatient('joe');
  const width = await page.evaluate(async () => {
    const r = document.getElementById('record');
    const holder = document.createElement('div');
    holder.style.cssText = 'width: 500px; height: 300px; display: flex;';
    document.body.prepend(holder);
    holder.append(r);  // disconnect + connect
    await new Promise((resolve) => setTimeout(resolve, 500));
    return r.shadowRoot.querySelector('canvas').width;
  });
  assert.equal(width, 500 - 2);  // the element's 1px border on each side
  await page.close();
});

test('the sample server answers a malformed URL with 400 and keeps serving', async () => {
  const bad = await fetch(`${baseUrl}%E0%A4%A`);
  assert.equal(bad.status, 400);
  assert.equal((await fetch(`${baseUrl}patients/index.json`)).status, 200);
});

test('the sample EPR lets a browser keep the widget\'s code, asking each time whether it changed', async () => {
  const tags = new Set();
  for (const file of ['ilinks.wasm', 'ilinks.mjs', 'ilinks-record.js']) {
    const first = await fetch(`${baseUrl}widget/${file}`);
    assert.equal(first.status, 200, file);
    assert.equal(first.headers.get('cache-control'), 'no-cache', file);
    // The tag is the file's own (SHA-256), so another build of the widget is another tag.
    const bytes = fs.readFileSync(path.join(widgetDir, file));
    const etag = first.headers.get('etag');
    assert.equal(etag, `"${crypto.createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`, file);
    assert.equal(Buffer.compare(Buffer.from(await first.arrayBuffer()), bytes), 0, `${file}: sent whole`);
    tags.add(etag);
    const same = await fetch(`${baseUrl}widget/${file}`, { headers: { 'if-none-match': etag } });
    assert.equal(same.status, 304, `${file}: unchanged, not sent again`);
    assert.equal((await same.arrayBuffer()).byteLength, 0);
    assert.equal(same.headers.get('etag'), etag, file);
    assert.equal(same.headers.get('cache-control'), 'no-cache', file);
    const other = await fetch(`${baseUrl}widget/${file}`, { headers: { 'if-none-match': '"another-version"' } });
    assert.equal(other.status, 200, `${file}: another version is sent whole`);
  }
  assert.equal(tags.size, 3);
});

test('the sample EPR never lets a browser keep a patient\'s record, nor its pages', async () => {
  // The SMART sign-in's return page is the widget's, but its address carries the sign-in code.
  for (const url of ['patients/joe-bradshaw.json', 'patients/index.json', '', 'index.html',
    'widget/smart-callback.html?code=a-sign-in-code&state=s', 'widget/package.json', 'rules/policy.json']) {
    const response = await fetch(`${baseUrl}${url}`, { headers: { 'if-none-match': '"anything"' } });
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get('cache-control'), 'no-store', url);
    assert.equal(response.headers.get('etag'), null, url);
  }
});

test('a second visit to the sample EPR takes the widget from the browser\'s cache once the server says it is unchanged', async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ilinks-profile-'));
  let context;
  try {
    context = await launchChromiumProfile(profile, { viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    // Per widget file: whether the browser asked "changed since?" and how many body bytes came.
    const visit = async () => {
      const seen = {}, reading = [];
      const listen = (r) => {
        const name = new URL(r.url()).pathname;
        if (!name.startsWith('/widget/') && !name.startsWith('/patients/')) return;
        reading.push((async () => {
          seen[name] = { asked: 'if-none-match' in (await r.request().allHeaders()), bytes: (await r.request().sizes()).responseBodySize };
        })());
      };
      page.on('response', listen);
      await page.goto('about:blank');  // a new visit, not a move within the page
      await page.goto(`${baseUrl}?today=${TODAY}#patient=joe`);
      await page.waitForSelector('ilinks-record[data-state="ready"]', { timeout: 30000 });
      page.off('response', listen);
      await Promise.all(reading);  // each response's headers and sizes read before they are judged
      return seen;
    };
    const first = await visit();
    assert.ok(first['/widget/ilinks.wasm']?.bytes > 1e6, JSON.stringify(first));
    const second = await visit();
    for (const file of ['/widget/ilinks.wasm', '/widget/ilinks.mjs', '/widget/ilinks-record.js'])
      assert.deepEqual(second[file], { asked: true, bytes: 0 }, `${file}: ${JSON.stringify(second)}`);
    // The record itself came whole again: the browser kept none of it.
    assert.ok(second['/patients/joe-bradshaw.json']?.bytes > 1000, JSON.stringify(second));
    assert.equal(second['/patients/joe-bradshaw.json'].asked, false);
  } finally {
    try {
      await context?.close();
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }
});

test('an idle widget draws no frames', async () => {
  const countFrames = () => {
    window.__frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((t) => { window.__frames++; cb(t); });
  };
  const page = await openPatient('joe', { initScript: countFrames });
  await page.waitForTimeout(300);  // let the last settle frame run
  const before = await page.evaluate(() => window.__frames);
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.__frames), before, 'frames were drawn while nothing changed');
  await page.close();
});

test('with consent the whole record shows, and WebGL2 draws each tab as the CPU renders it', async () => {
  const page = await openPatient('joe', { query: '&profile=1a&organisation=ZZTEST' });
  await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient'));
  await waitForMirror(page, '[role=tabpanel]', '');
  const viewer = ['--profile', '1a', '--organisation', 'ZZTEST', '--user', 'dr.example', '--consent', 'given'];
  const summary = await compareWithCpuRender(page, 'joe-bradshaw.json', 'browser-webgl2-joe-consented-summary', viewer);
  assert.ok(census(summary).dark > 2000, 'the record\'s lists are drawn');
  await page.evaluate(() => document.getElementById('record').setTab('diagnostics'));
  await waitForMirror(page, '[role=tabpanel][aria-label=Diagnostics]');
  await compareWithCpuRender(page, 'joe-bradshaw.json', 'browser-webgl2-joe-consented-diagnostics',
    [...viewer, '--tab', 'diagnostics']);
  await page.close();
});

test('without WebGL2 the consented record is drawn by the CPU rasterizer, the same', async () => {
  const page = await openPatient('brenda', { query: '&renderer=cpu&profile=1a&organisation=ZZTEST' });
  assert.equal(await page.evaluate(() => document.getElementById('record').renderer), 'cpu');
  await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient'));
  await page.evaluate(() => document.getElementById('record').setTab('diagnostics'));
  await waitForMirror(page, '[role=tabpanel][aria-label=Diagnostics]');
  await compareWithCpuRender(page, 'brenda-kelly.json', 'browser-cpu-brenda-consented-diagnostics',
    ['--profile', '1a', '--organisation', 'ZZTEST', '--user', 'dr.example', '--consent', 'given', '--tab', 'diagnostics']);
  await page.close();
});

test('the consent dialog in the widget, used with the mouse, records consent: audited, and the record shows', async () => {
  const page = await openPatient('joe');
  const audit = [];
  await page.exposeFunction('noteAudit', (e) => audit.push(e));
  await page.evaluate(() => document.getElementById('record').addEventListener('ilinks-audit', (e) => window.noteAudit(e.detail)));
  await waitForMirror(page, 'button', 'Record consent...');
  await clickControl(page, 'button', 'Record consent...');
  await waitForMirror(page, '[role=dialog]', '');
  await page.screenshot({ path: path.join(outDir, 'browser-consent-dialog.png') });
  await clickControl(page, '[role=dialog] button', 'Record consent');
  await waitForMirror(page, '[role=tabpanel]', '');
  assert.deepEqual(audit.map((e) => e.action), ['consent', 'view']);
  assert.equal(audit[0].user_id, 'dr.example');
  assert.equal(audit[1].basis, 'consent');
  await page.close();
});

test('the hidden accessible mirror follows the open tab, and the keyboard moves between tabs', async () => {
  const page = await openPatient('margaret', { query: '&profile=6&organisation=RVY' });
  await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient'));
  await waitForMirror(page, '[role=tab][aria-selected=true]', 'Summary');
  const mirror = page.locator('#record .mirror');
  assert.equal(await mirror.locator('[role=heading][aria-level="1"]').textContent(), 'HUGHES, Margaret Rose (Mrs)');
  assert.ok(await mirror.locator('[role=listitem]', { hasText: 'Resuscitation: Not for resuscitation' }).count() === 1);
  await page.locator('#record canvas').focus();
  await page.keyboard.press('Control+PageDown');
  await waitForMirror(page, '[role=tab][aria-selected=true]', 'Community');
  assert.equal(await mirror.locator('[role=tabpanel]').getAttribute('aria-label'), 'Community');
  // A screen reader user presses a tab in the mirror: the widget opens it.
  await mirror.locator('[role=tab]', { hasText: 'Hospital' }).dispatchEvent('click');
  await waitForMirror(page, '[role=tab][aria-selected=true]', 'Hospital');
  await page.close();
});

test('an emergency override marks the record and its audit event carries the reason', async () => {
  const page = await openPatient('joe', { query: '&profile=6&organisation=ZZAE01' });
  const audit = [];
  await page.exposeFunction('noteAudit', (e) => audit.push(e));
  await page.evaluate(() => document.getElementById('record').addEventListener('ilinks-audit', (e) => window.noteAudit(e.detail)));
  await page.evaluate(() => document.getElementById('record').override('unconscious', 'Brought in unconscious by ambulance'));
  await waitForMirror(page, '[role=alert]', 'EMERGENCY OVERRIDE');
  const override = audit.find((e) => e.action === 'override');
  assert.ok(override, 'an override event');
  assert.match(JSON.stringify(override), /Brought in unconscious by ambulance/);
  await page.screenshot({ path: path.join(outDir, 'browser-override.png') });
  await page.close();
});

test('recordCaseAccess on the element records why the wider community record is needed, audited, and its C3 entry shows', async () => {
  const page = await openPatient('joe');  // the sample EPR's signed-in GP (1b), whose level reaches Community tier 3
  const audit = [];
  await page.exposeFunction('noteAudit', (e) => audit.push(e));
  await page.evaluate(() => document.getElementById('record').addEventListener('ilinks-audit', (e) => window.noteAudit(e.detail)));
  // Joe, with one Community tier 3 entry: district nursing notes from Liverpool Community Health.
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: [
    { resource: { resourceType: 'Patient', id: 'joe', name: [{ family: 'Bradshaw', given: ['Joseph'] }],
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000115' }] } },
    { resource: { resourceType: 'Organization', id: 'lch', name: 'Liverpool Community Health NHS Trust',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RY1' }] } },
    { resource: { resourceType: 'DocumentReference', id: 'dn', status: 'current', subject: { reference: 'Patient/joe' },
      custodian: { reference: 'Organization/lch' }, date: '2026-11-02T09:00:00Z', type: { text: 'District nursing notes' },
      content: [{ attachment: { contentType: 'text/plain', data: btoa('Leg ulcer dressed, healing well.') } }] } }] };
  const mirrorText = () => page.evaluate(() => document.getElementById('record').mirrorText());
  await page.evaluate(async (text) => {
    const r = document.getElementById('record');
    await r.load(text, 'joe-community.json');
    await r.recordConsent('verbal', 'patient');
    await r.setTab('community');
  }, JSON.stringify(bundle));
  await waitForMirror(page, '[role=tabpanel][aria-label=Community] button', 'Record why you need it...');
  assert.doesNotMatch(await mirrorText(), /District nursing notes/);
  await page.evaluate(() => document.getElementById('record').recordCaseAccess('extended-team', 'Virtual ward MDT review'));
  await waitForMirror(page, '[role=tabpanel][aria-label=Community] [role=cell]', 'District nursing notes');
  const text = await mirrorText();
  assert.match(text, /row: 02-Nov-2026 \| District nursing notes/);
  assert.match(text, /Wider community record for this person: .*\(Virtual ward MDT review\), recorded by dr\.example\./);
  const event = audit.find((e) => e.action === 'case-access');
  assert.ok(event, 'a case-access audit event');
  assert.match(JSON.stringify(event), /Virtual ward MDT review/);
  await page.close();
});

test('the EPR\'s role picker changes what the widget shows; a new role asks for consent again', async () => {
  const page = await openPatient('joe', { query: '&profile=1a&organisation=ZZTEST' });
  const record = () => document.getElementById('record');
  await page.evaluate((r) => eval(r)().recordConsent('verbal', 'patient'), `(${record})`);
  await page.evaluate((r) => eval(r)().setTab('diagnostics'), `(${record})`);
  await waitForMirror(page, '[role=tabpanel][aria-label=Diagnostics] [role=cell]', 'HbA1c');
  await page.selectOption('#role', '5');  // admin / clerical
  await waitForMirror(page, '[role=status]', 'Consent required');
  await page.evaluate((r) => eval(r)().recordConsent('verbal', 'patient'), `(${record})`);
  await waitForMirror(page, '[role=tabpanel][aria-label=Diagnostics] [role=status]', 'Not available for your role: Admin / clerical');
  assert.equal(await page.locator('#record .mirror [role=cell]', { hasText: 'HbA1c' }).count(), 0);
  await page.close();
});

test('two widgets on one page are independent: their people, their consent, their tabs', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  // The sample EPR's page (which has loaded the widget's module), emptied and
  // given two records of its own, as a vendor's page with two panes would.
  await page.goto(`${baseUrl}?today=${TODAY}#patient=joe`);
  await page.waitForSelector('#record[data-state="ready"]', { timeout: 30000 });
  await page.evaluate(({ base, today }) => {
    document.body.innerHTML = `<style>ilinks-record { display: block; height: 420px; }</style>
      <ilinks-record id="a" src="${base}patients/joe-bradshaw.json" today="${today}" user-id="u1" profile="1a" organisation="ZZTEST" relationship="yes"></ilinks-record>
      <ilinks-record id="b" src="${base}patients/margaret-hughes.json" today="${today}" user-id="u2" profile="6" organisation="RVY" relationship="yes"></ilinks-record>`;
  }, { base: baseUrl, today: TODAY });
  await page.waitForSelector('#a[data-state="ready"]', { timeout: 30000 });
  await page.waitForSelector('#b[data-state="ready"]', { timeout: 30000 });
  await page.evaluate(() => document.getElementById('a').recordConsent('verbal', 'patient'));
  await page.locator('#a .mirror [role=tabpanel]').first().waitFor({ state: 'attached' });
  assert.equal(await page.locator('#a .mirror [role=heading][aria-level="1"]').textContent(), 'BRADSHAW, Joseph Edward (Mr)');
  assert.equal(await page.locator('#b .mirror [role=heading][aria-level="1"]').textContent(), 'HUGHES, Margaret Rose (Mrs)');
  assert.equal(await page.locator('#b .mirror [role=tabpanel]').count(), 0, 'consent for Joe is not consent for Margaret');
  await page.evaluate(() => document.getElementById('b').recordConsent('verbal', 'patient'));
  await page.evaluate(() => document.getElementById('b').setTab('hospital'));
  await page.locator('#b .mirror [role=tabpanel][aria-label=Hospital]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#a .mirror [role=tabpanel]').getAttribute('aria-label'), 'Summary');
  await page.screenshot({ path: path.join(outDir, 'browser-two-widgets.png') });
  await page.close();
});

// A page of the sample EPR's origin holding one widget made in script, so its
// access token can be set before it starts; returns when it is ready or failed.
async function widgetFromServer(page, attributes, token) {
  await page.goto(`${baseUrl}?today=${TODAY}#patient=joe`);
  await page.waitForSelector('#record[data-state="ready"]', { timeout: 30000 });
  await page.evaluate(({ attributes, token }) => {
    document.body.innerHTML = '';
    const el = document.createElement('ilinks-record');
    el.id = 'fetched';
    el.style.cssText = 'display:block;height:600px';
    el.accessToken = token;
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    document.body.append(el);
  }, { attributes, token });
  await page.waitForSelector('#fetched[data-state="ready"], #fetched[data-state="error"]', { timeout: 30000 });
}

test('with fhir-base and patient the widget fetches every page of $everything, with the token', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1 });
  await widgetFromServer(page, { 'fhir-base': `${fhirUrl}/ok`, patient: 'joe', today: TODAY, 'user-id': 'u1', profile: '1a',
    organisation: 'ZZTEST', relationship: 'yes' }, 'good-token');
  assert.equal(await page.getAttribute('#fetched', 'data-state'), 'ready');
  await page.evaluate(() => document.getElementById('fetched').recordConsent('verbal', 'patient'));
  await page.locator('#fetched .mirror [role=cell]', { hasText: 'Metformin 500mg tablets' }).waitFor({ state: 'attached' });
  await page.close();
});

test('a FHIR server that refuses the token: the reason in words, and no one shown', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1 });
  await widgetFromServer(page, { 'fhir-base': `${fhirUrl}/ok`, patient: 'joe', 'user-id': 'u1', profile: '1a',
    organisation: 'ZZTEST', relationship: 'yes' }, 'stale-token');
  assert.equal(await page.getAttribute('#fetched', 'data-state'), 'error');
  const message = await page.locator('#fetched .message').textContent();
  assert.match(message, /401 Unauthorized\); sign in again; the server said: Bearer token missing or not valid/);
  assert.equal(await page.locator('#fetched .mirror [role=heading]').count(), 0);
  await page.close();
});

test('the widget says when it waits for consent, and its reader copies the letter to the clipboard', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__consentRequests = 0;
    document.addEventListener('ilinks-consent-required', () => { window.__consentRequests++; });
  });
  await page.goto(`${baseUrl}?today=${TODAY}&profile=1a&organisation=ZZTEST#patient=joe`);
  await page.waitForSelector('#record[data-state="ready"]', { timeout: 30000 });
  assert.ok(await page.evaluate(() => window.__consentRequests) >= 1, 'ilinks-consent-required was dispatched');
  await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient'));
  await page.evaluate(() => document.getElementById('record').setTab('hospital'));
  await waitForMirror(page, 'button', 'Read: Discharge summary');
  await clickControl(page, 'button', 'Read: Discharge summary');
  await waitForMirror(page, '[role=dialog] button', 'Copy text');
  await clickControl(page, '[role=dialog] button', 'Copy text');
  let copied = '';
  for (let i = 0; i < 50 && !copied; ++i) {
    copied = await page.evaluate(() => navigator.clipboard.readText());
    if (!copied) await page.waitForTimeout(100);
  }
  assert.match(copied, /^Discharge summary, Ward 14B/);
  await context.close();
});

test('SMART EHR launch: the EPR launches the widget with iss and launch; it signs in, takes the patient and banner choice, fetches', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(`${baseUrl}?today=${TODAY}&profile=1a&organisation=ZZTEST&smart=${encodeURIComponent(`${fhirUrl}/ok`)}#patient=margaret`);
  await page.waitForSelector('#record[data-state="ready"], #record[data-state="error"]', { timeout: 30000 });
  assert.equal(await page.getAttribute('#record', 'data-state'), 'ready', `widget error: ${await messageOf(page)}`);
  assert.equal(await page.getAttribute('#record', 'data-patient'), 'margaret', 'the patient came from the launch context');
  await waitForMirror(page, '[role=heading][aria-level="1"]', 'HUGHES, Margaret Rose (Mrs)');
  // need_patient_banner false: the EPR shows the person, the widget does not draw its banner;
  // its first rows are the consent request's yellow edge, not the banner's blue one.
  const shot = path.join(outDir, 'browser-smart-launch.png');
  await page.locator('#record canvas').screenshot({ path: shot });
  const png = PNG.sync.read(fs.readFileSync(shot));
  const [r, g, b] = png.data.subarray((5 * png.width + 1) * 4, (5 * png.width + 1) * 4 + 3);
  assert.deepEqual([r, g, b], [0xff, 0xb8, 0x1c], 'no banner: the consent strip is at the top');
  await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient'));
  await waitForMirror(page, '[role=cell]', 'Donepezil 10mg tablets');
  await page.close();
});

test('a SMART launch the authorization server does not know is refused in words', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await widgetFromServer(page, { iss: `${fhirUrl}/ok`, launch: 'not-a-launch', 'user-id': 'u1', profile: '1a',
    organisation: 'ZZTEST', relationship: 'yes' }, '');
  assert.equal(await page.getAttribute('#fetched', 'data-state'), 'error');
  assert.match(await page.locator('#fetched .message').textContent(), /SMART launch: the authorization server did not approve the launch/);
  await page.close();
});

test('a FHIR server without $everything is searched kind by kind, in the browser too', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: 1 });
  await widgetFromServer(page, { 'fhir-base': `${fhirUrl}/no-everything`, patient: 'joe', 'user-id': 'u1', profile: '1a',
    organisation: 'ZZTEST', relationship: 'yes' }, 'good-token');
  assert.equal(await page.getAttribute('#fetched', 'data-state'), 'ready');
  await page.evaluate(() => document.getElementById('fetched').recordConsent('verbal', 'patient'));
  await page.locator('#fetched .mirror [role=cell]', { hasText: 'Metformin 500mg tablets' }).waitFor({ state: 'attached' });
  await page.close();
});

test('setViewer and loadRecord, the names a vendor reaches for, work as the attributes and load do', async () => {
  const page = await openPatient('joe');
  const json = fs.readFileSync(path.join(repo, 'host-samples/demo-patients/susan-doyle.json'), 'utf8');
  await page.evaluate(async (text) => {
    const r = document.getElementById('record');
    r.setViewer({ userId: 'sw1', userName: 'A Social Worker', profile: '3b', organisation: 'ZZSEF1', relationship: true });
    r.setAttribute('nhs-number', '999 000 0778');  // the person now open in the EPR
    await r.loadRecord(text, 'susan.json');
    await r.recordConsent('verbal', 'patient');
  }, json);
  await waitForMirror(page, '[role=heading][aria-level="1"]', 'DOYLE');
  await waitForMirror(page, '[role=tabpanel]', '');
  assert.match(await page.evaluate(() => document.getElementById('record').mirrorText()), /recorded 22-Nov-2026 by sw1|recorded \d\d-\w\w\w-\d{4} by sw1/);
  await page.close();
});

test('a long table\'s mirror is a window with its row count and row numbers, and scrolling the canvas moves the window', async () => {
  const file = path.join(outDir, 'twenty-year.json');
  execFileSync(path.join(binDir, 'ilinks-bench-ingest'), ['--write-twenty-year', file]);
  const page = await openPatient('joe');
  await page.evaluate(async (text) => {
    const r = document.getElementById('record');
    r.setViewer({ userId: 'dr.example', userName: 'Dr Example', profile: '1b', organisation: 'ZZ0099', relationship: true });
    r.setAttribute('nhs-number', '943 476 5919');
    await r.loadRecord(text, 'twenty-year.json');
    await r.recordConsent('verbal', 'patient');
  }, fs.readFileSync(file, 'utf8'));
  await waitForMirror(page, '[role=heading][aria-level="1"]', 'LONGSTAFF');
  await page.locator('#record canvas').focus();
  await page.keyboard.press('Control+PageDown');
  await page.keyboard.press('Control+PageDown');
  await waitForMirror(page, '[role=tab][aria-selected=true]', 'Diagnostics');
  const table = page.locator('#record .mirror [role=table][aria-rowcount]').first();
  await table.waitFor({ state: 'attached', timeout: 15000 });
  const total = Number(await table.getAttribute('aria-rowcount'));
  const rows = table.locator('[role=row][aria-rowindex]');
  const count = await rows.count();
  // Diagnostics by test: 400 HbA1c results, and the header row.
  assert.equal(total, 401, 'aria-rowcount: the whole table, header counted, not the window');
  assert.ok(count > 1 && count < total, `${count} rows in the mirror: a window, not the whole table`);
  // The header row is always there (row 1): the window's movement shows in its last row.
  const lastIndex = async () => Number(await rows.last().getAttribute('aria-rowindex'));
  const before = await lastIndex();
  await page.evaluate(async () => {
    const canvas = document.getElementById('record').shadowRoot.querySelector('canvas');
    const box = canvas.getBoundingClientRect();
    const at = { clientX: box.left + box.width / 2, clientY: box.bottom - 100, bubbles: true, cancelable: true };
    // The pointer comes in over the list and moves on it, as a hand does.
    canvas.dispatchEvent(new PointerEvent('pointermove', at));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    canvas.dispatchEvent(new PointerEvent('pointermove', { ...at, clientY: at.clientY - 10 }));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let i = 0; i < 20; ++i) {
      canvas.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: 12, deltaMode: 1 }));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }
  });
  await page.waitForFunction((b) => {
    const rows = document.getElementById('record').shadowRoot.querySelectorAll('.mirror [role=table][aria-rowcount] [role=row][aria-rowindex]');
    return rows.length && Number(rows[rows.length - 1].getAttribute('aria-rowindex')) > b;
  }, before, { timeout: 15000 });
  assert.ok(await lastIndex() > before);
  await page.close();
});

test('at devicePixelRatio 2 the canvas has twice the pixels and the text is drawn at that scale, as the CPU renders it', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 620 }, deviceScaleFactor: 2 });
  await page.goto(`${baseUrl}?today=${TODAY}#patient=margaret`);
  await page.waitForSelector('#record[data-state="ready"]', { timeout: 30000 });
  const canvas = page.locator('#record canvas');
  const { width, height, cssWidth } = await canvas.evaluate((c) => ({ width: c.width, height: c.height, cssWidth: c.getBoundingClientRect().width }));
  assert.equal(width, Math.round(cssWidth * 2));
  const shot = path.join(outDir, 'browser-dpr2-margaret.png');
  const cpu = path.join(outDir, 'browser-dpr2-margaret.cpu.png');
  // At scale 'device' the screenshot is the canvas's own pixels, one for one.
  await canvas.screenshot({ path: shot, scale: 'device' });
  execFileSync(path.join(binDir, 'ilinks-render'), ['--record', path.join(repo, 'host-samples/demo-patients/margaret-hughes.json'),
    '--out', cpu, '--size', `${width}x${height}`, '--scale', '2', '--today', TODAY, ...SIGNED_IN_GP]);
  try {
    execFileSync(path.join(binDir, 'png-compare'), [shot, cpu, ...TOLERANCE, '--diff', path.join(outDir, 'browser-dpr2-margaret.diff.png')],
      { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`the DPR 2 frame differs from the CPU render at scale 2: ${e.stdout}${e.stderr} (see ${shot})`);
  }
  await page.close();
});

test('a widget resized by its page draws at its new size', async () => {
  const page = await openPatient('joe');
  const size = await page.evaluate(async () => {
    const r = document.getElementById('record');
    r.style.flex = 'none';
    r.style.height = '300px';
    r.style.width = '640px';
    await new Promise((resolve) => setTimeout(resolve, 400));
    const c = r.shadowRoot.querySelector('canvas');
    return [c.width, c.height];
  });
  assert.deepEqual(size, [640 - 2, 300 - 2]);  // inside the element's 1px border
  await page.close();
});

test('a record about someone other than the person open in the EPR is refused, and no one is shown', async () => {
  const page = await openPatient('joe', { query: '&profile=1a&organisation=ZZTEST' });
  const json = fs.readFileSync(path.join(repo, 'host-samples/demo-patients/susan-doyle.json'), 'utf8');
  await page.evaluate((text) => document.getElementById('record').loadRecord(text, 'susan.json'), json);  // Joe is open
  await page.waitForSelector('#record[data-state="error"]', { timeout: 15000 });
  assert.match(await messageOf(page), /about a different person \(NHS number\) from the one open in your system/);
  assert.equal(await page.locator('#record .mirror [role=heading]', { hasText: 'DOYLE' }).count(), 0);
  await page.close();
});

// Service mode, end to end: the sample EPR (serve.mjs --service) signs a
// context token for each request, the widget asks a real ilinks-service (CORS:
// the EPR's origin is its one browser origin) and shows the View it sends.
async function startServiceAndEpr(name) {
  process.env.ILINKS_SOURCE_DIR ??= repo;  // service_harness.mjs finds the FHIR test server there
  const harness = await import('../service/service_harness.mjs');
  const dir = path.join(outDir, `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const key = harness.makeIssuerKey();
  const keyFile = path.join(dir, 'epr-issuer-key.pem');
  fs.writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  // The service's port first: the EPR names it, and the service names the EPR's origin.
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => { const p = probe.address().port; probe.close(() => resolve(p)); });
  });
  const epr = await startServer('host-samples/web-epr/serve.mjs', ['--port', '0', '--widget', widgetDir,
    '--service', `http://127.0.0.1:${port}`, '--issuer-key', keyFile, '--issuer', harness.ISSUER, '--audience', harness.AUDIENCE],
  'the sample EPR server (service mode)');
  const configPath = harness.writeConfig({ dir, key, port, store: { kind: 'sqlite', path: path.join(dir, 'store.db') },
    organisations: [{ ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust',
      fhir: { base_url: `${fhirUrl}/ok`, bearer_token: 'good-token', timeout_ms: 4000, attempts: 2, backoff_ms: 10 } }] });
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  config.browser_origins = [new URL(epr.url).origin];
  fs.writeFileSync(configPath, JSON.stringify(config));
  const svc = await harness.startService({ configPath });
  return { svc, epr, key, harness, stop: () => { svc.kill(); epr.process.kill(); } };
}

test('service mode: the widget shows the View a real ilinks-service sends; a refusal is shown in words and the View stays', async () => {
  const { svc, epr, stop } = await startServiceAndEpr('browser-service-mode');
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const audit = [];
    await page.exposeFunction('noteAudit', (e) => audit.push(e));
    await page.addInitScript(() => document.addEventListener('ilinks-audit', (e) => window.noteAudit(e.detail)));
    await page.goto(`${epr.url}?today=${TODAY}#patient=joe`);
    await page.waitForSelector('#record[data-state="ready"], #record[data-state="error"]', { timeout: 30000 });
    assert.equal(await page.getAttribute('#record', 'data-state'), 'ready', `widget error: ${await messageOf(page)}`);
    // The page holds no record: the View came from the service, which asks for consent first.
    await waitForMirror(page, 'button', 'Record consent...');
    assert.deepEqual(audit, [{ informational: true, recordedBy: 'sharing service', action: 'view', basis: 'consent-required' }]);

    await page.evaluate(() => document.getElementById('record').recordConsent('verbal', 'patient', 'organisation'));
    await waitForMirror(page, '[role=tabpanel]', '');
    assert.equal(await page.locator('#record .mirror [role=heading][aria-level="1"]').textContent(), 'BRADSHAW, Joseph Edward (Mr)');
    assert.equal(audit.at(-1).basis, 'consent');

    // A token the service refuses (signed by a key it does not trust): the
    // service's own words in the strip and in ilinks-error; the View stays.
    const refused = await page.evaluate(async () => {
      const record = document.getElementById('record');
      const errors = [];
      record.addEventListener('ilinks-error', (e) => errors.push(e.detail.message));
      const ownProvider = record.tokenProvider;
      record.tokenProvider = async (reason, ctx) => {
        const [head, body] = (await ownProvider(reason, ctx)).split('.');
        return `${head}.${body}.${'A'.repeat(86)}`;  // a signature that does not verify
      };
      let thrown = '';
      try { await record.override('emergency', 'Collapsed in clinic, unable to consent'); } catch (e) { thrown = e.message; }
      record.tokenProvider = ownProvider;
      return { thrown, errors, state: record.state };
    });
    assert.match(refused.thrown, /^The sharing service refused: .*signature/i);
    assert.deepEqual(refused.errors, [refused.thrown]);
    assert.equal(await messageOf(page), refused.thrown);
    assert.equal(refused.state, 'ready');
    assert.equal(await page.locator('#record .mirror [role=heading][aria-level="1"]').textContent(), 'BRADSHAW, Joseph Edward (Mr)');
    await page.screenshot({ path: path.join(outDir, 'browser-service-refused.png') });

    // Another person: cleared at once, then their own View (consent was Joe's).
    await page.evaluate(() => { location.hash = 'patient=margaret'; });
    await waitForMirror(page, '[role=heading][aria-level="1"]', 'HUGHES');
    assert.equal(await page.locator('#record .mirror [role=heading]', { hasText: 'BRADSHAW' }).count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    stop();
  }
});

test('service mode: a service that cannot be reached is said in words, and no one is shown', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  await page.goto(`${baseUrl}?today=${TODAY}#patient=joe`);  // direct mode's page: its element is given a service instead
  await page.waitForSelector('#record[data-state="ready"]', { timeout: 30000 });
  const message = await page.evaluate(async () => {
    const record = document.getElementById('record');
    record.tokenProvider = async () => 'not-even-a-token';
    record.setAttribute('service', 'http://127.0.0.1:9');  // discard port: nothing listens
    await new Promise((resolve) => record.addEventListener('ilinks-error', resolve, { once: true }));
    return record.shadowRoot.querySelector('.message').textContent;
  });
  assert.match(message, /^The sharing service could not be reached at http:\/\/127\.0\.0\.1:9: no answer/);
  assert.equal(await page.getAttribute('#record', 'data-state'), 'error');
  assert.equal(await page.locator('#record .mirror [role=heading]', { hasText: 'BRADSHAW' }).count(), 0);
  await page.close();
});

test('service mode: the consent dialog pressed with the mouse records consent at the service, and an expired token is replaced once', async () => {
  const { svc, epr, key, harness, stop } = await startServiceAndEpr('browser-service-dialog');
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    const asked = [];
    await page.exposeFunction('expiredToken', () =>
      harness.sign(key, { user: 'dr.example', profile: '1b', ods: 'ZZ0099' }, '9990000115', { lifetime: 60, issuedSecondsAgo: 600 }));
    await page.exposeFunction('noteAsked', (reason) => asked.push(reason));
    await page.goto(`${epr.url}?today=${TODAY}#patient=joe`);
    await waitForMirror(page, 'button', 'Record consent...');
    // From now on the EPR's first token for each request has expired: the widget must ask again, once.
    await page.evaluate(() => {
      const record = document.getElementById('record');
      const own = record.tokenProvider;
      record.tokenProvider = async (reason, ctx) => {
        window.noteAsked(reason);
        return reason === 'request' ? window.expiredToken() : own(reason, ctx);
      };
    });
    await clickControl(page, 'button', 'Record consent...');
    await waitForMirror(page, '[role=dialog]', '');
    await clickControl(page, '[role=dialog] button', 'Record consent');
    await waitForMirror(page, '[role=tabpanel]', '');
    assert.equal(await page.locator('#record .mirror [role=heading][aria-level="1"]').textContent(), 'BRADSHAW, Joseph Edward (Mr)');
    assert.deepEqual(asked, ['request', 'expired'], 'one expired token, replaced once');
    // The consent is the service's: it lists it, recorded by the EPR's signed-in user.
    const listed = await harness.call(svc, 'GET', '/v1/consents', { token: harness.sign(key, { user: 'check', profile: '1b', ods: 'ZZ0099' }, '9990000115') });
    assert.deepEqual(listed.json.consents.map((c) => [c.recorded_by.user, c.method, c.scope]), [['dr.example', 'verbal', 'user']]);
    await page.close();
  } finally {
    stop();
  }
});

test('service mode: another user set on the element takes the View off screen at once and asks the service again, once', async () => {
  const { epr, stop } = await startServiceAndEpr('browser-service-user-change');
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    await page.goto(`${epr.url}?today=${TODAY}#patient=joe`);
    await waitForMirror(page, 'button', 'Record consent...');
    const seen = await page.evaluate(() => {
      const record = document.getElementById('record');
      const own = record.tokenProvider;
      const asked = [];
      record.tokenProvider = async (reason, ctx) => { asked.push(reason); return own(reason, ctx); };
      window.askedAfterChange = asked;
      record.setViewer({ userId: 'nurse.example', profile: '7', organisation: 'ZZ0099' });  // six attributes
      return record.shadowRoot.querySelector('.mirror').childElementCount;
    });
    assert.equal(seen, 0, 'the previous user\'s View is off screen at once');
    try {
      await waitForMirror(page, 'button', 'Record consent...');
    } catch (e) {
      const state = await page.evaluate(() => ({ state: document.getElementById('record').state, asked: window.askedAfterChange,
        message: document.getElementById('record').shadowRoot.querySelector('.message').textContent,
        mirror: document.getElementById('record').mirrorText().slice(300, 900),
        dom: document.getElementById('record').shadowRoot.querySelector('.mirror').innerHTML.slice(0, 600) }));
      throw new Error(`${e.message}: ${JSON.stringify(state)}`);
    }
    assert.deepEqual(await page.evaluate(() => window.askedAfterChange), ['request']);
    await page.close();
  } finally {
    stop();
  }
});
