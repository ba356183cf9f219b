// The planted records (build/test-output/leaks, written by ilinks_leak_tests)
// where a sharing service finds them: two organisations' FHIR endpoints, each
// holding part of every record, and how an attacker looks for the markers in
// what comes back. Shared by the service's API leak test
// (tests/service/api_leaks.test.mjs) and the browser's wire leak test
// (tests/browser/wire_leaks.test.mjs), so both look at the same records the
// same way.
//
//   const fhir = await startLeakFhir();
//   const id = fhir.share('r0', bundle);        // the record, split between the two
//   organisations: leakOrganisations(fhir.url, 'r0') for the service's config
import assert from 'node:assert/strict';
import http from 'node:http';

// As expected_view() in tests/unit/leak_test.cpp.
export const VIEWER_ODS = 'ZZVIEW';
export const OVERRIDE_WORDS = 'Collapsed in clinic, unable to consent';
export const WIDER_ACCESS_WORDS = 'Extended team case review this week';
// The two organisations that hold each record between them (codes in no
// participants file, and not the viewer's: no item is the viewer's own).
export const ORGANISATIONS = [{ ods: 'ZZLKA1', name: 'Leak Test Trust A' }, { ods: 'ZZLKB2', name: 'Leak Test Trust B' }];
export const FHIR_TOKEN = 'leak-test-token';
const PAGE = 10;  // entries a page, so that every record comes in several pages

// Every marker in a response, as an attacker would look: in its bytes, in
// every JSON string once unescaped, and in every string that decodes from
// base64 (a document's data) or parses as JSON again, to any depth.
export function markersIn(text) {
  const found = new Set();
  const look = (t, depth) => {
    for (const m of t.match(/QZ\d+X/g) || []) found.add(m);
    if (depth > 4) return;
    let parsed;
    try { parsed = JSON.parse(t); } catch { parsed = undefined; }
    if (parsed !== undefined && typeof parsed === 'object') return walk(parsed, depth + 1);
    const compact = t.replace(/\s+/g, '');
    if (compact.length >= 8 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) look(Buffer.from(compact, 'base64').toString('latin1'), depth + 1);
  };
  const walk = (v, depth) => {
    if (typeof v === 'string') return look(v, depth);
    if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth);
  };
  look(text, 0);
  return found;
}

// Rounds of records in which no NHS number is held twice (two of the planted
// records are given the same one): each round needs a service of its own.
export function roundsOf(index) {
  const rounds = [];
  for (const input of index) {
    let round = rounds.find((r) => !r.some((i) => i.nhs_number === input.nhs_number));
    if (!round) rounds.push(round = []);
    round.push(input);
  }
  return rounds;
}

// The organisations as a service's config names them, for one round.
export const leakOrganisations = (fhirUrl, round) =>
  ORGANISATIONS.map((o) => ({ ods: o.ods, name: o.name, fhir: { base_url: `${fhirUrl}/${round}/${o.ods}`, bearer_token: FHIR_TOKEN } }));

function sendFhir(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
const outcome = (code, text) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });

function searchset(url, entries) {
  const pageNo = Number(url.searchParams.get('_page') || 0);
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: entries.length, link: [{ relation: 'self', url: url.href }],
    entry: entries.slice(pageNo * PAGE, (pageNo + 1) * PAGE) };
  if ((pageNo + 1) * PAGE < entries.length) {
    const next = new URL(url.href);
    next.searchParams.set('_page', String(pageNo + 1));
    bundle.link.push({ relation: 'next', url: next.href });
  }
  return bundle;
}

// The organisations' FHIR endpoints:
// /{round}/{ODS}/Patient?identifier=system|value   a searchset with the Patient it holds
// /{round}/{ODS}/Patient/{id}/$everything          its share of the record, PAGE entries a page
// Each record is shared between the two: the Patient to both, the other
// entries in turn. Resolves with { url, server, share(round, bundle) -> patient id, close() }.
export function startLeakFhir() {
  const held = new Map();   // `${round}/${ods}` -> Map(patient id -> entries)
  const share = (round, bundle) => {
    const entries = bundle.entry || [];
    const patient = entries.find((e) => e.resource?.resourceType === 'Patient');
    assert.ok(patient, 'a planted record has its Patient');
    const others = entries.filter((e) => e !== patient);
    ORGANISATIONS.forEach((org, n) => {
      const key = `${round}/${org.ods}`;
      if (!held.has(key)) held.set(key, new Map());
      const mine = others.filter((_, i) => i % ORGANISATIONS.length === n)
        .map((e) => (e.fullUrl ? { fullUrl: e.fullUrl, resource: e.resource } : { resource: e.resource }));
      held.get(key).set(patient.resource.id, [{ ...(patient.fullUrl ? { fullUrl: patient.fullUrl } : {}), resource: patient.resource }, ...mine]);
    });
    return patient.resource.id;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${server.address().port}`);
    if (req.headers.authorization !== `Bearer ${FHIR_TOKEN}`) return sendFhir(res, 401, outcome('login', 'no valid bearer token'));
    const [, round, ods, ...rest] = url.pathname.split('/');
    const records = held.get(`${round}/${ods}`);
    const route = decodeURIComponent(rest.join('/'));
    if (!records) return sendFhir(res, 404, outcome('not-found', 'no such organisation'));
    if (route === 'Patient' && url.searchParams.has('identifier')) {
      const wanted = url.searchParams.get('identifier');
      const found = [];
      for (const entries of records.values()) {
        const p = entries[0];
        if ((p.resource.identifier || []).some((i) => `${i.system}|${i.value}` === wanted))
          found.push({ ...p, search: { mode: 'match' } });
      }
      return sendFhir(res, 200, searchset(url, found));
    }
    const m = route.match(/^Patient\/([^/]+)\/\$everything$/);
    if (m && records.has(m[1])) return sendFhir(res, 200, searchset(url, records.get(m[1])));
    return sendFhir(res, 404, outcome('not-found', `no route ${route}`));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}`, server, share, close: () => server.close() })));
}
