#!/usr/bin/env node
// Writes the demo patients: one FHIR R4 Bundle per person of the seven iLINKS
// scenarios (SHARING-MODEL.md), with data from several of the organisations
// named in the seeds, plus HL7 v2 ADT messages from the trusts (adt/).
//
//   node host-samples/demo-patients/make-demo-patients.mjs
//
// Each bundle keeps its Patient and registered practice (the first two
// entries) and everything else is rewritten, so running it twice changes
// nothing. All people and practices are fictional; NHS numbers are in the
// 999 test range; practice ODS codes start ZZ, which no real practice has.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCT = 'http://snomed.info/sct', READ = 'http://read.info/readv2', LOINC = 'http://loinc.org', DMD = 'https://dmd.nhs.uk';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';

const uuid = (text) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const concept = (system, code, display) => ({ coding: [{ system, code, display }], text: display });
const ref = (type, id, display) => (display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` });
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');

// Organisations of the economy (participants file) and their systems.
const ORGS = {
  rvy: { ods: 'RVY', name: 'Southport and Ormskirk Hospital NHS Trust', system: 'Southport PAS' },
  rem: { ods: 'REM', name: 'Aintree University Hospital NHS Foundation Trust', system: 'Aintree EPR' },
  rq6: { ods: 'RQ6', name: 'Royal Liverpool and Broadgreen University Hospitals NHS Trust', system: 'Royal Liverpool PAS' },
  ret: { ods: 'RET', name: 'The Walton Centre NHS Foundation Trust', system: 'Walton Centre EPR' },
  lch: { ods: 'RY1', name: 'Liverpool Community Health NHS Trust', system: 'SystmOne (community)' },
  mc: { ods: 'RW4', name: 'Mersey Care NHS Trust', system: 'RiO' },
  lcc: { ods: '', name: 'Liverpool City Council', system: 'Liquidlogic LAS' },
  sefton: { ods: '', name: 'Sefton Council', system: 'Liquidlogic LAS' },
  lcl: { ods: '', name: 'Liverpool Clinical Laboratories', system: 'LIMS' },
};

function organisation(key) {
  const o = ORGS[key];
  return {
    resourceType: 'Organization', id: key,
    ...(o.ods ? { identifier: [{ system: ODS, value: o.ods }] } : {}),
    name: o.name,
  };
}

// Builds one person's bundle; `p` is the Patient, `gp` the practice Organization.
class Person {
  constructor(patient, practice) {
    this.p = patient; this.gp = practice; this.entries = []; this.n = 0; this.orgs = new Set();
    const code = this.gp.identifier[0].value;
    this.gp.identifier = [{ system: ODS, value: code.startsWith('ZZ') ? code : 'ZZ' + code.slice(2) }];
    this.gp.type = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }], text: 'GP practice' }];
  }
  id(kind) { return `${this.p.id}-${kind}-${++this.n}`; }
  org(key) { if (key !== 'gp') this.orgs.add(key); return key === 'gp' ? ref('Organization', this.gp.id, this.gp.name) : ref('Organization', key, ORGS[key].name); }
  source(key) { return key === 'gp' ? { source: `https://gp.example.nhs.uk/emis/${this.gp.identifier[0].value}` } : { source: `https://tie.example.nhs.uk/${ORGS[key].ods || key}` }; }
  add(resource) { this.entries.push(resource); return resource; }
  subject() { return ref('Patient', this.p.id); }

  condition(from, code, onset, extra = {}) {
    return this.add({ resourceType: 'Condition', id: this.id('condition'), meta: this.source(from),
      clinicalStatus: concept('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active', 'Active'),
      code, subject: this.subject(), onsetDateTime: onset, asserter: this.org(from), ...extra });
  }
  medication(from, code, dose, start, extra = {}) {
    return this.add({ resourceType: 'MedicationStatement', id: this.id('med'), status: 'active', medicationCodeableConcept: code,
      subject: this.subject(), effectivePeriod: { start }, dosage: [{ text: dose }], informationSource: this.org(from), ...extra });
  }
  allergy(from, code, reaction, date) {
    return this.add({ resourceType: 'AllergyIntolerance', id: this.id('allergy'),
      clinicalStatus: concept('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active'),
      code, patient: this.subject(), recordedDate: date, recorder: this.org(from),
      reaction: [{ manifestation: [{ text: reaction }] }] });
  }
  // A lab panel from Liverpool Clinical Laboratories: results [loinc, name, value, unit, low, high]
  panel(panelCode, date, results, extra = {}) {
    const ids = results.map(([code, name, value, unit, low, high, system]) => {
      const flag = value < low ? 'L' : value > high ? 'H' : 'N';
      return this.add({ resourceType: 'Observation', id: this.id('result'), status: 'final',
        category: [concept('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory', 'Laboratory')],
        code: concept(system || LOINC, code, name), subject: this.subject(), effectiveDateTime: date, performer: [this.org('lcl')],
        valueQuantity: { value, unit }, interpretation: [concept('http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', flag, flag)],
        referenceRange: [{ low: { value: low, unit }, high: { value: high, unit } }] }).id;
    });
    return this.add({ resourceType: 'DiagnosticReport', id: this.id('report'), status: 'final',
      category: [concept('http://terminology.hl7.org/CodeSystem/v2-0074', 'LAB', 'Laboratory')], code: panelCode,
      subject: this.subject(), effectiveDateTime: date, issued: date, performer: [this.org('lcl')],
      result: ids.map((id) => ref('Observation', id)), ...extra });
  }
  encounter(from, cls, type, start, end, extra = {}) {
    return this.add({ resourceType: 'Encounter', id: this.id('encounter'), meta: this.source(from), status: end ? 'finished' : 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls }, type: [type], subject: this.subject(),
      period: end ? { start, end } : { start }, serviceProvider: this.org(from), ...extra });
  }
  practitioner(from, family, given, prefix, role, phone) {
    const pid = this.id('practitioner');
    this.add({ resourceType: 'Practitioner', id: pid, name: [{ family, given: [given], prefix: [prefix] }] });
    return this.add({ resourceType: 'PractitionerRole', id: this.id('role'), practitioner: ref('Practitioner', pid),
      organization: this.org(from), code: [{ text: role }], telecom: phone ? [{ system: 'phone', value: phone }] : [] });
  }
  careTeam(name, members, from = 'gp') {
    return this.add({ resourceType: 'CareTeam', id: this.id('careteam'), status: 'active', name, subject: this.subject(),
      managingOrganization: [this.org(from)], participant: members.map((m) => ({ member: ref('PractitionerRole', m.id) })) });
  }
  carePlan(from, title, category, start, description, activities = [], extra = {}) {
    return this.add({ resourceType: 'CarePlan', id: this.id('careplan'), meta: this.source(from), status: 'active', intent: 'plan',
      category: [category], title, description, subject: this.subject(), period: { start }, author: this.org(from),
      activity: activities.map((a) => ({ detail: { status: 'in-progress', description: a } })), ...extra });
  }
  goal(from, text, start, due) {
    return this.add({ resourceType: 'Goal', id: this.id('goal'), lifecycleStatus: 'active', description: { text },
      subject: this.subject(), startDate: start, target: due ? [{ dueDate: due }] : [], expressedBy: this.org(from) });
  }
  flag(from, code, start) {
    return this.add({ resourceType: 'Flag', id: this.id('flag'), status: 'active', code, subject: this.subject(),
      period: { start }, author: this.org(from) });
  }
  appointment(from, service, start, minutes, description) {
    const end = new Date(Date.parse(start) + minutes * 60000).toISOString().replace('.000Z', 'Z');
    return this.add({ resourceType: 'Appointment', id: this.id('appointment'), status: 'booked', serviceType: [{ text: service }],
      description, start, end, participant: [{ actor: this.subject(), status: 'accepted' }, { actor: this.org(from), status: 'accepted' }] });
  }
  document(from, type, date, title, text, extra = {}) {
    return this.add({ resourceType: 'DocumentReference', id: this.id('document'), meta: this.source(from), status: 'current', type,
      subject: this.subject(), date, description: title, custodian: this.org(from), author: [this.org(from)],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: b64(text), title } }], ...extra });
  }
  observation(from, category, code, date, value, extra = {}) {
    return this.add({ resourceType: 'Observation', id: this.id('observation'), status: 'final',
      category: [concept('http://terminology.hl7.org/CodeSystem/observation-category', category, category)], code,
      subject: this.subject(), effectiveDateTime: date, performer: [this.org(from)], ...value, ...extra });
  }
  relatedPerson(relationship, family, given, phone) {
    return this.add({ resourceType: 'RelatedPerson', id: this.id('related'), patient: this.subject(),
      relationship: [{ text: relationship }], name: [{ family, given: [given] }], telecom: [{ system: 'phone', value: phone }] });
  }
  provenance(from, targets, recorded) {
    return this.add({ resourceType: 'Provenance', id: this.id('provenance'), target: targets.map((t) => ref(t.resourceType, t.id)),
      recorded, agent: [{ who: this.org(from) }] });
  }

  bundle() {
    const rest = [...[...this.orgs].map(organisation), ...this.entries];
    return { resourceType: 'Bundle', id: `${this.p.id}-record`, type: 'collection', timestamp: '2026-11-22T08:00:00Z',
      entry: [...this.kept, ...rest.map((r) => ({ fullUrl: uuid(`${r.resourceType}/${r.id}`), resource: r }))] };
  }
}

