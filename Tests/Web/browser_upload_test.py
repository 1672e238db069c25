#!/usr/bin/env python3
"""Drives the page's upload form in headless Chromium over the DevTools protocol.

    python3 Tests/Web/browser_upload_test.py http://127.0.0.1:18090

Against the embedded demo: pasted NDJSON through a write session into `discard` ends with the
summary table; rows that do not parse end with the per-row errors table (line, column,
message) and an aborted session; a one-shot CSV upload into `users` ends with its summary;
an incomplete `where` in the preview shows the problem with a caret. Called by
browser_test.sh; needs `chromium` and the `websocket-client` package.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import websocket


class Browser:
    """One headless Chromium with one page, driven through Runtime.evaluate."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="sluice-cdp-")
        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + self.profile,
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = self._devtools_port()
        page = self._page_socket_url(port)
        self.socket = websocket.create_connection(page, timeout=30, suppress_origin=True)
        self.next_id = 0

    def _devtools_port(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.process.stderr.readline()
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                return int(match.group(1))
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError("chromium did not start its DevTools endpoint")

    @staticmethod
    def _page_socket_url(port):
        import urllib.request
        for _ in range(50):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                pages = [t for t in json.load(answer) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise RuntimeError("chromium has no page target")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')}: {expression[:120]}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=20):
        """Polls a JavaScript expression until it is truthy; returns its value."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for: {expression}")

    def open(self, url, ready):
        """Loads url afresh and waits until the element `ready` (a CSS selector) exists."""
        # A navigation that only changes the hash does not load a new document; go via a blank one.
        self.call("Page.navigate", url="about:blank")
        self.wait_for("location.href === 'about:blank' && document.readyState === 'complete'")
        self.call("Page.navigate", url=url)
        self.wait_for(f"document.readyState === 'complete' && !!document.querySelector({json.dumps(ready)})")

    def screenshot(self, name):
        """Saves a PNG of the page into $SCREENSHOT_DIR, when set (for looking at the page)."""
        folder = os.environ.get("SCREENSHOT_DIR")
        if not folder:
            return
        import base64
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(os.path.join(folder, name + ".png"), "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)


class Checks:
    """Prints each check as it runs and collects the failures; `finish` exits 1 if any failed."""

    def __init__(self, what):
        self.what = what
        self.failures = []

    def __call__(self, condition, message):
        print(("ok: " if condition else "FAIL: ") + message)
        if not condition:
            self.failures.append(message)

    def finish(self):
        if self.failures:
            print(f"{len(self.failures)} {self.what} check(s) failed", file=sys.stderr)
            sys.exit(1)
        print(f"all {self.what} checks passed")


def text_of(selector):
    return f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''"


def upload(browser, rows, button, content_type="application/x-ndjson"):
    browser.evaluate(f"""(() => {{
        document.querySelector('#sink-text').value = {json.dumps(rows)};
        document.querySelector('#sink-format').value = {json.dumps(content_type)};
        document.querySelector('button[value={button}]').click();
        return true; }})()""")
    # Done when the buttons are enabled again after the run started.
    browser.wait_for("document.querySelectorAll('.steps li').length > 0 && "
                     "!document.querySelector('.upload-form button[type=submit]').disabled")


def main():
    base = sys.argv[1].rstrip("/")
    browser = Browser()
    check = Checks("upload")
    try:
        browser.open(base + "/#/sinks/discard", "#sink-text")
        upload(browser, '{"id":1,"name":"ada"}\n{"id":2,"name":"grace"}\n{"id":3,"name":"linus"}\n', "session")
        steps = browser.evaluate(text_of(".steps"))
        check("Opened write session" in steps and "Finalized" in steps, f"session upload to discard runs open, upload, finalize ({steps!r})")
        check("3 rows" in steps, "the batch reports 3 rows written")
        check(bool(browser.evaluate("!!document.querySelector('.summary table tbody tr')")), "the summary is shown as a table")
        check(browser.evaluate("document.querySelector('#sink-progress').value") == 100, "the progress bar reached 100%")
        browser.screenshot("upload-done")

        upload(browser, '{"id":1,"name":"ada"}\n{"id":2,"name":\n', "session")
        problem = browser.evaluate(text_of(".problem"))
        check("Line" in problem and "Message" in problem, "a bad batch shows the errors table with line and message")
        cells = browser.evaluate("Array.from(document.querySelectorAll('.problem tbody tr td')).map(td => td.textContent)")
        check(bool(cells) and cells[0] == "2", f"the error points at line 2 ({cells!r})")
        check("Session aborted" in browser.evaluate(text_of(".steps")), "the failed session is aborted")
        check(not browser.evaluate("!!document.querySelector('.summary table')"), "no summary after a failed upload")
        browser.screenshot("upload-failed")

        browser.open(base + "/#/sinks/users", "#sink-text")
        upload(browser, "id,name\n1,ada\n2,grace\n", "oneshot", "text/csv")
        summary = browser.evaluate(text_of(".summary"))
        check("files_written" in summary and "total_rows" in summary, f"a one-shot CSV upload to users shows its summary ({summary[:120]!r})")

        browser.open(base + "/#/sources/alice", "#src-where")
        first = browser.wait_for("(document.querySelector('.results tbody td') || {}).textContent")
        check(first.startswith("Alice was beginning to get very tired"), f"#/sources/alice previews the first line ({first[:60]!r})")
        browser.screenshot("source-alice")

        browser.open(base + "/#/sources/alice?where=line%20%3D", "#src-where")
        browser.wait_for("!!document.querySelector('.problem')")
        caret = browser.evaluate(text_of(".problem .caret"))
        check(caret.startswith("line =") and caret.rstrip().endswith("^"), f"a bad where shows a caret under the expression ({caret!r})")
        check(browser.evaluate("document.querySelector('#src-where').getAttribute('aria-invalid')") == "true", "the where input is marked invalid")

        browser.open(base + "/#/sources/numbers?columns=id,name&limit=7", "#src-where")
        browser.wait_for("document.querySelectorAll('.results tbody tr').length === 7")
        headers = browser.evaluate("Array.from(document.querySelectorAll('.results th')).map(th => th.firstChild.textContent)")
        check(headers == ["id", "name"], f"columns= picks and orders the preview's columns ({headers!r})")
    finally:
        browser.close()
    check.finish()


if __name__ == "__main__":
    main()
