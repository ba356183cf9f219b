// Browser benchmark of service mode (scripts/bench): page load to the first
// drawn record with <ilinks-record> in service mode (the View from a real
// ilinks-service), beside direct mode (the page hands the widget the whole
// Bundle) and fhir-react rendering the same Bundle, in the same Chromium and
// run; and the bytes the browser downloads for the record in each mode.
//
//   ILINKS_BIN=build/bin ILINKS_SOURCE_DIR=. node tests/bench/web/service-mode.mjs
//        --widget DIST --work DIR [--runs N] NAME=FILE@NHS ...
// Prints a table; the last line is JSON.
//
// The service: one organisation (the FHIR test server's /ok/ over a folder
// holding the records), SQLite, the deployment's 60 s record cache, warmed
// by one view before the loads are timed (a fetch from the organisations is
// the service benchmark's subject, not this one's). Each load is a new
// browser context and a new user, so nothing is cached in the browser and
// consent is asked for and recorded every time, as in direct mode.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../browser/harness.mjs';
import { benchArgs, buildFhirReactPage } from './bench_common.mjs';
import { call, makeIssuerKey, sign, startFhirServer, startService } from '../../service/service_harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const parsed = benchArgs();
const { widgetDir, runs } = parsed;
const workDir = parsed.workDir && path.resolve(parsed.workDir);
const records = parsed.records.map((r) => ({ ...r, bytes: fs.statSync(r.file).size }));
if (!widgetDir || !workDir || records.length === 0 || records.some((r) => !r.nhs)) {
  console.error('usage: ILINKS_BIN=... ILINKS_SOURCE_DIR=... node service-mode.mjs --widget DIST --work DIR [--runs N] NAME=FILE@NHS ...');
  process.exit(2);
}
fs.mkdirSync(workDir, { recursive: true });
await buildFhirReactPage(workDir);

// The organisation's FHIR endpoint: the FHIR test server over a folder of the records.
const folder = path.join(workDir, 'service-records');
fs.rmSync(folder, { recursive: true, force: true });
fs.mkdirSync(folder, { recursive: true });
const patients = records.map((r) => {
  const bundle = JSON.parse(fs.readFileSync(r.file, 'utf8'));
  fs.copyFileSync(r.file, path.join(folder, `${r.name}.json`));
  return { id: bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource.id, file: `${r.name}.json`, nhsNumber: r.nhs, name: r.name };
});
fs.writeFileSync(path.join(folder, 'index.json'), JSON.stringify({ patients }));
const fhir = await startFhirServer(folder, ['--page-size', '200']);  // as the service benchmark's endpoints

