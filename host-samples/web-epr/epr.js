// The sample EPR's own code: a patient list that points the widget at the
// selected person. #patient=ID selects a patient; ?today=YYYY-MM-DD and
// ?renderer=cpu|webgl2 are passed to the widget (tests pin them).
//
// Two modes (/epr/config.json says which this server runs):
//   service  (serve.mjs --service URL; the default then): the widget asks the
//            sharing service for the View, with a context token this EPR's
//            back end signs for each request (POST /epr/context-token). The
//            page never holds a record.
//   direct   (?mode=direct, or no --service): the page hands the widget the
//            record and the widget applies the policy itself. Only for hosts
//            inside the boundary of the organisation that holds the record.
//
// The signed-in user (the header; ?user=ID picks one of users.json) is who is
// looking, in the role chosen in the header's picker (the 11 profiles of the
// sharing policy); ?profile= and ?organisation= choose them from the URL
// (tests; ?organisation= in direct mode only: in service mode the token
// carries the user's own organisation).
const params = new URLSearchParams(location.search);
const record = document.getElementById('record');
if (params.get('today')) record.setAttribute('today', params.get('today'));
if (params.get('renderer')) record.setAttribute('renderer', params.get('renderer'));

const config = await (await fetch('/epr/config.json')).json();
const mode = params.get('mode') === 'direct' || !config.service ? 'direct' : 'service';
const user = config.users.find((u) => u.id === params.get('user')) || config.users[0];
document.getElementById('user-name').textContent = user.name;
document.getElementById('user-organisation').textContent = user.organisation.name;
document.getElementById('mode').textContent = mode === 'service' ? '\u00b7 via the sharing service' : '\u00b7 direct';

// The role picker: a new role is a new viewer, who must ask for consent again.
const role = document.getElementById('role');
const { profiles } = await (await fetch('/rules/policy.json')).json();
const firstRole = params.get('profile') || user.profile;
for (const p of profiles) role.append(new Option(`${p.id}: ${p.name}`, p.id, false, p.id === firstRole));

if (mode === 'service') {
  // Each request to the service needs a fresh token: the EPR's back end signs
  // it for this user, in the chosen role, for the person the widget shows.
  record.tokenProvider = async (reason, { nhsNumber }) => {
    const response = await fetch('/epr/context-token', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: user.id, patient: nhsNumber, profile: role.value }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || `the EPR answered ${response.status}`);
    return body.token;
  };
  record.setAttribute('service', config.service);
  role.addEventListener('change', () => record.refresh());
} else {
  const viewer = {
    'user-id': user.id, 'user-name': user.name, profile: firstRole,
    organisation: params.get('organisation') || user.organisation.ods, 'organisation-name': user.organisation.name,
    // The EPR has this person on its list: a care relationship it has established.
    relationship: 'yes',
  };
  for (const [name, value] of Object.entries(viewer)) record.setAttribute(name, value);
  role.addEventListener('change', () => record.setAttribute('profile', role.value));
}
// Direct mode: every view, consent and override is audited here, and a real
// EPR sends these to its audit store. Service mode: the service keeps the
// audit trail; these only say a View arrived.
record.addEventListener('ilinks-audit', (e) =>
  console.info('ilinks-audit', e.detail.action, e.detail.informational ? `(kept by the ${e.detail.recordedBy})` : e.detail.sequence));

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

// ?smart=ISS (direct mode): the EPR acts as a SMART EHR. For each person it
// asks its EHR back end (ISS's origin, /ehr/launch) for a launch id and
// launches the widget with iss and launch; the widget signs in and fetches
// the record itself.
const smartIss = mode === 'direct' ? params.get('smart') : null;

async function select() {
  const id = new URLSearchParams(location.hash.slice(1)).get('patient') || patients[0].id;
  const patient = patients.find((p) => p.id === id) || patients[0];
  for (const a of list.querySelectorAll('a')) a.setAttribute('aria-current', String(a.dataset.patient === patient.id));
  // The person open in the EPR; in service mode also whom the widget asks the service about.
  record.setAttribute('nhs-number', patient.nhsNumber);
  if (mode === 'service') return;
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
