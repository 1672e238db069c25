#!/usr/bin/env python3
"""Crash test for durable write sessions and exactly-once batches (a Jepsen-style set test).

Eight client threads upload numbered rows into write sessions of three sinks (local-files,
sqlite, postgres) while a killer thread SIGKILLs the server at seeded random moments and
restarts it on the same --state folder and port. A client works in rounds: each round opens
one session per sink (with an Idempotency-Key), uploads 20-40 batches of 1,000 rows spread
over them in a seeded order, each batch with its own Idempotency-Key, and finalizes each
session after its last batch; clients start new rounds until --duration has passed. Every
request is retried unchanged (same key, same body) after connection errors, timeouts, 5xx and
409 (honouring Retry-After) until it gets a 2xx; any other 4xx fails the test. Some requests
are repeated after they succeeded, or sent twice at once, to check the replays.

Afterwards every uploaded number must be in its sink exactly once, nothing else may be there,
no staging may be left, and every session must read `finalized` with the batches and rows
its client sent, before and after one more kill and restart (and a repeated finalize must
answer the first summary).

Normally started by Tests/Crash/run.sh, which makes the work folder and its config.yaml:

    python3 Tests/Crash/crash_test.py --bin .build/debug/sluice --work DIR [--seed N]

DIR holds config.yaml (sinks `files` -> out/, `db` -> target.sqlite table numbers, `pg` ->
table crash_numbers of $SLUICE_TEST_POSTGRES); the test adds state/ and server.log.
Standard library only; psql for the PostgreSQL checks.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

SINKS = ("files", "db", "pg")
PG_TABLE = "crash_numbers"
SQLITE_TABLE = "numbers"
STAGE_PREFIX = "_sluice_stage_"
CLOSED_PROBLEM = "urn:sluice:problem:session-closed"
CHECK_SECONDS = 30.0
ROUND_CAP = 1000  # rounds per client the row numbering leaves room for


class TestFailure(Exception):
    """A failure of the system under test: reported, and the client stops."""


class DeadlineReached(TestFailure):
    """The global deadline passed: the client stops."""


class Aborted(Exception):
    """The run was stopped (a fatal failure elsewhere, or a signal)."""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port, method, path, body=None, headers=None, timeout=20.0):
    """One request on a fresh connection: (status, headers with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


def short(data, limit=400):
    text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else str(data)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def problem_type(data):
    try:
        return json.loads(data).get("type", "")
    except (ValueError, AttributeError):
        return ""


# ---------------------------------------------------------------------------------------
# The server under test


class Server:
    """The sluice process: start (waits for /healthz), SIGKILL, SIGTERM; stderr and stdout
    of every incarnation go to one log file, separated by marker lines."""

    def __init__(self, binary, config, state, port, log_path, work):
        self.binary, self.config, self.state, self.port = binary, config, state, port
        self.log_path, self.work = log_path, work
        self.process = None
        self.lock = threading.RLock()
        self.starts = 0
        self.expected_exit = False
        self.restart_seconds = []

    def start(self, timeout=60.0):
        with self.lock:
            self.starts += 1
            with open(self.log_path, "ab") as f:
                f.write(f"\n===== crash test: start #{self.starts} at {time.strftime('%H:%M:%S')} =====\n".encode())
            out = open(self.log_path, "ab")
            try:
                self.process = subprocess.Popen(
                    [self.binary, "serve", "--config", self.config, "--state", self.state, "--host", "127.0.0.1",
                     "--port", str(self.port), "--quiet"],
                    cwd=self.work, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            finally:
                out.close()
            self.expected_exit = False
            began = time.monotonic()
            while time.monotonic() - began < timeout:
                code = self.process.poll()
                if code is not None:
                    raise TestFailure(f"the server exited with status {code} while starting (start #{self.starts})")
                try:
                    status, _, _ = send(self.port, "GET", "/healthz", timeout=2.0)
                    if status == 200:
                        self.restart_seconds.append(time.monotonic() - began)
                        return
                except (OSError, http.client.HTTPException):
                    pass
                time.sleep(0.05)
            raise TestFailure(f"the server did not answer /healthz within {timeout:.0f} s (start #{self.starts})")

    def kill(self):
        with self.lock:
            if self.process and self.process.poll() is None:
                self.expected_exit = True
                self.process.send_signal(signal.SIGKILL)
                self.process.wait()
                with open(self.log_path, "ab") as f:
                    f.write(f"===== crash test: SIGKILL at {time.strftime('%H:%M:%S')} =====\n".encode())

    def terminate(self, grace=30.0):
        """SIGTERM; returns the exit status, or None if it had to be killed."""
        with self.lock:
            if not self.process or self.process.poll() is not None:
                return self.process.returncode if self.process else None
            self.expected_exit = True
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None

    def died_unexpectedly(self):
        """The exit status if the server exited without us killing it, else None."""
        with self.lock:
            if self.process and not self.expected_exit:
                code = self.process.poll()
                if code is not None:
                    self.expected_exit = True
                    return code
            return None

    def log_tail(self, lines=60):
        """The log's warnings and errors (of every incarnation, the first 30), then its tail."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return "(no server log)"
        all_lines = text.rstrip("\n").split("\n")
        notable = [line for line in all_lines if not line.startswith("===== crash test")
                   and any(word in line.lower() for word in ("error", "warning", "fatal", "panic", "critical"))]
        excerpt = []
        if notable:
            excerpt.append(f"-- {len(notable)} warning/error line(s), the first {min(len(notable), 30)}:")
            excerpt += notable[:30]
            excerpt.append(f"-- the last {lines} lines:")
        return "\n".join(excerpt + all_lines[-lines:])


# ---------------------------------------------------------------------------------------
# Shared state of a run


class Run:
    def __init__(self, args, server):
        self.args = args
        self.server = server
        self.seed = args.seed
        self.run_id = f"crash{args.seed}-{os.getpid()}-{int(time.time())}"
        self.started = time.monotonic()
        # The clients get the deadline less CHECK_SECONDS; the checks at the end get the rest.
        self.deadline = self.started + args.deadline - CHECK_SECONDS
        self.lock = threading.Lock()
        self.stop = threading.Event()        # abort everything (fatal)
        self.uploads_done = threading.Event()  # every client has sent its last batch
        self.failures = []
        self.counters = {}
        self.inflight_batches = 0
        self.inflight_finalizes = 0
        self.acked_batches = 0
        self.finalized_sessions = 0
        self.kills = 0

    def fail(self, message):
        with self.lock:
            self.failures.append(message)
        log(f"FAILURE: {message}")

    def count(self, name, by=1):
        with self.lock:
            self.counters[name] = self.counters.get(name, 0) + by

    def inflight(self, kind, delta):
        with self.lock:
            if kind == "batch":
                self.inflight_batches += delta
            else:
                self.inflight_finalizes += delta

    def remaining(self):
        return self.deadline - time.monotonic()


def retry_after_seconds(headers, default):
    value = headers.get("retry-after")
    try:
        return max(0.0, min(float(value), 5.0))
    except (TypeError, ValueError):
        return default


def call_until_ok(run, rng, what, method, path, body=None, headers=None, kind=None, closed_ok=False, accept=()):
    """Sends the same request until it answers 2xx: retries connection errors, timeouts, 5xx
    and 409 (honouring Retry-After), each with a small jittered backoff. A 409 that says the
    session is closed (unless closed_ok: then it is returned), any other 4xx (but those in
    accept, which are returned), or a 5xx/409 that persists for --stuck-seconds is a
    TestFailure. Returns (status, headers, body, attempts)."""
    attempt = 0
    stuck_since = None
    last = "no answer yet"
    earlier = []  # the first few error answers, for the failure message

    def story():
        return f" (earlier answers: {'; '.join(earlier)})" if earlier else ""
    while True:
        if run.stop.is_set():
            raise Aborted()
        if time.monotonic() > run.deadline:
            raise DeadlineReached(f"{what}: global deadline reached after {attempt} attempt(s); last: {last}{story()}")
        attempt += 1
        if kind:
            run.inflight(kind, +1)
        try:
            status, response_headers, data = send(run.server.port, method, path, body, headers, timeout=run.args.request_timeout)
        except (OSError, http.client.HTTPException) as error:
            last = f"{type(error).__name__}: {error}"
            run.count("retry: " + ("timeout" if isinstance(error, TimeoutError) else "connection error"))
            time.sleep(min(0.05 * 2 ** min(attempt, 5), 1.0) * rng.uniform(0.5, 1.0))
            continue
        finally:
            if kind:
                run.inflight(kind, -1)
        if 200 <= status < 300 or status in accept:
            return status, response_headers, data, attempt
        last = f"{status} {short(data)}"
        if status == 409 and problem_type(data) == CLOSED_PROBLEM:
            if closed_ok:
                return status, response_headers, data, attempt
            raise TestFailure(f"{what}: 409 session closed: {short(data)}{story()}")
        if status == 409 or status >= 500:
            slug = problem_type(data).rpartition(":")[2]
            run.count(f"retry: {status}" + (f" {slug}" if slug else ""))
            stuck_since = stuck_since or time.monotonic()
            if time.monotonic() - stuck_since > run.args.stuck_seconds:
                raise TestFailure(f"{what}: still {status} after {run.args.stuck_seconds:.0f} s of retries: {short(data)}")
            if status >= 500 and len(earlier) < 3:
                earlier.append(f"attempt {attempt}: {status} {short(data, 300)}")
            pause = retry_after_seconds(response_headers, 0.2) if status == 409 else 0.2
            time.sleep(max(pause, 0.02) * rng.uniform(0.5, 1.0) + rng.uniform(0.0, 0.05))
            continue
        raise TestFailure(f"{what}: unexpected {status}: {short(data)}{story()}")


# ---------------------------------------------------------------------------------------
# Clients


class Session:
    def __init__(self, client, round_, sink, batches):
        self.client, self.round, self.sink = client, round_, sink
        self.batches = batches     # this session's batch numbers (per client), in upload order
        self.open_key = None
        self.id = None
        self.acked = {}            # batch key -> response document of its first 2xx
        self.rows_sent = 0
        self.summary = None        # the first finalize answer (parsed)
        self.finalize_attempted = False
        self.finalized = False
        self.dead = None           # why the client gave up on this session (after a failure)

    def key(self, run, what):
        return f"{run.run_id}-c{self.client}-r{self.round}-{self.sink}-{what}"

    def batch_keys(self, run):
        return {self.key(run, f"b{batch}") for batch in self.batches}


def first_n(run, client, batch):
    return run.args.n_base + (client * ROUND_CAP * run.args.batches_max + batch) * run.args.rows


def batch_rows(run, client, batch):
    base = first_n(run, client, batch)
    return [{"client": client, "batch": batch, "n": base + i} for i in range(run.args.rows)]


def decode_n(run, n):
    """(client, batch) of a number this test uploads, or None."""
    offset = n - run.args.n_base
    if offset < 0:
        return None
    client, batch = divmod(offset // run.args.rows, ROUND_CAP * run.args.batches_max)
    if client >= run.args.clients:
        return None
    return client, batch


def round_plan(args, client, round_):
    """[(sink, batch)] of one round of one client, in a seeded order; batch numbers are the
    client's own (round r uses r * batches_max + 0, 1, ...)."""
    rng = random.Random(f"{args.seed}/{client}/{round_}")
    count = rng.randint(args.batches_min, args.batches_max)
    sinks = [SINKS[i % len(SINKS)] for i in range(count)]
    rng.shuffle(sinks)
    return [(sink, round_ * args.batches_max + i) for i, sink in enumerate(sinks)]


class Client(threading.Thread):
    def __init__(self, run, number):
        super().__init__(name=f"client-{number}", daemon=True)
        self.run_ = run
        self.number = number
        self.rng = random.Random(run.seed * 1009 + number)
        self.sessions = []
        self.rounds = 0

    def run(self):
        run = self.run_
        try:
            for round_ in range(ROUND_CAP):
                if round_ > 0 and time.monotonic() - run.started >= run.args.duration:
                    break
                self.round(round_)
                self.rounds += 1
        except TestFailure as failure:
            run.fail(f"client {self.number}: {failure}")
        except Aborted:
            pass
        except Exception as error:  # a bug in the test itself: report it loudly
            run.fail(f"client {self.number}: test error {type(error).__name__}: {error}")

    def round(self, round_):
        plan = round_plan(self.run_.args, self.number, round_)
        sessions = {sink: Session(self.number, round_, sink, [b for s, b in plan if s == sink]) for sink in SINKS}
        self.sessions += [s for s in sessions.values() if s.batches]
        last_of = {sink: index for index, (sink, _) in enumerate(plan)}
        for index, (sink, batch) in enumerate(plan):
            session = sessions[sink]
            if session.dead:
                continue
            try:
                if session.id is None:
                    self.open(session)
                self.upload(session, batch)
                if last_of[sink] == index:
                    self.finalize(session)
            except DeadlineReached:
                raise
            except TestFailure as failure:
                self.give_up(session, failure)

    def give_up(self, session, failure):
        """After a failure that ends a session: report it, abort the session (so that its
        staging goes), and go on with the client's other sessions."""
        run = self.run_
        session.dead = str(failure)
        run.fail(f"client {self.number}: {failure}")
        if session.id is None:
            return
        what = f"abort {session.sink} session {session.id} after a failure (client {self.number})"
        try:
            status, _, data, _ = call_until_ok(run, self.rng, what, "DELETE",
                                               f"/v1/sinks/{session.sink}/writes/{session.id}", closed_ok=True)
            log(f"client {self.number}: gave up on {session.sink} session {session.id}: DELETE answered {status} "
                f"{short(data, 160)}")
        except DeadlineReached:
            raise
        except TestFailure as error:
            run.fail(f"client {self.number}: {error}")

    def complain(self, message):
        """A check failed, but the client can go on (and so show what else goes wrong)."""
        self.run_.fail(f"client {self.number}: {message}")

    def open(self, session):
        run = self.run_
        session.open_key = session.key(run, "open")
        what = f"open {session.sink} session (client {self.number})"
        headers = {"Idempotency-Key": session.open_key}
        status, response_headers, data, _ = call_until_ok(run, self.rng, what, "POST", f"/v1/sinks/{session.sink}/writes",
                                                          b"", headers)
        document = parse(what, data)
        session.id = document.get("id")
        if not session.id or document.get("state") != "open":
            raise TestFailure(f"{what}: {status} without an open session: {short(data)}")
        if response_headers.get("idempotent-replayed") == "true":
            run.count("replayed: open")
        if self.rng.random() < run.args.replay_probability:
            # Opening again with the same key must give the same session back.
            again_status, again_headers, again, _ = call_until_ok(run, self.rng, what + " (replay)", "POST",
                                                                  f"/v1/sinks/{session.sink}/writes", b"", headers)
            run.count("checked replay: open")
            other = parse(what, again)
            if other.get("id") != session.id:
                self.complain(f"{what}: the same Idempotency-Key opened a second session {other.get('id')} "
                              f"(first {session.id})")
            if again_status != status or again_headers.get("idempotent-replayed") != "true":
                self.complain(f"{what}: replay answered {again_status} with Idempotent-Replayed: "
                              f"{again_headers.get('idempotent-replayed')} (first answer {status})")

    def upload(self, session, batch):
        run = self.run_
        key = session.key(run, f"b{batch}")
        rows = batch_rows(run, self.number, batch)
        body = "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()
        headers = {"Content-Type": "application/x-ndjson", "Idempotency-Key": key}
        path = f"/v1/sinks/{session.sink}/writes/{session.id}/batches"
        what = f"batch {batch} of client {self.number} to {session.sink} session {session.id}"

        twin_result = {}
        twin = None
        if self.rng.random() < run.args.twin_probability:
            # The same request twice at once: one may see 409 (in flight) and retry; both must
            # end with the same answer and the rows must land once.
            twin_rng = random.Random(self.rng.random())

            def send_twin():
                try:
                    twin_result["answer"] = call_until_ok(run, twin_rng, what + " (twin)", "POST", path, body, headers, "batch")
                except (TestFailure, Aborted) as error:
                    twin_result["error"] = error
            twin = threading.Thread(target=send_twin, name=f"twin-{self.number}-{batch}", daemon=True)
            twin.start()
            run.count("twin uploads")

        status, response_headers, data, attempts = call_until_ok(run, self.rng, what, "POST", path, body, headers, "batch")
        document = parse(what, data)
        self.check_batch_answer(what, document, len(rows))
        if response_headers.get("idempotent-replayed") == "true":
            run.count("replayed: batch")
        session.acked[key] = document
        session.rows_sent += len(rows)
        with run.lock:
            run.acked_batches += 1

        if twin:
            twin.join(timeout=max(1.0, run.remaining() + 5))
            error = twin_result.get("error")
            if isinstance(error, Aborted):
                raise error
            if error:
                self.complain(str(error))
            elif "answer" not in twin_result:
                self.complain(f"{what} (twin): no answer before the deadline")
            else:
                twin_data = twin_result["answer"][2]
                try:
                    same = parse(what + " (twin)", twin_data) == document
                except TestFailure as failure:
                    self.complain(str(failure))
                    same = True
                if not same:
                    self.complain(f"{what}: two identical requests got different answers: {short(data)} vs "
                                  f"{short(twin_data)}")

        if self.rng.random() < run.args.replay_probability:
            again_status, again_headers, again, _ = call_until_ok(run, self.rng, what + " (replay)", "POST", path, body,
                                                                  headers, "batch")
            run.count("checked replay: batch")
            if parse(what + " (replay)", again) != document:
                self.complain(f"{what}: a replay answered {short(again)}, the original {short(data)}")
            if again_headers.get("idempotent-replayed") != "true":
                self.complain(f"{what}: a replay answered {again_status} without Idempotent-Replayed: true")

        if self.rng.random() < run.args.mismatch_probability:
            # The same key with another body (the batch's first row only) must be refused.
            other = json.dumps(rows[0], separators=(",", ":")).encode() + b"\n"
            status, _, answer, _ = call_until_ok(run, self.rng, what + " (same key, other body)", "POST", path, other,
                                                 headers, "batch", accept=(422,))
            run.count("checked key reuse with another body")
            if status != 422:
                self.complain(f"{what}: the same Idempotency-Key with another body answered {status} (want 422): "
                              f"{short(answer)}")

    def check_batch_answer(self, what, document, rows):
        if document.get("rows_written") != rows:
            self.complain(f"{what}: answered rows_written {document.get('rows_written')}, sent {rows}: "
                          f"{short(json.dumps(document))}")

    def finalize(self, session):
        run = self.run_
        what = f"finalize {session.sink} session {session.id} (client {self.number})"
        path = f"/v1/sinks/{session.sink}/writes/{session.id}/finalize"
        headers = {}
        session.finalize_attempted = True
        _, _, data, _ = call_until_ok(run, self.rng, what, "POST", path, b"", headers, "finalize")
        session.summary = parse(what, data)
        session.finalized = True  # the server says so: its rows must now be in the sink
        with run.lock:
            run.finalized_sessions += 1
        problem = check_summary(session.sink, session.summary, session.rows_sent)
        if problem:
            self.complain(f"{what}: {problem}")
        if self.rng.random() < run.args.replay_probability:
            _, _, again, _ = call_until_ok(run, self.rng, what + " (again)", "POST", path, b"", headers, "finalize")
            run.count("checked replay: finalize")
            if parse(what + " (again)", again) != session.summary:
                self.complain(f"{what}: a second finalize answered {short(again)}, the first {short(data)}")


def parse(what, data):
    try:
        document = json.loads(data)
    except ValueError:
        raise TestFailure(f"{what}: the answer is not JSON: {short(data)}")
    if not isinstance(document, dict):
        raise TestFailure(f"{what}: the answer is not a JSON object: {short(data)}")
    return document


def check_summary(sink, summary, rows):
    """None when the finalize summary agrees with the rows sent, else what is wrong."""
    if not isinstance(summary.get("schema"), list) or not isinstance(summary.get("rows"), list):
        return f"the summary lacks schema/rows: {short(json.dumps(summary))}"
    if rows == 0:
        return None
    column = "total_rows" if sink == "files" else "rows_written"
    counted = [row[column] for row in summary["rows"] if isinstance(row, dict) and isinstance(row.get(column), int)]
    if not counted:
        return None  # a summary without that column: nothing to compare
    total = sum(counted)
    if total != rows:
        return f"the summary says {column} {total}, the client sent {rows} rows: {short(json.dumps(summary))}"
    return None


# ---------------------------------------------------------------------------------------
# The killer


class Killer(threading.Thread):
    """SIGKILLs the server every --kill-gap-min..--kill-gap-max seconds (seeded) until the
    clients are done, each time at a moment when batch uploads are in flight, or (a seeded
    --finalize-kill-share of the kills) a finalize; now and then a second time right after
    the restart, while sessions are resumed and clients reconnect. Restarts it each time on
    the same state folder and port, and notices a server that exits on its own."""

    def __init__(self, run):
        super().__init__(name="killer", daemon=True)
        self.run_ = run
        self.rng = random.Random(run.seed * 7919 + 1)
        self.kills = 0
        self.batch_kills = 0       # kills with batch uploads in flight
        self.finalize_kills = 0    # kills with a finalize in flight
        self.extra_kills = 0       # second kills right after a restart

    def run(self):
        run = self.run_
        try:
            self.loop()
        except TestFailure as failure:
            run.fail(f"killer: {failure}")
            run.stop.set()
        except Aborted:
            pass
        except Exception as error:
            run.fail(f"killer: test error {type(error).__name__}: {error}")
            run.stop.set()

    def gap(self):
        return self.rng.uniform(self.run_.args.kill_gap_min, self.run_.args.kill_gap_max)

    def in_flight(self):
        with self.run_.lock:
            return self.run_.inflight_batches, self.run_.inflight_finalizes

    def wait_for(self, kind, seconds):
        """Waits until a request of that kind is in flight; (batches, finalizes) then, or None."""
        until = time.monotonic() + seconds
        while time.monotonic() < until and not self.done():
            self.watch()
            batches, finalizes = self.in_flight()
            if (kind == "batch" and batches > 0) or (kind == "finalize" and finalizes > 0):
                return batches, finalizes
            time.sleep(0.002)
        return None

    def done(self):
        run = self.run_
        return run.uploads_done.is_set() or run.stop.is_set() or time.monotonic() > run.deadline

    def loop(self):
        next_kill = time.monotonic() + self.gap()
        while not self.done():
            self.watch()
            if time.monotonic() < next_kill:
                time.sleep(0.005)
                continue
            aim = "finalize" if self.rng.random() < self.run_.args.finalize_kill_share else "batch"
            seen = self.wait_for(aim, 3.0) or (aim == "finalize" and self.wait_for("batch", 3.0))
            if seen:
                # Land a little after the request started, not always at its first byte.
                time.sleep(self.rng.uniform(0.0, 0.03))
                self.kill_and_restart()
                if self.rng.random() < 0.2 and not self.done():
                    time.sleep(self.rng.uniform(0.0, 0.2))
                    self.wait_for("batch", 1.0)
                    self.extra_kills += 1
                    self.kill_and_restart(extra=True)
            next_kill = time.monotonic() + self.gap()

    def kill_and_restart(self, extra=False):
        run = self.run_
        batches, finalizes = self.in_flight()  # at the moment of the kill
        self.kills += 1
        self.batch_kills += batches > 0
        self.finalize_kills += finalizes > 0
        with run.lock:
            run.kills = self.kills
        log(f"killer: SIGKILL #{self.kills}{' (again, right after the restart)' if extra else ''} with "
            f"{batches} batch and {finalizes} finalize request(s) in flight")
        run.server.kill()
        time.sleep(self.rng.uniform(0.0, 0.3))
        run.server.start(timeout=min(60.0, max(5.0, run.deadline + CHECK_SECONDS - time.monotonic())))

    def watch(self):
        run = self.run_
        code = run.server.died_unexpectedly()
        if code is not None:
            run.fail(f"the server exited on its own with status {code}; restarting it")
            run.server.start(timeout=min(60.0, max(5.0, run.deadline + CHECK_SECONDS - time.monotonic())))


# ---------------------------------------------------------------------------------------
# Checks after the run


def check_sessions(run, clients):
    """Every session its client finalized reads finalized, with the batches and rows the
    client sent. Returns {sink: {session id: [issues]}}."""
    found = {sink: {} for sink in SINKS}
    rng = random.Random(run.seed + 17)
    for client in clients:
        for session in client.sessions:
            sink = session.sink
            if not session.finalized and not (session.dead and session.id):
                continue
            what = f"GET {sink} session {session.id} (client {client.number}, round {session.round})"
            try:
                _, _, data, _ = call_until_ok(run, rng, what, "GET", f"/v1/sinks/{sink}/writes/{session.id}")
                document = parse(what, data)
            except TestFailure as failure:
                found[sink][session.id] = [str(failure)]
                continue
            if not session.finalized:
                # Given up on after a failure, and aborted: it must stay closed.
                if document.get("state") not in ("aborted", "failed"):
                    found[sink][session.id] = [f"{what}: given up on and aborted, but state {document.get('state')!r}"]
                continue
            expected_keys = session.batch_keys(run)
            rows = len(session.batches) * run.args.rows
            issues = []
            if document.get("state") != "finalized":
                issues.append(f"state {document.get('state')!r} (reason {document.get('reason')!r})")
            if document.get("rows_written") != rows:
                issues.append(f"rows_written {document.get('rows_written')}, the client sent {rows}")
            batches = document.get("batches")
            count = document.get("batch_count", batches if isinstance(batches, int) else None)
            if count != len(session.batches):
                issues.append(f"batch_count {count}, the client sent {len(session.batches)} batches")
            if isinstance(batches, list):
                keys = [b.get("idempotency_key") for b in batches if isinstance(b, dict)]
                if sorted(keys) != sorted(expected_keys):
                    missing = sorted(expected_keys - set(keys))
                    extra = sorted(set(keys) - expected_keys)
                    twice = sorted({k for k in keys if keys.count(k) > 1})
                    issues.append(f"batches: {len(keys)} listed; missing {missing[:3]}, unknown {extra[:3]}, "
                                  f"listed twice {twice[:3]}")
                wrong = [b for b in batches if isinstance(b, dict) and b.get("rows_written") != run.args.rows]
                if wrong:
                    issues.append(f"{len(wrong)} batch(es) with rows_written other than {run.args.rows}: {wrong[:2]}")
            if issues:
                found[sink][session.id] = [f"{what}: " + "; ".join(issues)]
    return found


def merge_session_checks(before, after):
    """One list per sink; an issue seen both before and after the last restart is listed once."""
    merged = {sink: [] for sink in SINKS}
    for sink in SINKS:
        for sid in sorted(set(before[sink]) | set(after[sink])):
            first, second = before[sink].get(sid, []), after[sink].get(sid, [])
            if first == second:
                merged[sink] += [f"{issue} (before and after the last restart)" for issue in first]
            else:
                merged[sink] += [f"{issue} (before the last restart)" for issue in first]
                merged[sink] += [f"{issue} (after the last restart)" for issue in second]
    return merged


def check_finalize_again(run, clients):
    """Finalize once more (after the last restart): the same summary as the first time."""
    problems = {sink: [] for sink in SINKS}
    rng = random.Random(run.seed + 23)
    for client in clients:
        for session in client.sessions:
            sink = session.sink
            if not session.finalized:
                continue
            what = f"repeated finalize of {sink} session {session.id} after a restart"
            path = f"/v1/sinks/{sink}/writes/{session.id}/finalize"
            headers = {}
            try:
                _, _, data, _ = call_until_ok(run, rng, what, "POST", path, b"", headers)
            except TestFailure as failure:
                problems[sink].append(str(failure))
                continue
            if parse(what, data) != session.summary:
                problems[sink].append(f"{what}: answered {short(data)}, the first time {short(json.dumps(session.summary))}")
    return problems


def expected_rows(run, clients):
    """Per sink: numbers that must be present once (sessions that finalized), numbers that
    may be present once (a finalize was sent but never confirmed: only after a failure) and
    numbers that must not be present (sessions never finalized)."""
    must = {sink: set() for sink in SINKS}
    maybe = {sink: set() for sink in SINKS}
    must_not = {sink: set() for sink in SINKS}
    for client in clients:
        for session in client.sessions:
            sink = session.sink
            if session.finalized:
                target = must[sink]
            elif session.finalize_attempted:
                target = maybe[sink]
            else:
                target = must_not[sink]
            for batch in session.batches:
                base = first_n(run, client.number, batch)
                target.update(range(base, base + run.args.rows))
    return must, maybe, must_not


def compare_rows(run, sink, rows, must, maybe, must_not):
    """rows: [(client, batch, n)] as stored. Returns a list of problems."""
    counts = {}
    malformed = []
    for row in rows:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in row):
            malformed.append(row)
            continue
        client, batch, n = row
        counts[n] = counts.get(n, 0) + 1
        if decode_n(run, n) != (client, batch):
            malformed.append(row)
    problems = []
    missing = sorted(must - counts.keys())
    duplicated = sorted(n for n, c in counts.items() if c > 1)
    uncommitted = sorted(n for n in counts if n in must_not)
    unknown = sorted(n for n in counts if n not in must and n not in maybe and n not in must_not)
    if missing:
        problems.append(f"{len(missing)} of {len(must)} rows missing (lost), e.g. {describe(run, missing)}")
    if duplicated:
        copies = sum(counts[n] - 1 for n in duplicated)
        problems.append(f"{len(duplicated)} rows present more than once ({copies} extra copies), e.g. "
                        f"{describe(run, duplicated, counts)}")
    if uncommitted:
        problems.append(f"{len(uncommitted)} rows of sessions that were never finalized are visible, e.g. "
                        f"{describe(run, uncommitted)}")
    if unknown:
        problems.append(f"{len(unknown)} rows this test never sent, e.g. {unknown[:5]}")
    if malformed:
        problems.append(f"{len(malformed)} malformed rows (client/batch do not match n, or not integers), e.g. "
                        f"{malformed[:3]}")
    log(f"{sink}: {len(rows)} rows stored, {len(counts)} distinct, {len(must)} expected")
    return problems


def describe(run, numbers, counts=None):
    parts = []
    for n in numbers[:5]:
        where = decode_n(run, n)
        text = f"n={n}" + (f" (client {where[0]} batch {where[1]})" if where else "")
        if counts:
            text += f" x{counts[n]}"
        parts.append(text)
    return ", ".join(parts)


def read_files_sink(out_dir):
    """(rows, problems) of the local-files sink's folder."""
    rows, problems = [], []
    if not os.path.isdir(out_dir):
        return rows, [], f"the output folder {out_dir} does not exist"
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if name == ".sluice-staging":
            if not os.path.isdir(path):
                problems.append(".sluice-staging is not a folder")
                continue
            left = []
            for folder, _, files in os.walk(path):
                left += [os.path.relpath(os.path.join(folder, f), out_dir) for f in files]
            if left:
                problems.append(f"{len(left)} file(s) left in staging, e.g. {left[:5]}")
            continue
        if name.startswith(".") or not name.endswith(".ndjson") or not os.path.isfile(path) or os.path.islink(path):
            problems.append(f"stray entry in the output folder: {name}")
            continue
        with open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    problems.append(f"{name}:{number}: empty line")
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    problems.append(f"{name}:{number}: not JSON: {short(line.strip(), 120)}")
                    continue
                if not isinstance(row, dict) or set(row) != {"client", "batch", "n"}:
                    problems.append(f"{name}:{number}: unexpected row {short(line.strip(), 120)}")
                    continue
                rows.append((row["client"], row["batch"], row["n"]))
    return rows, problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else []), None