function load(file) {
  const b = JSON.parse(readFileSync(join(here, file), 'utf8'));
  const person = new Person(b.entry[0].resource, b.entry[1].resource);
  person.kept = [b.entry[0], b.entry[1]];
  return person;
}

// HL7 v2 ADT, LF segment endings, as the trusts' integration engines send them.
function adt(org, event, control, when, patient, pv1, pv2 = '') {
  const name = patient.name[0];
  const nhs = patient.identifier[0].value;
  const dob = patient.birthDate.replaceAll('-', '');
  return [
    `MSH|^~\\&|PAS|${ORGS[org].ods}|ILINKS|NORTHMERSEY|${when}||ADT^${event}^ADT_${event}|${control}|P|2.4|||AL|NE|GBR`,
    `EVN|${event}|${when}`,
    `PID|1||${nhs}^^^NHS^NH~${control.slice(0, 3)}${dob.slice(2)}^^^${ORGS[org].ods}^MR||${name.family.toUpperCase()}^${name.given[0].toUpperCase()}^^^${(name.prefix || [''])[0].toUpperCase()}||${dob}|${patient.gender === 'male' ? 'M' : 'F'}`,
    `PV1|1|${pv1}`,
    ...(pv2 ? [`PV2|${pv2}`] : []),
  ].join('\n') + '\n';
}
// PV1 by field number: 2 class, 3 location (ward^room^bed), 7 attending doctor, 19 visit number, 44 admitted, 45 discharged.
function pv1(cls, ward, bed, doctor, visit, admitted, discharged = '') {
  const f = [];
  Object.assign(f, { 2: cls, 3: `${ward}^^${bed}`, 7: doctor, 19: visit, 44: admitted, 45: discharged });
  return Array.from({ length: 44 }, (_, i) => f[i + 2] ?? '').join('|');
}

