// Browser benchmarks (scripts/bench): the widget's download size, and the time
// from page load to the first drawn record in headless Chromium, side by side
// with fhir-react rendering the same Bundle, in the same browser and run.
//
//   node bench.mjs --widget DIST --work DIR --runs N [--mbps M] NAME=FILE[@NHS] ...
// --mbps: the page's network held to M Mbit/s (Chromium's own throttling), as
// over a hospital's network rather than loopback.
// Prints a table; the last line is JSON.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../browser/harness.mjs';
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
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let file;
  if (url.pathname.startsWith('/widget/')) file = path.join(widgetDir, path.basename(url.pathname));
  else if (url.pathname.startsWith('/records/')) file = records.find((r) => `/records/${r.name}.json` === url.pathname)?.file;
  else if (/^\/(ilinks-page|fhir-react-page)\.html$/.test(url.pathname)) file = path.join(here, url.pathname);
  else if (/^\/fhir-react-page\.(js|css)$/.test(url.pathname)) file = path.join(workDir, url.pathname);
  if (!file || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
const LIMIT_MS = 120000;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Milliseconds from navigation to the marks the page sets; each run in a new
// context, so nothing is cached.
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
    await tab.goto(`${base}/${page}?record=/records/${record.name}.json&nhs=${record.nhs}`);
    try {
      await tab.waitForFunction(() => window.__firstRecord || window.__error, null, { timeout: LIMIT_MS, polling: 50 });
    } catch {
      await context.close();  // not drawn within the limit: reported as such, not as a time
      return { first_frame_ms: null, first_record_ms: null, over_limit_ms: LIMIT_MS };
    }
    const marks = await tab.evaluate(() => ({ firstFrame: window.__firstFrame, firstRecord: window.__firstRecord, error: window.__error }));
    if (marks.error) throw new Error(`${page} ${record.name}: ${marks.error}`);
    if (marks.firstFrame) times.firstFrame.push(marks.firstFrame);
    times.firstRecord.push(marks.firstRecord);
    await context.close();
  }
  return { first_frame_ms: times.firstFrame.length ? Math.round(median(times.firstFrame)) : null,
    first_record_ms: Math.round(median(times.firstRecord)) };
}

const loads = [];
for (const record of records) {
  const ours = await load('ilinks-page.html', record);
  const peer = await load('fhir-react-page.html', record);
  loads.push({ record: record.name, mb: +(fs.statSync(record.file).size / 1048576).toFixed(2), ilinks: ours, fhir_react: peer,
    ratio: peer.first_record_ms && ours.first_record_ms ? +(peer.first_record_ms / ours.first_record_ms).toFixed(2) : null });
}
await browser.close();
server.close();

const shown = (ms, width = 14) => (ms === null ? `>${LIMIT_MS}` : String(ms)).padStart(width);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`download: ilinks ${kb(downloads.ilinks.raw)} (gzip ${kb(downloads.ilinks.gzip)}; the .wasm with its fonts ` +
  `${kb(downloads.ilinks.wasm.raw)}, gzip ${kb(downloads.ilinks.wasm.gzip)}); fhir-react page ${kb(downloads.fhir_react.raw)} ` +
  `(gzip ${kb(downloads.fhir_react.gzip)})`);
console.log(`${'record'.padEnd(24)} ${'MB'.padStart(6)} ${'ilinks'.padStart(14)} ` +
  `${'fhir-react'.padStart(11)} ${'fhir-react / ilinks'.padStart(20)}   (ms from page load, median of ${runs}` +
  `${mbps > 0 ? `; the network held to ${mbps} Mbit/s` : ''})`);
for (const l of loads)
  console.log(`${l.record.padEnd(24)} ${String(l.mb).padStart(6)} ${shown(l.ilinks.first_record_ms)} ${shown(l.fhir_react.first_record_ms, 11)} ${String(l.ratio ?? '-').padStart(20)}`);
console.log(JSON.stringify({ runs, mbps, download: downloads, load: loads }));
