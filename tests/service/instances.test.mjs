// More than one instance of the sharing service on one store, as separate
// processes (service_harness.mjs): what one instance records the others honour
// at once and after restarts, the volume alert counts views from every
// instance once, kill -9 loses no acknowledged audit event, and a store that
// goes away fails closed (503 with words, nothing shown) and comes back
// without restarting the service.
//
//   ILINKS_TEST_STORE=sqlite|postgresql  which store (ctest: service-instances-sqlite, -postgresql)
//   ILINKS_TEST_PG                       the PostgreSQL server (with_postgres.sh); required for postgresql:
//                                        without it the run FAILS, it is never skipped
//   ILINKS_BIN, ILINKS_SOURCE_DIR, ILINKS_TEST_OUTPUT   as every service test
//
// The tests, on the store asked for:
//   1. consent recorded through A lets a colleague in through B, not another organisation
//   2. an opt-out recorded on A is honoured on B at once, and after both restart
//   3. views split across A and B raise "many-patients" exactly once (a local policy: more than 3 people)
//   4. kill -9 mid-request: every 200 has its view in the chain, the chain is intact, a new instance continues it
// The list differs by store from here on (both runs name every test they run; nothing is skipped):
//   postgresql:
//   5. the server restarted (fast) and crashed (immediate) under load: 503 with words and nothing shown
//      during the outage, 200 on the same service process after it, the chain intact with every 200
//   6. the server stopped: GET /v1/view and /healthz are 503 (and `ilinks-service check` says why);
//      started again, the same process serves
//   sqlite (one file has no server to stop; its outage is another process holding the write lock
//   beyond the store's busy_timeout_ms, which the sqlite3 shell does; scripts/setup installs it):
//   5. the write lock held under load on A and B (once released, once by a holder killed with
//      SIGKILL): 503 with words and nothing shown while held, 200 on the same processes after, the
//      chain intact with every 200
//   6. while the lock is held a view and a consent are 503 and nothing is kept; /healthz stays 200,
//      because the store is still readable (WAL) and the health check asks only whether it can be reached
//
// Each test has its own users (consent is per user) and its own person among
// the 8 demo people, so that on PostgreSQL, where every test shares the one
// database, no test's consent or opt-out reaches another's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { BIN, SOURCE, call, exportAndVerify, makeIssuerKey, sign, startFhirServer, startService, writeConfig } from './service_harness.mjs';

const STORE = process.env.ILINKS_TEST_STORE;
const PG = process.env.ILINKS_TEST_PG;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A store this run cannot use fails the run, with the reason.
const storeProblem = STORE !== 'sqlite' && STORE !== 'postgresql'
  ? `ILINKS_TEST_STORE is ${JSON.stringify(STORE)}: it must be "sqlite" or "postgresql" (see tests/service/instances_tests.cmake)`
  : STORE === 'postgresql' && !PG
    ? 'ILINKS_TEST_STORE=postgresql but ILINKS_TEST_PG is not set: run this under tests/service/with_postgres.sh, which starts the server'
    : STORE === 'postgresql' && !(process.env.ILINKS_TEST_PG_RESTART && process.env.ILINKS_TEST_PG_CRASH && process.env.ILINKS_TEST_PG_STOP && process.env.ILINKS_TEST_PG_START)
      ? 'ILINKS_TEST_PG is set but ILINKS_TEST_PG_RESTART, _CRASH, _STOP or _START is not: run this under tests/service/with_postgres.sh'
      : STORE === 'sqlite' && spawnSync('sqlite3', ['-version']).status !== 0
        ? 'the sqlite3 shell is not installed (scripts/setup installs it): the SQLite outage tests need it to hold the write lock'
        : '';

// ---- The demo people, by their Patient's NHS number ------------------------------------------

function demoPeople() {
  const dir = path.join(SOURCE(), 'host-samples/demo-patients');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  return index.patients.map((p) => {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, p.file), 'utf8'));
    const patient = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'Patient');
    const nhs = patient.identifier.find((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number').value;
    return { id: p.id, nhs, family: patient.name[0].family };
  });
}

// ---- Shared set-up -----------------------------------------------------------------------------

let key, fhir, people, outputDir;
const running = new Set();  // every service started, killed at the end whatever happened

