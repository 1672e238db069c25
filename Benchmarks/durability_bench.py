#!/usr/bin/env python3
"""The cost of durable write sessions, side by side in one run (`make bench`).

Starts two `sluice serve` processes on loopback, one with the durable session store
(`--state DIR`) and one with `--state memory`, and measures both in interleaved rounds:

  W3     one 81 MB NDJSON upload (the 1,000,000 rows of the demo's `numbers` source) into
         the `discard` sink as a one-shot write, MB/s;
  small  16 keep-alive clients, each with a `discard` write session of its own, uploading
         batches of 1,000 rows with an Idempotency-Key each, batches/s over a fixed time.

Prints each round and the medians, with the ratio store-on / store-off.
Usage: durability_bench.py SLUICE_BINARY [--rounds 5] [--seconds 5]
"""
import argparse, http.client, os, shutil, statistics, sys, tempfile, threading, time

import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--seconds", type=float, default=5.0)
ap.add_argument("--clients", type=int, default=16)
args = ap.parse_args()
args.binary = os.path.abspath(args.binary)


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
    return data


def w3(port, rows):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    request(conn, "POST", "/v1/sinks/discard", rows, {"Content-Type": "application/x-ndjson"})
    return len(rows) / (time.perf_counter() - started) / 1e6


def small_batches(port, batch):
    counts = [0] * args.clients
    stop = time.perf_counter() + args.seconds

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        session = request(conn, "POST", "/v1/sinks/discard/writes")
        sid = session.split(b'"id":"')[1].split(b'"')[0].decode()
        path = f"/v1/sinks/discard/writes/{sid}/batches"
        i = 0
        while time.perf_counter() < stop:
            i += 1
            request(conn, "POST", path, batch, {"Content-Type": "application/x-ndjson", "Idempotency-Key": f"c{n}-b{i}"})
            counts[n] += 1
        request(conn, "POST", f"/v1/sinks/discard/writes/{sid}/finalize")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    return sum(counts) / (time.perf_counter() - started)


def main():
    work = tempfile.mkdtemp(prefix="sluice-durability-")
    durable, port_on = sluice_process.start(args.binary, work, "--state", os.path.join(work, "state"))
    memory, port_off = sluice_process.start(args.binary, work, "--state", "memory")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port_off, timeout=300)
        rows = request(conn, "GET", "/v1/sources/numbers/rows")
        batch = b"\n".join(rows.split(b"\n", 1000)[:1000]) + b"\n"
        print(f"W3 body {len(rows) / 1e6:.1f} MB; small batches of 1,000 rows ({len(batch) / 1e3:.0f} kB), "
              f"{args.clients} clients, {args.seconds:.0f} s; {args.rounds} interleaved rounds")
        figures = {"W3 MB/s": ([], []), "small batches/s": ([], [])}
        for r in range(args.rounds):
            for name, run in (("W3 MB/s", lambda p: w3(p, rows)), ("small batches/s", lambda p: small_batches(p, batch))):
                on, off = (run(port_on), run(port_off)) if r % 2 == 0 else tuple(reversed((run(port_off), run(port_on))))
                figures[name][0].append(on)
                figures[name][1].append(off)
                print(f"  round {r + 1} {name:16} store on {on:10.1f}   store off {off:10.1f}   ratio {on / off:.2f}")
        print(f"{'workload':18} {'store on':>12} {'store off':>12} {'ratio':>7}   (medians)")
        for name, (on, off) in figures.items():
            ratios = [a / b for a, b in zip(on, off)]
            print(f"{name:18} {statistics.median(on):12.1f} {statistics.median(off):12.1f} {statistics.median(ratios):7.2f}")
    finally:
        sluice_process.stop(durable, memory)
        shutil.rmtree(work, ignore_errors=True)


main()