// The page's server, which also plays the EPR's back end: POST /token signs a context token.
const key = makeIssuerKey();
const viewer = (user) => ({ user, name: 'Dr Bench', profile: '1b', ods: 'ZZBENCH', orgName: 'Bench Practice' });
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/token' && req.method === 'POST') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(JSON.stringify({ token: sign(key, viewer(url.searchParams.get('user')), url.searchParams.get('nhs'), { lifetime: 60 }) }));
  }
  let file;
  if (url.pathname.startsWith('/widget/')) file = path.join(widgetDir, path.basename(url.pathname));
  else if (url.pathname.startsWith('/records/')) file = records.find((r) => `/records/${r.name}.json` === url.pathname)?.file;
  else if (/^\/(ilinks-page|ilinks-service-page|fhir-react-page)\.html$/.test(url.pathname)) file = path.join(here, url.pathname);
  else if (/^\/fhir-react-page\.(js|css)$/.test(url.pathname)) file = path.join(workDir, url.pathname);
  if (!file || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const serviceDir = path.join(workDir, 'service');
fs.rmSync(serviceDir, { recursive: true, force: true });
const svc = await startService({ dir: serviceDir, key, store: { kind: 'sqlite', path: path.join(serviceDir, 'store.db') },
  organisations: [{ ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust',
    fhir: { base_url: `${fhir.url}/ok`, bearer_token: 'good-token', timeout_ms: 60000 } }],
  limits: { record_cache_seconds: 60, fetch_deadline_ms: 60000, request_timeout_ms: 60000, requests_per_user_per_minute: 100000 },
  browserOrigins: [base] });

const browser = await launchChromium();
const LIMIT_MS = 120000;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
let loadNo = 0;

// Milliseconds from navigation to the first drawn record, median of `runs`
// cold loads; and the bytes of the record the browser received in each load
// (the body of every response but the page and the widget's own files).
async function load(pageName, record) {
  const times = [];
  const bytes = [];
  for (let i = 0; i < runs; ++i) {
    // The record stays in the service's cache between loads: one view by another user keeps it warm.
    const warm = await call(svc, 'GET', '/v1/view', { token: sign(key, viewer(`bench-warm-${++loadNo}`), record.nhs) });
    if (warm.status !== 200) throw new Error(`the service's view of ${record.name}: ${warm.status} ${warm.body.slice(0, 200)}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await context.newPage();
    const received = [];
    tab.on('requestfinished', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/widget/') || /\.(html|css)$|fhir-react-page\.js$|^\/token$/.test(pathname)) return;
      // On the wire (compressed as the server chose), as JSON, and how long from asking to the last byte.
      received.push(Promise.all([request.sizes(), request.response().then(async (r) => [await r.body(), await r.headerValue('content-encoding')])])
        .then(([sizes, [body, encoding]]) => ({ wire: sizes.responseBodySize, json: body.length, ms: request.timing().responseEnd,
          encoding: encoding || 'none' })));
    });
    await tab.goto(`${base}/${pageName}?record=/records/${record.name}.json&nhs=${record.nhs}&service=${encodeURIComponent(svc.url)}` +
      `&user=bench-${++loadNo}`);
    try {
      await tab.waitForFunction(() => window.__firstRecord || window.__error, null, { timeout: LIMIT_MS, polling: 50 });
    } catch {
      await context.close();
      return { first_record_ms: null, over_limit_ms: LIMIT_MS, record_bytes: null };
    }
    const marks = await tab.evaluate(() => ({ firstRecord: window.__firstRecord, error: window.__error }));
    if (marks.error) throw new Error(`${pageName} ${record.name}: ${marks.error}`);
    times.push(marks.firstRecord);
    const got = await Promise.all(received);
    bytes.push({ wire: got.reduce((a, b) => a + b.wire, 0), json: got.reduce((a, b) => a + b.json, 0),
      waited_ms: Math.round(got.reduce((a, b) => a + b.ms, 0)), answers: got.length, encodings: [...new Set(got.map((g) => g.encoding))] });
    await context.close();
  }
  // The byte counts are the same in every load; the median load's are reported.
  const middle = times.indexOf(median(times));
  return { first_record_ms: Math.round(times[middle]), record_bytes: bytes[middle] };
}

const loads = [];
for (const record of records) {
  const service = await load('ilinks-service-page.html', record);
  const direct = await load('ilinks-page.html', record);
  const peer = await load('fhir-react-page.html', record);
  loads.push({ record: record.name, bundle_bytes: record.bytes, service, direct, fhir_react: peer });
}
await browser.close();
server.close();
svc.kill();
fhir.stop();

const kb = (n) => (n === undefined ? '-' : `${(n / 1024).toFixed(0)} KB`);
const ms = (l) => (l.first_record_ms === null ? `>${LIMIT_MS}` : String(l.first_record_ms));
const pad = (v, n) => String(v).padStart(n);
console.log(`Service mode in the browser: ms from page load to the first drawn record, median of ${runs} cold loads (consent asked for and ` +
  'recorded in each); what the browser downloaded of the record: service mode every answer of the service (the View asking for consent, ' +
  'the consented View) on the wire (compressed as the service chose: see encodings in the JSON) and as JSON, and the time spent waiting ' +
  'for them, from asking to the last byte; direct mode and fhir-react the Bundle');
console.log(`${'record'.padEnd(14)} ${pad('Bundle', 8)} | ${pad('service', 8)} ${pad('wire', 8)} ${pad('JSON', 8)} ${pad('waited', 8)} | ` +
  `${pad('direct', 8)} ${pad('wire', 8)} | ${pad('fhir-react', 10)} ${pad('wire', 8)}`);
for (const l of loads) {
  const s = l.service.record_bytes || {};
  console.log(`${l.record.padEnd(14)} ${pad(kb(l.bundle_bytes), 8)} | ${pad(ms(l.service), 8)} ${pad(kb(s.wire), 8)} ${pad(kb(s.json), 8)} ` +
    `${pad(s.waited_ms ?? '-', 8)} | ${pad(ms(l.direct), 8)} ${pad(kb(l.direct.record_bytes?.wire), 8)} | ${pad(ms(l.fhir_react), 10)} ` +
    `${pad(kb(l.fhir_react.record_bytes?.wire), 8)}`);
}
console.log(JSON.stringify({ runs, cache_seconds: 60, load: loads }));
