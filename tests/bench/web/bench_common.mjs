// What the browser benchmarks share: their command line (--widget DIST --work
// DIR [--runs N] NAME=FILE[@NHS] ..., as scripts/bench passes it) and the
// peer's page, fhir-react and React bundled and minified for production.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export function benchArgs(argv = process.argv.slice(2)) {
  const args = [...argv];
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const [value] = args.splice(i, 2).slice(1);
    return value;
  };
  const widgetDir = option('--widget');
  const workDir = option('--work');
  const runs = Number(option('--runs', '5'));
  const mbps = Number(option('--mbps', '0'));  // the page's network held to this many Mbit/s (0: as fast as loopback goes)
  const records = args.map((a) => {
    const [name, rest = ''] = a.split('=');
    const [file, nhs = ''] = rest.split('@');
    return { name, file, nhs };
  });
  return { widgetDir, workDir, runs, records, mbps };
}

// Writes fhir-react-page.js into `workDir` (beside which the page's HTML is served).
export async function buildFhirReactPage(workDir) {
  await esbuild.build({
    entryPoints: [path.join(here, 'fhir-react-page.jsx')], bundle: true, minify: true, outdir: workDir,
    define: { 'process.env.NODE_ENV': '"production"' }, loader: { '.js': 'jsx' }, logLevel: 'error',
  });
}
