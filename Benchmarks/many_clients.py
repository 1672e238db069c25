#!/usr/bin/env python3
"""`make bench` W5 and W6: many clients at once against one Sluice process (the demo).

    python3 Benchmarks/many_clients.py SLUICE_BINARY [--readers 64] [--flood-seconds 5]

W5  64 concurrent slow readers of /v1/sources/numbers/rows (each curl --limit-rate 1600k):
    RSS per reader = (RSS with every reader streaming - RSS before) / readers, sampled once
    all of them have received bytes for 3 s.
W6  16 client threads (in a process of their own) for 5 s, each opening an upload (POST
    /v1/sinks/discard announcing a 100 MB body), sending 64 KiB of it and resetting the
    connection (SO_LINGER 0); meanwhile a probe GETs /healthz every 20 ms on fresh
    connections. Reports connections made, peak RSS, the worst /healthz latency during the
    flood, the RSS 5 s after it stopped against the idle RSS (of a server that has served one
    upload and one stream), and the server's open descriptors then.
Standard library and curl only.
"""
import argparse, multiprocessing, os, shutil, socket, statistics, struct, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sluice_process

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--readers", type=int, default=64)
ap.add_argument("--rate", default="1600k")
ap.add_argument("--flood-seconds", type=float, default=5.0)
ap.add_argument("--flood-clients", type=int, default=16)
ap.add_argument("--only", choices=["w5", "w6"], help="run one workload (each gets a fresh server)")
args = ap.parse_args()
args.binary = os.path.abspath(args.binary)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def w5(proc, port):
    time.sleep(0.5)
    before = rss_mib(proc.pid)
    outs = []
    readers = []
    for i in range(args.readers):
        out = tempfile.TemporaryFile()
        outs.append(out)
        readers.append(subprocess.Popen(
            ["curl", "-s", "--limit-rate", args.rate, "-o", "/dev/null", "-w", "%{size_download}",
             f"http://127.0.0.1:{port}/v1/sources/numbers/rows"], stdout=out))
    time.sleep(3)
    samples = []
    for _ in range(10):
        samples.append(rss_mib(proc.pid))
        time.sleep(0.2)
    during = statistics.median(samples)
    running = sum(1 for r in readers if r.poll() is None)
    for r in readers:
        r.terminate()
    for r in readers:
        r.wait()
    per_reader = (during - before) / args.readers
    print(f"W5  {args.readers} slow readers ({args.rate}/s each; {running} still streaming when sampled): "
          f"RSS {before:.1f} -> {during:.1f} MiB, {per_reader:.2f} MiB per reader")
    return per_reader


def flood_client(port, stop, counter):
    head = (b"POST /v1/sinks/discard HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
            b"Content-Length: 100000000\r\n\r\n")
    body = b'{"id": 1, "name": "flood"}\n' * 2400  # ~64 KiB
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.sendall(head + body)
            s.close()
            counter[0] += 1
        except OSError:
            time.sleep(0.001)


def probe(port, stop, latencies, failures):
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            s.close()
            if data.startswith(b"HTTP/1.1 200"):
                latencies.append(time.perf_counter() - t0)
            else:
                failures.append(data[:40])
        except OSError as e:
            failures.append(str(e))
        time.sleep(0.02)


def flood_process(port, seconds, clients, result):
    """The flood's client threads, in a process of their own: the probe must not wait for
    Python's interpreter lock behind them."""
    stop = threading.Event()
    counters = [[0] for _ in range(clients)]
    threads = [threading.Thread(target=flood_client, args=(port, stop, c)) for c in counters]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    result.value = sum(c[0] for c in counters)


def warm_up(port):
    """One upload and one stream, so that the idle figure is that of a server which has done
    both (their code paged in), not of one that never served."""
    subprocess.run(["curl", "-sf", "-o", "/dev/null", "-H", "Content-Type: application/x-ndjson",
                    "--data-binary", '{"id": 1}\n', f"http://127.0.0.1:{port}/v1/sinks/discard"], check=True)
    subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/v1/sources/numbers/rows?limit=100000"], check=True)


def w6(proc, port):
    warm_up(port)
    time.sleep(3)
    idle = rss_mib(proc.pid)
    idle_fds = open_fds(proc.pid)
    idle_threads = threads(proc.pid)
    stop = threading.Event()
    latencies, failures = [], []
    connections = multiprocessing.Value("q", 0)
    flood = multiprocessing.Process(target=flood_process, args=(port, args.flood_seconds, args.flood_clients, connections))
    prober = threading.Thread(target=probe, args=(port, stop, latencies, failures))
    flood.start()
    prober.start()
    peak = idle
    while flood.is_alive():
        peak = max(peak, rss_mib(proc.pid))
        time.sleep(0.05)
    flood.join()
    stop.set()
    prober.join()
    time.sleep(5)
    after = rss_mib(proc.pid)
    fds = open_fds(proc.pid)
    after_threads = threads(proc.pid)
    worst = max(latencies) * 1000 if latencies else float("inf")
    print(f"W6  {args.flood_clients} clients resetting uploads for {args.flood_seconds:.0f} s: "
          f"{connections.value} connections; peak RSS {peak:.0f} MiB (idle {idle:.0f}); "
          f"/healthz worst {worst:.0f} ms, median {statistics.median(latencies) * 1000 if latencies else 0:.1f} ms "
          f"over {len(latencies)} probes, {len(failures)} failed; "
          f"5 s later RSS {after:.0f} MiB ({(after / idle - 1) * 100:+.0f}% of idle), descriptors {fds} (idle {idle_fds}), threads {after_threads} (idle {idle_threads})")
    return peak, worst, after, idle


work = tempfile.mkdtemp(prefix="sluice-many-")
try:
    # A fresh server for each workload: W5's buffers must not count as W6's idle memory.
    for name, workload in (("w5", w5), ("w6", w6)):
        if args.only and args.only != name:
            continue
        proc, port = sluice_process.start(args.binary, work, "--state", "memory")
        try:
            workload(proc, port)
        finally:
            sluice_process.stop(proc)
finally:
    shutil.rmtree(work, ignore_errors=True)
