// Browser benchmarks (scripts/bench): the widget's download size, and the time
// from page load to the first drawn record in headless Chromium, side by side
// with fhir-react rendering the same Bundle, in the same browser and run. On
// loopback also: a second visit in one browser profile (the widget kept by the
// browser and revalidated, as the sample EPR serves it), and the floor under
// it all: the same browser drawing a canvas, starting the widget's WebAssembly
// and viewer with no record, and making a WebGL2 context (floor-page.html).
//
//   node bench.mjs --widget DIST --work DIR --runs N [--mbps M] NAME=FILE[@NHS] ...
// --mbps: the page's network held to M Mbit/s (Chromium's own throttling), as
// over a hospital's network rather than loopback.
// Prints a table; the last line is JSON.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium, launchChromiumProfile } from '../../browser/harness.mjs';
import { benchArgs, buildFhirReactPage } from './bench_common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { widgetDir, workDir, runs, records, mbps } = benchArgs();
if (!widgetDir || !workDir || records.length === 0) {
  console.error('usage: node bench.mjs --widget DIST --work DIR [--runs N] NAME=FILE[@NHS] ...');
  process.exit(2);
}

// The peer's page: fhir-react and React bundled and minified for production.
fs.mkdirSync(workDir, { recursive: true });
await buildFhirReactPage(workDir);

const size = (file) => {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
};
const sum = (files) => files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
// What a page downloads for the widget: the element's modules, the Emscripten
// loader and the WebAssembly, which holds the fonts.
const widgetFiles = fs.readdirSync(widgetDir).filter((f) => /\.(m?js|wasm)$/.test(f)).map((f) => path.join(widgetDir, f));
const downloads = {
  ilinks: { ...sum(widgetFiles), wasm: size(path.join(widgetDir, 'ilinks.wasm')) },
  fhir_react: sum(['fhir-react-page.js', 'fhir-react-page.css'].map((f) => path.join(workDir, f))),
};

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json' };
const tags = new Map();
const widgetTag = (file) => {
  if (!tags.has(file)) tags.set(file, `"${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('base64url').slice(0, 27)}"`);
  return tags.get(file);
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file;
  if (url.pathname.startsWith('/widget/')) file = path.join(widgetDir, path.basename(url.pathname));
  else if (url.pathname.startsWith('/records/')) file = records.find((r) => `/records/${r.name}.json` === url.pathname)?.file;
  else if (/^\/(ilinks-page|fhir-react-page|floor-page)\.html$/.test(url.pathname)) file = path.join(here, url.pathname);
  else if (/^\/fhir-react-page\.(js|css)$/.test(url.pathname)) file = path.join(workDir, url.pathname);
  if (!file || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  const type = types[path.extname(file)] || 'application/octet-stream';
  // The widget as the sample EPR serves it: kept by the browser, revalidated on each load.
  if (url.pathname.startsWith('/widget/')) {
    const etag = widgetTag(file);
    const headers = { 'content-type': type, 'cache-control': 'no-cache', etag };
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers); res.end(); return; }
    res.writeHead(200, headers);
  } else {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  }
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
const LIMIT_MS = 120000;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// The marks a page sets (window.__firstFrame, __firstRecord), in ms from its
// navigation; null when nothing was drawn within the limit.
async function marksOf(tab, url) {
  await tab.goto(url);
  try {
    await tab.waitForFunction(() => window.__firstRecord || window.__error, null, { timeout: LIMIT_MS, polling: 50 });
  } catch {
    return null;
  }
  const marks = await tab.evaluate(() => ({ firstFrame: window.__firstFrame, firstRecord: window.__firstRecord, error: window.__error }));
  if (marks.error) throw new Error(`${url}: ${marks.error}`);
  return marks;
}

const recordUrl = (page, record) => `${base}/${page}?record=/records/${record.name}.json&nhs=${record.nhs}`;
const summary = (times) => ({ first_frame_ms: times.firstFrame.length ? Math.round(median(times.firstFrame)) : null,
  first_record_ms: Math.round(median(times.firstRecord)) });
const OVER_LIMIT = { first_frame_ms: null, first_record_ms: null, over_limit_ms: LIMIT_MS };

// A first visit, `runs` times: each in a new context, so nothing is cached.
async function load(page, record) {
  const times = { firstFrame: [], firstRecord: [] };
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await context.newPage();
    if (mbps > 0) {
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions',
        { offline: false, latency: 1, downloadThroughput: mbps * 125000, uploadThroughput: mbps * 125000 });
    }
    let marks;
    try {
      marks = await marksOf(tab, recordUrl(page, record));
    } finally {
      await context.close();
    }
    if (!marks) return OVER_LIMIT;  // not drawn within the limit: reported as such, not as a time
    if (marks.firstFrame) times.firstFrame.push(marks.firstFrame);
    times.firstRecord.push(marks.firstRecord);
  }
  return summary(times);
}

