// A FHIR terminology test server on loopback for the terminology tests: one
// NHS reference set as a ValueSet $expand, and the ways real servers fail.
//
//   node terminology_test_server.mjs CSV [LOG]   prints its base URL, then serves
//
// CSV is the refset's code list (code,term,code_corrupted_in_source; rows
// whose third column is not empty are left out). LOG, when given, gets one
// line per request: "METHOD URL AUTHORIZATION".
//
// Every route serves GET {route}/ValueSet/$expand?url=...&count=N&offset=K
// for the one value set below; any other url: 404 with an OperationOutcome.
//   /ok/             paged by count and offset, with expansion.total, .offset,
//                    .identifier and .timestamp (fixed for the server's life)
//   /no-total/       as /ok/ without expansion.total
//   /unpaged/        ignores count and offset: every code at once, no total
//   /nested/         one page, codes nested under headings without a code,
//                    and two inactive codes (INACTIVE-1, INACTIVE-2)
//   /changing/       every page after the first is from another expansion
//                    (another identifier, and an extra code CHANGED-n)
//   /changing-once/  as /changing/ the first time the expansion is read through, then as /ok/
//   /stuck/          honours count, ignores offset, no total (the same first page again)
//   /short/          declares a total one higher than the codes it has
//   /slow/           answers after 3 s
//   /busy/           429 with Retry-After: 0 the first time, then as /ok/
//   /error/          500 with an OperationOutcome, every time
//   /unknown/        404 with an OperationOutcome "Unable to find value set ..."
//   /token/          401 with an OperationOutcome unless "Authorization: Bearer good-token", then as /ok/
//   /notjson/        200 with an HTML page
//   /not-valueset/   200 with an OperationOutcome
//   /no-expansion/   200 with a ValueSet without an expansion
//   /empty/          200 with an expansion of no codes (total 0), as from a server without the refset loaded
//   /truncated/      promises more bytes than it sends, then closes
import http from 'node:http';
import fs from 'node:fs';

const VALUESET = 'http://snomed.info/sct?fhir_vs=refset/999004381000000103';
const SNOMED = 'http://snomed.info/sct';
const IDENTIFIER = 'urn:uuid:6f1c2a52-7d0e-4b8e-9a37-0c1d2e3f4a5b';
const TIMESTAMP = '2025-09-17T08:30:00+00:00';
const VERSION = 'http://snomed.info/sct/999000041000000102/version/20250917';

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { /* the \n ends the row */ }
    else if (c === '\n' || c === '\r') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const [header, ...rows] = parseCsv(fs.readFileSync(process.argv[2], 'utf8').replace(/^\uFEFF/, ''));
const col = (name) => header.indexOf(name);
const codes = rows.filter((r) => r[col('code')] && !r[col('code_corrupted_in_source')])
  .map((r) => ({ system: SNOMED, code: r[col('code')], display: r[col('term')] }));
const logPath = process.argv[3];

let busyServed = false;
let changingOnceServed = false;
let changes = 0;

const outcome = (code, text) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });
function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function valueSet(expansion) {
  return { resourceType: 'ValueSet', url: VALUESET, version: VERSION, status: 'active',
    name: 'SexuallyTransmittedDiseaseSimpleReferenceSet', expansion };
}

// One page of the expansion, as a paging server sends it.
function paged(url, { total = true, identifier = IDENTIFIER, extra = [], ignoreOffset = false } = {}) {
  const count = url.searchParams.has('count') ? Number(url.searchParams.get('count')) : codes.length;
  const offset = ignoreOffset ? 0 : Number(url.searchParams.get('offset') || 0);
  const expansion = { identifier, timestamp: TIMESTAMP, offset,
    parameter: [{ name: 'count', valueInteger: count }, { name: 'offset', valueInteger: offset }],
    contains: [...extra, ...codes.slice(offset, offset + count)] };
  if (total) expansion.total = codes.length;
  return valueSet(expansion);
}