before(async () => {
  if (storeProblem) return;
  key = makeIssuerKey();
  fhir = await startFhirServer();
  people = demoPeople();
  assert.equal(people.length, 8, 'the demo patients are 8 people');
  outputDir = path.join(process.env.ILINKS_TEST_OUTPUT || path.join(SOURCE(), 'build/test-output'), 'service-instances', `${STORE}-${RUN}`);
  fs.mkdirSync(outputDir, { recursive: true });
});

after(async () => {
  for (const svc of running) {
    if (svc.child.exitCode === null && svc.child.signalCode === null) {
      svc.kill('SIGKILL');
      await svc.exited;
    }
  }
  if (fhir) fhir.stop();
});

const person = (id) => {
  const p = people.find((x) => x.id === id);
  assert.ok(p, `no demo person ${id}`);
  return p;
};

// A viewer: a clinician (profile 1a) of Southport and Ormskirk (RVY) unless told otherwise.
const viewer = (user, { ods = 'RVY', profile = '1a' } = {}) => ({ user: `${user}-${RUN}`, name: `Dr ${user}`, profile, ods, orgName: `Organisation ${ods}` });
const officer = () => ({ user: `po-${RUN}`, profile: 'PO', ods: 'ZZIG', orgName: 'Information governance' });

// One test's folder and the configuration every instance of it shares (one
// file: the instances are the same deployment, each on a port of its own).
function configure(name, { policy = 'builtin', limits = {}, storeOptions = {} } = {}) {
  const dir = path.join(outputDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const store = STORE === 'sqlite'
    ? { kind: 'sqlite', path: path.join(dir, 'store.db'), ...storeOptions }
    : { kind: 'postgresql', connection: PG, ...storeOptions };
  const configPath = writeConfig({
    dir, key, store, policy,
    organisations: [{ ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust',
      fhir: { base_url: `${fhir.url}/ok`, bearer_token: 'good-token', timeout_ms: 4000, attempts: 2, backoff_ms: 10 } }],
    limits,
  });
  return { dir, configPath };
}

async function start(configPath) {
  const svc = await startService({ configPath });
  running.add(svc);
  return svc;
}

// SIGTERM, and the service must stop cleanly (exit 0).
async function stop(svc, name) {
  svc.kill('SIGTERM');
  const code = await svc.exited;
  assert.equal(code, 0, `${name} did not stop cleanly on SIGTERM (exit ${code}, signal ${svc.child.signalCode}): ${svc.stderr()}`);
}

const view = (svc, who, p) => call(svc, 'GET', '/v1/view', { token: sign(key, who, p.nhs) });

// A View answer, checked: 200, JSON, the person's, on `basis`.
function expectView(res, basis, what) {
  assert.equal(res.status, 200, `${what}: expected 200, got ${res.status}: ${res.body.slice(0, 300)}`);
  assert.ok(res.json, `${what}: the answer is not JSON: ${res.body.slice(0, 200)}`);
  assert.equal(res.json.basis, basis, `${what}: expected basis "${basis}", got "${res.json.basis}" (${res.json.basis_text || ''})`);
  return res.json;
}

// A store outage's answer: 503, an error code, words, and nothing of the person.
function expectNothingShown(res, p, what) {
  assert.equal(res.status, 503, `${what}: expected 503 while the store is unavailable, got ${res.status}: ${res.body.slice(0, 300)}`);
  assert.ok(res.json && typeof res.json.error === 'string', `${what}: the 503 is not a JSON error: ${res.body.slice(0, 200)}`);
  assert.ok(typeof res.json.message === 'string' && res.json.message.split(' ').length >= 5,
    `${what}: the 503 should say in words what is wrong, said ${JSON.stringify(res.json.message)}`);
  for (const leak of [p.nhs, p.family.toLowerCase(), '"patient"', '"items"'])
    assert.ok(!res.body.toLowerCase().includes(leak), `${what}: the 503 shows something of the person (${leak}): ${res.body.slice(0, 300)}`);
}

// The chain exported by `ilinks-service export-audit` and checked by `ilinks-audit verify`.
async function exportedChain(configPath, name) {
  const out = path.join(path.dirname(configPath), `${name}.jsonl`);
  const result = await exportAndVerify(configPath, out);
  assert.ok(result.intact, `the exported audit chain (${out}) is not intact: ${result.text}`);
  return result.lines.map((line) => JSON.parse(line));
}

const viewsBy = (events, user) => events.filter((e) => e.action === 'view' && e.user_id === user).length;

// Every acknowledged (200) view is in the chain: per user, events >= 200s received.
function expectEveryAcknowledgedView(events, okByUser, what) {
  for (const [user, ok] of Object.entries(okByUser)) {
    const kept = viewsBy(events, user);
    assert.ok(kept >= ok, `${what}: ${user} received ${ok} views with 200 but the chain holds only ${kept} of their view events: an acknowledged audit event was lost`);
  }
}

// Several clients, one user each, asking for `p`'s View over and over from
// the instance `target()` names, until stop() (or, with stopOnError, until
// a request gets no answer). Every request is kept: who, when, what came back.
function hammer({ target, users, p, stopOnError = false, onAnswer = () => {} }) {
  const requests = [];
  let stopped = false;
  const client = async (who) => {
    while (!stopped) {
      const r = { user: who.user, started: Date.now() };
      requests.push(r);
      try {
        const res = await view(target(), who, p);
        Object.assign(r, { ended: Date.now(), status: res.status, res });
        onAnswer(r);
      } catch (error) {
        Object.assign(r, { ended: Date.now(), error: String(error.cause?.code || error.message) });
        if (stopOnError) return;
        await sleep(10);
      }
    }
  };
  const clients = users.map(client);
  return {
    requests,
    stop: async () => { stopped = true; await Promise.all(clients); return requests; },
    done: Promise.all(clients),
  };
}

function okByUser(requests) {
  const ok = {};
  for (const r of requests) if (r.status === 200) ok[r.user] = (ok[r.user] || 0) + 1;
  return ok;
}

const summary = (requests) => {
  const counts = {};
  for (const r of requests) { const k = r.status ?? r.error; counts[k] = (counts[k] || 0) + 1; }
  return JSON.stringify(counts);
};

function runCommand(command) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.stderr.on('data', (d) => { text += d; });
    child.on('close', (code) => resolve({ code, text }));
  });
}