const people = {};
for (const f of ['joe-bradshaw', 'joan-mcallister', 'brenda-kelly', 'david-okafor', 'margaret-hughes', 'arthur-prescott', 'susan-doyle', 'harold-winstanley'])
  people[f] = load(`${f}.json`);
const codes = {
  t2dm: concept(SCT, '44054006', 'Type 2 diabetes mellitus'), copd: concept(SCT, '13645005', 'Chronic obstructive lung disease'),
  htn: concept(SCT, '38341003', 'Hypertensive disorder'), hf: concept(SCT, '84114007', 'Heart failure'),
  ckd3: concept(SCT, '433144002', 'Chronic kidney disease stage 3'), alcohol: concept(SCT, '66590003', 'Alcohol dependence'),
  schizophrenia: concept(SCT, '58214004', 'Schizophrenia'), mnd: concept(SCT, '37340000', 'Motor neuron disease'),
  pe: concept(SCT, '59282003', 'Pulmonary embolism'), dementia: concept(SCT, '52448006', 'Dementia'),
  oa_hip: concept(SCT, '239872002', 'Osteoarthritis of hip'), af: concept(SCT, '49436004', 'Atrial fibrillation'),
  asthma: concept(SCT, '195967001', 'Asthma'), depression: concept(SCT, '35489007', 'Depressive disorder'),
};
const lft = (date, alt) => [['1742-6', 'ALT', alt, 'U/L', 0, 40], ['1920-8', 'AST', Math.round(alt * 0.8), 'U/L', 0, 40],
  ['2324-2', 'Gamma GT', Math.round(alt * 1.4), 'U/L', 0, 60], ['1975-2', 'Bilirubin', 12, 'umol/L', 0, 21],
  ['6768-6', 'Alkaline phosphatase', 96, 'U/L', 30, 130], ['1751-7', 'Albumin', 41, 'g/L', 35, 50]];
