#!/usr/bin/env python3
"""The HTTP engine alone (http-bench-server) side by side with nginx, interleaved round by round.

  python3 Benchmarks/http_bench.py [--rounds 3] [--duration 5] [--binary PATH] [--port 18095]

Builds nothing: run `swift build -c release --product http-bench-server` first. Starts nginx from
Benchmarks/nginx (peer.sh start, 127.0.0.1:18080) unless it already runs, and the bench server.
W1  wrk -t2 -c64 on /small.json (the same bytes on both: Benchmarks/bench_data.py)
W2  one curl download: /stream?mb=200 (pre-built 256 KiB chunks, chunked) vs nginx's sendfile of rows.ndjson
W3  one curl upload of rows.ndjson to /discard (the body is read and thrown away) on both
W4  1000 idle keep-alive connections on the bench server: RSS growth and thread count
H2  h2c (prior knowledge) against nginx's h2c port 18083: h2load -n 100000 -c 64 -m 10 on
    /small.json, and the W2 download over curl --http2-prior-knowledge
Prints a table of medians and ratios to nginx."""
import argparse, os, re, resource, signal, socket, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--duration", type=int, default=5)
ap.add_argument("--binary", default=os.path.join(REPO, ".build/release/http-bench-server"))
ap.add_argument("--port", type=int, default=18095)
ap.add_argument("--sluice", default=os.path.join(REPO, ".build/release/sluice"), help="makes the data (bench_data.py)")
ap.add_argument("--idle", type=int, default=1000)
a = ap.parse_args()

DATA = "/tmp/sluice-bench"
PEER = os.path.join(REPO, "Benchmarks/nginx/peer.sh")
NGINX = "http://127.0.0.1:18080"
NGINX_H2C = "http://127.0.0.1:18083"
OURS = f"http://127.0.0.1:{a.port}"
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def proc_status(pid):
    d = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "Threads"):
                d[k] = int(v.split()[0])
    return d


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{a.duration}s", url], capture_output=True, text=True).stdout
    if re.search(r"Non-2xx or 3xx responses: [1-9]", out):
        return 0.0
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else 0.0


def h2load(url):
    out = subprocess.run(["h2load", "-n", "100000", "-c", "64", "-m", "10", url], capture_output=True, text=True).stdout
    if not re.search(r"status codes: 100000 2xx", out):
        return 0.0
    m = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out)
    return float(m.group(1)) if m else 0.0


def download(url, *flags):
    t0 = time.perf_counter()
    out = subprocess.run(["curl", "-s", *flags, "-o", "/dev/null", "-w", "%{size_download} %{http_code}", url], capture_output=True, text=True).stdout.split()
    dt = time.perf_counter() - t0
    return int(out[0]) / dt / 1e6 if out and out[1] == "200" else 0.0


def upload(url, path):
    size = os.path.getsize(path)
    t0 = time.perf_counter()
    code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect:", "--data-binary", "@" + path, url],
                          capture_output=True, text=True).stdout.strip()
    dt = time.perf_counter() - t0
    return size / dt / 1e6 if code in ("200", "204") else 0.0


def idle(port, pid, n):
    before = proc_status(pid)
    socks, ok = [], 0
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(f"GET /small.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        socks.append(s)
    for s in socks:
        try:
            ok += s.recv(65536).startswith(b"HTTP/1.1 200")
        except OSError:
            pass
    time.sleep(3)
    after = proc_status(pid)
    for s in socks:
        s.close()
    return ok, (after["VmRSS"] - before["VmRSS"]) / 1024, after["Threads"]


subprocess.run([sys.executable, os.path.join(REPO, "Benchmarks/bench_data.py"), a.sluice, DATA], check=True, capture_output=True)
rows = os.path.join(DATA, "rows.ndjson")
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} missing: swift build -c release --product http-bench-server")

started_nginx = False
if not port_open(18080):
    subprocess.run([PEER, "start", DATA], check=True, capture_output=True)
    started_nginx = True
server = subprocess.Popen([a.binary, str(a.port), os.path.join(DATA, "small.json")], stdout=subprocess.DEVNULL)
try:
    for _ in range(100):
        if port_open(a.port):
            break
        time.sleep(0.05)
    res = {}
    def add(w, who, v): res.setdefault(w, {}).setdefault(who, []).append(v)
    for r in range(a.rounds):
        order = [("sluice", OURS), ("nginx", NGINX)]
        if r % 2:
            order.reverse()
        for who, base in order:
            add("W1 small JSON req/s", who, wrk(base + "/small.json"))
        for who, base in order:
            add("W2 stream MB/s", who, download(base + ("/stream?mb=200" if who == "sluice" else "/static/rows.ndjson")))
        for who, base in order:
            add("W3 upload MB/s", who, upload(base + "/discard", rows))
        h2_order = [(who, NGINX_H2C if who == "nginx" else base) for who, base in order]
        for who, base in h2_order:
            add("H2 small JSON req/s (h2load -c64 -m10)", who, h2load(base + "/small.json"))
        for who, base in h2_order:
            add("H2 stream MB/s", who, download(base + ("/stream?mb=200" if who == "sluice" else "/static/rows.ndjson"), "--http2-prior-knowledge"))
    peak = proc_status(server.pid)["VmHWM"] / 1024
    w4 = idle(a.port, server.pid, a.idle)
    print("| workload | http-bench-server | nginx | ratio |")
    print("|---|---|---|---|")
    for w, d in res.items():
        s, n = statistics.median(d["sluice"]), statistics.median(d["nginx"])
        print(f"| {w} | {s:.0f} | {n:.0f} | {s / n if n else float('nan'):.2f} |")
    print(f"\nW4: {w4[0]}/{a.idle} answered; RSS +{w4[1]:.1f} MiB with {a.idle} idle connections, {w4[2]} threads. Peak RSS before W4: {peak:.0f} MiB.")
    print("runs: " + "; ".join(f"{w}: " + ", ".join(f"{k}={['%.0f' % x for x in v]}" for k, v in d.items()) for w, d in res.items()))
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    if started_nginx:
        subprocess.run([PEER, "stop"], capture_output=True)
