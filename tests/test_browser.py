"""The browser check (issue 7, item 8): open the briefing in headless Chromium, offline.

Debian's ``chromium`` is started headless with background networking,
component updates and sync disabled, a fresh profile, and every host name
resolving to nothing. The test drives it through the DevTools protocol
(``websocket-client``) and asserts, for ``index.html`` and one notebook page:

* no request left the file: every request the page made is ``file:`` or ``data:``;
* every ``<img>`` decoded (``complete`` and ``naturalWidth > 0``);
* every table-of-contents link, followed, targets an element of the page.

It checks the fixture briefing and the real briefing on ``data/sample``.

A full-page screenshot of each is saved in ``test-artifacts/`` (git-ignored).
Without Chromium the tests skip and say why; ``.ci/run`` installs it.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from fixtures.briefing.support import ROOT, briefing_run, fixture_run

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-allow-origins=*", "--remote-debugging-port=0",
    "--window-size=1280,900",
]

if CHROMIUM is None:
    pytest.skip("browser check skipped: Debian's chromium is not installed (apt-get install -y chromium; "
                ".ci/run installs it)", allow_module_level=True)
websocket = pytest.importorskip("websocket", reason="browser check skipped: websocket-client is not installed "
                                                    "(pip install -e .[dev])")


# Follow each contents link the way a reader does, and ask the browser which element it targets.
FOLLOW_TOC = (
    "Array.from(document.querySelectorAll('nav.salto-toc a')).map(a => {"
    " location.hash = a.getAttribute('href');"
    " const t = document.querySelector(':target');"
    " return {href: a.getAttribute('href'), found: t !== null && t !== a}; })"
)


class DevTools:
    """A minimal DevTools-protocol client for one page target."""

    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            self.events.append(msg)
            if msg.get("method") == method:
                return msg
        raise TimeoutError(f"no {method} within {timeout} s")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while not (port_file.is_file() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"chromium did not start (exit status {proc.poll()})")
        time.sleep(0.1)
    port = int(port_file.read_text().splitlines()[0])
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def open_page(port: int, path: Path) -> tuple[DevTools, list[str]]:
    """Load ``path`` in a new tab; return the client and every URL the page requested."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=30) as resp:
        target = json.load(resp)
    tools = DevTools(target["webSocketDebuggerUrl"])
    tools.send("Network.enable")
    tools.send("Page.enable")
    tools.send("Runtime.enable")
    tools.send("Page.navigate", url=path.as_uri())
    tools.wait_for("Page.loadEventFired")
    time.sleep(0.5)  # let late requests (fonts, lazy images) show up
    tools.evaluate("1")  # drain pending events
    urls = [e["params"]["request"]["url"] for e in tools.events if e.get("method") == "Network.requestWillBeSent"]
    return tools, urls


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture briefing and the real briefing on data/sample (runs shared with the other tests)."""
    fixture = fixture_run(tmp_path_factory, "fixture")
    assert fixture.returncode == 0, fixture.stderr
    sample = briefing_run(tmp_path_factory.getbasetemp() / "briefing-sample", "first", "--jobs", "2")
    assert sample.returncode == 0, sample.stderr
    return {"fixture": fixture.out, "sample": sample.out}


@pytest.mark.parametrize(("run", "page"), [("fixture", "index.html"), ("fixture", "ok_table.html"),
                                           ("sample", "index.html"), ("sample", "00_data_quality.html")])
def test_page_is_offline_images_decode_and_toc_resolves(browser, published, run, page):
    tools, urls = open_page(browser, published[run] / page)
    try:
        assert urls, "the page itself should have been requested"
        foreign = [u for u in urls if not u.startswith(("file:", "data:"))]
        assert foreign == [], f"{page} requested other hosts: {foreign}"

        images = tools.evaluate(
            "Array.from(document.images).map(i => ({src: i.src.slice(0, 40), ok: i.complete && i.naturalWidth > 0}))"
        )
        assert all(img["ok"] for img in images), f"{page}: images that did not decode: {images}"
        if page != "index.html":
            assert images, "the notebook page has a matplotlib figure"

        links = tools.evaluate(FOLLOW_TOC)
        assert links, f"{page} has no table of contents"
        assert all(link["found"] for link in links), f"{page}: unresolved contents links: {links}"

        shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"briefing-{run}-{Path(page).stem}.png"
        target.write_bytes(base64.b64decode(shot["data"]))
        assert target.stat().st_size > 1000
    finally:
        tools.close()


def test_the_check_sees_requests_to_other_hosts(browser, tmp_path):
    """Negative control: a CDN script, a remote image and a broken contents link are all caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.example.org/x.js"></script></head>'
                    '<body><img src="http://img.example.org/a.png"><nav class="salto-toc"><a href="#here">ok</a>'
                    '<a href="#nowhere">broken</a></nav><h2 id="here">Here</h2></body></html>', encoding="utf-8")
    tools, urls = open_page(browser, page)
    try:
        foreign = sorted(u for u in urls if not u.startswith(("file:", "data:")))
        assert foreign == ["http://img.example.org/a.png", "https://cdn.example.org/x.js"]
        assert tools.evaluate("document.images[0].naturalWidth") == 0
        assert tools.evaluate(FOLLOW_TOC) == [{"href": "#here", "found": True}, {"href": "#nowhere", "found": False}]
    finally:
        tools.close()
