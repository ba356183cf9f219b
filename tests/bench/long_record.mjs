// A long real-looking record for the benchmarks: one person made of real
// Synthea entries (../shared/data/synthea), every person's file copied as many
// times as it takes to reach the size asked for, each copy's ids and
// urn:uuid references renamed so that they stay distinct and still point
// within the copy, every subject pointing at the one Patient, who is given an
// NHS number. Written as Synthea writes (two-space indentation), so the bytes
// per entry are those of a published Synthea record (a 60 MB one holds about
// 25,000 entries: observations, claims, medication requests, reports,
// encounters, documents with inline text).
//
//   node tests/bench/long_record.mjs --mb 60 --nhs 9434765919 --data ../shared/data OUT.json
// Deterministic: the same arguments write the same bytes.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value;
};
const mb = Number(option('--mb', '60'));
const nhs = option('--nhs', '9434765919');
const data = option('--data', path.join(path.dirname(new URL(import.meta.url).pathname), '../../../shared/data'));
const out = args[0];
if (!out || !(mb > 0)) {
  console.error('usage: node long_record.mjs --mb MB [--nhs NHS] [--data DIR] OUT.json');
  process.exit(2);
}

const dir = path.join(data, 'synthea');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const people = [], shared = [];
for (const file of files) {
  const bundle = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const entries = bundle.entry ?? [];
  const patient = entries.find((e) => e.resource?.resourceType === 'Patient');
  if (patient) people.push({ patientId: patient.resource.id, entries: entries.filter((e) => e !== patient) });
  else shared.push(...entries);  // hospitals, practitioners: once
}
if (people.length === 0) throw new Error(`${dir}: no Synthea person files`);

// The one person: the first file's Patient, with an NHS number.
const first = JSON.parse(fs.readFileSync(path.join(dir, files.find((f) => !f.startsWith('0-'))), 'utf8'));
const patientEntry = first.entry.find((e) => e.resource.resourceType === 'Patient');
const patientId = patientEntry.resource.id;
patientEntry.resource.identifier = [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }, ...(patientEntry.resource.identifier ?? [])];

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const renamed = (text, person, copy) => text.replace(uuid, (id) =>
  id === person.patientId ? patientId : `${id.slice(0, 24)}${copy.toString(16).padStart(4, '0')}${id.slice(28)}`);

const target = mb * 1024 * 1024;
const parts = [JSON.stringify(patientEntry, null, 2), ...shared.map((e) => JSON.stringify(e, null, 2))];
let size = parts.reduce((n, p) => n + p.length, 0);
for (let copy = 0; size < target; ++copy) {
  for (const person of people) {
    for (const entry of person.entries) {
      const text = renamed(JSON.stringify(entry, null, 2), person, copy);
      parts.push(text);
      size += text.length + 2;
      if (size >= target) break;
    }
    if (size >= target) break;
  }
}
fs.writeFileSync(out, `{\n  "resourceType": "Bundle",\n  "type": "transaction",\n  "entry": [ ${parts.join(', ')} ]\n}\n`);
console.error(`${out}: ${(size / 1048576).toFixed(1)} MB, ${parts.length} entries`);