const ue = (date, creat, k) => [['2951-2', 'Sodium', 139, 'mmol/L', 133, 146], ['2823-3', 'Potassium', k, 'mmol/L', 3.5, 5.3],
  ['3094-0', 'Urea', 6.8, 'mmol/L', 2.5, 7.8], ['2160-0', 'Creatinine', creat, 'umol/L', 59, 104], ['33914-3', 'eGFR', Math.round(9000 / creat), 'mL/min/1.73m2', 60, 120]];

// ---- 1. Joe: diabetes and COPD, admitted via A&E at Southport and Ormskirk
{
  const j = people['joe-bradshaw'];
  const dm = j.condition('gp', codes.t2dm, '2011-06-14'), copd = j.condition('gp', codes.copd, '2016-02-03'), htn = j.condition('gp', codes.htn, '2014-09-22');
  j.provenance('gp', [dm, copd, htn], '2026-11-01T09:00:00Z');
  j.medication('gp', concept(DMD, '325278002', 'Metformin 500mg tablets'), '1 tablet twice a day', '2011-06-20', { reasonReference: [ref('Condition', dm.id)] });
  j.medication('gp', concept(DMD, '35936511000001108', 'Salbutamol 100micrograms/dose inhaler'), '2 puffs when required', '2016-02-03');
  j.medication('gp', concept(DMD, '9207411000001106', 'Tiotropium 18microgram inhalation powder capsules'), 'Inhale 1 capsule once a day', '2017-05-11');
  j.medication('gp', concept(DMD, '318885001', 'Ramipril 5mg capsules'), '1 capsule once a day', '2014-10-01');
  j.allergy('gp', concept(SCT, '91936005', 'Allergy to penicillin'), 'Widespread rash', '1998-04-12');
  j.panel(concept(LOINC, '4548-4', 'HbA1c'), '2026-09-30T10:15:00Z', [['4548-4', 'HbA1c', 61, 'mmol/mol', 20, 42]]);
  j.panel(concept(LOINC, '24323-8', 'Urea and electrolytes'), '2026-11-20T14:05:00Z', ue('2026-11-20', 98, 4.6));
  // HIV test (Appendix 1: 43WK.) inside a sexual health screen: the whole report is withheld
  j.panel(concept(SCT, '171121004', 'Screening blood tests'), '2025-03-04T11:00:00Z',
    [['43WK.', 'HIV antibody level', 0.1, 'ratio', 0, 1, READ], ['718-7', 'Haemoglobin', 141, 'g/L', 130, 180]]);
  const ae = j.encounter('rvy', 'EMER', concept(SCT, '50849002', 'Emergency department admission'), '2026-11-20T11:42:00Z', '2026-11-20T16:10:00Z');
  j.encounter('rvy', 'IMP', concept(SCT, '32485007', 'Hospital admission'), '2026-11-20T16:10:00Z', null,
    { reasonCode: [concept(SCT, '195951007', 'Acute exacerbation of chronic obstructive airways disease')], partOf: ref('Encounter', ae.id) });
  const gpDoc = j.practitioner('gp', 'Rahman', 'Imran', 'Dr', 'General practitioner', '01704 555 0101');
  const matron = j.practitioner('lch', 'Byrne', 'Siobhan', 'Ms', 'Community matron', '0151 555 0202');
  const sw = j.practitioner('sefton', 'Aldridge', 'Tom', 'Mr', 'Social worker', '0151 555 0303');
  j.careTeam('Care closer to home', [gpDoc, matron, sw]);
  j.carePlan('lch', 'Care closer to home: COPD', concept(SCT, '734163000', 'Care plan'), '2026-03-01',
    'Rescue pack at home; matron visits weekly; pulmonary rehabilitation.', ['Weekly matron visit', 'Rescue pack (prednisolone, amoxicillin alternative: doxycycline)', 'Pulmonary rehabilitation course']);
  j.appointment('lch', 'COPD nurse review', '2026-12-03T10:30:00Z', 30, 'Review after admission');
  j.document('rvy', concept(LOINC, '18842-5', 'Discharge summary'), '2025-12-02T15:00:00Z', 'Discharge summary, Ward 14B',
    'Admitted 28-Nov-2025 with an infective exacerbation of COPD. Treated with nebulisers, oral prednisolone and doxycycline (penicillin allergy).\nDischarged home 02-Dec-2025. GP to review in 2 weeks.');
}

