#!/usr/bin/env python3
"""Two builds of Sluice side by side (a change's before and after), interleaved A-B, B-A round by
round on the same machine:

    python3 Benchmarks/before_after.py BEFORE_BINARY AFTER_BINARY [--rounds 7] [--data /tmp/sluice-bench]

Build the old one from a worktree (`git worktree add /tmp/before <commit>` then
`swift build -c release --product sluice` there). Both serve the demo with `--state memory`.
W1 wrk -t2 -c64 -d5s on /v1/connectors/numbers; W2 one curl of /v1/sources/numbers/rows;
W3 one curl upload of rows.ndjson (bench_data.py) into discard; H2C h2load -n 100000 -c 64
-m 10 on the W1 path. Prints each workload's medians and after/before (median of per-round
ratios)."""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("before")
ap.add_argument("after")
ap.add_argument("--rounds", type=int, default=7)
ap.add_argument("--data", default="/tmp/sluice-bench")
args = ap.parse_args()
ROWS = os.path.join(args.data, "rows.ndjson")


def run(command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def w1(base):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", run(["wrk", "-t2", "-c64", "-d5s", base + "/v1/connectors/numbers"])).group(1))


def w2(base):
    size, seconds = run(["curl", "-sSf", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", base + "/v1/sources/numbers/rows"]).split()
    return int(size) / float(seconds) / 1e6


def w3(base):
    size, seconds = run(["curl", "-sSf", "-o", "/dev/null", "-H", "Content-Type: application/x-ndjson", "-H", "Expect:",
                         "--data-binary", "@" + ROWS, "-w", "%{size_upload} %{time_total}", base + "/v1/sinks/discard"]).split()
    return float(size) / float(seconds) / 1e6


def h2c(base):
    out = run(["h2load", "-n", "100000", "-c", "64", "-m", "10", base + "/v1/connectors/numbers"])
    return float(re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out).group(1))


workloads = [("W1 req/s", w1), ("W2 MB/s", w2), ("W3 MB/s", w3), ("H2C req/s", h2c)]
work = tempfile.mkdtemp(prefix="sluice-before-after-")
servers = []
try:
    for binary in (args.before, args.after):
        proc, port = sluice_process.start(os.path.abspath(binary), work, "--state", "memory")
        servers.append((proc, f"http://127.0.0.1:{port}"))
    figures = {name: ([], []) for name, _ in workloads}
    for r in range(args.rounds):
        order = (0, 1) if r % 2 == 0 else (1, 0)
        for name, measure in workloads:
            for who in order:
                figures[name][who].append(measure(servers[who][1]))
        print(f"round {r + 1}: " + ", ".join(f"{n} {b[-1]:.0f}/{a[-1]:.0f}" for n, (b, a) in figures.items()), flush=True)
finally:
    sluice_process.stop(*(proc for proc, _ in servers))
    shutil.rmtree(work, ignore_errors=True)
print(f"\n| workload | before | after | after/before |\n|---|---|---|---|")
for name, (before, after) in figures.items():
    ratio = statistics.median([a / b for a, b in zip(after, before)])
    print(f"| {name} | {statistics.median(before):.0f} | {statistics.median(after):.0f} | {ratio:.2f} |")
print(f"({args.rounds} rounds, interleaved)")
