#!/usr/bin/env python3
"""The page against a server that checks access tokens, in headless Chromium.

    python3 Tests/Web/browser_auth_test.py http://127.0.0.1:18091 TOKEN

The server serves the demo with one token (`web`, scopes read:alice and write:discard). The
page first lists nothing and asks for a token; with the token it lists what the token may
use, says which token is in use, previews a source and uploads into a sink; the token lives
in sessionStorage (this tab only: not in localStorage, not in a cookie) and survives a
reload; "Forget token" removes it and the page asks again. Needs `chromium` and
`websocket-client` (browser_test.sh installs both).
"""
import json
import sys

from browser_upload_test import Browser, Checks, text_of, upload


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    browser = Browser()
    check = Checks("access-token page")
    try:
        browser.open(base + "/", "#auth-panel")
        browser.wait_for("!document.querySelector('#auth-panel').hidden")
        status = browser.evaluate(text_of("#auth-status"))
        check("needs an access token" in status, f"the page asks for a token ({status!r})")
        check(browser.evaluate("document.querySelectorAll('#connector-list li[data-name]').length") == 0, "nothing is listed without a token")
        check(browser.evaluate("document.querySelector('#auth-token').type") == "password", "the token field hides what is typed")
        browser.screenshot("auth-asks")

        browser.evaluate(f"""(() => {{
            document.querySelector('#auth-token').value = {json.dumps(token)};
            document.querySelector('#auth-use').click();
            return true; }})()""")
        browser.wait_for("document.querySelectorAll('#connector-list li[data-name]').length > 0")
        names = browser.evaluate("Array.from(document.querySelectorAll('#connector-list li[data-name]')).map(li => li.dataset.name).sort()")
        check(names == ["alice", "discard"], f"the page lists what the token may use ({names!r})")
        in_use = browser.wait_for(f"({text_of('#auth-status')}).includes('web') && {text_of('#auth-status')}")
        check("Using token 'web'" in in_use, f"the page says which token is in use ({in_use!r})")
        check(browser.evaluate("sessionStorage.getItem('sluice.token')") == token, "the token is kept in sessionStorage")
        check(browser.evaluate("localStorage.length") == 0 and browser.evaluate("document.cookie") == "",
              "nothing in localStorage or cookies")
        check(not browser.evaluate("document.querySelector('#auth-forget').hidden"), "a Forget token button is offered")
        browser.screenshot("auth-in-use")

        browser.open(base + "/#/sources/alice", "#src-where")
        first = browser.wait_for("(document.querySelector('.results tbody td') || {}).textContent")
        check(first.startswith("Alice was beginning"), f"the preview streams with the token after a reload ({first[:40]!r})")

        browser.open(base + "/#/sinks/discard", "#sink-text")
        upload(browser, '{"id":1}\n{"id":2}\n', "session")
        steps = browser.evaluate(text_of(".steps"))
        check("Finalized" in steps, f"a session upload with the token runs to its summary ({steps[:120]!r})")

        browser.evaluate("document.querySelector('#auth-forget').click(), true")
        browser.wait_for(f"({text_of('#auth-status')}).includes('needs an access token')")
        check(browser.evaluate("sessionStorage.getItem('sluice.token')") is None, "Forget token removes it")
        check(browser.evaluate("document.querySelectorAll('#connector-list li[data-name]').length") == 0, "nothing is listed once it is forgotten")
        check(not browser.evaluate("document.querySelector('#auth-token').hidden"), "the page asks for a token again")
    finally:
        browser.close()
    check.finish()


if __name__ == "__main__":
    main()
