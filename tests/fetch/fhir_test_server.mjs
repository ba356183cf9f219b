// A FHIR test server on loopback for the fetch tests: the demo patients as
// paged Bundles behind a bearer token, and the ways real servers fail.
//
//   node fhir_test_server.mjs DEMO_DIR     prints its base URL, then serves
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
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const demoDir = process.argv[2];
const index = JSON.parse(fs.readFileSync(path.join(demoDir, 'index.json'), 'utf8'));
const bundles = new Map(index.patients.map((p) => [p.id, JSON.parse(fs.readFileSync(path.join(demoDir, p.file), 'utf8'))]));
const PAGE = 7;
let tries = 0;
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

function answer(req, res, base, url, route, rest) {
  if (req.headers.authorization !== 'Bearer good-token')
    return send(res, 401, outcome('login', 'Bearer token missing or not valid'), { 'WWW-Authenticate': 'Bearer' });
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
  switch (route) {
    case 'ok':
    case 'no-everything':
      return answer(req, res, base, url, route, rest);
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
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
