#!/usr/bin/env node
// Splits each demo person's Bundle between the organisations that hold it, as
// the sharing service meets them in a deployment: every organisation (the GP
// practice, the hospital trusts, community, mental health and social care)
// answers for its own entries only, plus the person's Patient.
//
//   node host-samples/demo-patients/split-by-organisation.mjs [DIR]          a table: who holds what
//   node host-samples/demo-patients/split-by-organisation.mjs [DIR] --json   the organisations, as JSON
//
// tests/fetch/fhir_test_server.mjs serves each share at /split/{ODS}/ (scripts/demo
// points the service's organisations there). DIR defaults to this folder.
//
// The rule (every entry but the Patient lands in exactly one share):
//   1. An entry with meta.source is held by the organisation its source ends in
//      (".../emis/ZZ4011" -> ZZ4011, ".../RVY" -> RVY; in capitals: Liverpool City
//      Council has no ODS code and its source ends in "lcc", so it is LCC here).
//   2. Any other clinical entry is held by the person's GP practice (the ODS code
//      of the Organization that Patient.generalPractitioner names): results,
//      medication, care teams, provenance... as a GP record holds them.
//   3. Reference data (Organization, Practitioner, PractitionerRole, Location,
//      Medication, ...) is held by the organisation it belongs to:
//      - an Organization by the holder with its ODS code; one without a code
//        (a council, the laboratory) by the one holder whose own entries
//        (rule 1) cite it, else by the GP practice;
//      - a PractitionerRole by the holder of its organization (rule 3 above),
//        a Practitioner by the holder of its first PractitionerRole, a
//        Location by the holder of its managingOrganization; else the GP practice.
//   4. The Patient is served by every organisation that holds anything for
//      the person (and the GP practice always holds the practice itself).
// Which organisation serves an entry changes nothing in the View: the viewer
// still finds each item's source from the entry itself (asserter, performer,
// serviceProvider...); the rule decides only where it is fetched from.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const REFERENCE_DATA = new Set(['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication',
  'Substance', 'Device', 'HealthcareService', 'Endpoint']);

