// A record that arrives slowly, in pieces (ilinks-download.js, the C ABI's
// ilinks_viewer_load_fhir_more): the widget shows exactly what it shows for
// the same record given whole; a download that breaks off shows an error and
// nothing of the record; a record no longer wanted is never shown.
//
// Run by ctest with ILINKS_WIDGET_DIR (wasm dist/), ILINKS_SHARED_DATA and ILINKS_TEST_OUTPUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, launchChromium } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const widgetDir = env('ILINKS_WIDGET_DIR');
// A long record of 4 MB made of real Synthea entries (tests/bench/long_record.mjs),
// whose person has this NHS number, and the demo's Joe Bradshaw.
const NHS = '9434765919', JOE_NHS = '9990000115';
const largeFile = path.join(env('ILINKS_TEST_OUTPUT'), 'arriving-long-4.json');
execFileSync(process.execPath, [path.join(repo, 'tests/bench/long_record.mjs'), '--mb', '4', '--nhs', NHS,
  '--data', env('ILINKS_SHARED_DATA'), largeFile]);
const LARGE = fs.readFileSync(largeFile);
const JOE = fs.readFileSync(path.join(repo, 'host-samples/demo-patients/joe-bradshaw.json'));

// The page: one <ilinks-record> per query, for a GP with a care relationship
// who records consent as soon as the widget asks, with the person open in the EPR.
const PAGE = `<!doctype html><meta charset="utf-8"><body><script type="module">
  import '/widget/ilinks-record.js';
  const q = new URLSearchParams(location.search);
  window.makeRecord = (src, nhs = q.get('nhs')) => {
    const el = document.createElement('ilinks-record');
    el.style.cssText = 'display:block;width:1000px;height:700px';
    for (const [k, v] of Object.entries({ 'user-id': 'gp1', profile: '1b', organisation: 'ZZ0099', relationship: 'yes',
      today: '2026-11-22', 'nhs-number': nhs, ...(src ? { src } : {}) })) el.setAttribute(k, v);
    el.addEventListener('ilinks-consent-required', () => el.recordConsent('verbal', 'patient'));
    document.body.append(el);
    return el;
  };
  if (q.get('src')) window.record = window.makeRecord(q.get('src'));
</script>`;

// Each route a way for a record to arrive.
let stalled = [];  // responses held open, ended when the test ends
const ROUTES = {
  // In 16 KB pieces, a few milliseconds apart, without a Content-Length.
  '/records/slow.json': async (res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    for (let at = 0; at < LARGE.length; at += 16384) {
      if (!res.write(LARGE.subarray(at, at + 16384))) await new Promise((r) => res.once('drain', r));
      if (at % (256 * 1024) === 0) await new Promise((r) => setTimeout(r, 5));
    }
    res.end();
  },
  // Half of it, then the connection is dropped.
  '/records/cut.json': async (res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': LARGE.length });
    res.write(LARGE.subarray(0, LARGE.length >> 1));
    setTimeout(() => res.destroy(), 100);
  },
  // Half of it, then nothing more until the test ends.
  '/records/stalls.json': async (res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.write(LARGE.subarray(0, LARGE.length >> 1));
    stalled.push(res);
  },
  '/records/joe.json': async (res) => res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JOE),
};

let server, origin, browser;

before(async () => {
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    if (ROUTES[pathname]) return ROUTES[pathname](res);
    if (pathname === '/records/large.json') return res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(LARGE);
    const file = pathname.startsWith('/widget/') && path.join(widgetDir, path.basename(pathname));
    if (!file || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  for (const res of stalled) res.destroy();
  await browser?.close();
  server?.close();
});

async function open(src, nhs = NHS) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${origin}/?src=${encodeURIComponent(src)}&nhs=${nhs}`);
  return { page, problems };
}

const settled = (page) => page.waitForFunction(() => ['ready', 'error'].includes(window.record.dataset.state), null, { timeout: 60000 });
// The consented record drawn: its first tab's panel is in the mirror.
const shown = (page) => page.waitForFunction(() => window.record.mirrorText().includes('tabpanel'), null, { timeout: 60000 });

test('a record that arrives slowly in pieces shows exactly as the same record given whole', async () => {
  const { page, problems } = await open('/records/slow.json');
  await settled(page);
  assert.equal(await page.evaluate(() => window.record.dataset.state), 'ready',
    await page.evaluate(() => window.record.shadowRoot.querySelector('.message').textContent));
  await shown(page);
  const arrived = await page.evaluate(() => window.record.mirrorText());
  // The same bytes given whole, with load(), in a second element on the page.
  const whole = await page.evaluate(async () => {
    const el = window.makeRecord();
    const bytes = await (await fetch('/records/large.json')).arrayBuffer();
    await el.load(bytes, '/records/slow.json');
    await new Promise((resolve) => {
      const wait = () => (el.mirrorText().includes('tabpanel') ? resolve() : requestAnimationFrame(wait));
      wait();
    });
    return el.mirrorText();
  });
  assert.ok(arrived.length > 1000, 'the mirror holds the record');
  assert.equal(arrived, whole);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a download that breaks off shows why, and nothing of the record', async () => {
  const { page, problems } = await open('/records/cut.json');
  await settled(page);
  assert.equal(await page.evaluate(() => window.record.dataset.state), 'error');
  const message = await page.evaluate(() => window.record.shadowRoot.querySelector('.message').textContent);
  assert.match(message, /\/records\/cut\.json: could not be fetched/);
  const mirror = await page.evaluate(() => window.record.mirrorText());
  assert.ok(!mirror.includes('tabpanel') && !mirror.includes('heading'), `something of the record is shown: ${mirror.slice(0, 200)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a record asked for instead of one still arriving is shown, and the first never is', async () => {
  const { page, problems } = await open('/records/stalls.json');
  // Half of the first has arrived (and been read) when the page asks for Joe instead.
  await page.waitForTimeout(1500);
  await page.evaluate((nhs) => {
    window.record.setAttribute('nhs-number', nhs);  // the EPR opens Joe
    window.record.setAttribute('src', '/records/joe.json');
  }, JOE_NHS);
  await settled(page);
  assert.equal(await page.evaluate(() => window.record.dataset.state), 'ready',
    await page.evaluate(() => window.record.shadowRoot.querySelector('.message').textContent));
  await shown(page);
  const mirror = await page.evaluate(() => window.record.mirrorText());
  assert.match(mirror, /BRADSHAW, Joseph/);
  for (const res of stalled.splice(0)) res.end(LARGE.subarray(LARGE.length >> 1));  // the first one's rest, too late
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.record.mirrorText()), mirror);
  assert.deepEqual(problems, []);
  await page.close();
});
