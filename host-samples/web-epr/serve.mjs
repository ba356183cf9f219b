// Serves the sample web EPR with the WebAssembly widget, on loopback only.
//
//   node host-samples/web-epr/serve.mjs --widget build-wasm/dist [--port 8080]
//
//   /                the sample EPR page (this folder)
//   /widget/...      the widget as a vendor would serve it (wasm build's dist/)
//   /patients/...    the demo patients (host-samples/demo-patients)
//   /rules/...       the sharing policy's data (core/data), for the role picker
//
// --port 0 picks a free port. The first line printed is the page's URL.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('--port', process.env.PORT || 8080));
const widgetDir = path.resolve(option('--widget', path.join(here, '../../build-wasm/dist')));
const roots = {
  '/widget/': widgetDir,
  '/patients/': path.join(here, '../demo-patients'),
  '/rules/': path.join(here, '../../core/data'),
  '/': here,
};
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.json': 'application/fhir+json; charset=utf-8', '.css': 'text/css; charset=utf-8',
};

try {
  await fs.access(path.join(widgetDir, 'ilinks.wasm'));
} catch {
  console.error(`serve: no widget build in ${widgetDir} (build the wasm target first, or pass --widget DIR)`);
  process.exit(1);
}

const server = http.createServer(async (req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed URL');
    return;
  }
  if (pathname === '/') pathname = '/index.html';
  const prefix = Object.keys(roots).find((p) => pathname.startsWith(p));
  const root = roots[prefix];
  const file = path.resolve(root, '.' + pathname.slice(prefix.length - 1));
  if (!file.startsWith(root + path.sep) || file.endsWith('serve.mjs')) {
    res.writeHead(404).end('not found');
    return;
  }
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, {
      'content-type': types[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`${pathname}: not found`);
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