// Headings without a code, codes nested under them, two inactive codes.
function nested() {
  const half = Math.floor(codes.length / 2);
  const contains = [
    { abstract: true, display: 'Sexually transmitted diseases: first half', contains: codes.slice(0, half) },
    { abstract: true, display: 'Sexually transmitted diseases: second half',
      contains: [{ ...codes[half], contains: codes.slice(half + 1) }] },
    { system: SNOMED, code: 'INACTIVE-1', display: 'An inactive concept', inactive: true },
    { system: SNOMED, code: 'INACTIVE-2', display: 'An inactive concept with no children', inactive: true },
  ];
  return valueSet({ identifier: IDENTIFIER, timestamp: TIMESTAMP, contains });
}

// Another expansion from the second page on: another identifier, and a code the refset does not have.
function changed(url) {
  if (Number(url.searchParams.get('offset') || 0) === 0) return paged(url);
  ++changes;
  return paged(url, { identifier: `urn:uuid:00000000-0000-4000-8000-${String(changes).padStart(12, '0')}`,
    extra: [{ system: SNOMED, code: `CHANGED-${changes}`, display: 'A code from another expansion' }] });
}

function answer(req, res, route, url) {
  switch (route) {
    case 'ok': return send(res, 200, paged(url));
    case 'no-total': return send(res, 200, paged(url, { total: false }));
    case 'unpaged': {
      const vs = valueSet({ identifier: IDENTIFIER, timestamp: TIMESTAMP, contains: codes });
      return send(res, 200, vs);
    }
    case 'nested': return send(res, 200, nested());
    case 'changing': return send(res, 200, changed(url));
    case 'changing-once': {
      if (changingOnceServed) return send(res, 200, paged(url));
      const offset = Number(url.searchParams.get('offset') || 0);
      if (offset > 0) changingOnceServed = true;
      return send(res, 200, changed(url));
    }
    case 'stuck': return send(res, 200, paged(url, { total: false, ignoreOffset: true }));
    case 'short': {
      const vs = paged(url);
      vs.expansion.total = codes.length + 1;
      return send(res, 200, vs);
    }
    case 'slow': return setTimeout(() => send(res, 200, paged(url)), 3000);
    case 'busy':
      if (!busyServed) { busyServed = true; return send(res, 429, outcome('throttled', 'Slow down'), { 'Retry-After': '0' }); }
      return send(res, 200, paged(url));
    case 'error': return send(res, 500, outcome('exception', 'Terminology database unavailable'));
    case 'unknown': return send(res, 404, outcome('not-found', `Unable to find value set ${url.searchParams.get('url')}`));
    case 'token': return send(res, 200, paged(url));
    case 'notjson':
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<html><body>Service temporarily unavailable</body></html>');
    case 'not-valueset': return send(res, 200, outcome('informational', 'Expansion is being rebuilt; try later'));
    case 'empty': return send(res, 200, valueSet({ identifier: IDENTIFIER, timestamp: TIMESTAMP, total: 0, offset: 0 }));
    case 'no-expansion': return send(res, 200, { resourceType: 'ValueSet', url: VALUESET, version: VERSION, status: 'active' });
    case 'truncated':
      res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': '50000' });
      res.write(`{"resourceType":"ValueSet","expansion":{"total":${codes.length},"contains":[`);
      return setTimeout(() => res.destroy(), 50);
    default: return send(res, 404, outcome('not-found', `No route ${route}`));
  }
}

const server = http.createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  if (logPath) fs.appendFileSync(logPath, `${req.method} ${req.url} ${req.headers.authorization || '-'}\n`);
  const url = new URL(req.url, base);
  const [, route, ...restParts] = url.pathname.split('/');
  const rest = decodeURIComponent(restParts.join('/'));
  if (req.method !== 'GET' || rest !== 'ValueSet/$expand') return send(res, 404, outcome('not-found', `No route ${url.pathname}`));
  if (route === 'token' && req.headers.authorization !== 'Bearer good-token')
    return send(res, 401, outcome('login', 'Bearer token missing or not valid'), { 'WWW-Authenticate': 'Bearer' });
  if (url.searchParams.get('url') !== VALUESET)
    return send(res, 404, outcome('not-found', `Unable to find value set ${url.searchParams.get('url')}`));
  return answer(req, res, route, url);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
