// The sample EPR's own code: a patient list that points the widget at the
// selected person's record. #patient=ID selects a patient; ?today=YYYY-MM-DD
// and ?renderer=cpu|webgl2 are passed to the widget (tests pin them).
// The signed-in user (the header) is who is looking, in the role chosen in the
// header's picker (the 11 profiles of the sharing policy); ?profile= and
// ?organisation= choose them from the URL (tests).
const params = new URLSearchParams(location.search);
const record = document.getElementById('record');
if (params.get('today')) record.setAttribute('today', params.get('today'));
if (params.get('renderer')) record.setAttribute('renderer', params.get('renderer'));
const user = {
  'user-id': 'dr.example', 'user-name': 'Dr A. Example',
  profile: params.get('profile') || '1b', organisation: params.get('organisation') || 'ZZ0099',
  'organisation-name': 'Sample Practice',
  // The EPR has this person on its list: a care relationship it has established.
  relationship: 'yes',
};
for (const [name, value] of Object.entries(user)) record.setAttribute(name, value);

// The role picker: a new role is a new viewer, who must ask for consent again.
const role = document.getElementById('role');
const { profiles } = await (await fetch('/rules/policy.json')).json();
for (const p of profiles) role.append(new Option(`${p.id}: ${p.name}`, p.id, false, p.id === user.profile));
role.addEventListener('change', () => record.setAttribute('profile', role.value));
// Every view, consent and override is audited; a real EPR sends these to its audit store.
record.addEventListener('ilinks-audit', (e) => console.info('ilinks-audit', e.detail.action, e.detail.sequence));

const list = document.getElementById('patient-list');
const { patients } = await (await fetch('/patients/index.json')).json();

function nhsNumber(digits) { return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`; }

for (const p of patients) {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = `#patient=${p.id}`;
  link.dataset.patient = p.id;
  link.innerHTML = `<span class="name"></span><span class="detail"></span><span class="detail"></span>`;
  link.querySelector('.name').textContent = p.name;
  link.querySelectorAll('.detail')[0].textContent = `NHS No. ${nhsNumber(p.nhsNumber)}`;
  link.querySelectorAll('.detail')[1].textContent = p.scenario;
  item.append(link);
  list.append(item);
}

// ?smart=ISS: the EPR acts as a SMART EHR. For each person it asks its EHR
// back end (ISS's origin, /ehr/launch) for a launch id and launches the widget
// with iss and launch; the widget signs in and fetches the record itself.
const smartIss = params.get('smart');

async function select() {
  const id = new URLSearchParams(location.hash.slice(1)).get('patient') || patients[0].id;
  const patient = patients.find((p) => p.id === id) || patients[0];
  for (const a of list.querySelectorAll('a')) a.setAttribute('aria-current', String(a.dataset.patient === patient.id));
  record.setAttribute('nhs-number', patient.nhsNumber);  // the person open in the EPR
  if (!smartIss) {
    record.setAttribute('src', `/patients/${patient.file}`);
    return;
  }
  const { launch } = await (await fetch(`${new URL(smartIss).origin}/ehr/launch?patient=${encodeURIComponent(patient.id)}`,
    { method: 'POST' })).json();
  record.setAttribute('iss', smartIss);
  record.setAttribute('launch', launch);
}
window.addEventListener('hashchange', select);
select();
