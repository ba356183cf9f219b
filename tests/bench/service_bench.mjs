// The sharing service's benchmark, for scripts/bench (never ctest): views
// per second and latency through the API for 1, 4 and 16 concurrent users,
// for a small record and a ~5 MB one, with the record cache on (the
// deployment's 60 s) and off (every view fetched from the organisations),
// each request on a new connection (and the small record's on kept-alive
// connections too: ilinks-bench-service load --keep-alive);
// the audit chain exported and verified afterwards. With --region, the store
// is then filled to a region's size (ilinks-bench-service fill) and the
// store's calls, query plans and views are measured again on it.
//
//   ILINKS_BIN=build/bin ILINKS_SOURCE_DIR=. node tests/bench/service_bench.mjs --store sqlite|postgresql
//        --out DIR --twenty-year FILE [--seconds 10] [--users 1,4,16] [--region] [--people 1500000] [--events 10000000]
//
// postgresql: run under tests/service/with_postgres.sh (ILINKS_TEST_PG).
// The organisations are the demo's deployment shape: every organisation
// holding part of a record is its own FHIR endpoint (the FHIR test server's
// /split/{ODS}/, pages of 200 entries), the 20-year record's entries dealt in
// turn to four of them (GP ZZ0001, RVY, RY1, LCL). Writes DIR/<store>.json
// and prints what it measures as it goes.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AUDIENCE, ISSUER, makeIssuerKey, startService } from '../service/service_harness.mjs';

const args = process.argv.slice(2);

// --report: the tables, from DIR/sqlite.json and DIR/postgresql.json; writes DIR/results.json.
if (args.includes('--report')) {
  const out = path.resolve(args[args.indexOf('--out') + 1] || 'build/bench/service');
  const stores = ['sqlite', 'postgresql'].filter((k) => fs.existsSync(path.join(out, `${k}.json`)))
    .map((k) => JSON.parse(fs.readFileSync(path.join(out, `${k}.json`), 'utf8')));
  const pad = (v, n) => String(v).padStart(n);
  console.log('\nThe sharing service: views through the API (a new connection and a freshly signed token per request)');
  console.log(`${'store'.padEnd(10)} ${'record'.padEnd(38)} ${'cache'.padStart(5)} ${'users'.padStart(5)} | ${'views/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} | ${'views'.padStart(6)} ${'load'.padStart(5)} failed`);
  for (const st of stores)
    for (const r of [...st.views, ...(st.region?.views || [])])
      console.log(`${st.store.padEnd(10)} ${(r.record + (r.keep_alive ? ', kept-alive' : '')).slice(0, 38).padEnd(38)} ${pad(r.cache_seconds + ' s', 5)} ${pad(r.users, 5)} | ` +
        `${pad(r.views_per_s, 8)} ${pad(r.p50_ms, 8)} ${pad(r.p99_ms, 8)} | ${pad(r.views, 6)} ${pad(r.loadavg ?? '', 5)} ${Object.entries(r.failed).map(([k, n]) => `${n} ${k}`).join(', ') || '-'}`);
  for (const st of stores)
    for (const a of [...st.audit, ...(st.region ? [st.region.audit] : [])])
      console.log(`audit chain (${st.store}, ${a.store}): ${a.intact ? 'verified' : 'NOT INTACT'}: ${a.says}; export ${a.export_seconds} s, verify ${a.verify_seconds} s`);
  const regions = stores.filter((st) => st.region);
  if (regions.length) {
    console.log('\nThe store filled to a region\'s size: the store\'s calls (p50 / p99 ms), on the benchmark\'s own store and on the filled one');
    for (const st of regions) {
      const f = st.region.fill;
      console.log(`${st.store}: filled with ${f.people} people (${f.consents} consents, ${f.opt_outs} opt-outs, ${f.overrides} overrides, ${f.wider_access} wider access, ${f.adt_messages} ADT), ` +
        `${f.audit_events} audit events (${f.alerts} alerts) in ${st.region.fill_seconds} s (indexes ${f.index_seconds} s); ${Math.round(st.region.size_bytes / 1e9 * 10) / 10} GB`);
      console.log(`  ${'call'.padEnd(52)} ${('small store (' + st.region.lookups_small.head + ' events)').padStart(26)} ${('filled (' + st.region.lookups.head + ' events)').padStart(26)}`);
      for (const [call, small] of Object.entries(st.region.lookups_small.calls)) {
        const big = st.region.lookups.calls[call];
        console.log(`  ${call.padEnd(52)} ${pad(`${small.p50_ms} / ${small.p99_ms}`, 26)} ${pad(big ? `${big.p50_ms} / ${big.p99_ms}` : '-', 26)}`);
      }
      console.log(`  query plans: ${path.join(out, `explain-${st.store}.txt`)}`);
    }
  }
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({ date: new Date().toISOString(), stores }, null, 1));
  process.exit(0);
}
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const BIN = process.env.ILINKS_BIN, ROOT = process.env.ILINKS_SOURCE_DIR;
const KIND = option('--store', 'sqlite');
const OUT = path.resolve(option('--out', 'build/bench/service'));
const TWENTY = option('--twenty-year');
const SECONDS = option('--seconds', '10');
const USERS = option('--users', '1,4,16').split(',').map(Number);
const REGION = args.includes('--region');
const PEOPLE = option('--people', '1500000'), EVENTS = option('--events', '10000000');
if (!BIN || !ROOT || !TWENTY) throw new Error('ILINKS_BIN, ILINKS_SOURCE_DIR and --twenty-year are needed');
const PG = process.env.ILINKS_TEST_PG;
if (KIND === 'postgresql' && !PG) throw new Error('postgresql: run under tests/service/with_postgres.sh');

