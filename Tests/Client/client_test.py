#!/usr/bin/env python3
"""End-to-end tests of `sluice read` and `sluice write` against a live server.

Each check runs the real binary as a user would, against a server the test starts (and
SIGKILLs and restarts on the same --state folder where a check says so), and looks at the
outcome in the sink itself (a SQLite file) or in the bytes a plain HTTP GET of /rows gives.
Standard library only, plus tmux for the progress display. Started by Tests/Client/run.sh.
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

CONFIG = """\
connectors:
  - name: numbers
    type: range
    options: {n: 1000000, partitions: 8}
  - name: endless
    type: range
    description: long enough to be cut by a SIGKILL
    options: {n: 500000000, partitions: 2}
  - name: db
    type: sqlite
    kind: sink
    options: {path: target.sqlite, table: rows}
  - name: discard
    type: discard
"""
MILLION = 1_000_000


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, work):
        self.binary, self.work, self.port = binary, work, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.start_with("--state", "state")

    def start_with(self, *options):
        log = open(os.path.join(self.work, "server.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve", "--config", "config.yaml", *options,
                                         "--host", "127.0.0.1", "--port", str(self.port), "--quiet"],
                                        cwd=self.work, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"the server exited with {self.process.returncode} while starting")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise Failure("the server did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


class Checks:
    def __init__(self, binary, work):
        self.binary, self.work = binary, work
        self.server = Server(binary, work)
        self.env = dict(os.environ, SLUICE_URL="")  # --server is given explicitly

    def sluice(self, *args, stdin=None, timeout=300, check=True):
        result = subprocess.run([self.binary, *args, "--server", self.server.url], cwd=self.work, input=stdin,
                                capture_output=True, timeout=timeout, env=self.env)
        if check and result.returncode != 0:
            raise Failure(f"sluice {' '.join(args)} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
        return result

    def spawn(self, *args):
        # Standard input is a pipe the test holds open (and quiet), as a slow producer would.
        return subprocess.Popen([self.binary, *args, "--server", self.server.url], cwd=self.work, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)

    def path(self, name):
        return os.path.join(self.work, name)

    def rows_in_db(self, low, high):
        with sqlite3.connect(self.path("target.sqlite")) as db:
            return db.execute("SELECT count(*), count(DISTINCT id) FROM rows WHERE id BETWEEN ? AND ?", (low, high)).fetchone()

    def expect_once(self, low, count, what):
        total, distinct = self.rows_in_db(low, low + count - 1)
        if (total, distinct) != (count, count):
            raise Failure(f"{what}: the sink has {total} rows ({distinct} distinct) of ids {low}..{low + count - 1}, expected {count} once each")

    def ndjson(self, name, low, count):
        with open(self.path(name), "w") as f:
            for i in range(low, low + count):
                f.write(f'{{"id":{i},"name":"row {i}"}}\n')
        return self.path(name)

    # --- checks ---------------------------------------------------------------------------

    def read_matches_rows(self):
        with urllib.request.urlopen(self.server.url + "/v1/sources/numbers/rows", timeout=120) as answer:
            expected = answer.read()
        self.sluice("read", "numbers", "--parallel", "4", "-o", "out.ndjson")
        if open(self.path("out.ndjson"), "rb").read() != expected:
            raise Failure("read --parallel 4: the file differs from /rows")
        result = self.sluice("read", "numbers", "--parallel", "3", "--unordered", "--columns", "id", "--where", "id > 10")
        got = sorted(result.stdout.splitlines())
        want = sorted(f'{{"id":{i}}}'.encode() for i in range(11, MILLION + 1))
        if got != want:
            raise Failure("read --unordered: not every row once")
        with urllib.request.urlopen(self.server.url + "/v1/sources/numbers/rows?format=csv&limit=1000", timeout=60) as answer:
            first = answer.read()
        result = self.sluice("read", "numbers", "--format", "csv", "--limit", "1000")
        if not result.stdout.startswith(first[: first.index(b"\n") + 1]) or result.stdout.count(b"\n") != 1001:
            raise Failure("read --format csv --limit 1000: not one header and 1000 rows")
        if b"1,000 rows" not in result.stderr:
            raise Failure(f"read: the final line does not count the rows: {result.stderr!r}")

    def read_cut_by_a_kill_fails(self):
        reader = self.spawn("read", "endless", "-o", "cut.ndjson", "--retries", "1")
        time.sleep(1.0)
        if reader.poll() is not None:
            raise Failure(f"the endless read ended by itself: {reader.stderr.read().decode()}")
        self.server.kill()
        _, err = reader.communicate(timeout=60)
        self.server.start()
        if reader.returncode == 0:
            raise Failure("a read cut by a SIGKILL of the server exited 0")
        if b"task" not in err or b"failed" not in err:
            raise Failure(f"a cut read does not say which task failed: {err.decode()}")
        if any(name.startswith("cut.ndjson") or name.startswith(".cut.ndjson") for name in os.listdir(self.work)):
            raise Failure("a failed read left its output file behind")

    def write_files_and_stdin(self):
        self.ndjson("w1.ndjson", 1_000_000, MILLION)
        result = self.sluice("write", "db", "w1.ndjson")
        if b"rows_written" not in result.stdout or b"1000000" not in result.stdout:
            raise Failure(f"write: the summary table is missing: {result.stdout.decode()}")
        self.expect_once(1_000_000, MILLION, "write NDJSON")
        with open(self.path("w2.csv"), "wb") as f:
            f.write(b"\xef\xbb\xbfid,name\n")
            f.write("".join(f'{i},"row, {i}"\n' for i in range(3_000_000, 3_000_000 + MILLION)).encode())
        self.sluice("write", "db", "w2.csv", "--batch-rows", "50000", "--parallel", "3")
        self.expect_once(3_000_000, MILLION, "write CSV with a BOM")
        data = open(self.ndjson("w3.ndjson", 5_000_000, MILLION), "rb").read()
        result = self.sluice("write", "db", "-", "--json", stdin=data)
        summary = json.loads(result.stdout)
        if summary["rows"][0].get("rows_written") != MILLION:
            raise Failure(f"write from stdin --json: {summary}")
        self.expect_once(5_000_000, MILLION, "write from stdin")

    def write_survives_server_kill(self):
        self.ndjson("w4.ndjson", 7_000_000, MILLION)
        writer = self.spawn("write", "db", "w4.ndjson", "--batch-rows", "10000", "--parallel", "2")
        time.sleep(0.8)
        if writer.poll() is not None:
            raise Failure(f"the write ended before the kill; make it longer: {writer.stderr.read().decode()}")
        self.server.kill()
        time.sleep(0.5)
        self.server.start()
        out, err = writer.communicate(timeout=300)
        if writer.returncode != 0:
            raise Failure(f"write across a server SIGKILL exited {writer.returncode}: {err.decode()[-2000:]}")
        if b"trying again" not in err:
            raise Failure(f"the write did not report its retries: {err.decode()}")
        self.expect_once(7_000_000, MILLION, "write across a server SIGKILL")

    def resume_after_client_kill(self):
        self.ndjson("w5.ndjson", 9_000_000, MILLION)
        writer = self.spawn("write", "db", "w5.ndjson", "--batch-rows", "10000", "--parallel", "1")
        line = writer.stderr.readline().decode()
        match = re.search(r"session ([0-9a-f-]+)", line)
        if not match:
            raise Failure(f"write does not name its session first: {line!r}")
        session = match.group(1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{self.server.url}/v1/sinks/db/writes/{session}", timeout=10) as answer:
                if json.load(answer)["batch_count"] >= 5:
                    break
            time.sleep(0.05)
        if writer.poll() is not None:
            raise Failure("the write ended before the client was killed; make it longer")
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        result = self.sluice("write", "--resume", session, "db", "w5.ndjson")
        if b"batches already there" not in result.stderr:
            raise Failure(f"--resume does not say what it skipped: {result.stderr.decode()}")
        self.expect_once(9_000_000, MILLION, "write --resume after a SIGKILL of the client")

    def session(self, sink, session):
        with urllib.request.urlopen(f"{self.server.url}/v1/sinks/{sink}/writes/{session}", timeout=10) as answer:
            return json.load(answer)

    def started_write(self, *args, batches=2):
        """A write in the background, once the server has `batches` of it: (process, session)."""
        writer = self.spawn("write", *args)
        line = writer.stderr.readline().decode()
        match = re.search(r"session ([0-9a-f-]+)", line)
        if not match:
            raise Failure(f"write does not name its session first: {line!r}")
        deadline = time.monotonic() + 60
        while self.session("db", match.group(1))["batch_count"] < batches:
            if time.monotonic() > deadline or writer.poll() is not None:
                raise Failure("the write did not get far enough to be interrupted")
            time.sleep(0.02)
        return writer, match.group(1)

    def interrupts(self):
        # One Ctrl-C, with a batch in flight (the server stopped with SIGSTOP holds it): that
        # batch finishes, the session stays open, and --resume completes it.
        self.ndjson("w7.ndjson", 11_000_000, 200_000)
        writer, session = self.started_write("db", "w7.ndjson", "--batch-rows", "10000", "--parallel", "1")
        os.kill(self.server.process.pid, signal.SIGSTOP)
        writer.send_signal(signal.SIGINT)
        time.sleep(0.3)
        os.kill(self.server.process.pid, signal.SIGCONT)
        _, err = writer.communicate(timeout=60)
        if writer.returncode != 130 or b"stays open" not in err or f"--resume {session}".encode() not in err:
            raise Failure(f"one Ctrl-C: exit {writer.returncode}, {err.decode()[-1000:]}")
        if self.session("db", session)["state"] != "open":
            raise Failure("one Ctrl-C did not leave the session open")
        self.sluice("write", "--resume", session, "db", "w7.ndjson")
        self.expect_once(11_000_000, 200_000, "write --resume after Ctrl-C")
        # Two: the session is aborted and nothing of it is written.
        self.ndjson("w8.ndjson", 12_000_000, 200_000)
        writer, session = self.started_write("db", "w8.ndjson", "--batch-rows", "10000", "--parallel", "1")
        os.kill(self.server.process.pid, signal.SIGSTOP)
        writer.send_signal(signal.SIGINT)
        time.sleep(0.3)
        writer.send_signal(signal.SIGINT)
        time.sleep(0.3)
        os.kill(self.server.process.pid, signal.SIGCONT)
        _, err = writer.communicate(timeout=60)
        if writer.returncode != 130 or b"aborted" not in err:
            raise Failure(f"two Ctrl-Cs: exit {writer.returncode}, {err.decode()[-1000:]}")
        if self.session("db", session)["state"] != "aborted":
            raise Failure(f"two Ctrl-Cs did not abort the session: {self.session('db', session)['state']}")
        if self.rows_in_db(12_000_000, 12_200_000)[0] != 0:
            raise Failure("an aborted session left rows behind")
        # Ctrl-C while standard input is quiet is heard at once.
        feeder = self.spawn("write", "db", "-", "--batch-rows", "1000")
        time.sleep(0.5)
        feeder.send_signal(signal.SIGINT)
        # Standard input stays open (and quiet) until the client has exited: closing it would
        # end the input, and a write that ends its input normally exits 0.
        try:
            feeder.wait(timeout=10)
        except subprocess.TimeoutExpired:
            feeder.kill()
            raise Failure("Ctrl-C while standard input is quiet was not heard")
        finally:
            feeder.stdin.close()
        if feeder.returncode != 130:
            raise Failure(f"Ctrl-C on a quiet standard input: exit {feeder.returncode}")

    def rejected_batch_is_located_and_nothing_written(self):
        with open(self.path("bad.ndjson"), "w") as f:
            for i in range(20_000_000, 20_000_004):
                f.write(f'{{"id":{i},"name":"ok"}}\n')
            f.write('{"id":"not a number","name":"bad"}\n')
        result = self.sluice("write", "db", "bad.ndjson", check=False)
        if result.returncode != 1 or b"bad.ndjson:5:" not in result.stderr:
            raise Failure(f"a bad row is not reported at bad.ndjson:5: {result.returncode} {result.stderr.decode()}")
        if self.rows_in_db(20_000_000, 20_000_010)[0] != 0:
            raise Failure("a rejected write left rows behind")

    def keep_going_gzip_json_and_tokens(self):
        # --keep-going: the good batches are written and finalized, the bad one is named, exit 2.
        with open(self.path("mixed.ndjson"), "w") as f:
            for i in range(21_000_000, 21_000_030):
                f.write(f'{{"id":{i},"name":"ok"}}\n' if i != 21_000_015 else '{"id":"x","name":"bad"}\n')
        result = self.sluice("write", "db", "mixed.ndjson", "--batch-rows", "10", "--keep-going", check=False)
        if result.returncode != 2 or b"mixed.ndjson:16:" not in result.stderr or b"rows_written" not in result.stdout:
            raise Failure(f"--keep-going: exit {result.returncode}, {result.stderr.decode()[-800:]}")
        if self.rows_in_db(21_000_000, 21_000_029)[0] != 20:
            raise Failure(f"--keep-going: {self.rows_in_db(21_000_000, 21_000_029)[0]} rows written, expected the 20 of the good batches")
        # --gzip, and a JSON array input cut between elements.
        rows = [{"id": i, "name": f"json [{i}], \"quoted\""} for i in range(22_000_000, 22_000_000 + 5000)]
        with open(self.path("rows.json"), "w") as f:
            json.dump(rows, f, indent=1)
        self.sluice("write", "db", "rows.json", "--batch-rows", "700", "--gzip")
        self.expect_once(22_000_000, 5000, "write of a JSON array with --gzip")
        with sqlite3.connect(self.path("target.sqlite")) as db:
            name = db.execute("SELECT name FROM rows WHERE id = 22000042").fetchone()[0]
        if name != 'json [22000042], "quoted"':
            raise Failure(f"a JSON string came out as {name!r}")
        # A server with access tokens: refused without one (and told how), served with one.
        token_lines = subprocess.run([self.binary, "token", "create", "--name", "cli", "--scopes", "read:numbers"],
                                     capture_output=True, check=True).stdout.decode().splitlines()
        with open(self.path("tokens.yaml"), "w") as f:
            f.write("tokens:\n" + "".join(f"  {line}\n" for line in token_lines[2:]))
        guarded = Server(self.binary, self.work)
        guarded.start_with("--tokens-file", "tokens.yaml", "--state", "memory")
        try:
            refused = subprocess.run([self.binary, "read", "numbers", "--limit", "1", "--server", guarded.url],
                                     capture_output=True, env=self.env)
            if refused.returncode != 1 or b"401" not in refused.stderr or b"SLUICE_TOKEN" not in refused.stderr:
                raise Failure(f"no token: exit {refused.returncode}, {refused.stderr.decode()}")
            served = subprocess.run([self.binary, "read", "numbers", "--limit", "3", "--server", guarded.url],
                                    capture_output=True, env=dict(self.env, SLUICE_TOKEN=token_lines[0]))
            if served.returncode != 0 or served.stdout.count(b"\n") != 3:
                raise Failure(f"with SLUICE_TOKEN: exit {served.returncode}, {served.stderr.decode()}")
        finally:
            guarded.stop()

    def listing_and_types(self):
        result = self.sluice("connectors")
        if not re.search(rb"numbers\s+source\s+range\s+id Int64", result.stdout):
            raise Failure(f"connectors: {result.stdout.decode()}")
        types = subprocess.run([self.binary, "types"], capture_output=True, check=True).stdout
        if b"range (source)" not in types or b"batch_rows" not in types or b"4096" not in types:
            raise Failure(f"types: {types.decode()}")
        wrong = subprocess.run([self.binary, "wrte"], capture_output=True)
        if wrong.returncode == 0 or b"did you mean 'write'" not in wrong.stderr:
            raise Failure(f"an unknown command is not answered with a suggestion: {wrong.stderr.decode()}")

    def progress_under_tmux(self):
        self.ndjson("w6.ndjson", 30_000_000, MILLION)
        session = f"sluice-test-{os.getpid()}"
        raw = self.path("pane.raw")
        command = (f"cd {self.work} && {self.binary} write discard w6.ndjson --batch-rows 2000 --parallel 1 "
                   f"--server {self.server.url} 2>&1; echo EXIT=$? > tmux.done; sleep 60")
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "30", "sh", "-c", command], check=True)
        try:
            subprocess.run(["tmux", "pipe-pane", "-t", session, "-o", f"cat >> {raw}"], check=True)
            deadline = time.monotonic() + 120
            while not os.path.exists(self.path("tmux.done")) and time.monotonic() < deadline:
                time.sleep(0.1)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, check=True).stdout.decode()
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        done = open(self.path("tmux.done")).read().strip() if os.path.exists(self.path("tmux.done")) else "EXIT=timeout"
        if done != "EXIT=0":
            raise Failure(f"the write under tmux ended with {done}: {screen}")
        stream = open(raw, "rb").read().decode(errors="replace") if os.path.exists(raw) else ""
        if not re.search(r"discard: [0-9,]+ rows .*%\).*/s", stream):
            raise Failure(f"no progress line was drawn in the pane: {stream[-1500:]!r}")
        if "ETA" in screen or "/s " in screen or "%" in screen:
            raise Failure(f"the progress line is left on the screen:\n{screen}")
        if "total_rows" not in screen or "1000000" not in screen:
            raise Failure(f"the summary is not on the screen:\n{screen}")
        # Ctrl-C on a read with one status line per task: the lines are erased, the message stays.
        session = f"sluice-test-read-{os.getpid()}"
        # The shell traps SIGINT (so it outlives the Ctrl-C and records the status); sluice gets it as usual.
        command = (f"trap 'true' INT; cd {self.work} && {self.binary} read endless -o endless.ndjson --server {self.server.url}; "
                   f"echo EXIT=$? > tmux-read.done; sleep 60")
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "30", "sh", "-c", command], check=True)
        try:
            deadline = time.monotonic() + 30
            screen = ""
            while "task 1:" not in screen and time.monotonic() < deadline:
                time.sleep(0.1)
                screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True).stdout.decode()
            if "task 1:" not in screen:
                raise Failure(f"no per-task status lines on the read's screen:\n{screen}")
            subprocess.run(["tmux", "send-keys", "-t", session, "C-c"], check=True)
            while not os.path.exists(self.path("tmux-read.done")) and time.monotonic() < deadline + 30:
                time.sleep(0.1)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, check=True).stdout.decode()
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        done = open(self.path("tmux-read.done")).read().strip() if os.path.exists(self.path("tmux-read.done")) else "EXIT=timeout"
        if done != "EXIT=130" or "interrupted" not in screen:
            raise Failure(f"Ctrl-C on a read under tmux: {done}\n{screen}")
        if "task 0:" in screen or "rows/s" in screen or "/s " in screen:
            raise Failure(f"Ctrl-C left status lines on the screen:\n{screen}")
        if os.path.exists(self.path("endless.ndjson")):
            raise Failure("an interrupted read left its output file")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.work, "config.yaml"), "w") as f:
        f.write(CONFIG)
    with sqlite3.connect(os.path.join(args.work, "target.sqlite")) as db:
        db.execute("CREATE TABLE rows (id INTEGER NOT NULL, name TEXT)")
    checks = Checks(args.bin, args.work)
    checks.server.start()
    failed = 0
    try:
        for name in ["listing_and_types", "read_matches_rows", "read_cut_by_a_kill_fails", "write_files_and_stdin",
                     "rejected_batch_is_located_and_nothing_written", "write_survives_server_kill",
                     "resume_after_client_kill", "interrupts", "keep_going_gzip_json_and_tokens", "progress_under_tmux"]:
            began = time.monotonic()
            try:
                getattr(checks, name)()
                print(f"client test: {name}: ok ({time.monotonic() - began:.1f} s)", flush=True)
            except Exception as error:  # noqa: BLE001 - every failure is reported, then the next check runs
                failed += 1
                print(f"client test: {name}: FAILED: {error}", flush=True)
                if checks.server.process.poll() is not None:
                    checks.server.start()
    finally:
        checks.server.stop()
    if failed:
        print(f"client test: {failed} check(s) failed; server log in {args.work}/server.log", flush=True)
        sys.exit(1)
    print("client test: all checks passed", flush=True)


if __name__ == "__main__":
    main()
