// The peer: fhir-react, the React components a web EPR would otherwise use,
// rendering every resource of the same Bundle. Marks window.__firstRecord when
// the browser has painted the rendered resources.
import React, { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { FhirResource, fhirVersions } from 'fhir-react';
import 'fhir-react/build/style.css';
import 'fhir-react/build/bootstrap-reboot.min.css';

function Record({ bundle }) {
  useEffect(() => {
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__firstRecord = performance.now(); }));
  }, []);
  const resources = (bundle.entry || []).map((e) => e.resource).filter(Boolean);
  return resources.map((r, i) => <FhirResource key={i} fhirResource={r} fhirVersion={fhirVersions.R4} />);
}

const record = new URLSearchParams(location.search).get('record');
fetch(record).then((r) => r.json()).then((bundle) => {
  createRoot(document.getElementById('root')).render(<Record bundle={bundle} />);
});
