#!/usr/bin/env node
// The sharing service in its deployment shape, for scripts/demo: each
// organisation's FHIR endpoint serving only what it holds (the FHIR test
// server's /split/{ODS}/, host-samples/demo-patients/split-by-organisation.mjs),
// ilinks-service in front of them with its own SQLite store, the trusts' ADT
// sent to it over MLLP, and a host EPR's back end signing context tokens
// (ilinks-token, with a demo issuer key made afresh).
//
//   node host-samples/service-demo/demo-service.mjs --bin build/bin --dir build/demo-service
//        [--port 8443] [--mllp-port 2575] [--ready FILE] [--browser-origin ORIGIN ...]
//
// --dir is emptied and filled: issuer-key.pem (private, owner only),
// issuer-public.pem, service.json, store.db. --browser-origin (repeatable)
// lists a web EPR page's origin in the service's browser_origins (CORS), so
// that the sample EPR's widget may call it. Prints how to call the service
// (curl with signed tokens), writes --ready once it is (lines: the service's
// URL, the issuer, the audience, the issuer's private key file: what the
// sample EPR needs to sign context tokens), and runs until SIGINT or SIGTERM,
// then stops what it started.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { messagesOf, mllpSend } from './mllp-send.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const BIN = path.resolve(option('--bin', path.join(ROOT, 'build/bin')));
const DIR = path.resolve(option('--dir', path.join(ROOT, 'build/demo-service')));
const PORT = Number(option('--port', '8443'));
const MLLP_PORT = Number(option('--mllp-port', '2575'));
const READY = option('--ready', '');
const BROWSER_ORIGINS = args.flatMap((a, i) => (a === '--browser-origin' && i + 1 < args.length ? [args[i + 1]] : []));
const DEMO = path.join(ROOT, 'host-samples/demo-patients');
export const ISSUER = 'https://epr.demo.ilinks.example';
export const AUDIENCE = 'https://ilinks.north-mersey.example/api';

const say = (text) => console.log(`[demo] ${text}`);
const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  let left = children.filter((c) => c.exitCode === null && c.signalCode === null).length;
  if (!left) process.exit(code);
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.once('exit', () => { if (--left === 0) process.exit(code); });
    c.kill('SIGTERM');
  }
  // A child that ignores SIGTERM for 3 s (a service stuck starting) is killed.
  setTimeout(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); }, 3000).unref();
  setTimeout(() => process.exit(code), 5000).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

// Resolves when nothing listens on 127.0.0.1:port (0: any port will do).
function checkFree(port, what) {
  if (!port) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`${what} port ${port} is in use (another demo still running?); choose another`)));
    probe.listen(port, '127.0.0.1', () => probe.close(resolve));
  });
}

const within = (promise, ms, what) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms).unref())]);

// Starts a child; resolves with it and waitFor(pattern): the first stdout line
// matching, seen or still to come.
function start(what, command, commandArgs, pattern) {
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = [];
  const waiting = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiting.splice(0)) (line.match(w.pattern) ? w.resolve(line.match(w.pattern)) : waiting.push(w));
  });
  const waitFor = (p) => new Promise((resolve, reject) => {
    const seen = lines.find((l) => p.test(l));
    if (seen) return resolve(seen.match(p));
    waiting.push({ pattern: p, resolve });
    child.on('exit', (code, signal) => reject(new Error(`${what} exited (${signal || code}) before it was ready`)));
  });
  child.on('exit', (code, signal) => {
    if (!stopping) { console.error(`[demo] ${what} stopped (${signal || code}); stopping the rest`); stopAll(1); }
  });
  return waitFor(pattern).then((match) => ({ child, match, waitFor }));
}