const SMALL = { name: 'demo patient Joe Bradshaw', nhs: '9990000115' };
const LARGE = { name: 'generated 20-year record', nhs: '9434765919' };
const FOUR = ['ZZ0001', 'RVY', 'RY1', 'LCL'];
const dir = path.join(OUT, KIND);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const say = (text) => console.log(`[bench:service:${KIND}] ${text}`);
const results = { store: KIND, views: [], audit: [], region: null };
const elapsed = (t0) => Math.round((Date.now() - t0) / 100) / 10;

// ---- the records, one folder the FHIR test server splits by organisation -------------------
const records = path.join(OUT, 'records');
if (!fs.existsSync(path.join(records, 'index.json'))) {
  fs.mkdirSync(records, { recursive: true });
  const demo = path.join(ROOT, 'host-samples/demo-patients');
  const index = JSON.parse(fs.readFileSync(path.join(demo, 'index.json'), 'utf8'));
  for (const p of index.patients) fs.copyFileSync(path.join(demo, p.file), path.join(records, p.file));
  const twenty = JSON.parse(fs.readFileSync(TWENTY, 'utf8'));
  let n = 0;
  for (const e of twenty.entry)
    if (e.resource.resourceType !== 'Patient') e.resource.meta = { ...(e.resource.meta || {}), source: `https://bench.example/${FOUR[n++ % 4]}` };
  const patient = twenty.entry.find((e) => e.resource.resourceType === 'Patient').resource;
  fs.writeFileSync(path.join(records, 'twenty-year.json'), JSON.stringify(twenty));
  index.patients.push({ id: patient.id, file: 'twenty-year.json', nhsNumber: LARGE.nhs, name: 'the 20-year record' });
  fs.writeFileSync(path.join(records, 'index.json'), JSON.stringify(index, null, 1));
}

function startChild(command, commandArgs, pattern) {
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(pattern);
      if (m) resolve({ child, match: m });
    });
    child.on('exit', (code) => reject(new Error(`${command} exited (${code}) before it was ready`)));
  });
}

function run(command, commandArgs, { quiet = false } = {}) {
  const r = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && !quiet) throw new Error(`${path.basename(command)} ${commandArgs[0]} failed (${r.status}): ${r.stderr}`);
  return r;
}

