// The sharing service as a separate process, for the tests that need more
// than one instance, restarts, kill -9, or to look at every byte on the wire:
// a config written for it, the FHIR test server as the organisations, and
// context tokens signed as a host EPR's back end signs them (ES256, Node's
// own crypto: independent of the service's code).
//
//   const key = makeIssuerKey();
//   const fhir = await startFhirServer();                        // tests/fetch/fhir_test_server.mjs
//   const svc = await startService({ dir, key, organisations: [{ ods, name, fhir: { base_url } }], store });
//   const res = await call(svc, 'GET', '/v1/view', { token: sign(key, viewer, nhs) });
//   svc.kill('SIGKILL'); ...
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (ctest sets it; see tests/service/*_tests.cmake)`);
  return value;
};
export const BIN = () => env('ILINKS_BIN');
export const SOURCE = () => env('ILINKS_SOURCE_DIR');

export const ISSUER = 'https://epr.southport.test';
export const AUDIENCE = 'https://ilinks.north-mersey.test/api';

export function makeIssuerKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
let jtiCounter = 0;

// A context token for one request. viewer: { user, name, profile, ods, orgName, team, familyName, postcode }.
// issuedSecondsAgo > lifetime: a token that has expired.
export function sign(key, viewer, nhsNumber, { relationship = true, lifetime = 120, jti, issuedSecondsAgo = 0 } = {}) {
  const now = Math.floor(Date.now() / 1000) - issuedSecondsAgo;
  const claims = {
    iss: ISSUER, aud: AUDIENCE, sub: viewer.user, jti: jti || `${process.pid}-${Date.now()}-${++jtiCounter}`,
    iat: now, exp: now + lifetime, name: viewer.name || viewer.user, profile: viewer.profile,
    organisation: { ods: viewer.ods, name: viewer.orgName || viewer.ods }, patient: nhsNumber, relationship,
  };
  if (viewer.team) claims.team = viewer.team;
  if (viewer.familyName) claims.family_name = viewer.familyName;
  if (viewer.postcode) claims.postcode = viewer.postcode;
  const input = `${b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

// Reads lines from a child's stdout until `pattern` matches one; resolves with the match.
function waitForLine(child, pattern, what, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    rl.on('line', (line) => {
      const m = line.match(pattern);
      if (m) { clearTimeout(timer); resolve(m); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}) before it was ready: ${stderr}`)); });
    child.on('error', (error) => { clearTimeout(timer); reject(new Error(`${what} could not be started: ${error.message}`)); });
  });
}

// The FHIR test server over the demo patients (or `dir`, with its index.json);
// options such as ['--page-size', '200'] are passed on.
export async function startFhirServer(dir = path.join(SOURCE(), 'host-samples/demo-patients'), options = []) {
  const child = spawn('node', [path.join(SOURCE(), 'tests/fetch/fhir_test_server.mjs'), dir, ...options], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [url] = await waitForLine(child, /^http:\/\/\S+$/, 'the FHIR test server');
  return { url, child, stop: () => child.kill('SIGTERM') };
}

// Writes dir/service.json (and the issuer's key beside it) and starts
// `ilinks-service serve`. store: { kind: 'sqlite', path } or { kind: 'postgresql', connection }.
// browserOrigins: the web pages whose widget may call the service (CORS).
export function writeConfig({ dir, key, organisations, store, mllp = false, policy = 'builtin', limits = {}, port = 0, browserOrigins }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'issuer.pem'), key.publicPem);
  const config = {
    format: 'ilinks-service/1', listen: { address: '127.0.0.1', port }, audience: AUDIENCE,
    issuers: [{ issuer: ISSUER, algorithm: 'ES256', public_key: 'issuer.pem' }], policy, organisations, store,
    limits: { record_cache_seconds: 0, fetch_deadline_ms: 4000, ...limits },
  };
  if (mllp) config.mllp = { address: '127.0.0.1', port: 0 };
  if (browserOrigins) config.browser_origins = browserOrigins;
  fs.writeFileSync(path.join(dir, 'service.json'), JSON.stringify(config, null, 1));
  return path.join(dir, 'service.json');
}

export async function startService(options) {
  const config = options.configPath || writeConfig(options);
  const child = spawn(path.join(BIN(), 'ilinks-service'), ['serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const [, scheme, host, port] = await waitForLine(child, /^listening on (https?):\/\/([^:]+):(\d+)$/, 'ilinks-service');
  // stderr(): what the service has said so far (for a failing test's message).
  return { url: `${scheme}://${host}:${port}`, child, config, kill: (signal = 'SIGTERM') => child.kill(signal), exited,
    stderr: () => stderr };
}

// One API call: { status, body (text), json (when JSON) }. Throws when no
// answer comes (the service is down, or killed mid-request), and after
// timeoutMs rather than waiting for ever on a service that hangs.
export async function call(svc, method, route, { token, body, contentType = 'application/json', timeoutMs = 30000 } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(svc.url + route, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, body: text, json };
}

// The whole audit chain as the service's store holds it, checked by ilinks-audit verify.
export async function exportAndVerify(configPath, out) {
  const run = (cmd, args) => new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.stderr.on('data', (d) => { text += d; });
    // 'close', not 'exit': the output may still be on its way when the process has exited.
    child.on('close', (code) => resolve({ code, text }));
    child.on('error', (error) => resolve({ code: -1, text: `${cmd} could not be run: ${error.message}` }));
  });
  const exported = await run(path.join(BIN(), 'ilinks-service'), ['export-audit', '--config', configPath, '--out', out]);
  if (exported.code !== 0) return { intact: false, text: exported.text };
  const verified = await run(path.join(BIN(), 'ilinks-audit'), ['verify', out]);
  return { intact: verified.code === 0, text: verified.text, lines: fs.readFileSync(out, 'utf8').split('\n').filter(Boolean) };
}