function run(command, commandArgs) {
  const r = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${commandArgs[0]} failed: ${(r.stderr || r.error || '').toString().trim()}`);
  return r.stdout.trim();
}

const quote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

// ilinks-token sign's arguments for a viewer looking at a person.
function signArgs(viewer, nhsNumber) {
  return ['sign', '--key', path.join(DIR, 'issuer-key.pem'), '--alg', 'ES256', '--iss', ISSUER, '--aud', AUDIENCE,
    '--sub', viewer.user, '--name', viewer.name, '--profile', viewer.profile, '--ods', viewer.ods, '--org-name', viewer.orgName,
    '--patient', nhsNumber, '--relationship', 'yes'];
}

async function main() {
  for (const program of ['ilinks-service', 'ilinks-token'])
    if (!fs.existsSync(path.join(BIN, program))) throw new Error(`${path.join(BIN, program)} is not built`);
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true, mode: 0o700 });

  await checkFree(PORT, 'the service\'s');
  await checkFree(MLLP_PORT, 'the MLLP');

  // 1. The demo issuer: the host EPR back end's signing key (never committed: build/ only).
  run(path.join(BIN, 'ilinks-token'), ['keygen', '--alg', 'ES256', '--out', path.join(DIR, 'issuer-key.pem'),
    '--public', path.join(DIR, 'issuer-public.pem')]);

  // 2. The organisations' FHIR endpoints: one server, one base URL per organisation.
  const fhir = await start('the FHIR test server', process.execPath,
    [path.join(ROOT, 'tests/fetch/fhir_test_server.mjs'), DEMO], /^(http:\/\/\S+)$/);
  const fhirUrl = fhir.match[1];
  const organisations = await (await fetch(`${fhirUrl}/split`)).json();

  // 3. The service's configuration (README "The sharing service").
  const config = {
    format: 'ilinks-service/1',
    listen: { address: '127.0.0.1', port: PORT },
    audience: AUDIENCE,
    issuers: [{ issuer: ISSUER, algorithm: 'ES256', public_key: 'issuer-public.pem' }],
    policy: 'builtin',
    organisations: organisations.map((o) => ({ ods: o.ods, name: o.name, fhir: { base_url: `${fhirUrl}/split/${o.ods}`, bearer_token: 'good-token' } })),
    store: { kind: 'sqlite', path: 'store.db' },
    mllp: { address: '127.0.0.1', port: MLLP_PORT },
  };
  if (BROWSER_ORIGINS.length) config.browser_origins = BROWSER_ORIGINS;
  const configPath = path.join(DIR, 'service.json');
  fs.writeFileSync(configPath, JSON.stringify(config, null, 1) + '\n');
  run(path.join(BIN, 'ilinks-service'), ['check', '--config', configPath]);

  // 4. The service.
  const svc = await within(start('ilinks-service', path.join(BIN, 'ilinks-service'), ['serve', '--config', configPath],
    /^listening on (https?:\/\/\S+)$/), 30000, 'ilinks-service');
  const url = svc.match[1];
  const [, mllpHost, mllpPort] = await svc.waitFor(/^mllp on (\S+):(\d+)$/);
  const mllp = { host: mllpHost, port: Number(mllpPort) };

  // 5. The trusts' ADT, over MLLP.
  const adtDir = path.join(DEMO, 'adt');
  const files = fs.readdirSync(adtDir).filter((f) => f.endsWith('.hl7')).sort();
  const messages = files.flatMap((f) => messagesOf(fs.readFileSync(path.join(adtDir, f), 'utf8')));
  const acks = await mllpSend(mllp.host, mllp.port, messages);
  const refused = acks.filter((a) => a.ack !== 'AA' && a.ack !== 'CA');
  if (refused.length) throw new Error(`ADT refused: ${refused.map((a) => `${a.control} ${a.ack} ${a.text}`).join('; ')}`);

  // 6. How to call it: an A&E doctor at Aintree looking at Joe Bradshaw, whose
  //    record is at his practice, Southport (with its ADT admission) and community.
  const viewer = { user: 'rem.ae.jones', name: 'Dr Rhys Jones', profile: '6', ods: 'REM', orgName: 'Aintree University Hospital NHS Foundation Trust' };
  const joe = '9990000115';
  const token = run(path.join(BIN, 'ilinks-token'), signArgs(viewer, joe));
  const signNow = `$(${[path.join(BIN, 'ilinks-token'), ...signArgs(viewer, joe)].map(quote).join(' ')})`;
  say(`sharing service on ${url} (store ${path.join(DIR, 'store.db')}; config ${configPath})`);
  say(`  ${organisations.length} organisations, each its own FHIR endpoint at ${fhirUrl}/split/{ODS}: ${organisations.map((o) => o.ods).join(' ')}`);
  say(`  ADT over MLLP on ${mllp.host}:${mllp.port}: ${acks.length} messages sent from ${files.length} files, all acknowledged (AA)`);
  say(`  ${url}/healthz and ${url}/metrics need no token; /v1/ needs a context token signed by the demo issuer (${ISSUER})`);
  say('  as an A&E doctor at Aintree (profile 6, REM) opening Joe Bradshaw; the first view asks for consent.');
  say('  This token is good for one request in the next 5 minutes:');
  console.log(`curl -s ${url}/v1/view -H 'Authorization: Bearer ${token}'`);
  say('  Record his verbal consent (the answer is his View), then look again; each command signs its own token:');
  console.log(`curl -s -X POST ${url}/v1/consent -H 'Content-Type: application/json' -d '{"method":"verbal","scope":"organisation"}' -H "Authorization: Bearer ${signNow}"`);
  console.log(`curl -s ${url}/v1/view -H "Authorization: Bearer ${signNow}"`);
  say(`  (other people: --patient with an NHS number from host-samples/demo-patients/index.json; who looked: ${path.join(BIN, 'ilinks-service')} export-audit --config ${configPath} --out audit.jsonl && ${path.join(BIN, 'ilinks-audit')} verify audit.jsonl)`);
  if (BROWSER_ORIGINS.length) say(`  web pages that may call it (browser_origins): ${BROWSER_ORIGINS.join(' ')}`);
  if (READY) fs.writeFileSync(READY, [url, ISSUER, AUDIENCE, path.join(DIR, 'issuer-key.pem')].join('\n') + '\n');
}

main().catch((e) => {
  console.error(`[demo] the sharing service could not start: ${e.message}`);
  stopAll(1);
});