// The holder a meta.source names: its last path segment, in capitals.
export function holderOfSource(source) {
  const last = String(source || '').replace(/[/#?]+$/, '').split(/[/#?]/).pop();
  return last ? last.toUpperCase() : '';
}

const odsOf = (resource) => (resource.identifier || []).find((i) => i.system === ODS)?.value || '';

// Every reference string in a resource, with the field path it sits at.
function references(value, field = '', out = []) {
  if (Array.isArray(value)) for (const v of value) references(v, field, out);
  else if (value && typeof value === 'object') {
    if (typeof value.reference === 'string') out.push({ field, reference: value.reference });
    for (const [k, v] of Object.entries(value)) if (k !== 'reference') references(v, field ? `${field}.${k}` : k, out);
  }
  return out;
}

// One person's Bundle -> Map(ODS -> entries, the Patient first), and each holder's name.
export function splitBundle(bundle) {
  const entries = bundle.entry || [];
  const patients = entries.filter((e) => e.resource?.resourceType === 'Patient');
  if (patients.length !== 1) throw new Error(`bundle ${bundle.id || ''} has ${patients.length} Patients, not one`);
  const patient = patients[0];
  const byRef = new Map();
  for (const e of entries) {
    if (e.fullUrl) byRef.set(e.fullUrl, e);
    byRef.set(`${e.resource.resourceType}/${e.resource.id}`, e);
  }
  const resolve = (ref) => byRef.get(ref) || byRef.get(ref.split('/').slice(-2).join('/'));
  const gpEntry = (patient.resource.generalPractitioner || []).map((r) => resolve(r.reference || '')).find(Boolean);
  const gp = gpEntry ? odsOf(gpEntry.resource) : '';
  const holderOf = new Map();  // entry -> ODS
  const fallback = (e) => {
    if (!gp) throw new Error(`${e.resource.resourceType}/${e.resource.id}: no meta.source and the person has no GP practice to hold it`);
    return gp;
  };

  // Rules 1 and 2: clinical entries.
  const cites = new Map();  // Organization entry -> holders of rule-1 entries citing it
  for (const e of entries) {
    const r = e.resource;
    if (e === patient || REFERENCE_DATA.has(r.resourceType)) continue;
    const fromSource = holderOfSource(r.meta?.source);
    holderOf.set(e, fromSource || fallback(e));
    if (!fromSource) continue;
    for (const { reference } of references(r)) {
      const target = resolve(reference);
      if (target?.resource.resourceType !== 'Organization') continue;
      if (!cites.has(target)) cites.set(target, new Set());
      cites.get(target).add(fromSource);
    }
  }
  const holders = new Set([...holderOf.values(), ...(gp ? [gp] : [])]);

  // Rule 3: reference data.
  const names = new Map();
  for (const e of entries) {
    if (e.resource.resourceType !== 'Organization') continue;
    const ods = odsOf(e.resource);
    const citing = cites.get(e);
    let holder;
    if (ods && holders.has(ods)) holder = ods;
    else if (!ods && citing?.size === 1) holder = [...citing][0];
    else holder = fallback(e);
    holderOf.set(e, holder);
    if (ods === holder || (!ods && holder !== gp && !names.has(holder))) names.set(holder, e.resource.name || holder);
  }
  const holderVia = (e, field) => {
    const ref = references(e.resource).find((x) => x.field === field);
    const target = ref && resolve(ref.reference);
    return (target && holderOf.get(target)) || fallback(e);
  };
  for (const e of entries)
    if (e.resource.resourceType === 'PractitionerRole') holderOf.set(e, holderVia(e, 'organization'));
  for (const e of entries) {
    const r = e.resource;
    if (r.resourceType === 'Practitioner') {
      const role = entries.find((x) => x.resource.resourceType === 'PractitionerRole' &&
        references(x.resource).some((ref) => ref.field === 'practitioner' && resolve(ref.reference) === e));
      holderOf.set(e, role ? holderOf.get(role) : fallback(e));
    } else if (r.resourceType === 'Location') holderOf.set(e, holderVia(e, 'managingOrganization'));
    else if (REFERENCE_DATA.has(r.resourceType) && !holderOf.has(e)) holderOf.set(e, fallback(e));
  }

  // Rule 4: the shares, in the Bundle's order, each led by the Patient.
  const shares = new Map();
  for (const e of entries) {
    if (e === patient) continue;
    const ods = holderOf.get(e);
    if (!shares.has(ods)) shares.set(ods, [patient]);
    shares.get(ods).push(e);
  }
  for (const ods of shares.keys()) if (!names.has(ods)) names.set(ods, ods);
  return { shares, names, gp };
}

// A folder of Bundles with an index.json (as the demo patients are) ->
// { organisations: [{ ods, name, people }], held: Map(ODS -> Map(person id -> Bundle)) }.
export function splitFolder(dir) {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const held = new Map();
  const names = new Map();
  for (const p of index.patients) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, p.file), 'utf8'));
    const split = splitBundle(bundle);
    for (const [ods, entry] of split.shares) {
      if (!held.has(ods)) held.set(ods, new Map());
      held.get(ods).set(p.id, { ...bundle, entry });
    }
    for (const [ods, name] of split.names) if (!names.has(ods) || names.get(ods) === ods) names.set(ods, name);
  }
  const organisations = [...held.keys()].sort().map((ods) => ({ ods, name: names.get(ods) || ods, people: [...held.get(ods).keys()] }));
  return { organisations, held };
}

// Checks the rule's promise over a folder: every entry in exactly one share,
// the Patient in each. Throws naming the first entry that is not.
export function checkSplit(dir) {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const { held } = splitFolder(dir);
  for (const p of index.patients) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, p.file), 'utf8'));
    const count = new Map();
    for (const people of held.values()) {
      const share = people.get(p.id);
      if (!share) continue;
      if (share.entry[0].resource.resourceType !== 'Patient') throw new Error(`${p.id}: a share without the Patient first`);
      for (const e of share.entry.slice(1)) count.set(e, (count.get(e) || 0) + 1);
    }
    for (const e of bundle.entry.slice(0)) {
      if (e.resource.resourceType === 'Patient') continue;
      const key = [...count.keys()].find((k) => k.fullUrl === e.fullUrl && k.resource.id === e.resource.id);
      const n = key ? count.get(key) : 0;
      if (n !== 1) throw new Error(`${p.id}: ${e.resource.resourceType}/${e.resource.id} is served by ${n} organisations, not one`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) || path.dirname(fileURLToPath(import.meta.url));
  const { organisations, held } = splitFolder(dir);
  checkSplit(dir);
  if (args.includes('--json')) {
    console.log(JSON.stringify(organisations, null, 1));
  } else {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const ids = index.patients.map((p) => p.id);
    console.log(`${'organisation'.padEnd(58)} ${ids.map((id) => id.slice(0, 8).padStart(8)).join(' ')}`);
    for (const o of organisations) {
      const cells = ids.map((id) => String(held.get(o.ods).get(id) ? held.get(o.ods).get(id).entry.length - 1 : '').padStart(8));
      console.log(`${`${o.ods} ${o.name}`.slice(0, 58).padEnd(58)} ${cells.join(' ')}`);
    }
    console.log('(entries each organisation serves for each person, besides the Patient; every entry is served by exactly one)');
  }
}
