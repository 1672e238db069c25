#!/usr/bin/env python3
"""The terminal client against curl, side by side in one run (`make bench`).

Starts one `sluice serve` (the embedded demo) on loopback and times whole commands in
interleaved rounds:

  write  `sluice write discard rows.ndjson` (81 MB, 1,000,000 rows: batches, keys, a session,
         finalize) against one `curl --data-binary @rows.ndjson` one-shot upload of the file;
  read   `sluice read numbers --parallel 4` (1,000,000 rows, every task, row counts checked)
         against one `curl` of /v1/sources/numbers/rows; both to /dev/null.

Prints each round, the medians and the ratios (curl time / sluice time: above 1, sluice is faster).
Usage: client_bench.py SLUICE_BINARY --data FILE.ndjson [--rounds 5]
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--data", required=True)
ap.add_argument("--rounds", type=int, default=5)
args = ap.parse_args()
args.binary = os.path.abspath(args.binary)


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


work = tempfile.mkdtemp(prefix="sluice-client-bench-")
server, port = sluice_process.start(args.binary, work, "--state", "memory")
url = f"http://127.0.0.1:{port}"
size_mb = os.path.getsize(args.data) / 1e6
commands = {
    "write": (["curl", "-sf", "-o", "/dev/null", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + args.data,
               url + "/v1/sinks/discard"],
              [args.binary, "write", "discard", args.data, "--server", url, "--quiet"]),
    "read": (["curl", "-sf", "-o", "/dev/null", url + "/v1/sources/numbers/rows"],
             [args.binary, "read", "numbers", "--parallel", "4", "-o", "/dev/null", "--server", url, "--quiet"]),
}
try:
    results = {name: ([], []) for name in commands}
    for round_ in range(1, args.rounds + 1):
        for name, (curl, sluice) in commands.items():
            # Alternate which goes first, so neither always meets a warm (or cold) server.
            order = [(0, curl), (1, sluice)] if round_ % 2 else [(1, sluice), (0, curl)]
            for which, command in order:
                results[name][which].append(timed(command))
            print(f"round {round_} {name}: curl {results[name][0][-1]:.3f} s, sluice {results[name][1][-1]:.3f} s", flush=True)
    for name, (curl, sluice) in results.items():
        c, s = statistics.median(curl), statistics.median(sluice)
        what = f"{size_mb:.0f} MB NDJSON into discard" if name == "write" else "1,000,000 rows of numbers"
        print(f"{name:5s} {what}: curl {c:.3f} s, sluice {s:.3f} s (median of {args.rounds}); sluice/curl speed {c / s:.2f}x")
finally:
    sluice_process.stop(server)
    shutil.rmtree(work, ignore_errors=True)
