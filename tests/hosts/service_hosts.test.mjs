// The sample hosts through a real sharing service: the plain C host, the
// desktop host (GLFW + OpenGL 3 under Xvfb) and the Python ctypes host each
// hold no record; they sign context tokens with their own issuer key (the
// ilinks-token command standing in for an EPR's back end), and show the View
// the service makes for their user. The desktop's OpenGL frame of the View
// must be the C host's CPU frame of the same View.
//
// Run by ctest (tests/CMakeLists.txt, hosts-through-service) with ILINKS_BIN,
// ILINKS_LIBRARY, ILINKS_SOURCE_DIR and ILINKS_TEST_OUTPUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AUDIENCE, BIN, ISSUER, SOURCE, call, makeIssuerKey, sign, startFhirServer, startService } from '../service/service_harness.mjs';

const outputDir = path.join(process.env.ILINKS_TEST_OUTPUT || '/tmp', 'hosts-through-service');
const JOE = '9990000115';
let fhir, service, key, dir;

// The shell command a host runs for each request's token: its own signer.
function tokenCommand(user, profile) {
  const args = ['sign', '--key', path.join(dir, 'issuer-key.pem'), '--alg', 'ES256', '--iss', ISSUER, '--aud', AUDIENCE,
    '--sub', user, '--name', `Sample ${user}`, '--profile', profile, '--ods', 'RVY',
    '--org-name', 'Southport and Ormskirk Hospital NHS Trust', '--patient', JOE, '--relationship', 'yes'];
  return [path.join(BIN(), 'ilinks-token'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 90000, ...options });
  return { code: r.status, out: r.stdout || '', err: (r.stderr || '') + (r.error ? r.error.message : '') };
}

before(async () => {
  dir = outputDir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  key = makeIssuerKey();
  fs.writeFileSync(path.join(dir, 'issuer-key.pem'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fhir = await startFhirServer();
  service = await startService({
    dir, key, store: { kind: 'sqlite', path: path.join(dir, 'store.db') },
    organisations: [{ ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust',
      fhir: { base_url: `${fhir.url}/ok`, bearer_token: 'good-token', timeout_ms: 4000, attempts: 2, backoff_ms: 10 } }],
  });
});

after(() => {
  service?.kill();
  fhir?.stop();
});

test('the C host, holding no record, shows the View the service sends once consent is recorded there', () => {
  const png = path.join(dir, 'c-host-joe.png');
  const r = run(path.join(BIN(), 'ilinks-c-host'), ['--service', service.url, JOE, tokenCommand('c.host', '1a'), png]);
  assert.equal(r.code, 0, `the C host failed: ${r.out}${r.err}`);
  assert.match(r.out, /service: View received\nservice: consent recorded there\n/);
  assert.match(r.out, /on screen: .*BRADSHAW/, 'the banner names the person the service sent');
  assert.ok(fs.statSync(png).size > 20000, 'a drawn record, not a blank frame');
});

test('the desktop host draws the same View with OpenGL as the C host drew on the CPU', () => {
  const shot = path.join(dir, 'desktop-joe.png');
  // The same user: the consent the C host recorded at the service lets them in.
  const r = run('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', path.join(BIN(), 'ilinks-desktop'), '--service', service.url,
    '--patient', JOE, '--token-command', tokenCommand('c.host', '1a'), '--size', '1000x700', '--screenshot', shot]);
  assert.equal(r.code, 0, `the desktop host failed: ${r.out}${r.err}`);
  const compared = run(path.join(BIN(), 'png-compare'), [shot, path.join(dir, 'c-host-joe.png'), '--channel-tolerance', '2',
    '--max-differing-percent', '0.5', '--diff', path.join(dir, 'desktop-joe.diff.png')]);
  assert.equal(compared.code, 0, `the OpenGL frame differs from the CPU frame of the same View: ${compared.out}${compared.err}`);
});

test('the Python host shows the Diagnostics tab the service sends, and consent is recorded at the service', async () => {
  const r = run('python3', [path.join(SOURCE(), 'host-samples/python-host/ilinks_host.py'), '--library', process.env.ILINKS_LIBRARY,
    '--service', service.url, '--patient', JOE, '--token-command', tokenCommand('py.host', '1b'), '--tab', 'diagnostics']);
  assert.equal(r.code, 0, `the Python host failed: ${r.out}${r.err}`);
  assert.match(r.out, /shown from the sharing service at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.out, /tab \(selected\): Diagnostics/);
  assert.match(r.out, /HbA1c \| 61 mmol\/mol/);
  const listed = await call(service, 'GET', '/v1/consents', { token: sign(key, { user: 'check', profile: '1b', ods: 'RVY' }, JOE) });
  const byUser = listed.json.consents.map((c) => c.recorded_by.user).sort();
  assert.deepEqual(byUser, ['c.host', 'py.host'], 'each host recorded its own user\'s consent at the service');
});

test('a host whose signer is not trusted by the service is refused in words and shows no one', () => {
  const other = path.join(dir, 'untrusted-key.pem');
  const made = run(path.join(BIN(), 'ilinks-token'), ['keygen', '--alg', 'ES256', '--out', other, '--public', `${other}.pub`]);
  assert.equal(made.code, 0, made.err);
  const png = path.join(dir, 'c-host-untrusted.png');
  const r = run(path.join(BIN(), 'ilinks-c-host'), ['--service', service.url, JOE,
    tokenCommand('c.host', '1a').replace(path.join(dir, 'issuer-key.pem'), other), png]);
  assert.equal(r.code, 1);
  assert.match(r.err, /refused by the sharing policy: .*the sharing service refused: the context token/);
  assert.ok(!r.out.includes('BRADSHAW') && !r.err.includes('Bradshaw'));
  assert.ok(!fs.existsSync(png), 'nothing was drawn');
});
