// Confidentiality of the sharing service, tested as an attacker with a
// signed context token would: the records the native leak test planted
// markers in (build/test-output/leaks, written by ilinks_leak_tests; ctest
// runs it first, fixture planted-records) are served by two organisations'
// FHIR endpoints (tests/service/leak_sources.mjs), and ilinks-service is
// asked for them for every role profile and every standing, as
// tests/unit/leak_test.cpp's expected_view() sets each one up: consent
// (POST /v1/consent), wider access when the case says so (POST
// /v1/case-access), an emergency override (POST /v1/override), or a token
// with no legitimate relationship. Every response body is kept: the Views,
// the consent and opt-out lists (JSON and FHIR), the calls that must be
// refused, the audit roles' routes. No marker of an item the View withheld
// may be in any of them, nothing but a View may hold any marker at all, and
// the markers of what the View shows must be in the final GET /v1/view.
//
// And the difference it claims: the same records fetched the way a browser
// in direct mode fetches them (Patient/{id}/$everything, every page, as
// wasm/ilinks-fhir.js does) do hold the withheld markers, so a service that
// passed the record through would fail this test.
//
// Run by ctest with ILINKS_BIN, ILINKS_SOURCE_DIR and ILINKS_TEST_OUTPUT
// (tests/service/api_leaks_tests.cmake).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeIssuerKey, sign, startService, call } from './service_harness.mjs';
import { FHIR_TOKEN, ORGANISATIONS, OVERRIDE_WORDS, VIEWER_ODS, WIDER_ACCESS_WORDS, leakOrganisations, markersIn, roundsOf,
  startLeakFhir } from './leak_sources.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (ctest sets it; see tests/service/api_leaks_tests.cmake)`);
  return value;
};
const leaksDir = path.join(env('ILINKS_TEST_OUTPUT'), 'leaks');
const outDir = path.join(env('ILINKS_TEST_OUTPUT'), 'service-leaks');

const CONCURRENCY = 6;     // cases at once (the service answers 16 requests at once)

