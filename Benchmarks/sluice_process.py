"""Starting and stopping `sluice serve` processes on loopback, for the benchmark scripts."""
import http.client
import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, work, *arguments):
    """Starts `binary serve` on a free loopback port in folder `work` (its output goes to
    `work/server-<port>.log`) and waits for /healthz; returns (process, port)."""
    port = free_port()
    log = open(os.path.join(work, f"server-{port}.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet", *arguments],
                            cwd=work, stdout=log, stderr=log)
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"sluice on port {port} did not start (see {log.name})")


def stop(*processes):
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=30)
