#!/usr/bin/env python3
"""Many clients at once against `sluice serve` (real sockets, real processes; standard library
and curl only). Bounds here are generous (a debug build, a noisy machine): the exact figures
are W5 and W6 of `make bench` (Benchmarks/many_clients.py).

1. 64 slow readers of /v1/sources/numbers/rows (curl --limit-rate 1600k): the server's RSS
   grows by less than 4 MiB per reader (an unbounded read-ahead took over 10).
2. A flood of reset uploads for 5 s (16 threads in a process of their own): afterwards a
   normal request is answered, and the server's descriptors return to their idle count
   within the body timeout.
3. --max-connections 50: with 50 connections held, the 51st gets 503 problem+json with
   Retry-After and is closed; once one of the 50 leaves, a new one is served.
"""
import argparse, json, multiprocessing, os, shutil, socket, struct, subprocess, sys, tempfile, threading, time, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
args = ap.parse_args()
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(work, *extra):
    port = free_port()
    log = open(os.path.join(work, f"server-{port}.log"), "wb")
    proc = subprocess.Popen([args.bin, "serve", "--port", str(port), "--state", "memory", "--quiet", *extra],
                            cwd=work, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"many-clients: the server did not start (see {log.name})")
            time.sleep(0.1)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def slow_readers(work):
    proc, port = start(work)
    try:
        time.sleep(0.5)
        before = rss_mib(proc.pid)
        readers = [subprocess.Popen(["curl", "-s", "--limit-rate", "1600k", "-o", "/dev/null",
                                     f"http://127.0.0.1:{port}/v1/sources/numbers/rows"]) for _ in range(64)]
        time.sleep(4)
        during = max(rss_mib(proc.pid) for _ in range(5) if time.sleep(0.1) is None)
        streaming = sum(1 for r in readers if r.poll() is None)
        for r in readers:
            r.terminate()
        for r in readers:
            r.wait()
        per_reader = (during - before) / 64
        check(streaming == 64, f"64 slow readers all streaming when measured ({streaming})")
        check(per_reader < 4, f"RSS per slow reader {per_reader:.2f} MiB < 4 MiB ({before:.0f} -> {during:.0f} MiB)")
        check(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status == 200,
              "served after the readers left")
    finally:
        stop(proc)


def flood_client(port, stop_at):
    head = (b"POST /v1/sinks/discard HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
            b"Content-Length: 100000000\r\n\r\n")
    body = b'{"id": 1, "name": "flood"}\n' * 2400
    while time.monotonic() < stop_at:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.sendall(head + body)
            s.close()
        except OSError:
            time.sleep(0.001)


def flood(port, seconds):
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=flood_client, args=(port, stop_at)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def reset_flood(work):
    proc, port = start(work)
    try:
        time.sleep(0.5)
        idle = fds(proc.pid)
        flooder = multiprocessing.Process(target=flood, args=(port, 5.0))
        flooder.start()
        flooder.join()
        t0 = time.monotonic()
        answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/connectors", timeout=10)
        check(answer.status == 200, f"a normal request is answered right after the flood ({time.monotonic() - t0:.2f} s)")
        deadline = time.monotonic() + 30  # the body timeout
        while fds(proc.pid) > idle and time.monotonic() < deadline:
            time.sleep(0.1)
        check(fds(proc.pid) <= idle, f"descriptors back to idle ({fds(proc.pid)}, idle {idle}) within the body timeout")
    finally:
        stop(proc)


def read_response(sock):
    data = b""
    sock.settimeout(10)
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if length and len(body) >= length[0]:
                return data


def connection_limit(work):
    proc, port = start(work, "--max-connections", "50")
    try:
        held = []
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            check_ok = read_response(s).startswith(b"HTTP/1.1 200")
            if not check_ok:
                check(False, "each of the first 50 connections is served")
                return
            held.append(s)
        check(True, "50 connections held and served")
        extra = socket.create_connection(("127.0.0.1", port), timeout=10)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_response(extra)
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        check(lines[0].startswith("HTTP/1.1 503"), f"the 51st connection gets 503 ({lines[0]})")
        check(headers.get("retry-after") == "1", "with Retry-After: 1")
        check(headers.get("content-type") == "application/problem+json", "as problem+json")
        problem = json.loads(body)
        check(problem.get("status") == 503 and "50 connections" in problem.get("detail", ""), f"saying why: {problem.get('detail')}")
        check(extra.recv(1) == b"", "and closed")
        held.pop().close()
        served = False
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            served = read_response(s).startswith(b"HTTP/1.1 200")
            s.close()
            if served:
                break
            time.sleep(0.05)
        check(served, "once one of the 50 left, a new connection is served")
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        refused = [line for line in metrics.splitlines() if line.startswith("sluice_connections_refused ")]
        check(bool(refused) and float(refused[0].split()[1]) >= 1, f"/metrics counts the refusal ({refused})")
        for s in held:
            s.close()
    finally:
        stop(proc)


work = tempfile.mkdtemp(prefix="sluice-many-clients-")
try:
    slow_readers(work)
    reset_flood(work)
    connection_limit(work)
finally:
    shutil.rmtree(work, ignore_errors=True)
if failures:
    sys.exit(f"many-clients test: {len(failures)} check(s) failed")
print("many-clients test: all checks passed")
