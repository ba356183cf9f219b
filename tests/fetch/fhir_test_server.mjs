// A FHIR test server on loopback for the fetch tests: the demo patients as
// paged Bundles behind a bearer token, and the ways real servers fail.
//
//   node fhir_test_server.mjs DEMO_DIR [--page-size N] [--port N]
//                                prints its base URL, then serves (pages of 7
//                                entries and any free port unless told)
//
// Under /ok/ (token "good-token"):
//   Patient/{id}/$everything      the demo bundle, 7 entries a page, link "next" absolute
//   Patient/{id}, {Kind}?patient=  for servers without $everything (under /no-everything/)
//   a wrong or missing token: 401 with an OperationOutcome; patient "forbidden": 403;
//   an unknown patient: 404 with an OperationOutcome.
// /broken/...       500 every time (counts the tries at /tries)
// /busy/...         429 with Retry-After: 0 once, then as /ok/
// /slow/...         answers after 3 s
// /truncated/...    promises more bytes than it sends, then closes
// For the sharing service, which finds the person by NHS number first:
//   Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|N   (under every route that answers as /ok/)
//                     the demo Patients with that identifier, as a searchset
// /org/{ODS}/...    as /ok/, for one organisation: only the entries whose
//                   meta.source ends in /{ODS}, and the Patient of each person
//                   it has any for (a person it has none for is not held)
// /split/{ODS}/...  as /ok/, for one organisation of a deployment: its share
//                   under host-samples/demo-patients/split-by-organisation.mjs
//                   (every entry of a person served by exactly one organisation,
//                   the Patient by each that holds anything for them)
// /split            those organisations, as JSON: [{ ods, name, people }]
// /twins/...        as /ok/, but the identifier search finds two Patients
// /slow-search/...  as /ok/, but the identifier search answers after 3 s
// SMART App Launch (EHR launch), with /ok/ as the FHIR server ("iss"):
//   POST /ehr/launch?patient=ID     the EHR's side: a launch id for that patient
//   /ok/.well-known/smart-configuration, /auth/authorize (approves a known
//   launch at once, redirecting with a code), POST /auth/token (code -> the
//   token "good-token", the patient, need_patient_banner false)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { splitFolder } from '../../host-samples/demo-patients/split-by-organisation.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const demoDir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const index = JSON.parse(fs.readFileSync(path.join(demoDir, 'index.json'), 'utf8'));
const bundles = new Map(index.patients.map((p) => [p.id, JSON.parse(fs.readFileSync(path.join(demoDir, p.file), 'utf8'))]));
const PAGE = option('--page-size', 7);
let tries = 0;
const launches = new Map();  // launch id -> patient
const codes = new Map();     // code -> { patient, redirect_uri, client_id }
const random = () => Math.random().toString(36).slice(2);
let busyServed = false;

const outcome = (code, text) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });
function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function page(base, url, entries, pageNo) {
  const start = pageNo * PAGE;
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: entries.length, link: [{ relation: 'self', url: url.href }],
    entry: entries.slice(start, start + PAGE) };
  if (start + PAGE < entries.length) {
    const next = new URL(url.href);
    next.searchParams.set('_page', String(pageNo + 1));
    bundle.link.push({ relation: 'next', url: next.href });
  }
  return bundle;
}

// One organisation's share of the demo patients: see /org/ above.
const organisations = new Map();
function heldBy(ods) {
  if (!organisations.has(ods)) {
    const held = new Map();
    for (const [id, bundle] of bundles) {
      const entry = bundle.entry.filter((e) => (e.resource.meta?.source || '').endsWith(`/${ods}`));
      if (entry.length) held.set(id, { ...bundle, entry: [bundle.entry.find((e) => e.resource.resourceType === 'Patient'), ...entry] });
    }
    organisations.set(ods, held);
  }
  return organisations.get(ods);
}

// The deployment's shares (/split/), made on first use.
let split;
const splitShare = () => (split ||= splitFolder(demoDir));

// Patient?identifier=system|value over `held`; twins: each match twice, under two ids.
function findPatients(held, identifier, twins) {
  const bar = identifier.indexOf('|');
  const [system, value] = bar < 0 ? ['', identifier] : [identifier.slice(0, bar), identifier.slice(bar + 1)];
  const found = [];
  for (const bundle of held.values()) {
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
    if (patient && (patient.resource.identifier || []).some((i) => i.value === value && (!system || i.system === system))) {
      found.push({ fullUrl: patient.fullUrl, resource: patient.resource, search: { mode: 'match' } });
      if (twins) found.push({ resource: { ...patient.resource, id: `${patient.resource.id}-twin` }, search: { mode: 'match' } });
    }
  }
  return found;
}

