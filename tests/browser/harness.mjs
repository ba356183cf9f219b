// What every browser test and benchmark starts with: a Node server on
// loopback (the sample EPR's, or the FHIR test server) and Debian's Chromium,
// headless, with WebGL2 through SwiftShader and no background networking
// (this machine's network is closed).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The value of an environment variable the tests need, or an error saying who sets it.
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (ctest sets it; see tests/CMakeLists.txt)`);
  return value;
};

// Starts `node script args...`, which prints its address on its first line.
// Returns { process, url }.
export async function startServer(script, args, what) {
  const child = spawn(process.execPath, [path.join(repo, script), ...args]);
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
  return { process: child, url };
}

// The sample web EPR serving the widget from `widgetDir`.
export const startSampleEpr = (widgetDir) =>
  startServer('host-samples/web-epr/serve.mjs', ['--port', '0', '--widget', widgetDir], 'the sample EPR server');

const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
};
export const launchChromium = () => chromium.launch(CHROMIUM);

// One browser profile kept in `dir`, as a clinician's browser is: its caches
// on disk, not a new context's, which is off the record.
export const launchChromiumProfile = (dir, options = {}) => chromium.launchPersistentContext(dir, { ...CHROMIUM, ...options });

// A page of the test's own on loopback: `page` (HTML) at /, and each prefix
// of `folders` ({ '/widget/': DIR }) served from its folder, nothing cached.
// Resolves with { url, origin, close() }.
export async function servePage(page, folders) {
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    const prefix = Object.keys(folders).find((p) => pathname.startsWith(p));
    const file = prefix && path.join(folders[prefix], path.basename(pathname));
    if (!file || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { url: `${origin}/`, origin, close: () => server.close() };
}

// A control of the widget `#record`, found in its accessible mirror, pressed
// with the mouse where the mirror says it is drawn on the canvas (as a user would).
export const mirrorControl = (page, selector, text) => page.locator(`#record .mirror ${selector}`, { hasText: text }).first();
export async function pressControl(page, selector, text, timeout = 30000) {
  const control = mirrorControl(page, selector, text);
  await control.waitFor({ state: 'attached', timeout });
  const [x, y, w, h] = (await control.getAttribute('data-bounds')).split(',').map(Number);
  const box = await page.locator('#record canvas').boundingBox();
  await page.mouse.click(box.x + x + w / 2, box.y + y + h / 2);
}


// In the page, for the leak tests: a long table's mirror is a window of rows
// around the screen (ilinks/mirror_window.h), so it is walked to its end a
// screenful at a time (the wheel on the canvas, as a user scrolls), every
// window's text and DOM kept in `out`; then back to the top. Defined in the
// page as window.walkTheWindows by `page.addInitScript(WALK_THE_WINDOWS)`.
export const WALK_THE_WINDOWS = `window.walkTheWindows = async (r, settle, out) => {
  if (!r.shadowRoot.querySelector('.mirror [aria-rowcount]')) return;
  const canvas = r.shadowRoot.querySelector('canvas');
  const box = canvas.getBoundingClientRect();
  const at = { clientX: box.left + box.width / 2, clientY: box.bottom - 100, bubbles: true, cancelable: true };
  canvas.dispatchEvent(new PointerEvent('pointermove', at));
  let text = r.mirrorText();
  for (let step = 0; step < 5000; ++step) {
    canvas.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: 12, deltaMode: 1 }));
    await settle();
    const next = r.mirrorText();
    if (next === text) break;  // the end
    out.push(next, r.shadowRoot.innerHTML);
    text = next;
  }
  canvas.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: -1e6, deltaMode: 1 }));
  await settle();
};`;
