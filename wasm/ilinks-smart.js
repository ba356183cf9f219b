// SMART App Launch, EHR launch (https://hl7.org/fhir/smart-app-launch/): the
// EHR opens the widget with `iss` (its FHIR server) and `launch` (an opaque
// launch id). The widget asks the server's authorization endpoint for a code
// in a hidden frame (the EHR has signed the user in already, so it answers at
// once), trades the code for a token, and learns the patient and whether the
// EHR shows its own patient banner.

// smart-callback.html, next to this file, posts the code back to the page.
const CALLBACK = new URL('./smart-callback.html', import.meta.url).href;

function randomState() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function codeFromFrame(authorizeUrl, state, timeoutMs) {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.title = 'SMART sign-in';
    const done = (fn, value) => { clearTimeout(timer); window.removeEventListener('message', onMessage); frame.remove(); fn(value); };
    const onMessage = (e) => {
      if (e.origin !== location.origin || e.data?.type !== 'ilinks-smart' || e.data.state !== state) return;
      if (e.data.error) done(reject, new Error(`SMART launch: the authorization server said: ${e.data.error}`));
      else done(resolve, e.data.code);
    };
    const timer = setTimeout(() => done(reject, new Error('SMART launch: the authorization server did not answer in time')), timeoutMs);
    window.addEventListener('message', onMessage);
    // A page the frame cannot read is the authorization server's own: it did
    // not send the user back with a code (an unknown launch, a refusal).
    frame.addEventListener('load', () => {
      try {
        void frame.contentWindow.location.href;  // our callback: its message follows
      } catch {
        done(reject, new Error('SMART launch: the authorization server did not approve the launch'));
      }
    });
    frame.src = authorizeUrl;
    document.body.append(frame);
  });
}

// Returns { accessToken, patient, needPatientBanner }.
export async function smartEhrLaunch(iss, launch, { clientId = 'ilinks-viewer', scope = 'launch patient/*.read', timeoutMs = 15000 } = {}) {
  const configUrl = `${iss.replace(/\/$/, '')}/.well-known/smart-configuration`;
  const config = await fetch(configUrl, { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`answered ${r.status}`))))
    .catch((e) => { throw new Error(`SMART launch: ${configUrl} could not be read (${e.message})`); });
  if (!config.authorization_endpoint || !config.token_endpoint)
    throw new Error('SMART launch: the server does not say where to authorize (smart-configuration)');
  const state = randomState();
  const authorize = new URL(config.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, launch, scope, state, aud: iss }))
    authorize.searchParams.set(k, v);
  const code = await codeFromFrame(authorize.href, state, timeoutMs);
  const response = await fetch(config.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: clientId }),
  });
  const token = await response.json().catch(() => ({}));
  if (!response.ok || !token.access_token)
    throw new Error(`SMART launch: the token was refused (${response.status}${token.error ? `: ${token.error}` : ''})`);
  if (!token.patient) throw new Error('SMART launch: the launch context names no patient');
  return { accessToken: token.access_token, patient: token.patient, needPatientBanner: token.need_patient_banner !== false };
}