// ---- 2. Joan: several long-term conditions, on a virtual ward
{
  const j = people['joan-mcallister'];
  j.condition('gp', codes.hf, '2019-08-02'); j.condition('gp', codes.ckd3, '2021-01-15'); j.condition('gp', codes.t2dm, '2015-05-05');
  j.medication('gp', concept(DMD, '318419003', 'Bisoprolol 2.5mg tablets'), '1 tablet once a day', '2019-08-10');
  j.medication('gp', concept(DMD, '317972000', 'Furosemide 40mg tablets'), '1 tablet each morning', '2019-08-10');
  // Appendix 1: termination of pregnancy (1543.), IVF (ZV26.), and a medicine whose only indication is IVF
  j.condition('gp', concept(READ, '1543.', 'H/O: abortion'), '1999-04-01');
  const ivf = j.condition('gp', concept(READ, 'ZV26.', 'Infertility management'), '2004-02-10');
  j.medication('gp', concept(DMD, '376960001', 'Clomifene 50mg tablets'), '1 tablet days 2-6', '2004-02-10', { status: 'completed', reasonReference: [ref('Condition', ivf.id)] });
  const hfNurse = j.practitioner('lch', 'Mensah', 'Abena', 'Ms', 'Heart failure specialist nurse', '0151 555 0404');
  const vwDoc = j.practitioner('lch', 'Clarke', 'Helen', 'Dr', 'Virtual ward consultant', '0151 555 0405');
  const gp = j.practitioner('gp', 'Lowe', 'Peter', 'Dr', 'General practitioner', '01704 555 0406');
  j.careTeam('Virtual ward', [vwDoc, hfNurse, gp], 'lch');
  j.carePlan('lch', 'Virtual ward shared care plan', concept(SCT, '734163000', 'Care plan'), '2026-10-28',
    'Daily weight and symptoms by app; nurse call if weight rises by 2 kg in 3 days. Monthly MDT review.', ['Daily weight', 'Twice-weekly nurse call', 'Monthly MDT review']);
  j.goal('lch', 'Walk to the end of the road and back every day', '2026-10-28', '2026-12-31');
  j.goal('lch', 'Keep weight between 68 and 70 kg', '2026-10-28');
  j.observation('lch', 'vital-signs', concept(LOINC, '29463-7', 'Body weight'), '2026-11-21T08:05:00Z', { valueQuantity: { value: 69.4, unit: 'kg' } });
  j.observation('lch', 'vital-signs', concept(LOINC, '85354-9', 'Blood pressure'), '2026-11-21T08:06:00Z', {
    component: [{ code: concept(LOINC, '8480-6', 'Systolic'), valueQuantity: { value: 118, unit: 'mmHg' } },
      { code: concept(LOINC, '8462-4', 'Diastolic'), valueQuantity: { value: 72, unit: 'mmHg' } }] });
  j.appointment('lch', 'Virtual ward MDT review', '2026-12-10T13:00:00Z', 60, 'Monthly multidisciplinary review');
  j.appointment('gp', 'Diabetes review', '2027-01-14T09:20:00Z', 20, 'Annual diabetes review');
  j.panel(concept(LOINC, '24323-8', 'Urea and electrolytes'), '2026-11-18T09:00:00Z', ue('2026-11-18', 142, 5.1));
}

