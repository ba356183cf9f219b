// Serves the sample web EPR with the WebAssembly widget, on loopback only,
// and plays the EPR's back end: it signs context tokens for its users.
//
//   node host-samples/web-epr/serve.mjs --widget build-wasm/dist [--port 8080]
//        [--service URL --issuer-key PEM --issuer ISS --audience AUD]
//
//   /                the sample EPR page (this folder)
//   /widget/...      the widget as a vendor would serve it (wasm build's dist/;
//                    its code kept by the browser, revalidated by its ETag on each load)
//   /patients/...    the demo patients (host-samples/demo-patients)
//   /rules/...       the sharing policy's data (core/data), for the role picker
//   /epr/config.json {mode: "service"|"direct", service, users}: what the page runs as
//   POST /epr/context-token {user, patient, profile} -> {token}: a context
//                    token for one request to the sharing service (ES256,
//                    signed with --issuer-key; claims as README "The sharing service")
//
// With --service the page uses the widget's service mode by default (the
// page never holds a record); without it, direct mode. --port 0 picks a free
// port. The first line printed is the page's URL.
import crypto from 'node:crypto';
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
const serviceUrl = option('--service', '');
const issuer = { keyFile: option('--issuer-key', ''), iss: option('--issuer', ''), aud: option('--audience', '') };
const roots = {
  '/widget/': widgetDir,
  '/patients/': path.join(here, '../demo-patients'),
  '/rules/': path.join(here, '../../core/data'),
  '/': here,
};
const WIDGET_CODE = new Set(['.js', '.mjs', '.wasm']);  // kept by browsers, revalidated (below)
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

// The EPR's users (users.json). A real EPR knows its user from its own
// sign-in session; this sample takes the id the page sends (?user=), which
// is what lets a test act as two workstations.
const { users } = JSON.parse(await fs.readFile(path.join(here, 'users.json'), 'utf8'));

// The EPR back end's signing key: read once, never served (only the service
// holds the public half).
let signingKey = null;
if (serviceUrl) {
  const missing = ['--issuer-key', '--issuer', '--audience'].filter((_, i) => !Object.values(issuer)[i]);
  if (missing.length) {
    console.error(`serve: --service needs ${missing.join(', ')} too (the key and names the service trusts for context tokens)`);
    process.exit(2);
  }
  try {
    signingKey = crypto.createPrivateKey(await fs.readFile(issuer.keyFile));
  } catch (e) {
    console.error(`serve: ${issuer.keyFile}: not a readable private key (${e.code || e.message})`);
    process.exit(2);
  }
  if (signingKey.asymmetricKeyType !== 'ec' || signingKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    console.error(`serve: ${issuer.keyFile}: must be an EC P-256 private key (ES256)`);
    process.exit(2);
  }
}

const b64url = (data) => Buffer.from(data).toString('base64url');
let jtiCounter = 0;

// One context token: who is looking (the user, in the role chosen), at whom,
// for one request within a minute (the service accepts each jti once).
function contextToken(user, patient, profile) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer.iss, aud: issuer.aud, sub: user.id, jti: `${crypto.randomUUID()}-${++jtiCounter}`, iat: now, exp: now + 60,
    name: user.name, profile, organisation: user.organisation, patient,
    // The EPR has this person on its list: a care relationship it has established.
    relationship: true,
  };
  if (user.team) claims.team = user.team;
  const input = `${b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), { key: signingKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

const json = (res, status, body) =>
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

async function signRequest(req, res) {
  if (!signingKey) return json(res, 404, { message: 'this EPR signs no context tokens: serve.mjs was started without --service' });
  let body;
  try {
    let text = '';
    for await (const chunk of req) {
      text += chunk;
      if (text.length > 4096) throw new Error('too long');
    }
    body = JSON.parse(text);
  } catch {
    return json(res, 400, { message: 'the body must be JSON: {"user", "patient", "profile"}' });
  }
  const user = users.find((u) => u.id === body?.user);
  if (!user) return json(res, 403, { message: `no such user of this EPR: ${String(body?.user).slice(0, 40)}` });
  if (typeof body.patient !== 'string' || !/^\d{10}$/.test(body.patient))
    return json(res, 400, { message: '"patient" must be the NHS number of the person open (10 digits)' });
  if (typeof body.profile !== 'string' || !/^[0-9a-zA-Z]{1,8}$/.test(body.profile))
    return json(res, 400, { message: '"profile" must be a role profile id ("1b")' });
  json(res, 200, { token: contextToken(user, body.patient, body.profile) });
}

const server = http.createServer(async (req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed URL');
    return;
  }
  if (pathname === '/epr/context-token' && req.method === 'POST') return signRequest(req, res);
  if (pathname === '/epr/config.json') {
    return json(res, 200, { mode: serviceUrl ? 'service' : 'direct', service: serviceUrl || null,
      users: users.map(({ id, name, profile, organisation }) => ({ id, name, profile, organisation })) });
  }
  if (pathname === '/') pathname = '/index.html';
  const prefix = Object.keys(roots).find((p) => pathname.startsWith(p));
  const root = roots[prefix];
  const file = path.resolve(root, '.' + pathname.slice(prefix.length - 1));
  if (!file.startsWith(root + path.sep) || file.endsWith('serve.mjs') || file.endsWith('users.json')) {
    res.writeHead(404).end('not found');
    return;
  }
  try {
    const body = await fs.readFile(file);
    const type = types[path.extname(file)] || 'application/octet-stream';
    // The widget's code (.js, .mjs, .wasm), the same for every person: the
    // browser may keep it (a later visit starts sooner: README "Benchmarks")
    // but asks each time whether it changed, so an updated widget is used at
    // once. Everything else is never kept: pages (the SMART sign-in's return
    // page carries its code in the address), demo patients, rules.
    if (prefix === '/widget/' && WIDGET_CODE.has(path.extname(file))) {
      const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const headers = { 'content-type': type, 'cache-control': 'no-cache', etag };
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, headers).end();
      return res.writeHead(200, headers).end(body);
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
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
