#!/usr/bin/env python3
"""The hazard log's tests exist and run.

docs/hazard-log.md names the tests that show each control works, as
`[core] name`, `[render] name`, `[leaks] name` (doctest cases of the unit
suites) or `[ctest] name` (a test ctest runs). This check fails when a named
test does not exist, when a named doctest case does not pass when run by its
name, or when a hazard names no test at all.

    hazard_log_check.py LOG BIN_DIR BUILD_DIR
"""
import re
import subprocess
import sys

SUITES = {"core": "ilinks_core_tests", "render": "ilinks_render_tests", "leaks": "ilinks_leak_tests",
          "service": "ilinks_service_tests"}
NAMED = re.compile(r"`\[(core|render|leaks|service|ctest)\] ([^`]+)`")


def doctest_filter(name):
    # doctest splits filters at commas; "?" matches any one character.
    return name.replace(",", "?")


def main():
    log_path, bin_dir, build_dir = sys.argv[1:4]
    text = open(log_path, encoding="utf-8").read()
    failures = []

    hazards = re.split(r"^## ", text, flags=re.M)[1:]
    for hazard in hazards:
        title = hazard.splitlines()[0]
        if title.startswith("H") and not NAMED.search(hazard):
            failures.append(f"hazard '{title}' names no test")

    named = NAMED.findall(text)
    if len(named) < 20:
        failures.append(f"only {len(named)} tests are named; the log's format may have changed")

    listed = {}
    for suite, binary in SUITES.items():
        out = subprocess.run([f"{bin_dir}/{binary}", "--list-test-cases", "--no-colors"],
                             capture_output=True, text=True).stdout
        listed[suite] = {line.strip() for line in out.splitlines()}
    ctest = subprocess.run(["ctest", "-N"], cwd=build_dir, capture_output=True, text=True).stdout
    ctest_names = {m.group(1) for m in re.finditer(r"Test\s+#\d+: (\S+)", ctest)}

    ran = 0
    for suite, name in dict.fromkeys(named):
        if suite == "ctest":
            if name not in ctest_names:
                failures.append(f"[ctest] {name}: no such ctest test")
            continue
        if name not in listed[suite]:
            failures.append(f"[{suite}] {name}: no such test case")
            continue
        run = subprocess.run([f"{bin_dir}/{SUITES[suite]}", f"--test-case={doctest_filter(name)}", "--no-colors"],
                             capture_output=True, text=True)
        summary = re.search(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed", run.stdout)
        if run.returncode != 0 or not summary or summary.group(1) != "1" or summary.group(3) != "0":
            tail = run.stdout.strip().splitlines()[-3:] if run.stdout.strip() else [run.stderr.strip()]
            failures.append(f"[{suite}] {name}: did not run and pass on its own: {' / '.join(tail)}")
        else:
            ran += 1

    for f in failures:
        print("FAILED:", f)
    print(f"{len(dict.fromkeys(named))} tests named; {ran} doctest cases ran and passed on their own")
    print(f"{ran} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