// ---- 3. Brenda: recovering from alcohol dependence, schizophrenia; the CMHT sees last week's LFT
{
  const b = people['brenda-kelly'];
  b.condition('gp', codes.alcohol, '2012-03-01', { clinicalStatus: concept('http://terminology.hl7.org/CodeSystem/condition-clinical', 'remission', 'In remission') });
  b.condition('mc', codes.schizophrenia, '2008-07-19');
  b.medication('mc', concept(DMD, '320154007', 'Olanzapine 10mg tablets'), '1 tablet at night', '2015-01-12');
  b.medication('gp', concept(DMD, '317898001', 'Thiamine 100mg tablets'), '1 tablet three times a day', '2012-03-01');
  b.panel(concept(LOINC, '24325-3', 'Liver function tests'), '2026-11-15T09:40:00Z', lft('2026-11-15', 34), { basedOn: [] });
  b.panel(concept(LOINC, '24325-3', 'Liver function tests'), '2026-05-12T10:10:00Z', lft('2026-05-12', 52));
  b.condition('gp', concept(READ, '13H9.', 'Imprisonment record'), '2010-05-01');  // Appendix 1: convictions
  const cc = b.practitioner('mc', 'Doyle', 'Marcus', 'Mr', 'Care coordinator (CMHT)', '0151 555 0501');
  const psych = b.practitioner('mc', 'Iqbal', 'Sana', 'Dr', 'Consultant psychiatrist', '0151 555 0502');
  b.careTeam('Community mental health team', [cc, psych], 'mc');
  b.encounter('mc', 'AMB', concept(SCT, '185389009', 'Follow-up visit'), '2026-11-19T14:00:00Z', '2026-11-19T14:45:00Z');
  b.add({ resourceType: 'EpisodeOfCare', id: b.id('episode'), status: 'finished',
    type: [concept('https://www.datadictionary.nhs.uk/data_elements/mental_health_act_legal_status_classification_code.html', '03', 'Formally detained under Mental Health Act Section 3')],
    patient: b.subject(), managingOrganization: b.org('mc'), period: { start: '2019-02-11', end: '2019-04-02' } });
  b.carePlan('mc', 'Care Programme Approach plan', concept(SCT, '734163000', 'Care plan'), '2026-06-01',
    'Fortnightly contact with care coordinator; relapse signature: poor sleep, withdrawal; crisis line 0800 555 0600.');
  const note = b.document('mc', concept(SCT, '371530004', 'Clinical consultation report'), '2026-09-02T11:00:00Z', 'Psychology assessment',
    'Restricted psychology assessment.');
  note.meta.security = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' }];
}

// ---- 4. David: MND with a care package; admitted to Aintree with a pulmonary embolism
{
  const d = people['david-okafor'];
  d.condition('ret', codes.mnd, '2023-05-17');
  const pe = d.condition('rem', codes.pe, '2026-11-17');
  d.medication('ret', concept(DMD, '386844004', 'Riluzole 50mg tablets'), '1 tablet twice a day', '2023-06-01');
  d.condition('gp', concept(READ, '9U...', 'Complaints about care'), '2024-02-01');  // Appendix 1: complaints
  d.condition('gp', concept(READ, '13I8.', 'Adoption of child'), '1958-01-01');     // Appendix 1: adoption
  const sw = d.practitioner('lcc', 'Hassan', 'Layla', 'Ms', 'Social worker', '0151 555 0701');
  const dn = d.practitioner('lch', 'Quinn', 'Aoife', 'Ms', 'District nurse', '0151 555 0702');
  const neuro = d.practitioner('ret', 'Evans', 'Gareth', 'Dr', 'Consultant neurologist', '0151 555 0703');
  d.careTeam('Who else is involved', [sw, dn, neuro]);
  d.carePlan('lcc', 'Care package: three visits a day', concept(SCT, '710915002', 'Social care plan'), '2025-09-01',
    'Two carers, morning, lunchtime and evening: personal care, meals, medication prompts. Provider: Mersey Homecare (fictional).',
    ['Morning visit 07:30 (2 carers)', 'Lunchtime visit 12:30', 'Evening visit 19:00 (2 carers)']);
  const admission = d.encounter('rem', 'IMP', concept(SCT, '32485007', 'Hospital admission'), '2026-11-17T21:20:00Z', null,
    { reasonReference: [ref('Condition', pe.id)] });
  d.carePlan('rem', 'Discharge plan', concept(SCT, '736353004', 'Inpatient care plan'), '2026-11-18',
    'Expected discharge 24-Nov-2026; restart care package on day of discharge; anticoagulation for 6 months.');
  d.add({ resourceType: 'MedicationAdministration', id: d.id('administration'), status: 'completed',
    medicationCodeableConcept: concept(DMD, '7896011000001101', 'Enoxaparin 120mg/0.8ml injection'), subject: d.subject(),
    context: ref('Encounter', admission.id), effectiveDateTime: '2026-11-18T08:00:00Z', performer: [{ actor: d.org('rem') }],
    dosage: { text: '1.5 mg/kg subcutaneously once a day' } });
  d.panel(concept(LOINC, '48065-7', 'D-dimer'), '2026-11-17T22:05:00Z', [['48065-7', 'D-dimer', 2.9, 'mg/L FEU', 0, 0.5]]);
  d.add({ resourceType: 'DiagnosticReport', id: d.id('imaging'), status: 'final',
    category: [concept('http://terminology.hl7.org/CodeSystem/v2-0074', 'RAD', 'Radiology')],
    code: concept(SCT, '429859005', 'CT pulmonary angiography'), subject: d.subject(), effectiveDateTime: '2026-11-17T23:30:00Z',
    performer: [d.org('rem')], conclusion: 'Filling defects in the right lower lobe segmental arteries, consistent with pulmonary emboli.' });
}

