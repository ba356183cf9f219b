// The widget's client of the sharing service (service mode of <ilinks-record>):
// one request per call with a fresh context token from the page, the
// service's answer as text, or an Error in the words a clinician reads.
// Fetching here, in the page; reading the View is the C++ viewer's
// (ilinks_viewer_load_view_json), which refuses anything that is not one.

// The routes the widget's own dialogs may ask for (Module.onEvent
// 'service-action'), and how long an answer may take before the user is told.
export const SERVICE_ACTIONS = { consent: '/v1/consent', override: '/v1/override', 'case-access': '/v1/case-access',
  withdraw: '/v1/consent/withdraw' };
export const SERVICE_TIMEOUT_MS = 20000;

// The service's own words ({"error", "message"}) as a clinician reads them.
function serviceRefusal(status, said) {
  if (status === 401 || status === 403 || status === 429) return `The sharing service refused: ${said}`;
  if (status === 503) return `The sharing service is unavailable just now: ${said}`;
  if (status >= 500) return `The sharing service failed (${status}): ${said}`;
  if (status >= 400 && status < 500 && status !== 404) return `The sharing service could not accept the request: ${said}`;
  return `The sharing service answered ${status}: ${said}`;
}

function serviceWords(text) {
  try {
    const body = JSON.parse(text);
    return typeof body?.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}

// A fetch that got no answer: the browser says only "Failed to fetch" for a
// service that is down, a network fault and a CORS refusal alike.
function noAnswer(e) {
  if (e?.name === 'TimeoutError') return `no answer within ${SERVICE_TIMEOUT_MS / 1000} s`;
  return `no answer (${e?.message || e}): the service may be down, the network may have failed, ` +
    'or the service does not list this page\'s origin in its browser_origins';
}

// One request with a fresh context token; the answer's text when 2xx, else
// an Error in words. A token refused as expired is replaced once.
// `element` holds the page's contextToken and tokenProvider.
export async function askService(element, service, nhsNumber, method, route, body) {
  const base = service.replace(/\/+$/, '');
  let token = await nextToken(element, 'request', nhsNumber);
  for (let retried = false; ; retried = true) {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response, text;
    try {
      // No cookies: who is looking is the token's to say, and nothing is cached.
      response = await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS) });
      text = await response.text();
    } catch (e) {
      throw new Error(`The sharing service could not be reached at ${base}: ${noAnswer(e)}`);
    }
    if (response.ok) return text;
    const said = serviceWords(text) || `${response.status} ${response.statusText}`.trim();
    if (response.status === 401 && !retried && /expired/i.test(said) && typeof element.tokenProvider === 'function') {
      token = await nextToken(element, 'expired', nhsNumber);
      continue;
    }
    throw new Error(serviceRefusal(response.status, said));
  }
}

// The element's contextToken once, then its tokenProvider for each request.
async function nextToken(element, reason, nhsNumber) {
  if (reason === 'request' && element.contextToken) {
    const token = element.contextToken;
    element.contextToken = '';  // the service would refuse it a second time
    return token;
  }
  if (typeof element.tokenProvider !== 'function')
    throw new Error('No context token for the sharing service: the EPR must set the element\'s tokenProvider (or contextToken) property');
  let token;
  try {
    token = await element.tokenProvider(reason, { nhsNumber });
  } catch (e) {
    throw new Error(`The EPR could not give a context token for the sharing service: ${e?.message || e}`);
  }
  if (typeof token !== 'string' || !token) throw new Error('The EPR gave no context token for the sharing service');
  return token;
}