// A second visit, `runs` times: each in a new browser profile kept on disk, as
// a clinician's browser is, REVISIT_AFTER_MS after a first visit (the next
// patient of a clinic), in the same tab (the EPR's page goes to the next
// person's) or in a new one. The browser revalidates the widget and V8 may use
// the compiled code it kept (in the same tab, its process may still hold it).
const REVISIT_AFTER_MS = 3000;
async function revisit(record, { newTab }) {
  const times = { firstFrame: [], firstRecord: [] };
  for (let i = 0; i < runs; ++i) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilinks-bench-profile-'));
    let context;
    try {
      context = await launchChromiumProfile(dir, { viewport: { width: 1280, height: 800 } });
      let tab = await context.newPage();
      if (!await marksOf(tab, recordUrl('ilinks-page.html', record))) return OVER_LIMIT;
      if (newTab) await tab.close();
      else await tab.goto('about:blank');
      await new Promise((resolve) => setTimeout(resolve, REVISIT_AFTER_MS));
      if (newTab) tab = await context.newPage();
      const marks = await marksOf(tab, recordUrl('ilinks-page.html', record));
      if (!marks) return OVER_LIMIT;
      if (marks.firstFrame) times.firstFrame.push(marks.firstFrame);
      times.firstRecord.push(marks.firstRecord);
    } finally {
      try {
        await context?.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return summary(times);
}

// The floor: what the browser takes on this machine before any record's work.
const FLOORS = [
  ['a 2D canvas drawn', 'canvas'],
  ['the WebAssembly started', 'wasm'],
  ['and the viewer made (rules loaded)', 'wasm,create'],
  ['and a WebGL2 context cleared', 'wasm,create,webgl2'],
];
// A floor that fails (no WebGL2 here, say) is reported with its reason, not as a time.
async function floor(steps) {
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const marks = await marksOf(await context.newPage(), `${base}/floor-page.html?steps=${steps}`);
      if (!marks) return { ms: null, over_limit_ms: LIMIT_MS };
      times.push(marks.firstRecord);
    } catch (e) {
      return { ms: null, error: e.message };
    } finally {
      await context.close();
    }
  }
  return { ms: Math.round(median(times)) };
}

const loads = [];
for (const record of records) {
  const ours = await load('ilinks-page.html', record);
  const peer = await load('fhir-react-page.html', record);
  const again = mbps > 0 ? null : await revisit(record, { newTab: false });
  const againNewTab = mbps > 0 ? null : await revisit(record, { newTab: true });
  loads.push({ record: record.name, mb: +(fs.statSync(record.file).size / 1048576).toFixed(2), ilinks: ours, fhir_react: peer,
    ilinks_second_visit: again, ilinks_second_visit_new_tab: againNewTab,
    ratio: peer.first_record_ms && ours.first_record_ms ? +(peer.first_record_ms / ours.first_record_ms).toFixed(2) : null });
}
const floors = [];
if (mbps === 0) for (const [what, steps] of FLOORS) floors.push({ what, steps, ...await floor(steps) });
await browser.close();
server.close();

const shown = (ms, width = 14) => (ms === null || ms === undefined ? `>${LIMIT_MS}` : String(ms)).padStart(width);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`download: ilinks ${kb(downloads.ilinks.raw)} (gzip ${kb(downloads.ilinks.gzip)}; the .wasm with its fonts ` +
  `${kb(downloads.ilinks.wasm.raw)}, gzip ${kb(downloads.ilinks.wasm.gzip)}); fhir-react page ${kb(downloads.fhir_react.raw)} ` +
  `(gzip ${kb(downloads.fhir_react.gzip)})`);
console.log(`${'record'.padEnd(24)} ${'MB'.padStart(6)} ${'ilinks'.padStart(14)} ` +
  `${'fhir-react'.padStart(11)} ${'fhir-react / ilinks'.padStart(20)}${mbps > 0 ? '' : '   2nd visit: same tab  new tab'}` +
  `   (ms from page load, median of ${runs}${mbps > 0 ? `; the network held to ${mbps} Mbit/s` : ''})`);
for (const l of loads)
  console.log(`${l.record.padEnd(24)} ${String(l.mb).padStart(6)} ${shown(l.ilinks.first_record_ms)} ${shown(l.fhir_react.first_record_ms, 11)} ` +
    `${String(l.ratio ?? '-').padStart(20)}${l.ilinks_second_visit ? shown(l.ilinks_second_visit.first_record_ms, 22) +
      shown(l.ilinks_second_visit_new_tab.first_record_ms, 9) : ''}`);
if (floors.length) {
  console.log(`the floor, no record (ms from page load to the frame after it, median of ${runs}):`);
  for (const f of floors) console.log(`  ${f.what.padEnd(40)} ${f.error ? `failed: ${f.error}` : shown(f.ms, 6)}`);
}
console.log(JSON.stringify({ runs, mbps, download: downloads, load: loads, floor: floors }));