// ---- 5. Margaret: seen in A&E by Phil (who rotates between two hospitals)
{
  const m = people['margaret-hughes'];
  m.condition('gp', codes.dementia, '2021-03-09'); m.condition('gp', codes.hf, '2018-11-30');
  m.medication('gp', concept(DMD, '407865001', 'Donepezil 10mg tablets'), '1 tablet at night', '2021-04-01');
  m.allergy('gp', concept(SCT, '294505008', 'Allergy to aspirin'), 'Bronchospasm', '2005-06-01');
  m.observation('gp', 'survey', concept(SCT, '304253006', 'Not for resuscitation'), '2026-09-03T11:00:00Z',
    { valueString: 'DNACPR decision made with Margaret and her daughter; form held at home and on the GP record.' });
  m.flag('lch', { text: 'Lacks capacity to make decisions about treatment (Mental Capacity Act 2005 assessment, 03-Sep-2026); daughter holds Lasting Power of Attorney for health and welfare' }, '2026-09-03');
  m.add({ resourceType: 'Procedure', id: m.id('procedure'), status: 'completed', code: concept(SCT, '713603004', 'Advance care planning'),
    subject: m.subject(), performedDateTime: '2026-09-03', recorder: m.org('lch'),
    note: [{ text: 'Wishes to die at home; no hospital admission unless for comfort; family to be called.' }] });
  m.carePlan('lch', 'End of life care plan', concept(SCT, '736373009', 'End of life care plan'), '2026-09-03',
    'Preferred place of death: home. Anticipatory medicines in the house. District nurses visit daily.');
  m.encounter('rvy', 'EMER', concept(SCT, '50849002', 'Emergency department attendance'), '2026-10-02T02:10:00Z', '2026-10-02T06:40:00Z');
  m.encounter('rem', 'EMER', concept(SCT, '50849002', 'Emergency department attendance'), '2026-11-21T19:05:00Z', null);
}

// ---- 6. Arthur: planned hip replacement (TCI in six weeks); the neighbourhood team plans around it
{
  const a = people['arthur-prescott'];
  a.condition('gp', codes.oa_hip, '2020-10-12'); a.condition('gp', codes.af, '2017-01-20');
  a.medication('gp', concept(DMD, '319733000', 'Warfarin 1mg tablets'), 'As directed by the anticoagulation clinic', '2017-02-01');
  a.panel(concept(LOINC, '34528-0', 'Clotting screen'), '2026-11-14T10:00:00Z', [['6301-6', 'INR', 2.6, 'ratio', 2, 3]]);
  a.add({ resourceType: 'Encounter', id: a.id('encounter'), status: 'planned',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, type: [concept(SCT, '183460006', 'Elective admission')],
    subject: a.subject(), period: { start: '2027-01-05T07:30:00Z' }, serviceProvider: a.org('rq6'),
    reasonCode: [concept(SCT, '52734007', 'Total hip replacement')] });
  const sw = a.practitioner('lcc', 'Murphy', 'Dean', 'Mr', 'Social worker', '0151 555 0801');
  const dn = a.practitioner('lch', 'Shah', 'Priya', 'Ms', 'District nurse', '0151 555 0802');
  const gp = a.practitioner('gp', 'Kerr', 'Alison', 'Dr', 'General practitioner', '0151 555 0803');
  a.careTeam('Neighbourhood team', [sw, dn, gp]);
  a.carePlan('lcc', 'Care package: two visits a day', concept(SCT, '710915002', 'Social care plan'), '2025-04-01',
    'Morning and evening visits for washing and dressing; to increase to four visits for six weeks after his hip replacement.');
  a.appointment('rq6', 'Pre-operative assessment', '2026-12-15T09:00:00Z', 90, 'Hip replacement pre-assessment clinic');
  a.condition('gp', concept(READ, 'EMISNQGE23', 'Gender reassignment'), '1990-01-01');  // Appendix 1: gender reassignment (EMIS local)
}