// The record as a browser in direct mode downloads it: every page of
// Patient/{id}/$everything from each organisation (wasm/ilinks-fhir.js).
// Returns the markers in it, looked for as in the service's answers.
async function directDownload(base, id) {
  const found = new Set();
  for (let url = `${base}/Patient/${encodeURIComponent(id)}/$everything`; url;) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${FHIR_TOKEN}`, Accept: 'application/fhir+json' } });
    assert.equal(res.status, 200, `direct download of ${url}`);
    const body = await res.text();
    for (const m of markersIn(body)) found.add(m);
    url = (JSON.parse(body).link || []).find((l) => l.relation === 'next')?.url;
  }
  return found;
}

// ---- The run ---------------------------------------------------------------------------------

let fhir, fhirUrl, share;
const services = [];
const key = makeIssuerKey();

before(async () => {
  if (!fs.existsSync(path.join(leaksDir, 'index.json')))
    throw new Error(`no planted records in ${leaksDir}: ilinks_leak_tests writes them (ctest runs it first)`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fhir = await startLeakFhir();
  ({ url: fhirUrl, share } = fhir);
});

after(async () => {
  for (const svc of services) { svc.kill(); await svc.exited; }
  fhir?.close();
});

// Runs `work` over `items`, `limit` at a time.
async function pool(items, limit, work) {
  let next = 0;
  const worker = async () => { while (next < items.length) await work(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const VIEW_ROUTES = new Set(['GET /v1/view', 'POST /v1/consent', 'POST /v1/consent/withdraw', 'POST /v1/override', 'POST /v1/case-access']);

// One viewer's visit for one case: the standing set up through the API, the
// reads, the calls that must be refused. Returns every response.
async function visit(svc, input, c, user) {
  const viewer = { user, name: 'A Tester', profile: c.profile, ods: VIEWER_ODS, orgName: 'Leak Test Viewer' };
  const related = c.standing !== 'no relationship';
  const responses = [];
  const ask = async (method, route, { body, expect, state = 'final', token } = {}) => {
    const res = await call(svc, method, route, { token: token || sign(key, viewer, input.nhs_number, { relationship: related }), body });
    const r = { what: `${method} ${route}`, state, status: res.status, body: res.body };
    if (expect !== undefined && !(Array.isArray(expect) ? expect.includes(res.status) : res.status === expect))
      r.unexpected = `answered ${res.status}, not ${expect}: ${res.body.slice(0, 300)}`;
    responses.push(r);
    return r;
  };

  // Before the standing is set: the viewer has neither consent nor override yet.
  await ask('GET', '/v1/view', { state: 'before' });
  if (c.standing === 'no consent') {
    // Refused, and so changing nothing: an unknown consent method, an override
    // explained too briefly, wider access under an unknown reason, consent
    // withdrawn that was never given.
    await ask('POST', '/v1/consent', { body: { method: 'telepathy', given_by: 'patient' }, expect: 403 });
    await ask('POST', '/v1/override', { body: { reason_code: 'emergency', text: 'too short' }, expect: 403 });
    await ask('POST', '/v1/override', { body: { reason_code: 'curiosity', text: OVERRIDE_WORDS }, expect: 403 });
    await ask('POST', '/v1/case-access', { body: { reason_code: 'curiosity', text: WIDER_ACCESS_WORDS }, expect: 403 });
    await ask('POST', '/v1/consent/withdraw', { expect: [200, 403] });
  }
  if (c.standing === 'consent') {
    await ask('POST', '/v1/consent', { body: { method: 'verbal', given_by: 'patient' }, expect: 201 });
    // Wider access: recorded by the roles that reach Community tier 3, refused to the rest.
    if (c.wider_access) await ask('POST', '/v1/case-access', { body: { reason_code: 'extended-team', text: WIDER_ACCESS_WORDS }, expect: 201 });
    else await ask('POST', '/v1/case-access', { body: { reason_code: 'extended-team', text: WIDER_ACCESS_WORDS }, expect: 403 });
  }
  if (c.standing === 'override') {
    // Admin / clerical may not override: refused, and the View stays as it was.
    await ask('POST', '/v1/override', { body: { reason_code: 'emergency', text: OVERRIDE_WORDS }, expect: c.profile === '5' ? 403 : 201 });
  }
  const reads = related ? 200 : 403;
  await ask('GET', '/v1/opt-outs', { expect: reads });
  await ask('GET', '/v1/consents', { expect: reads });
  await ask('GET', '/v1/consents/fhir', { expect: reads });
  // Refused whatever the standing: a bad opt-out, a bad FHIR import, the audit
  // roles' routes, a token used twice.
  await ask('POST', '/v1/opt-outs', { body: { scope: 'everything-please' }, expect: related ? 400 : 403 });
  await ask('POST', '/v1/consents/fhir', { body: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Consent' } }] }, expect: related ? 400 : 403 });
  for (const route of ['/v1/audit', '/v1/alerts', '/v1/access-log']) await ask('GET', route, { expect: 403 });
  const used = sign(key, viewer, input.nhs_number, { relationship: related });
  await ask('GET', '/v1/consents', { token: used, expect: reads });
  await ask('GET', '/v1/view', { token: used, expect: 401 });
  // What the viewer is finally sent.
  const last = await ask('GET', '/v1/view', { expect: c.shows_record ? 200 : undefined });
  last.final = true;
  // Consent withdrawn: back to no consent (wider access alone opens nothing).
  if (c.standing === 'consent') {
    await ask('POST', '/v1/consent/withdraw', { state: 'withdrawn', expect: 200 });
    await ask('GET', '/v1/view', { state: 'withdrawn', expect: 200 });
  }
  return responses;
}

test('no API response holds a marker of what the View withheld, for every profile and standing; what it shows is in the View', { timeout: 600000 }, async () => {
  const index = JSON.parse(fs.readFileSync(path.join(leaksDir, 'index.json'), 'utf8'));
  assert.ok(index.length >= 11, `only ${index.length} planted records`);

  const rounds = roundsOf(index);

  const failures = [];
  const fail = (where, what, body) => {
    failures.push(`${where}: ${what}`);
    if (body !== undefined && failures.length <= 200)
      fs.writeFileSync(path.join(outDir, `failure-${failures.length}.txt`), `${where}\n${what}\n\n${body}`);
  };
  let withheldChecked = 0, shownChecked = 0, responsesChecked = 0, directProofs = 0, cases = 0;
  const statuses = new Map();

  for (const [r, round] of rounds.entries()) {
    const ids = new Map(round.map((input) => [input, share(`r${r}`, JSON.parse(fs.readFileSync(path.join(leaksDir, input.file), 'utf8')))]));
    const dir = path.join(outDir, `round-${r}`);
    const svc = await startService({
      dir, key, store: { kind: 'sqlite', path: path.join(dir, 'store.db') },
      organisations: leakOrganisations(fhirUrl, `r${r}`),
      limits: { record_cache_seconds: 3600, fetch_deadline_ms: 20000, request_timeout_ms: 60000 },
    });
    services.push(svc);

    for (const [n, input] of round.entries()) {
      const tag = `r${r}-${n}`;
      // The record as a browser in direct mode would have it.
      const inRaw = new Set();
      for (const org of ORGANISATIONS)
        for (const m of await directDownload(`${fhirUrl}/r${r}/${org.ods}`, ids.get(input))) inRaw.add(m);
      const byCase = (profile, standing) => input.cases.find((c) => c.profile === profile && c.standing === standing);

      await pool(input.cases, CONCURRENCY, async (c) => {
        const where = `${input.name}, profile ${c.profile}, ${c.standing}`;
        const user = `leak-${tag}-${c.profile}-${c.standing.replace(/ /g, '-')}`;
        const withheld = new Set(c.withheld);
        ++cases;
        // The difference the service makes: the download holds what it withholds.
        const missingFromRaw = c.withheld.filter((m) => !inRaw.has(m));
        if (missingFromRaw.length) fail(where, `withheld markers not in the direct download (the test would prove nothing): ${missingFromRaw.slice(0, 10)}`);
        if (c.withheld.length && c.withheld.some((m) => inRaw.has(m))) ++directProofs;

        const responses = await visit(svc, input, c, user);
        // Before the standing was set, and once consent is withdrawn, the
        // viewer stands as with no consent.
        const before = byCase(c.profile, c.standing === 'no relationship' ? 'no relationship' : 'no consent');
        for (const res of responses) {
          ++responsesChecked;
          const key = `${res.what} ${res.status}`;
          statuses.set(key, (statuses.get(key) || 0) + 1);
          if (res.unexpected) fail(where, `${res.what} ${res.unexpected}`);
          const found = markersIn(res.body);
          const isView = VIEW_ROUTES.has(res.what) && res.status >= 200 && res.status < 300;
          const expectation = res.state === 'final' ? c : before;
          const hidden = res.state === 'final' ? withheld : new Set(before.withheld);
          const leaked = [...found].filter((m) => hidden.has(m));
          if (leaked.length) fail(where, `${res.what} (${res.status}) holds withheld markers ${leaked.slice(0, 20)}`, res.body);
          else if (found.size && (!isView || !expectation.shows_record))
            fail(where, `${res.what} (${res.status}) holds markers of the record though it is ${isView ? 'a View that shows no record' : 'no View'}: ${[...found].slice(0, 20)}`, res.body);
          if (res.final && c.shows_record) {
            const missing = c.on_screen.filter((m) => !found.has(m));
            if (missing.length) fail(where, `the final View lacks ${missing.length} markers of items it shows: ${missing.slice(0, 20)}`, res.body);
          }
        }
        withheldChecked += c.withheld.length;
        shownChecked += c.shows_record ? c.on_screen.length : 0;
      });

      // The audit roles: the privacy officer's and the person's routes, and what they may not reach.
      const po = { user: `leak-po-${tag}`, name: 'Privacy Officer', profile: 'PO', ods: VIEWER_ODS };
      const person = { user: `leak-person-${tag}`, name: 'The Person', profile: 'person', ods: VIEWER_ODS };
      // Without a proven caller: no token, another issuer's key, and the routes that need none.
      const stranger = makeIssuerKey();
      const anonymous = [
        ['GET', '/v1/view', undefined, 401], ['GET', '/v1/view', sign(stranger, po, input.nhs_number), 401],
        ['GET', '/v1/view', 'not.a.token', 401], ['GET', '/healthz', undefined, 200], ['GET', '/metrics', undefined, 200],
      ];
      for (const [method, route, token, expected] of anonymous) {
        const where = `${input.name}, no proven caller`;
        const res = await call(svc, method, route, { token });
        ++responsesChecked;
        if (res.status !== expected) fail(where, `${method} ${route} answered ${res.status}, not ${expected}: ${res.body.slice(0, 300)}`);
        const found = markersIn(res.body);
        if (found.size) fail(where, `${method} ${route} holds markers of the record: ${[...found].slice(0, 20)}`, res.body);
      }
      const auditCalls = [
        [po, 'GET', '/v1/audit', 200], [po, 'GET', '/v1/alerts', 200], [person, 'GET', '/v1/access-log', 200],
        [po, 'GET', '/v1/view', 403], [po, 'GET', '/v1/consents', 403], [po, 'POST', '/v1/override', 403],
        [person, 'GET', '/v1/view', 403], [person, 'GET', '/v1/audit', 403], [person, 'GET', '/v1/alerts', 403],
      ];
      for (const [who, method, route, expected] of auditCalls) {
        const where = `${input.name}, audit role ${who.profile}`;
        const res = await call(svc, method, route, { token: sign(key, who, input.nhs_number),
          body: method === 'POST' ? { reason_code: 'emergency', text: OVERRIDE_WORDS } : undefined });
        ++responsesChecked;
        if (res.status !== expected) fail(where, `${method} ${route} answered ${res.status}, not ${expected}: ${res.body.slice(0, 300)}`);
        const found = markersIn(res.body);
        if (found.size) fail(where, `${method} ${route} holds markers of the record: ${[...found].slice(0, 20)}`, res.body);
        // The audit read is about this person's visits: every case's viewer is in it.
        if (route === '/v1/audit' && res.status === 200) {
          const events = res.json?.entry?.length || 0;
          if (events < input.cases.length) fail(where, `the audit holds only ${events} events about the person`);
        }
      }
    }
  }

  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({
    cases, responsesChecked, withheldChecked, shownChecked, directProofs, failures: failures.length,
    statuses: Object.fromEntries([...statuses].sort()),
  }, null, 1));
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} failures (bodies in ${outDir}/failure-*.txt)`);
  assert.ok(cases >= 11 * 11 * 4, `only ${cases} cases`);
  assert.ok(withheldChecked > 10000, `only ${withheldChecked} withheld markers were checked`);
  assert.ok(shownChecked > 1000, `only ${shownChecked} shown markers were checked`);
  assert.ok(directProofs > 100, `only ${directProofs} cases showed their withheld markers in the direct download`);
});
