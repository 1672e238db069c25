#!/usr/bin/env python3
"""Makes the benchmark data with Sluice itself, so `make bench` needs nothing outside the repo.

    python3 Benchmarks/bench_data.py SLUICE_BINARY [DIR]     # DIR defaults to /tmp/sluice-bench

Writes DIR/rows.ndjson (the demo `numbers` source: 1,000,000 `range` rows, about 81 MB, the
rows W2 streams and W3 uploads) and DIR/small.json (the `/v1/connectors/numbers` document
W1 asks for, so nginx serves the very same bytes). Skips files that already exist.
"""
import http.client, os, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sluice_process

binary = os.path.abspath(sys.argv[1])
folder = sys.argv[2] if len(sys.argv) > 2 else "/tmp/sluice-bench"
os.makedirs(folder, exist_ok=True)
wanted = {"rows.ndjson": "/v1/sources/numbers/rows", "small.json": "/v1/connectors/numbers"}
missing = {name: path for name, path in wanted.items() if not os.path.exists(os.path.join(folder, name))}
if missing:
    work = tempfile.mkdtemp(prefix="sluice-bench-data-")
    proc, port = sluice_process.start(binary, work, "--state", "memory")
    try:
        for name, path in missing.items():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            connection.request("GET", path)
            response = connection.getresponse()
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")
            partial = os.path.join(folder, name + ".part")
            with open(partial, "wb") as out:
                while chunk := response.read(1 << 20):
                    out.write(chunk)
            os.rename(partial, os.path.join(folder, name))
    finally:
        sluice_process.stop(proc)
        shutil.rmtree(work, ignore_errors=True)
for name in wanted:
    print(f"{os.path.join(folder, name)}: {os.path.getsize(os.path.join(folder, name)):,} bytes")