const fhir = await startChild(process.execPath, [path.join(ROOT, 'tests/fetch/fhir_test_server.mjs'), records, '--page-size', '200'], /^(http:\/\/\S+)$/);
const fhirUrl = fhir.match[1];
const organisations = (await (await fetch(`${fhirUrl}/split`)).json())
  .map((o) => ({ ods: o.ods, name: o.name, fhir: { base_url: `${fhirUrl}/split/${o.ods}`, bearer_token: 'good-token', timeout_ms: 30000 } }));
say(`${organisations.length} organisations, each its own FHIR endpoint; the 20-year record from ${FOUR.join(', ')}`);
const key = makeIssuerKey();
const keyPath = path.join(dir, 'issuer-key.pem');
fs.writeFileSync(keyPath, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

const storeOf = (name) => (KIND === 'sqlite' ? { kind: 'sqlite', path: path.join(dir, `${name}.db`) }
  : { kind: 'postgresql', connection: name === 'store' ? PG : PG.replace(/dbname=\S+/, `dbname=${name}`), connections: 8 });
const storeSpec = (name) => (KIND === 'sqlite' ? `sqlite:${path.join(dir, `${name}.db`)}` : `postgresql:${storeOf(name).connection}`);

async function serve(name, cacheSeconds) {
  const limits = { record_cache_seconds: cacheSeconds, fetch_deadline_ms: 30000, request_timeout_ms: 60000,
    requests_per_user_per_minute: 1000000, max_concurrent_requests: 16 };
  return startService({ dir: path.join(dir, `${name}-cache${cacheSeconds}`), key, organisations, store: storeOf(name), limits, port: 0 });
}

// One load run: a JSON line from ilinks-bench-service load.
function load(svc, record, users, extra = {}) {
  const r = run(path.join(BIN, 'ilinks-bench-service'), ['load', '--url', svc.url, '--key', keyPath, '--iss', ISSUER, '--aud', AUDIENCE,
    '--patient', record.nhs, '--ods', 'RVY', '--profile', '6', '--users', String(users), '--seconds', SECONDS,
    ...(extra.consent ? ['--consent'] : []), ...(extra.keepAlive ? ['--keep-alive'] : [])], { quiet: true });
  if (r.status !== 0 && r.status !== 3) throw new Error(`load failed: ${r.stderr}`);
  // The machine's 1-minute load average as the run ends (2 cores: above 2, others were running too).
  return { ...JSON.parse(r.stdout.trim()), loadavg: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) };
}

function showView(row) {
  const failed = Object.entries(row.failed).map(([k, n]) => `${n} ${k}`).join(', ') || '-';
  say(`${(row.record + (row.keep_alive ? ', kept-alive' : '')).padEnd(26)} cache ${String(row.cache_seconds).padStart(2)} s  ${String(row.users).padStart(2)} users: ` +
      `${String(row.views_per_s).padStart(7)} views/s  p50 ${String(row.p50_ms).padStart(7)} ms  p99 ${String(row.p99_ms).padStart(7)} ms` +
      `  (${row.views} views, ${row.items_shown} items, ${row.view_kb} KB; load ${row.loadavg}; failed: ${failed})`);
}

async function exportAndVerify(name, configPath) {
  const out = path.join(dir, `${name}-audit.jsonl`);
  let t0 = Date.now();
  run(path.join(BIN, 'ilinks-service'), ['export-audit', '--config', configPath, '--out', out]);
  const exportSeconds = elapsed(t0);
  t0 = Date.now();
  const v = run(path.join(BIN, 'ilinks-audit'), ['verify', out], { quiet: true });
  const row = { store: name, intact: v.status === 0, says: (v.stdout || v.stderr).trim().replace(/^\S+: /, ''),
    export_seconds: exportSeconds, verify_seconds: elapsed(t0), bytes: fs.statSync(out).size };
  fs.rmSync(out);
  say(`audit chain of ${name}: ${row.intact ? 'verified' : 'NOT INTACT'}: ${row.says} (export ${row.export_seconds} s, verify ${row.verify_seconds} s, ${Math.round(row.bytes / 1e6)} MB)`);
  return row;
}

