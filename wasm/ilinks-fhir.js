// Fetching one person's record from a FHIR R4 server in the browser, as the
// native library does with libcurl (core/include/ilinks/fhir_client.h):
// Patient/{id}/$everything, following each Bundle's link "next", with a bearer
// token, a timeout, and tries again with backoff on 429 and 5xx. Failures are
// Errors whose message a clinician can act on.

const ATTEMPTS = 3;

async function outcomeText(response) {
  try {
    const body = await response.json();
    if (body.resourceType !== 'OperationOutcome') return '';
    return (body.issue || []).map((i) => i.diagnostics || i.details?.text || '').filter(Boolean).join('; ');
  } catch {
    return '';
  }
}

async function explain(response, what, attempts) {
  const server = await outcomeText(response);
  const said = server ? `; the server said: ${server}` : '';
  switch (response.status) {
    case 401: return `${what}: the FHIR server did not accept the sign-in (401 Unauthorized); sign in again${said}`;
    case 403: return `${what}: you are not allowed to read this record on the FHIR server (403 Forbidden)${said}`;
    case 404: return `${what}: the FHIR server has no such patient (404 Not Found)${said}`;
    case 429: return `${what}: the FHIR server is too busy (429) after ${attempts} tries${said}`;
    default:
      if (response.status >= 500) return `${what}: the FHIR server failed (${response.status}) after ${attempts} tries${said}`;
      return `${what}: the FHIR server answered ${response.status}${said}`;
  }
}

// One GET, tried again on 429, 5xx and timeouts.
async function get(url, { token, timeoutMs }, what) {
  let wait = 500;
  for (let attempt = 1; ; ++attempt) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetch(url, {
        headers: { Accept: 'application/fhir+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        signal: controller.signal,
      });
      if (response.ok) return await response.json().catch(() => {
        throw new Error(`${what}: the FHIR server's answer is not JSON, or was cut short`);
      });
    } catch (e) {
      if (e.name !== 'AbortError' && !(e instanceof TypeError)) throw e;
      if (attempt >= ATTEMPTS) {
        throw new Error(e.name === 'AbortError' ? `${what}: the FHIR server did not answer in time (tried ${attempt} times)`
          : `${what}: the FHIR server could not be reached (${e.message})`);
      }
      response = null;
    } finally {
      clearTimeout(timer);
    }
    const again = !response || response.status === 429 || response.status >= 500;
    if (!again || attempt >= ATTEMPTS) throw new Error(await explain(response, what, attempt));
    const retryAfter = Number(response?.headers.get('Retry-After'));
    await new Promise((r) => setTimeout(r, Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 30) * 1000 : wait));
    wait *= 2;
  }
}

// The kinds searched when a server has no $everything (as fhir_client.cpp).
const SEARCHED_KINDS = ['AllergyIntolerance', 'Condition', 'MedicationStatement', 'MedicationRequest',
  'MedicationAdministration', 'Observation', 'DiagnosticReport', 'Procedure', 'Immunization', 'Encounter',
  'EpisodeOfCare', 'CarePlan', 'CareTeam', 'Goal', 'Appointment', 'DocumentReference', 'Composition', 'Flag',
  'Consent', 'RelatedPerson'];

// A search or operation and every page after it, into `entry`.
async function readPages(url, options, what, entry, maxPages) {
  const seen = new Set();
  for (let page = 0; url; ++page) {
    if (page >= maxPages) throw new Error(`${what}: more than ${maxPages} pages; stopped`);
    if (seen.has(url)) throw new Error(`${what}: the server's pages lead back to one already read; stopped`);
    seen.add(url);
    const bundle = await get(url, options, what);
    if (bundle.resourceType !== 'Bundle') { entry.push({ resource: bundle }); return; }
    entry.push(...(bundle.entry || []));
    url = (bundle.link || []).find((l) => l.relation === 'next')?.url || '';
  }
}

// Every page of $everything as one collection Bundle, ready for load(). A
// server without $everything (404, 405, 501 for the operation) is searched
// kind by kind.
export async function fetchPatientRecord(base, patientId, { token = '', timeoutMs = 15000, maxPages = 1000 } = {}) {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) throw new Error(`patient id '${patientId}' is not a FHIR id`);
  const root = base.replace(/\/$/, ''), id = encodeURIComponent(patientId), options = { token, timeoutMs };
  let entry = [];
  try {
    await readPages(`${root}/Patient/${id}/$everything`, options, `Patient/${patientId}/$everything`, entry, maxPages);
    return { resourceType: 'Bundle', type: 'collection', entry };
  } catch (e) {
    if (!/\(404|answered 405|\(501|answered 501/.test(e.message)) throw e;
  }
  entry = [];
  await readPages(`${root}/Patient/${id}`, options, `Patient/${patientId}`, entry, maxPages);
  for (const kind of SEARCHED_KINDS) await readPages(`${root}/${kind}?patient=${id}`, options, `${kind} search`, entry, maxPages);
  return { resourceType: 'Bundle', type: 'collection', entry };
}
