#!/usr/bin/env python3
"""Connection churn against a sanitizer build of the server (Tests/Sanitizers/run.sh).

16 client threads for --seconds (20): each opens connections and drops them mid-request with
a reset (SO_LINGER 0): a row stream read for a moment, an upload cut inside its body (plain
and chunked), an HTTP/2 preface followed by junk, random bytes, a request head cut in the
middle. Then a normal request must be answered, SIGTERM must stop the server with status 0,
and its output must hold no sanitizer report.

    python3 Tests/Sanitizers/churn.py --bin .build-tsan/.../sluice [--seconds 20]
Standard library only.
"""
import argparse, os, random, signal, socket, struct, subprocess, sys, tempfile, threading, time, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--seconds", type=float, default=20.0)
ap.add_argument("--clients", type=int, default=16)
args = ap.parse_args()

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
work = tempfile.mkdtemp(prefix="sluice-churn-")
log_path = os.path.join(work, "server.log")
log = open(log_path, "wb")
server = subprocess.Popen([args.bin, "serve", "--port", str(port), "--state", "memory", "--quiet"], cwd=work,
                          stdout=log, stderr=log)
deadline = time.monotonic() + 120
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
        break
    except OSError:
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"churn: the server did not start (see {log_path})")
        time.sleep(0.2)


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    return s


def stream(s, rng):
    s.sendall(b"GET /v1/sources/numbers/rows HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(rng.randint(1, 65536))


def upload(s, rng):
    body = b'{"id":1,"name":"x"}\n' * rng.randint(1, 5000)
    s.sendall(b"POST /v1/sinks/discard HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
              + f"Content-Length: {len(body) * 2}\r\n\r\n".encode() + body)


def chunked(s, rng):
    s.sendall(b"POST /v1/sinks/discard HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + b"14\r\n" + b'{"id":1,"name":"x"}\n' + b"\r\n" + b"ff")


def h2(s, rng):
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200))))
    s.recv(1024)


def junk(s, rng):
    s.sendall(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2000))))


def cut_head(s, rng):
    s.sendall(b"GET /v1/connectors HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * rng.randint(0, 3000))


actions = [stream, upload, chunked, h2, junk, cut_head]
counts = [0] * len(actions)
stop = time.monotonic() + args.seconds


def client(seed):
    rng = random.Random(seed)
    while time.monotonic() < stop:
        which = rng.randrange(len(actions))
        try:
            s = connect()
            try:
                actions[which](s, rng)
            finally:
                s.close()
            counts[which] += 1
        except OSError:
            pass


threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
failures = []
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/sources/numbers/rows?limit=3", timeout=60) as answer:
        if answer.read().count(b"\n") != 3:
            failures.append("a normal request after the churn got a wrong answer")
except OSError as error:
    failures.append(f"a normal request after the churn failed: {error}")
server.send_signal(signal.SIGTERM)
try:
    status = server.wait(timeout=60)
except subprocess.TimeoutExpired:
    server.kill()
    status = "killed after 60 s"
log.close()
output = open(log_path, "rb").read().decode(errors="replace")
if status != 0:
    failures.append(f"the server exited with {status}")
for marker in ("WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "Fatal error"):
    if marker in output:
        at = output.index(marker)
        failures.append(f"the server's output has '{marker}':\n{output[at:at + 3000]}")
print(f"churn: {sum(counts)} connections reset mid-request in {args.seconds:.0f} s "
      f"({', '.join(f'{a.__name__} {c}' for a, c in zip(actions, counts))})")
if failures:
    print("churn: FAILED\n" + "\n".join(failures))
    sys.exit(1)
print("churn: no report, no crash, clean shutdown")
