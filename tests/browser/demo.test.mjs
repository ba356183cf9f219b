// The demo's deployment shape, as scripts/demo starts it (without its setup
// and build): host-samples/service-demo/demo-service.mjs (each organisation
// its own FHIR endpoint, the demo ADT over MLLP, ilinks-service on SQLite),
// then the sample EPR as a client of that service. A GP records the
// person's consent through the widget's own dialog, and the page shows the
// record the service assembled from several organisations' endpoints.
//
// Run by ctest (browser-demo) with ILINKS_WIDGET_DIR, ILINKS_BIN and ILINKS_TEST_OUTPUT.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, startServer, launchChromium, mirrorControl, pressControl } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(env('ILINKS_TEST_OUTPUT'), 'browser-demo');
const stops = [];
after(() => { for (const stop of stops.reverse()) stop(); });

const freePort = () => new Promise((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => { const p = probe.address().port; probe.close(() => resolve(p)); });
});

// Starts demo-service.mjs; resolves with its ready file's lines (URL, issuer, audience, key).
async function startDemoService(eprOrigin) {
  const ready = path.join(outDir, 'ready');
  const child = spawn(process.execPath, [path.join(repo, 'host-samples/service-demo/demo-service.mjs'), '--bin', env('ILINKS_BIN'),
    '--dir', path.join(outDir, 'service'), '--port', '0', '--mllp-port', '0', '--ready', ready, '--browser-origin', eprOrigin],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stdout.on('data', (d) => { said += d; });
  child.stderr.on('data', (d) => { said += d; });
  stops.push(() => child.kill('SIGTERM'));
  for (let waited = 0; !fs.existsSync(ready); waited += 100) {
    if (child.exitCode !== null || waited > 60000) throw new Error(`the demo's service did not start: ${said}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { info: fs.readFileSync(ready, 'utf8').trim().split('\n'), said: () => said };
}

test('the demo deployment: a GP records consent in the widget and sees the record the service put together', async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const eprPort = await freePort();
  const demo = await startDemoService(`http://127.0.0.1:${eprPort}`);
  assert.match(demo.said(), /ADT over MLLP on \S+: 4 messages sent from 3 files, all acknowledged \(AA\)/);
  const [serviceUrl, issuer, audience, key] = demo.info;
  const epr = await startServer('host-samples/web-epr/serve.mjs', ['--port', String(eprPort), '--widget', env('ILINKS_WIDGET_DIR'),
    '--service', serviceUrl, '--issuer', issuer, '--audience', audience, '--issuer-key', key], 'the sample EPR server');
  stops.push(() => epr.process.kill());

  const browser = await launchChromium();
  stops.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(`${epr.url}#patient=joe`);
  const control = (selector, text) => mirrorControl(page, selector, text);
  const press = (selector, text) => pressControl(page, selector, text);
  await press('button', 'Record consent...');
  await control('[role=dialog]', '').waitFor({ state: 'attached', timeout: 15000 });
  await press('[role=dialog] button', 'Record consent');
  await control('[role=tabpanel]', '').waitFor({ state: 'attached', timeout: 30000 });
  await page.screenshot({ path: path.join(outDir, 'demo-after-consent.png') });

  const record = page.locator('#record');
  assert.equal(await record.getAttribute('data-state'), 'ready');
  await page.evaluate(() => document.getElementById('record').setTab('timeline'));
  await control('[role=tab][aria-selected=true]', 'Timeline').waitFor({ state: 'attached', timeout: 15000 });
  const timeline = await page.evaluate(() => document.getElementById('record').mirrorText());
  assert.match(timeline, /BRADSHAW, Joseph Edward/);
  assert.match(timeline, /Consent \(verbal\) given by patient/);
  // Entries from three organisations' own endpoints: the service put the record together.
  const organisations = ['Marshside Surgery', 'Southport and Ormskirk', 'Liverpool Community Health'];
  assert.deepEqual(organisations.filter((o) => timeline.includes(o)), organisations);
  // The page itself never held a record: its only record-shaped answers came from the service.
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/patients/') &&
    !e.name.endsWith('index.json')).length), 0);
});