function answer(req, res, base, url, route, rest, held = bundles) {
  if (req.headers.authorization !== 'Bearer good-token')
    return send(res, 401, outcome('login', 'Bearer token missing or not valid'), { 'WWW-Authenticate': 'Bearer' });
  if (rest === 'Patient' && url.searchParams.has('identifier')) {
    const found = findPatients(held, url.searchParams.get('identifier'), route === 'twins');
    return send(res, 200, page(base, url, found, Number(url.searchParams.get('_page') || 0)));
  }
  const bundles = held;
  const m = rest.match(/^Patient\/([^/?]+)(\/\$everything)?$/);
  const search = rest.match(/^([A-Za-z]+)$/);
  const pageNo = Number(url.searchParams.get('_page') || 0);
  if (m) {
    const id = m[1];
    if (id === 'forbidden') return send(res, 403, outcome('forbidden', 'Not permitted for this user'));
    const bundle = bundles.get(id);
    if (!bundle) return send(res, 404, outcome('not-found', `Resource Patient/${id} is not known`));
    if (m[2]) {
      if (route === 'no-everything') return send(res, 404, outcome('not-supported', 'Operation $everything is not supported'));
      return send(res, 200, page(base, url, bundle.entry, pageNo));
    }
    return send(res, 200, bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource);
  }
  if (search) {
    const id = url.searchParams.get('patient');
    const bundle = bundles.get(id);
    const entries = bundle ? bundle.entry.filter((e) => e.resource.resourceType === search[1]) : [];
    return send(res, 200, page(base, url, entries, pageNo));
  }
  return send(res, 404, outcome('not-found', `No route ${rest}`));
}

const server = http.createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  // Browsers on another origin (the sample EPR) may read it, with a token.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Accept');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  if (req.method === 'OPTIONS') { res.writeHead(204); return res.end(); }
  const url = new URL(req.url, base);
  if (url.pathname === '/tries') return send(res, 200, { tries });
  const [, route, ...restParts] = url.pathname.split('/');
  const rest = decodeURIComponent(restParts.join('/'));
  if (route === 'ok' && rest === '.well-known/smart-configuration')
    return send(res, 200, { authorization_endpoint: `${base}/auth/authorize`, token_endpoint: `${base}/auth/token`,
      capabilities: ['launch-ehr', 'context-ehr-patient', 'client-public'] });
  if (route === 'ehr' && rest === 'launch' && req.method === 'POST') {
    const launch = random();
    launches.set(launch, url.searchParams.get('patient'));
    return send(res, 200, { launch });
  }
  if (route === 'auth' && rest === 'authorize') {
    const q = url.searchParams;
    const patient = launches.get(q.get('launch'));
    if (!patient || !q.get('client_id') || !q.get('redirect_uri') || q.get('response_type') !== 'code' || q.get('aud') !== `${base}/ok`)
      return send(res, 400, outcome('invalid', 'Unknown launch, or a malformed authorization request'));
    const code = random();
    codes.set(code, { patient, redirect_uri: q.get('redirect_uri'), client_id: q.get('client_id') });
    const back = new URL(q.get('redirect_uri'));
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') || '');
    res.writeHead(302, { Location: back.href });
    return res.end();
  }
  if (route === 'auth' && rest === 'token' && req.method === 'POST') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));  // a code is used once
      if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirect_uri !== form.get('redirect_uri') ||
          grant.client_id !== form.get('client_id'))
        return send(res, 400, { error: 'invalid_grant' });
      send(res, 200, { access_token: 'good-token', token_type: 'Bearer', expires_in: 3600, scope: 'launch patient/*.read',
        patient: grant.patient, need_patient_banner: false });
    });
    return;
  }
  switch (route) {
    case 'ok':
    case 'no-everything':
    case 'twins':
      return answer(req, res, base, url, route, rest);
    case 'org': {
      const [ods, ...orgRest] = rest.split('/');
      return answer(req, res, base, url, 'ok', orgRest.join('/'), heldBy(ods));
    }
    case 'split': {
      if (rest === '') return send(res, 200, splitShare().organisations);
      const [ods, ...orgRest] = rest.split('/');
      return answer(req, res, base, url, 'ok', orgRest.join('/'), splitShare().held.get(ods) || new Map());
    }
    case 'slow-search':
      if (rest === 'Patient' && url.searchParams.has('identifier'))
        return setTimeout(() => answer(req, res, base, url, 'ok', rest), 3000);
      return answer(req, res, base, url, 'ok', rest);
    case 'broken':
      ++tries;
      return send(res, 500, outcome('exception', 'Database unavailable'));
    case 'busy':
      if (!busyServed) { busyServed = true; return send(res, 429, outcome('throttled', 'Slow down'), { 'Retry-After': '0' }); }
      return answer(req, res, base, url, 'ok', rest);
    case 'slow':
      return setTimeout(() => answer(req, res, base, url, 'ok', rest), 3000);
    case 'truncated':
      res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': '5000' });
      res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
      return setTimeout(() => res.destroy(), 50);
    default:
      return send(res, 404, outcome('not-found', 'No such route'));
  }
});
server.listen(option('--port', 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
