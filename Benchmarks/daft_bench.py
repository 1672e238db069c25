#!/usr/bin/env python3
"""Sluice against Daft in-process on the two examples of Daft's custom-connector guide.

    python3 Benchmarks/daft_bench.py SLUICE_BINARY [--rounds N] [--rows-per-file N]

Needs `daft` (pip install daft). Both sides get the same data (`bench_data.py`'s 1,000,000
rows, about 81 MB) and do the same job, interleaved round by round:
- read: every line of that file as a row (`line String`). Daft runs the guide's
  TextFileDataSource; Sluice serves a `text-file` source, read to the end by one HTTP client.
- write: 1,000,000 NDJSON rows into local files of at most `--rows-per-file` rows. Daft
  reads the NDJSON and writes it through the guide's LocalFileDataSink; Sluice takes the file
  as one upload into a `local-files` sink (parsed, validated, staged, fsynced, finalized).
Prints medians and the ratio Daft time / Sluice time (above 1: Sluice is faster).
"""
import argparse, http.client, json, os, shutil, statistics, sys, tempfile, time, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sluice_process

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--rows-per-file", type=int, default=100_000)
parser.add_argument("--data", default="/tmp/sluice-bench/rows.ndjson")
args = parser.parse_args()

import daft
from daft.datatype import DataType
from daft.io import DataSink, DataSource, DataSourceTask
from daft.io.sink import WriteResult
from daft.recordbatch import MicroPartition
from daft.schema import Schema

LINE_SCHEMA = Schema._from_field_name_and_types([("line", DataType.string())])


class LinesSource(DataSource):
    """The guide's text-file source: one task per file, one row per line."""

    def __init__(self, paths):
        self.paths = paths

    @property
    def name(self):
        return "lines"

    @property
    def schema(self):
        return LINE_SCHEMA

    async def get_tasks(self, pushdowns):  # an async generator since Daft 0.7
        for path in self.paths:
            yield LinesTask(path)


class LinesTask(DataSourceTask):
    def __init__(self, path):
        self.path = path

    @property
    def schema(self):
        return LINE_SCHEMA

    async def read(self):
        with open(self.path, encoding="utf-8") as f:
            lines = [line for line in f]
        for batch in MicroPartition.from_pydict({"line": lines}).get_record_batches():
            yield batch


class FilesSink(DataSink):
    """The guide's local-file sink: JSON lines files of at most `per_file` rows each."""

    def __init__(self, folder, per_file):
        self.folder, self.per_file = folder, per_file
        os.makedirs(folder, exist_ok=True)
        self._schema = Schema._from_field_name_and_types([
            ("files_written", DataType.int64()), ("total_rows", DataType.int64()),
            ("total_bytes", DataType.int64()), ("output_directory", DataType.string())])

    def name(self):
        return "files"

    def schema(self):
        return self._schema

    def write(self, micropartitions):
        for part in micropartitions:
            rows = part.to_pylist()
            for start in range(0, len(rows), self.per_file):
                chunk = rows[start:start + self.per_file]
                path = os.path.join(self.folder, f"data_{uuid.uuid4()}.jsonl")
                with open(path, "w") as out:
                    for row in chunk:
                        out.write(json.dumps(row) + "\n")
                size = os.path.getsize(path)
                yield WriteResult(result={"path": path}, bytes_written=size, rows_written=len(chunk))

    def finalize(self, results):
        return MicroPartition.from_pydict({
            "files_written": [len(results)], "total_rows": [sum(r.rows_written for r in results)],
            "total_bytes": [sum(r.bytes_written for r in results)], "output_directory": [self.folder]})


def daft_read():
    return len(LinesSource([args.data]).read().collect())


def daft_write(folder):
    summary = daft.read_json(args.data).write_sink(FilesSink(folder, args.rows_per_file)).to_pydict()
    return summary["total_rows"][0]


def sluice_read(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", "/v1/sources/lines/rows")
    response = connection.getresponse()
    lines = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\n")
    assert response.status == 200
    return lines


def sluice_write(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    with open(args.data, "rb") as body:
        connection.request("POST", "/v1/sinks/files", body=body,
                           headers={"Content-Type": "application/x-ndjson", "Content-Length": str(os.path.getsize(args.data))})
        response = connection.getresponse()
        summary = json.loads(response.read())
    assert response.status == 200, summary
    return summary["rows"][0]["total_rows"] if "rows" in summary else summary


def timed(job):
    start = time.perf_counter()
    result = job()
    return time.perf_counter() - start, result


work = tempfile.mkdtemp(prefix="sluice-daft-bench-")
config = os.path.join(work, "sluice.yaml")
with open(config, "w") as f:
    f.write(f"""connectors:
  - name: lines
    type: text-file
    options: {{paths: ["{args.data}"]}}
  - name: files
    type: local-files
    options: {{output_dir: "{work}/sluice-out", max_rows_per_file: {args.rows_per_file}}}
""")
proc, port = sluice_process.start(os.path.abspath(args.binary), work, "--config", config, "--state", "memory")
times = {"daft read": [], "sluice read": [], "daft write": [], "sluice write": []}
try:
    for round_ in range(args.rounds):
        t, n = timed(daft_read); times["daft read"].append(t); assert n == 1_000_000, n
        t, n = timed(lambda: sluice_read(port)); times["sluice read"].append(t); assert n == 1_000_000, n
        folder = os.path.join(work, f"daft-out-{round_}")
        t, n = timed(lambda: daft_write(folder)); times["daft write"].append(t)
        shutil.rmtree(folder, ignore_errors=True)
        t, n = timed(lambda: sluice_write(port)); times["sluice write"].append(t)
        shutil.rmtree(os.path.join(work, "sluice-out"), ignore_errors=True)
        print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
finally:
    sluice_process.stop(proc)
    shutil.rmtree(work, ignore_errors=True)
med = {k: statistics.median(v) for k, v in times.items()}
print(f"1M text lines read:     Daft {med['daft read']:.2f} s, Sluice {med['sluice read']:.2f} s, "
      f"{med['daft read'] / med['sluice read']:.1f}x ({args.rounds} rounds, medians)")
print(f"1M NDJSON rows written: Daft {med['daft write']:.2f} s, Sluice {med['sluice write']:.2f} s, "
      f"{med['daft write'] / med['sluice write']:.1f}x ({args.rounds} rounds, medians)")
