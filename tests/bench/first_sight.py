#!/usr/bin/env python3
"""First sight natively: `ilinks-render` from process start to the Summary tab
as a PNG (banner, alert strip and Summary at 1280x800), and to the whole View
as JSON, for each record given; the wall time (median of RUNS) and the
process's peak resident memory, also as a multiple of the record's size.
Timings are measured, never asserted (scripts/bench runs this).

  first_sight.py --render build/bin/ilinks-render --runs 3 NAME=FILE ...
Prints a table, and JSON as its last line.
"""
import json
import os
import statistics
import sys
import tempfile
import time


def run_once(argv):
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"first_sight: {' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)})")
    return seconds, usage.ru_maxrss * 1024  # ru_maxrss is in KB on Linux


def main():
    args = sys.argv[1:]
    render, runs, records = None, 3, []
    while args:
        arg = args.pop(0)
        if arg == "--render":
            render = args.pop(0)
        elif arg == "--runs":
            runs = int(args.pop(0))
        else:
            name, _, path = arg.partition("=")
            records.append((name, path))
    if not render or not records:
        raise SystemExit("usage: first_sight.py --render ILINKS_RENDER [--runs N] NAME=FILE ...")
    results = []
    print(f"{'record':<24} {'MB':>6} | {'to Summary PNG (s)':>18} {'peak':>8} | {'to whole View JSON (s)':>22} {'peak':>8}")
    with tempfile.TemporaryDirectory() as work:
        for name, path in records:
            mb = os.path.getsize(path) / 1048576
            row = {"record": name, "mb": round(mb, 2)}
            for kind in ("png", "json"):
                argv = [render, "--record", path, "--out", os.path.join(work, f"out.{kind}"), "--profile", "1a",
                        "--organisation", "ZZ0001", "--consent", "given", "--size", "1280x800", "--tab", "summary"]
                measured = [run_once(argv) for _ in range(runs)]
                row[f"{kind}_seconds"] = round(statistics.median(s for s, _ in measured), 3)
                row[f"{kind}_peak_mb"] = round(max(m for _, m in measured) / 1048576, 1)
                row[f"{kind}_peak_per_input"] = round(row[f"{kind}_peak_mb"] / mb, 2)
            print(f"{name:<24} {mb:>6.1f} | {row['png_seconds']:>18.2f} {row['png_peak_per_input']:>7.1f}x | "
                  f"{row['json_seconds']:>22.2f} {row['json_peak_per_input']:>7.1f}x")
            results.append(row)
    print(json.dumps({"runs": runs, "records": results}))


if __name__ == "__main__":
    main()