try {
  // ---- views through the API ----------------------------------------------------------------
  let configPath;
  for (const cache of [60, 0]) {
    const svc = await serve('store', cache);
    configPath = svc.config;
    for (const record of [SMALL, LARGE]) {
      for (const users of USERS) {
        const row = { store: KIND, cache_seconds: cache, record: record.name, ...load(svc, record, users, { consent: users === USERS[0] }) };
        results.views.push(row);
        showView(row);
      }
    }
    if (cache === 60) {
      // The same on kept-alive connections, as a host's connection pool would ask.
      for (const users of [1, 16]) {
        const row = { store: KIND, cache_seconds: cache, record: SMALL.name, keep_alive: true, ...load(svc, SMALL, users, { keepAlive: true }) };
        results.views.push(row);
        showView(row);
      }
    }
    svc.kill('SIGTERM');
    await svc.exited;
  }
  results.audit.push(await exportAndVerify('store', configPath));

  // ---- the store filled to a region's size -------------------------------------------------------
  if (REGION) {
    const bench = path.join(BIN, 'ilinks-bench-service');
    const region = { people: Number(PEOPLE), events: Number(EVENTS) };
    const lookups = (name) => JSON.parse(run(bench, ['lookups', '--store', storeSpec(name), '--people', PEOPLE, '--samples', '2000']).stdout.trim());
    region.lookups_small = lookups('store');
    say(`store calls on the benchmark's own store (${region.lookups_small.head} audit events): measured`);
    if (KIND === 'postgresql') run('psql', [PG, '-q', '-c', 'CREATE DATABASE region']);
    let t0 = Date.now();
    say(`filling a fresh store: ${PEOPLE} people's consents and opt-outs, ${EVENTS} audit events (in bulk, hashed as a chain)...`);
    const fill = spawnSync(bench, ['fill', '--store', storeSpec('region'), '--people', PEOPLE, '--events', EVENTS],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (fill.status !== 0) throw new Error('fill failed');
    region.fill = JSON.parse(fill.stdout.trim());
    region.fill_seconds = elapsed(t0);
    // The load's gigabytes written back to disk before anything is timed: else
    // every commit's fsync waits behind them for minutes.
    run('sync', []);
    say(`filled in ${region.fill_seconds} s: ${JSON.stringify(region.fill)}`);
    region.size_bytes = KIND === 'sqlite' ? fs.statSync(path.join(dir, 'region.db')).size
      : Number(run('psql', [storeOf('region').connection, '-At', '-c', 'SELECT pg_database_size(current_database())']).stdout.trim());
    region.lookups = lookups('region');
    say('store calls on the filled store: measured');
    region.explain = run(bench, ['explain', '--store', storeSpec('region')]).stdout;
    fs.writeFileSync(path.join(OUT, `explain-${KIND}.txt`), region.explain);
    // Views on the benchmark's own store and on the filled one, back to back.
    region.views = [];
    let svc;
    for (const name of ['store', 'region']) {
      svc = await serve(name, 60);
      for (const users of [1, 16]) {
        const row = { store: KIND, cache_seconds: 60, record: `${SMALL.name} (${name === 'region' ? 'filled' : 'small'} store)`,
          ...load(svc, SMALL, users, { consent: users === 1 }) };
        region.views.push(row);
        showView(row);
      }
      svc.kill('SIGTERM');
      await svc.exited;
    }
    region.audit = await exportAndVerify('region', svc.config);
    if (KIND === 'sqlite' && !process.env.ILINKS_BENCH_KEEP) for (const f of fs.readdirSync(dir)) if (f.startsWith('region.db')) fs.rmSync(path.join(dir, f));
    results.region = region;
  }
} finally {
  fhir.child.kill('SIGTERM');
}
fs.writeFileSync(path.join(OUT, `${KIND}.json`), JSON.stringify(results, null, 1));
say(`written ${path.join(OUT, `${KIND}.json`)}`);