def read_sqlite_sink(path):
    rows, problems = [], []
    if not os.path.exists(path):
        return rows, [], f"{path} does not exist"
    connection = sqlite3.connect(path, timeout=10)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        staged = [t for t in tables if t.startswith(STAGE_PREFIX)]
        if staged:
            problems.append(f"{len(staged)} staging table(s) left: {staged[:5]}")
        if SQLITE_TABLE not in tables:
            return rows, problems, f"no table {SQLITE_TABLE} (tables: {tables})"
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{SQLITE_TABLE}")')]
        if sorted(columns) != ["batch", "client", "n"]:
            problems.append(f"table {SQLITE_TABLE} has columns {columns}")
        rows = [tuple(r) for r in connection.execute(f'SELECT client, batch, n FROM "{SQLITE_TABLE}"')]
    except sqlite3.Error as error:
        problems.append(f"reading {path}: {error}")
    finally:
        connection.close()
    return rows, problems, None


def psql(url, sql):
    result = subprocess.run(["psql", url, "-X", "-q", "-At", "-F", ",", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()}")
    return [line for line in result.stdout.split("\n") if line]


PG_STAGING_SQL = ("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  f"WHERE c.relkind IN ('r', 'p') AND left(c.relname, {len(STAGE_PREFIX)}) = '{STAGE_PREFIX}' ORDER BY 1")


def prepare_postgres(url):
    """Drops the row table of an earlier run; returns the staging tables already there (from
    others), which the staging check then ignores."""
    psql(url, f"DROP TABLE IF EXISTS {PG_TABLE}")
    return set(psql(url, PG_STAGING_SQL))


def read_postgres_sink(url, staging_before):
    rows, problems = [], []
    try:
        staged = [t for t in psql(url, PG_STAGING_SQL) if t not in staging_before]
        if staged:
            problems.append(f"{len(staged)} staging table(s) left: {staged[:5]}")
        if psql(url, f"SELECT to_regclass('{PG_TABLE}') IS NOT NULL") != ["t"]:
            return rows, problems, f"no table {PG_TABLE}"
        columns = psql(url, f"SELECT attname FROM pg_attribute WHERE attrelid = '{PG_TABLE}'::regclass AND attnum > 0 "
                            "AND NOT attisdropped ORDER BY attnum")
        if sorted(columns) != ["batch", "client", "n"]:
            problems.append(f"table {PG_TABLE} has columns {columns}")
        for line in psql(url, f"SELECT client, batch, n FROM {PG_TABLE}"):
            parts = line.split(",")
            try:
                rows.append(tuple(int(p) for p in parts))
            except ValueError:
                problems.append(f"unexpected row {line!r}")
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        problems.append(f"reading PostgreSQL: {error}")
    return rows, problems, None


# ---------------------------------------------------------------------------------------
# Main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the sluice executable")
    parser.add_argument("--work", required=True, help="the work folder holding config.yaml")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the time)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds after which clients start no new round (each does at least one)")
    parser.add_argument("--batches-min", type=int, default=20, help="fewest batches per client and round (over 3 sessions)")
    parser.add_argument("--batches-max", type=int, default=40, help="most batches per client and round")
    parser.add_argument("--rows", type=int, default=1000, help="rows per batch")
    parser.add_argument("--kill-gap-min", type=float, default=1.0, help="fewest seconds between two kills")
    parser.add_argument("--kill-gap-max", type=float, default=4.0, help="most seconds between two kills")
    parser.add_argument("--finalize-kill-share", type=float, default=0.25,
                        help="share of the kills aimed at a moment when a finalize is in flight")
    parser.add_argument("--min-kills", type=int, default=5,
                        help="fewest kills with batches in flight for the run to count")
    parser.add_argument("--deadline", type=float, default=170.0, help="seconds for the whole test")
    parser.add_argument("--request-timeout", type=float, default=20.0, help="seconds per HTTP request")
    parser.add_argument("--stuck-seconds", type=float, default=45.0,
                        help="a request still answering 5xx or 409 after this long fails the test")
    parser.add_argument("--replay-probability", type=float, default=0.1,
                        help="chance that a client repeats a request that succeeded and checks the replay")
    parser.add_argument("--twin-probability", type=float, default=0.05,
                        help="chance that a batch is sent twice at once")
    parser.add_argument("--mismatch-probability", type=float, default=0.03,
                        help="chance that a batch's key is sent again with another body (must be 422)")
    parser.add_argument("--n-base", type=int, default=None, help="first row number (default: from the seed)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 1_000_000_007
    if args.n_base is None:
        args.n_base = random.Random(args.seed).randrange(1, 1_000_000) * 1_000_000
    if args.deadline <= CHECK_SECONDS + 10:
        parser.error(f"--deadline must be more than {CHECK_SECONDS + 10:.0f} s")
    if args.kill_gap_min <= 0 or args.kill_gap_max < args.kill_gap_min:
        parser.error("need 0 < --kill-gap-min <= --kill-gap-max")
    if args.batches_min < 1 or args.batches_max < args.batches_min:
        parser.error("need 1 <= --batches-min <= --batches-max")
    return args


def main(argv):
    args = parse_args(argv)
    print(f"crash test seed: {args.seed}", flush=True)
    work = os.path.abspath(args.work)
    config = os.path.join(work, "config.yaml")
    state = os.path.join(work, "state")
    os.makedirs(state, exist_ok=True)
    pg_url = os.environ.get("SLUICE_TEST_POSTGRES")
    if not pg_url:
        print("crash test: SLUICE_TEST_POSTGRES is not set (run through Tests/Crash/run.sh)", file=sys.stderr)
        return 2
    port = args.port or free_port()
    server = Server(os.path.abspath(args.bin), config, state, port, os.path.join(work, "server.log"), work)
    run = Run(args, server)

    def on_signal(number, _frame):
        run.stop.set()
        server.kill()
        print(f"crash test: stopped by signal {number}; seed {args.seed}", file=sys.stderr, flush=True)
        os._exit(3)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def watchdog():
        # The last resort if something in the test itself hangs past the deadline.
        time.sleep(args.deadline + 45)
        print(f"crash test: HANG, still running {args.deadline + 45:.0f} s after the start; seed {args.seed}",
              file=sys.stderr, flush=True)
        print(server.log_tail(), file=sys.stderr, flush=True)
        server.kill()
        os._exit(4)
    threading.Thread(target=watchdog, name="watchdog", daemon=True).start()

    log(f"{args.clients} clients, rounds of {args.batches_min}-{args.batches_max} batches of {args.rows} rows over "
        f"{len(SINKS)} sinks for {args.duration:.0f} s, a kill every {args.kill_gap_min:g}-{args.kill_gap_max:g} s, "
        f"port {port}, deadline {args.deadline:.0f} s")
    try:
        staging_before = prepare_postgres(pg_url)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"crash test: cannot prepare PostgreSQL: {error}", file=sys.stderr)
        return 2

    try:
        server.start()
    except TestFailure as failure:
        return report(run, [f"the server does not start: {failure}"], {}, None, server)

    clients = [Client(run, number) for number in range(args.clients)]
    killer = Killer(run)
    for client in clients:
        client.start()
    killer.start()
    last_progress = time.monotonic()
    while any(c.is_alive() for c in clients) and time.monotonic() < run.deadline + args.request_timeout + 5:
        time.sleep(0.2)
        if time.monotonic() - last_progress >= 10:
            last_progress = time.monotonic()
            with run.lock:
                log(f"progress: {run.acked_batches} batches acknowledged, {run.finalized_sessions} sessions finalized, "
                    f"{run.kills} kills, rounds done {[c.rounds for c in clients]}")
    run.uploads_done.set()
    killer.join(timeout=max(0.1, run.deadline + CHECK_SECONDS - time.monotonic()))
    upload_seconds = time.monotonic() - run.started
    log(f"clients finished after {upload_seconds:.1f} s")

    general = []
    stuck = [c.number for c in clients if c.is_alive()]
    if stuck:
        general.append(f"clients {stuck} still running at the deadline")
        run.stop.set()
    if killer.is_alive():
        general.append("the killer is still running (a restart hangs?)")
        run.stop.set()
    if killer.batch_kills < args.min_kills and not run.failures:
        general.append(f"only {killer.batch_kills} kill(s) landed while batches were in flight (want "
                       f"{args.min_kills}): the run is too short for the kill schedule (--duration, --kill-gap-*)")

    sink_problems = {sink: [] for sink in SINKS}
    final_kills = 0
    run.deadline = run.started + args.deadline
    if not run.stop.is_set():
        code = server.died_unexpectedly()
        if code is not None:
            general.append(f"the server exited on its own with status {code} at the end of the run")
        try:
            if server.process.poll() is not None:
                server.start()
            before = check_sessions(run, clients)
            log("checks: one more SIGKILL and restart, then the sessions again")
            final_kills += 1
            server.kill()
            server.start()
            after = check_sessions(run, clients)
            for sink, problems in merge_session_checks(before, after).items():
                sink_problems[sink] += problems
            for sink, problems in check_finalize_again(run, clients).items():
                sink_problems[sink] += problems
        except TestFailure as failure:
            general.append(f"checking the sessions: {failure}")
        except Aborted:
            general.append("aborted while checking the sessions")
    status = server.terminate(grace=30.0)
    if status is None:
        general.append("the server did not exit within 30 s of SIGTERM (killed)")
    elif status != 0:
        log(f"note: the server exited with status {status} after SIGTERM")

    must, maybe, must_not = expected_rows(run, clients)
    for sink, read in (("files", lambda: read_files_sink(os.path.join(work, "out"))),
                       ("db", lambda: read_sqlite_sink(os.path.join(work, "target.sqlite"))),
                       ("pg", lambda: read_postgres_sink(pg_url, staging_before))):
        rows, problems, absent = read()
        if absent and must[sink]:
            problems.append(f"{absent}, but {len(must[sink])} rows were finalized")
        # What the sink holds first, then what the sessions say.
        sink_problems[sink] = problems + compare_rows(run, sink, rows, must[sink], maybe[sink], must_not[sink]) \
            + sink_problems[sink]
    unfinished = sum(1 for c in clients for s in c.sessions if not s.finalized)
    if unfinished:
        general.append(f"{unfinished} session(s) never finalized (see above)")

    sessions = [s for c in clients for s in c.sessions]
    stats = {
        "duration": f"{time.monotonic() - run.started:.1f} s",
        "upload phase": f"{upload_seconds:.1f} s",
        "rounds": sum(c.rounds for c in clients),
        "sessions": f"{len(sessions)} ({sum(s.finalized for s in sessions)} finalized)",
        "batches acknowledged": run.acked_batches,
        "rows": sum(s.rows_sent for s in sessions),
        "kills": f"{killer.kills} during the run ({killer.batch_kills} with batches in flight, {killer.finalize_kills} "
                 f"with a finalize in flight, {killer.extra_kills} right after a restart) + {final_kills} at the end",
        "server starts": server.starts,
        "restart seconds": (f"mean {sum(server.restart_seconds) / len(server.restart_seconds):.2f}, "
                            f"max {max(server.restart_seconds):.2f}") if server.restart_seconds else "-",
    }
    stats.update(sorted(run.counters.items()))
    return report(run, general, sink_problems, stats, server)


def report(run, general, sink_problems, stats, server):
    if stats:
        log("stats: " + "; ".join(f"{k}: {v}" for k, v in stats.items()))
    failures = list(run.failures) + general
    passed = failed = 0
    if failures:
        failed += 1
        print("FAIL run:", flush=True)
        for failure in failures[:40]:
            print(f"  - {failure}", flush=True)
        if len(failures) > 40:
            print(f"  - ... and {len(failures) - 40} more", flush=True)
    for sink in SINKS:
        problems = sink_problems.get(sink)
        if problems is None:
            continue
        if problems:
            failed += 1
            print(f"FAIL {sink}:", flush=True)
            for problem in problems[:12]:
                print(f"  - {problem}", flush=True)
            if len(problems) > 12:
                print(f"  - ... and {len(problems) - 12} more", flush=True)
        else:
            passed += 1
            print(f"ok   {sink}: every row exactly once, no staging left, sessions finalized", flush=True)
    if failed:
        print(f"crash test seed: {run.seed} (re-run: bash Tests/Crash/run.sh BIN --seed {run.seed})", flush=True)
        if server:
            print("---- server log (tail) ----", flush=True)
            print(server.log_tail(40), flush=True)
            print("---- end of server log ----", flush=True)
    print(f"crash test: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
