// Looks at the running demo by eye: opens the sample EPR (scripts/demo, in
// service mode) in headless Chromium, records consent through the widget's
// own dialog (the mouse on the canvas, where the accessible mirror says the
// buttons are), and writes a screenshot of the page. Not a test: a picture.
//
//   node tests/browser/demo_screenshot.mjs [URL] [OUT.png] [PATIENT]
//   (defaults: http://127.0.0.1:8080/, build/test-output/demo-service-consent.png, joe)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, mirrorControl, pressControl } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [url = 'http://127.0.0.1:8080/', out = path.join(repo, 'build/test-output/demo-service-consent.png'), patient = 'joe'] =
  process.argv.slice(2);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto(`${url}#patient=${patient}`);
  await page.waitForSelector('#record[data-state="ready"], #record[data-state="error"]', { timeout: 60000 });
  const message = () => page.locator('#record .message').textContent();
  if (await page.getAttribute('#record', 'data-state') === 'error') throw new Error(`the widget says: ${await message()}`);
  const mirror = (selector, text) => mirrorControl(page, selector, text);
  const click = (selector, text) => pressControl(page, selector, text, 20000);
  await click('button', 'Record consent...');
  await mirror('[role=dialog]', '').waitFor({ state: 'attached', timeout: 20000 });
  await click('[role=dialog] button', 'Record consent');
  await mirror('[role=tabpanel]', '').waitFor({ state: 'attached', timeout: 30000 });
  await page.waitForSelector('#record[data-state="ready"]');
  await page.mouse.move(0, 0);  // no hover tooltip in the picture
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(out);
} finally {
  await browser.close();
}