// ---- 7. Susan: known to social care; an out-of-hours safeguarding alert
{
  const s = people['susan-doyle'];
  s.condition('gp', codes.depression, '2019-05-04'); s.condition('gp', codes.asthma, '2001-09-01');
  s.medication('gp', concept(DMD, '321987003', 'Sertraline 50mg tablets'), '1 tablet once a day', '2019-05-10');
  s.relatedPerson('Sister (next of kin)', 'Doyle', 'Karen', '07700 900 123');
  s.flag('lcc', { text: 'Safeguarding alert: out-of-hours report 21-Nov-2026 22:40; social work team leader to review' }, '2026-11-21');
  const sw = s.practitioner('lcc', 'Osei', 'Kwame', 'Mr', 'Social worker', '0151 555 0901');
  const hv = s.practitioner('lch', 'Walsh', 'Ciara', 'Ms', 'Health visitor', '0151 555 0902');
  const gp = s.practitioner('gp', 'Chen', 'Li', 'Dr', 'General practitioner', '0151 555 0903');
  s.careTeam('Who else is involved', [sw, hv, gp], 'lcc');
  s.carePlan('lcc', 'Care and support plan', concept(SCT, '710915002', 'Social care plan'), '2026-02-01',
    'Weekly support worker visit; budgeting support; GP aware of low mood.', ['Weekly support worker visit', 'Budgeting support']);
  s.encounter('lcc', 'HH', concept(SCT, '410219005', 'Social care assessment'), '2026-02-01T10:00:00Z', '2026-02-01T11:30:00Z');
  // Appendix 1: sexually transmitted diseases (A78A., 43U..) and abuse (14X..; a case note labelled SDV)
  s.condition('gp', concept(READ, 'A78A.', 'Chlamydial infection'), '2019-03-11');
  s.panel(concept(LOINC, '21613-5', 'Chlamydia NAAT'), '2019-03-04T10:00:00Z', [['43U..', 'Chlamydia antigen test', 1, 'index', 0, 0.9, READ]]);
  s.condition('gp', concept(READ, '14X..', 'History of abuse'), '2016-01-01');
  const note = s.document('lcc', concept(SCT, '371530004', 'Clinical consultation report'), '2026-11-21T23:05:00Z', 'Out-of-hours social work note',
    'Out-of-hours case note.');
  note.meta.security = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SDV', display: 'sexual assault, abuse, or domestic violence information sensitivity' }];
}

// ---- Harold: deceased (the banner's deceased marking)
{
  const h = people['harold-winstanley'];
  h.condition('gp', concept(SCT, '363358000', 'Malignant tumour of lung'), '2025-12-01');
  h.carePlan('lch', 'End of life care plan', concept(SCT, '736373009', 'End of life care plan'), '2026-06-01', 'Preferred place of death: home.');
}

for (const [file, person] of Object.entries(people))
  writeFileSync(join(here, `${file}.json`), JSON.stringify(person.bundle(), null, 1) + '\n');

// ADT from the trust integration engines
mkdirSync(join(here, 'adt'), { recursive: true });
const P = (f) => people[f].p;
writeFileSync(join(here, 'adt', 'joe-bradshaw-a01.hl7'),
  adt('rvy', 'A01', 'RVY0001', '202611201610', P('joe-bradshaw'), pv1('I', 'Ward 14B', 'Bed 6', 'C4471^Patel^Anjali^^^Dr', 'RVYV1001', '202611201610'), '||195951007^Acute exacerbation of COPD^SCT||||||20261124'));
writeFileSync(join(here, 'adt', 'david-okafor-a01-a02.hl7'),
  adt('rem', 'A01', 'REM0001', '202611172120', P('david-okafor'), pv1('I', 'AMU', 'Bed 12', 'C5120^Nolan^Fiona^^^Dr', 'REMV2001', '202611172120'), '||59282003^Pulmonary embolism^SCT||||||20261124') +
  adt('rem', 'A02', 'REM0002', '202611181030', P('david-okafor'), pv1('I', 'Ward 32', 'Bed 3', 'C5120^Nolan^Fiona^^^Dr', 'REMV2001', '202611172120'), '||59282003^Pulmonary embolism^SCT||||||20261124'));
writeFileSync(join(here, 'adt', 'arthur-prescott-a05.hl7'),
  adt('rq6', 'A05', 'RQ60001', '202611201200', P('arthur-prescott'), pv1('P', 'Orthopaedic ward 7', '', 'C6002^Grant^Oliver^^^Mr', 'RQ6V3001', ''), '||52734007^Total hip replacement^SCT|||||20270105|20270109'));
console.log('demo patients written');