async function mustRun(name) {
  const result = await runCommand(process.env[name]);
  assert.equal(result.code, 0, `${name} (${process.env[name]}) failed: ${result.text}`);
}

// ---- The tests ---------------------------------------------------------------------------------

if (storeProblem) {
  test(`the store asked for (${STORE}) can be used`, () => assert.fail(storeProblem));
} else {
  test(`[${STORE}] 1. consent recorded through instance A lets a colleague of the same organisation in through B, and not another organisation`, async () => {
    // The record cache as deployed (60 s): what decides who sees it is read from the store each time, never cached.
    const { configPath } = configure('consent', { limits: { record_cache_seconds: 60 } });
    const [a, b] = [await start(configPath), await start(configPath)];
    const joe = person('joe');
    const recorder = viewer('t1-recorder');
    const colleague = viewer('t1-colleague');
    const outsider = viewer('t1-outsider', { ods: 'REM' });

    expectView(await view(b, colleague, joe), 'consent-required', 'B, the colleague, before any consent');
    const given = await call(a, 'POST', '/v1/consent', { token: sign(key, recorder, joe.nhs), body: { method: 'verbal', scope: 'organisation' } });
    assert.equal(given.status, 201, `recording consent through A: ${given.body.slice(0, 300)}`);
    assert.equal(given.json.basis, 'consent', 'the recorder is let in by the consent just recorded');

    const seen = expectView(await view(b, colleague, joe), 'consent', 'B, a colleague at RVY, after consent recorded through A');
    assert.ok(seen.items.length > 0, 'the colleague is shown the record');
    const listed = await call(b, 'GET', '/v1/consents', { token: sign(key, colleague, joe.nhs) });
    assert.equal(listed.status, 200, listed.body);
    const organisationConsents = listed.json.consents.filter((c) => c.scope === 'organisation' && c.scope_value === 'RVY');
    assert.equal(organisationConsents.length, 1, `B lists the one organisation consent recorded through A: ${listed.body}`);
    assert.equal(organisationConsents[0].recorded_by.user, recorder.user);

    for (const [name, svc] of [['B', b], ['A', a]]) {
      const refused = expectView(await view(svc, outsider, joe), 'consent-required', `${name}, a user of another organisation (REM)`);
      assert.equal(refused.items.length, 0, `${name} shows the REM user nothing of the record`);
    }
    await stop(a, 'A');
    await stop(b, 'B');
  });

  test(`[${STORE}] 2. an opt-out recorded on A is honoured on B at once, and after both instances restart`, async () => {
    const { configPath } = configure('opt-outs', { limits: { record_cache_seconds: 60 } });
    let [a, b] = [await start(configPath), await start(configPath)];
    const joan = person('joan');
    const onA = viewer('t2-gp-a');
    const onB = viewer('t2-gp-b');

    const given = await call(b, 'POST', '/v1/consent', { token: sign(key, onB, joan.nhs), body: { method: 'verbal' } });
    assert.equal(given.status, 201, `consent for the B user: ${given.body.slice(0, 300)}`);
    expectView(await view(b, onB, joan), 'consent', 'B, before the opt-out');

    const optOut = await call(a, 'POST', '/v1/opt-outs', { token: sign(key, onA, joan.nhs), body: { scope: 'whole-record' } });
    assert.equal(optOut.status, 201, `recording the opt-out on A: ${optOut.body}`);
    const now = expectView(await view(b, onB, joan), 'opted-out', 'B, at once after the opt-out was recorded on A');
    assert.equal(now.items.length, 0, 'an opted-out record is not shown');

    await Promise.all([stop(a, 'A'), stop(b, 'B')]);
    [a, b] = [await start(configPath), await start(configPath)];
    expectView(await view(b, onB, joan), 'opted-out', 'B, after both instances restarted');
    expectView(await view(a, onB, joan), 'opted-out', 'A, after both instances restarted');
    const listed = await call(b, 'GET', '/v1/opt-outs', { token: sign(key, onB, joan.nhs) });
    assert.equal(listed.status, 200, listed.body);
    assert.deepEqual(listed.json.opt_outs.map((o) => [o.id, o.scope, o.recorded_by.user]), [[optOut.json.id, 'whole-record', onA.user]],
      `B lists the one opt-out, recorded on A: ${listed.body}`);
    await Promise.all([stop(a, 'A'), stop(b, 'B')]);
  });

  test(`[${STORE}] 3. one user's views split across A and B trip "many-patients" exactly once`, async (t) => {
    // A local policy: the built-in one, but more than 3 people in 60 minutes is many.
    const builtinVersion = JSON.parse(fs.readFileSync(path.join(SOURCE(), 'core/data/policy.json'), 'utf8')).version;
    const policyFile = path.join(outputDir, 'volume-alert-policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({
      format: 'ilinks-policy/1', extends: builtinVersion, version: `${builtinVersion}+instances-test`,
      alerts: { patients_per_user: { more_than: 3, minutes: 60 } },
    }, null, 1));
    const { configPath } = configure('volume-alert', { policy: { file: policyFile } });
    const [a, b] = [await start(configPath), await start(configPath)];
    const busy = viewer('t3-busy');
    const quiet = viewer('t3-quiet');

    // Every one of the 8 people at once, half through A and half through B, then each again in turn.
    const first = await Promise.all(people.map((p, i) => view(i % 2 ? b : a, busy, p)));
    first.forEach((res, i) => assert.equal(res.status, 200, `the busy user's view of ${people[i].id}: ${res.body.slice(0, 200)}`));
    for (const [i, p] of people.entries()) assert.equal((await view(i % 2 ? a : b, busy, p)).status, 200);
    // Three people is not many.
    for (const [i, p] of people.slice(0, 3).entries()) assert.equal((await view(i % 2 ? a : b, quiet, p)).status, 200);

    const manyOf = async (svc, user) => {
      const res = await call(svc, 'GET', `/v1/alerts?user=${encodeURIComponent(user)}`, { token: sign(key, officer(), people[0].nhs) });
      assert.equal(res.status, 200, `the privacy officer's alerts: ${res.body}`);
      return res.json.alerts.filter((x) => x.rule === 'many-patients');
    };
    for (const [name, svc] of [['A', a], ['B', b]]) {
      const alerts = await manyOf(svc, busy.user);
      assert.equal(alerts.length, 1, `through ${name}, the busy user's 16 views of 8 people across A and B should raise "many-patients" exactly once; raised: ${JSON.stringify(alerts)}`);
      // Raised by the view of the 4th person to reach the chain (a 5th when two views' times came out of order).
      const counted = Number((alerts[0].why.match(/^(\d+) people's records viewed in 60 minutes$/) || [])[1]);
      assert.ok(counted >= 4, `the alert says how many people in how long: ${JSON.stringify(alerts[0].why)}`);
      assert.deepEqual(await manyOf(svc, quiet.user), [], `through ${name}, 3 people is not more than 3: no alert for the quiet user`);
    }
    const [alert] = await manyOf(a, busy.user);
    t.diagnostic(`the alert: event ${alert.audit_sequence}, "${alert.why}"`);
    await Promise.all([stop(a, 'A'), stop(b, 'B')]);

    const events = await exportedChain(configPath, 'audit');
    const raising = events.filter((e) => e.user_id === busy.user && (e.alerts || []).some((x) => (x.rule || x) === 'many-patients'));
    assert.deepEqual(raising.map((e) => e.sequence), [alert.audit_sequence],
      'exactly one event in the chain carries the alert, the one the alert names');
    assert.equal(viewsBy(events, busy.user), 16, 'all 16 of the busy user\'s views are in the chain');
  });

  test(`[${STORE}] 4. kill -9 mid-request loses no acknowledged audit event and leaves the chain valid; a new instance continues it`, async (t) => {
    const { configPath } = configure('kill-9', { limits: { requests_per_user_per_minute: 100000 } });
    const victim = await start(configPath);
    const brenda = person('brenda');
    const users = Array.from({ length: 8 }, (_, i) => viewer(`t4-client${i}`));
    let ok = 0;
    let killedAt = 0;
    const load = hammer({
      target: () => victim, users, p: brenda, stopOnError: true,
      onAnswer: (r) => {
        if (r.status === 200 && ++ok === 40 && !killedAt) {
          killedAt = Date.now();
          victim.kill('SIGKILL');
        }
      },
    });
    let timer;
    const requests = await Promise.race([load.done.then(() => load.requests), new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the load did not end within 60 s of starting: ${summary(load.requests)}`)), 60000);
    })]).finally(() => clearTimeout(timer));
    await victim.exited;
    assert.ok(killedAt, `the service was never killed: only ${ok} views got 200 (${summary(requests)}): ${victim.stderr()}`);
    assert.equal(victim.child.signalCode, 'SIGKILL', 'the instance died of the SIGKILL');
    const unexpected = requests.filter((r) => r.status !== undefined && r.status !== 200);
    assert.deepEqual(unexpected.map((r) => `${r.status} ${r.res.body.slice(0, 120)}`), [], 'before the kill, every view was 200');
    const cut = requests.filter((r) => r.error && r.started < killedAt);
    assert.ok(cut.length > 0, `the kill should land mid-request (some request in flight): ${summary(requests)}`);

    const acknowledged = okByUser(requests);
    const events = await exportedChain(configPath, 'after-kill');
    t.diagnostic(`${ok} views got 200, ${cut.length} requests were cut by the kill; the chain holds ${events.length} events, ${events.filter((e) => e.action === 'view').length} of them views`);
    expectEveryAcknowledgedView(events, acknowledged, 'after kill -9');

    const successor = await start(configPath);
    const late = viewer('t4-after');
    expectView(await view(successor, late, brenda), 'consent-required', 'a new instance on the same store');
    await stop(successor, 'the new instance');
    const continued = await exportedChain(configPath, 'continued');
    assert.equal(continued.length, events.length + 1, 'the new instance appended its one view to the chain');
    const last = continued[continued.length - 1];
    assert.equal(last.user_id, late.user, 'the last event is the new instance\'s view');
    assert.equal(last.previous_hash, events[events.length - 1].hash, 'and it links to the event before the kill');
    expectEveryAcknowledgedView(continued, acknowledged, 'after the new instance');
  });

  if (STORE === 'postgresql') {
    test('[postgresql] 5. PostgreSQL restarted and crashed mid-run: 503 with words and nothing shown during the outage, then the same process serves, and the chain keeps every 200', async (t) => {
      const { configPath } = configure('pg-restart', { limits: { requests_per_user_per_minute: 100000 } });
      const svc = await start(configPath);
      const david = person('david');
      const users = Array.from({ length: 4 }, (_, i) => viewer(`t5-client${i}`));
      const load = hammer({ target: () => svc, users, p: david });
      const windows = [];
      await sleep(500);
      for (const name of ['ILINKS_TEST_PG_RESTART', 'ILINKS_TEST_PG_CRASH']) {
        const from = Date.now();
        await mustRun(name);
        windows.push({ name, from, to: Date.now() });
        await sleep(1000);
      }
      const requests = await load.stop();

      assert.equal(svc.child.exitCode, null, `the service process should live through the outages: ${svc.stderr()}`);
      const noAnswer = requests.filter((r) => r.error);
      assert.deepEqual(noAnswer.map((r) => r.error), [], 'every request got an answer from the service');
      for (const r of requests) {
        if (r.status === 200) continue;
        expectNothingShown(r.res, david, `a view during ${windows.find((w) => r.started <= w.to && r.ended >= w.from)?.name || 'no outage'}`);
      }
      for (const w of windows) {
        const during = requests.filter((r) => r.started <= w.to && r.ended >= w.from);
        t.diagnostic(`${w.name} took ${w.to - w.from} ms; the views that met it: ${summary(during)}`);
        assert.ok(during.some((r) => r.status === 503), `some view should meet the outage of ${w.name} and get 503 (else this test tests nothing): ${summary(during)}`);
        const next = windows[windows.indexOf(w) + 1];
        const afterwards = requests.filter((r) => r.started > w.to && (!next || r.ended < next.from));
        assert.ok(afterwards.length > 0, `views were asked for after ${w.name}`);
        assert.deepEqual(afterwards.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.res.body.slice(0, 150)}`), [],
          `every view asked for after ${w.name} returned is 200, from the same service process`);
      }
      expectView(await view(svc, viewer('t5-after'), david), 'consent-required', 'one more view at the end');
      await stop(svc, 'the service');
      expectEveryAcknowledgedView(await exportedChain(configPath, 'audit'), okByUser(requests), 'after the restart and the crash');
    });

    test('[postgresql] 6. with PostgreSQL stopped, GET /v1/view and /healthz are 503 and nothing is shown; started again, the same process serves', async () => {
      const { configPath } = configure('pg-down');
      const svc = await start(configPath);
      const margaret = person('margaret');
      const who = viewer('t6-gp');
      expectView(await view(svc, who, margaret), 'consent-required', 'before the store goes down');
      assert.equal((await call(svc, 'GET', '/healthz')).status, 200, 'healthy before the store goes down');
      await mustRun('ILINKS_TEST_PG_STOP');
      try {
        expectNothingShown(await view(svc, who, margaret), margaret, 'GET /v1/view with PostgreSQL stopped');
        const consent = await call(svc, 'POST', '/v1/consent', { token: sign(key, who, margaret.nhs), body: { method: 'verbal' } });
        expectNothingShown(consent, margaret, 'POST /v1/consent with PostgreSQL stopped');
        const health = await call(svc, 'GET', '/healthz');
        assert.equal(health.status, 503, `/healthz with PostgreSQL stopped: ${health.body}`);
        assert.equal(health.json?.status, 'store-unavailable', `/healthz says the store is unavailable: ${health.body}`);
        const check = spawnSync(path.join(BIN(), 'ilinks-service'), ['check', '--config', configPath], { encoding: 'utf8' });
        assert.notEqual(check.status, 0, 'ilinks-service check fails with the store down');
        assert.match(check.stderr, /cannot connect to PostgreSQL/, `ilinks-service check says why: ${check.stderr}`);
        assert.ok(!check.stderr.includes('user=ilinks'), 'and does not repeat the connection string');
      } finally {
        await mustRun('ILINKS_TEST_PG_START');
      }
      assert.equal((await call(svc, 'GET', '/healthz')).status, 200, '/healthz on the same process once PostgreSQL is back');
      expectView(await view(svc, who, margaret), 'consent-required', 'the same process, once PostgreSQL is back');
      const consents = await call(svc, 'GET', '/v1/consents', { token: sign(key, who, margaret.nhs) });
      assert.deepEqual(consents.json?.consents, [], 'the consent refused with 503 was not kept');
      await stop(svc, 'the service');
      await exportedChain(configPath, 'audit');
    });
  } else {
    // Holds SQLite's write lock from another process (the sqlite3 shell) until release() or kill().
    async function holdWriteLock(database) {
      const shell = spawn('sqlite3', [database], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      shell.stderr.on('data', (d) => { out += d; });
      const closed = new Promise((resolve) => shell.on('close', resolve));
      await new Promise((resolve, reject) => {
        shell.stdout.on('data', (d) => { out += d; if (out.includes('held')) resolve(); });
        closed.then(() => reject(new Error(`the sqlite3 shell could not take the write lock: ${out}`)));
        shell.stdin.write("PRAGMA busy_timeout = 10000;\nBEGIN IMMEDIATE;\nSELECT 'held';\n");
      });
      return {
        release: async () => { shell.stdin.end('COMMIT;\n'); await closed; },
        kill: async () => { shell.kill('SIGKILL'); await closed; },
      };
    }

    test('[sqlite] 5. another process holding the write lock under load on A and B (released, then killed -9): 503 with words and nothing shown while held, then the same processes serve, and the chain keeps every 200', async (t) => {
      const { dir, configPath } = configure('sqlite-lock', { limits: { requests_per_user_per_minute: 100000 }, storeOptions: { busy_timeout_ms: 300 } });
      const [a, b] = [await start(configPath), await start(configPath)];
      const david = person('david');
      const users = Array.from({ length: 4 }, (_, i) => viewer(`t5-client${i}`));
      let turn = 0;
      const load = hammer({ target: () => (++turn % 2 ? a : b), users, p: david });
      const windows = [];
      await sleep(500);
      for (const how of ['release', 'kill']) {
        const lock = await holdWriteLock(path.join(dir, 'store.db'));
        const from = Date.now();
        await sleep(1500);
        const to = Date.now();
        await lock[how]();
        windows.push({ how, from, to, released: Date.now() });
        await sleep(1000);
      }
      const requests = await load.stop();

      for (const [name, svc] of [['A', a], ['B', b]])
        assert.equal(svc.child.exitCode, null, `${name} should live through the lock: ${svc.stderr()}`);
      assert.deepEqual(requests.filter((r) => r.error).map((r) => r.error), [], 'every request got an answer');
      for (const r of requests) if (r.status !== 200) expectNothingShown(r.res, david, 'a view while the write lock was held');
      for (const w of windows) {
        // Asked for and answered while the lock was surely held: 503, every one.
        const held = requests.filter((r) => r.started >= w.from && r.ended <= w.to);
        t.diagnostic(`the lock held then let go by ${w.how}: views answered while held ${summary(held)}, all views ${summary(requests)}`);
        assert.ok(held.length > 0, `views were asked for while the lock was held (${w.how})`);
        assert.deepEqual(held.filter((r) => r.status !== 503).map((r) => r.status), [], `every view answered while the lock was held (${w.how}) is 503`);
        const next = windows[windows.indexOf(w) + 1];
        const afterwards = requests.filter((r) => r.started > w.released && (!next || r.ended < next.from));
        assert.ok(afterwards.length > 0, `views were asked for after the lock was let go (${w.how})`);
        assert.deepEqual(afterwards.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.res.body.slice(0, 150)}`), [],
          `every view asked for after the lock was let go (${w.how}) is 200, from the same processes`);
      }
      await Promise.all([stop(a, 'A'), stop(b, 'B')]);
      expectEveryAcknowledgedView(await exportedChain(configPath, 'audit'), okByUser(requests), 'after the lock');
    });

    test('[sqlite] 6. while another process holds the write lock, a view and a consent are 503 with nothing shown or kept; /healthz stays 200 (the store can still be read)', async () => {
      const { dir, configPath } = configure('sqlite-locked', { storeOptions: { busy_timeout_ms: 300 } });
      const svc = await start(configPath);
      const margaret = person('margaret');
      const who = viewer('t6-gp');
      expectView(await view(svc, who, margaret), 'consent-required', 'before the lock');
      const lock = await holdWriteLock(path.join(dir, 'store.db'));
      try {
        expectNothingShown(await view(svc, who, margaret), margaret, 'GET /v1/view with the write lock held');
        const consent = await call(svc, 'POST', '/v1/consent', { token: sign(key, who, margaret.nhs), body: { method: 'verbal' } });
        expectNothingShown(consent, margaret, 'POST /v1/consent with the write lock held');
        const health = await call(svc, 'GET', '/healthz');
        assert.equal(health.status, 200, `/healthz with the write lock held: the store is reachable and readable: ${health.body}`);
      } finally {
        await lock.release();
      }
      expectView(await view(svc, who, margaret), 'consent-required', 'once the lock is let go: the refused consent was not kept');
      await stop(svc, 'the service');
      await exportedChain(configPath, 'audit');
    });
  }
}
