// The browser benchmarks' command line: --widget DIST --work DIR [--runs N]
// NAME=FILE[@NHS] ... (what scripts/bench passes both of them).
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
  const records = args.map((a) => {
    const [name, rest = ''] = a.split('=');
    const [file, nhs = ''] = rest.split('@');
    return { name, file, nhs };
  });
  return { widgetDir, workDir, runs, records };
}
