#!/usr/bin/env python3
"""`make bench`: Sluice side by side with nginx (Benchmarks/nginx), interleaved round by round.

    python3 Benchmarks/compare.py SLUICE_BINARY [--rounds 3] [--data /tmp/sluice-bench]

Starts Sluice (the demo, default durable state in a temporary folder) and expects the nginx
peer running (nginx/peer.sh start). Every workload runs against both in turn each round:
  W1   wrk -t2 -c64 -d5s: Sluice /v1/connectors/numbers, nginx /small.json (the same bytes)
  W2   one curl download of 1,000,000 rows: Sluice generates and encodes them
       (/v1/sources/numbers/rows), nginx sends rows.ndjson with sendfile
  W3   one curl upload of rows.ndjson: Sluice parses and validates every row into `discard`,
       nginx reads and discards it
  H1 -m10  h2load --h1 -n 100000 -c 64 -m 10 (pipelined HTTP/1.1) on the W1 paths
  H2C  h2load -n 100000 -c 64 -m 10 over h2c on the W1 paths
  W4   1,000 idle keep-alive connections to Sluice: RSS growth and thread count
Prints medians, Sluice/nginx ratios (median of the per-round ratios), and Sluice's peak RSS.
"""
import argparse, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--data", default="/tmp/sluice-bench")
args = ap.parse_args()
NGINX, NGINX_H2C = "http://127.0.0.1:18080", "http://127.0.0.1:18083"
ROWS = os.path.join(args.data, "rows.ndjson")


def run(command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def w1(url):
    out = run(["wrk", "-t2", "-c64", "-d5s", url])
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def w2(url):
    size, seconds = run(["curl", "-sSf", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", url]).split()
    return int(size) / float(seconds) / 1e6


def w3(url):
    size, seconds = run(["curl", "-sSf", "-o", "/dev/null", "-H", "Content-Type: application/x-ndjson", "-H", "Expect:",
                         "--data-binary", "@" + ROWS, "-w", "%{size_upload} %{time_total}", url]).split()
    return float(size) / float(seconds) / 1e6


def h2c(url):
    out = run(["h2load", "-n", "100000", "-c", "64", "-m", "10", url])
    return float(re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out).group(1))


def h1m10(url):
    out = run(["h2load", "--h1", "-n", "100000", "-c", "64", "-m", "10", url])
    return float(re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out).group(1))


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def w4(pid, port):
    before = status(pid, "VmRSS")
    sockets = []
    for _ in range(1000):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sockets.append(s)
    answered = sum(1 for s in sockets if s.recv(4096).startswith(b"HTTP/1.1 200"))
    time.sleep(0.5)
    grown, threads = (status(pid, "VmRSS") - before) / 1024, status(pid, "Threads")
    for s in sockets:
        s.close()
    return answered, grown, threads


def main():
    work = tempfile.mkdtemp(prefix="sluice-compare-")
    proc, port = sluice_process.start(os.path.abspath(args.binary), work)
    sluice = f"http://127.0.0.1:{port}"
    workloads = [
        ("W1 req/s", w1, sluice + "/v1/connectors/numbers", NGINX + "/small.json"),
        ("W2 MB/s", w2, sluice + "/v1/sources/numbers/rows", NGINX + "/static/rows.ndjson"),
        ("W3 MB/s", w3, sluice + "/v1/sinks/discard", NGINX + "/discard"),
        ("H1 -m10 req/s", h1m10, sluice + "/v1/connectors/numbers", NGINX + "/small.json"),
        ("H2C req/s", h2c, sluice + "/v1/connectors/numbers", NGINX_H2C + "/small.json"),
    ]
    figures = {name: ([], []) for name, *_ in workloads}
    try:
        for r in range(args.rounds):
            for name, measure, ours, theirs in workloads:
                pair = [(0, ours), (1, theirs)] if r % 2 == 0 else [(1, theirs), (0, ours)]
                for who, url in pair:
                    figures[name][who].append(measure(url))
            print(f"round {r + 1}: " + ", ".join(f"{n} {a[-1]:.0f}/{b[-1]:.0f}" for n, (a, b) in figures.items()), flush=True)
        answered, grown, threads = w4(proc.pid, port)
        peak = status(proc.pid, "VmHWM") / 1024
    finally:
        sluice_process.stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n| workload | sluice | nginx | sluice/nginx |\n|---|---|---|---|")
    for name, (a, b) in figures.items():
        ratio = statistics.median([x / y for x, y in zip(a, b)])
        print(f"| {name} | {statistics.median(a):.0f} | {statistics.median(b):.0f} | {ratio:.2f} |")
    print(f"\nW4: {answered}/1000 answered; Sluice RSS +{grown:.1f} MiB, {threads} threads. Sluice peak RSS over the run: {peak:.0f} MiB.")
    print("runs: " + "; ".join(f"{n}: sluice={[round(x) for x in a]}, nginx={[round(y) for y in b]}" for n, (a, b) in figures.items()))


main()
