// What every browser test and benchmark starts with: a Node server on
// loopback (the sample EPR's, or the FHIR test server) and Debian's Chromium,
// headless, with WebGL2 through SwiftShader and no background networking
// (this machine's network is closed).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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

export const launchChromium = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
