#!/usr/bin/env python3
"""The cost of access tokens, side by side in one run (`make bench`).

Starts two `sluice serve` processes on loopback (the demo, `--state memory`, `--quiet`), one
with a tokens file (one admin token) and one without, and measures both in interleaved rounds:

  W1  small JSON: wrk -t2 -c64 -d5s on /v1/connectors/numbers, req/s;
  W2  streaming: curl of /v1/sources/numbers/rows (1,000,000 rows, 81 MB), MB/s.

Prints each round and the medians, with the ratio auth-on / auth-off.
Usage: auth_bench.py SLUICE_BINARY [--rounds 5]
"""
import argparse, http.client, os, re, shutil, statistics, subprocess, tempfile, time

import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--seconds", type=int, default=5)
args = ap.parse_args()
args.binary = os.path.abspath(args.binary)


def w1(port, headers):
    command = ["wrk", "-t2", "-c64", f"-d{args.seconds}s"] + sum((["-H", h] for h in headers), []) + \
              [f"http://127.0.0.1:{port}/v1/connectors/numbers"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"W1 on port {port}: {non2xx.group(1)} non-2xx answers")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def w2(port, headers):
    command = ["curl", "-sS", "-f", "-o", "/dev/null", "-w", "%{size_download} %{time_total}"] + \
              sum((["-H", h] for h in headers), []) + [f"http://127.0.0.1:{port}/v1/sources/numbers/rows"]
    size, seconds = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    return int(size) / float(seconds) / 1e6


def main():
    work = tempfile.mkdtemp(prefix="sluice-auth-bench-")
    created = subprocess.run([args.binary, "token", "create", "--name", "bench", "--scopes", "admin"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    token = created[0]
    with open(os.path.join(work, "tokens.yaml"), "w") as f:
        f.write("tokens:\n" + "".join("  " + line + "\n" for line in created[2:]))
    on, port_on = sluice_process.start(args.binary, work, "--state", "memory", "--tokens-file", os.path.join(work, "tokens.yaml"))
    off, port_off = sluice_process.start(args.binary, work, "--state", "memory")
    auth = [f"Authorization: Bearer {token}"]
    try:
        print(f"{args.rounds} interleaved rounds; W1 wrk -t2 -c64 -d{args.seconds}s, W2 curl of 1,000,000 rows")
        figures = {"W1 req/s": ([], []), "W2 MB/s": ([], [])}
        for r in range(args.rounds):
            for name, run in (("W1 req/s", w1), ("W2 MB/s", w2)):
                if r % 2 == 0:
                    a, b = run(port_on, auth), run(port_off, [])
                else:
                    b, a = run(port_off, []), run(port_on, auth)
                figures[name][0].append(a)
                figures[name][1].append(b)
                print(f"  round {r + 1} {name:9} auth on {a:10.1f}   auth off {b:10.1f}   ratio {a / b:.2f}")
        print(f"{'workload':10} {'auth on':>12} {'auth off':>12} {'ratio':>7}   (medians)")
        for name, (a, b) in figures.items():
            print(f"{name:10} {statistics.median(a):12.1f} {statistics.median(b):12.1f} "
                  f"{statistics.median([x / y for x, y in zip(a, b)]):7.2f}")
    finally:
        sluice_process.stop(on, off)
        shutil.rmtree(work, ignore_errors=True)


main()
