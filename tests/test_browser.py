"""The browser checks (issue 7 item 8, issue 12 items 5, 6 and 8): the briefing in headless Chromium, offline.

Debian's ``chromium`` is started headless with background networking,
component updates and sync disabled, a fresh profile, and every host name
resolving to nothing. The tests drive it through the DevTools protocol
(``websocket-client``) and assert:

* for ``index.html`` and one notebook page of the fixture and the sample briefing:
  no request left the file (every request is ``file:`` or ``data:``), every
  ``<img>`` decoded, and every table-of-contents link of a page targets an element;
* for every page and the index of the sample briefing, in Norwegian and English:
  **axe-core** (Deque's accessibility engine, pinned to :data:`AXE_VERSION`) finds
  no violation of the WCAG 2.1 A and AA rules (tags ``wcag2a``, ``wcag2aa``,
  ``wcag21a``, ``wcag21aa``; the tags are not cumulative, so all four are given)
  nor of its ``region`` rule (all content inside landmarks); each page has exactly
  one ``<h1>``, a ``main`` and a ``header`` or ``nav`` landmark, and every image an
  alt text of its own (never nbconvert's default "No description has been provided
  for this image");
* at a 390 px wide phone viewport, no figure is wider than the page and the
  smallest chart text (:data:`salto_analysis.plots.MIN_FONT_PT`) is drawn at 9 CSS
  px or more.

* issue 12: at 390 px no page scrolls sideways; with print media at the width of the A4
  page box no element reaches past its right edge and every folded block is open; the
  PDF of every page is made (page counts in ``test-artifacts/pdf-pages.json``); the
  index's key findings fit its first screen at 1280x900, and every notebook page has a
  folded technical appendix (screens per page in ``test-artifacts/screens.json``).

Screenshots go to ``test-artifacts/`` (git-ignored).

**What the checks need and how they get it.** Chromium (``apt-get install -y
chromium``) and axe-core from the npm registry: the test uses ``$SALTO_AXE_JS``
when set, else ``build/axe/node_modules/axe-core/axe.min.js`` (git-ignored), and
installs it there with ``npm install`` when it is missing. ``.ci/run`` installs
both before the tests. A missing Chromium, websocket-client or axe-core **fails**
the tests; only outside CI, with ``SALTO_BROWSER_TESTS=skip`` set, do they skip
(with the reason) instead, for a machine that cannot have a browser.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from fixtures.briefing.support import ROOT, briefing_run, fixture_run, sample_briefing

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-allow-origins=*", "--remote-debugging-port=0",
    "--window-size=1280,900",
]
#: The axe-core release the checks run (npm package ``axe-core``).
AXE_VERSION = "4.11.4"
AXE_DIR = ROOT / "build" / "axe"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"


def missing(reason: str):
    """Fail, or skip when the developer said so outside CI (SALTO_BROWSER_TESTS=skip)."""
    if os.environ.get("SALTO_BROWSER_TESTS") == "skip" and os.environ.get("CI", "").lower() not in ("1", "true"):
        pytest.skip(f"browser check skipped (SALTO_BROWSER_TESTS=skip): {reason}")
    pytest.fail(f"browser check cannot run: {reason} (.ci/run installs what it needs; set "
                "SALTO_BROWSER_TESTS=skip to skip on a machine without a browser)", pytrace=False)


try:
    import websocket
except ImportError:  # pragma: no cover - the dev extra installs it
    websocket = None


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
    if CHROMIUM is None:
        missing("Debian's chromium is not installed (apt-get install -y chromium)")
    if websocket is None:
        missing("websocket-client is not installed (pip install -e .[dev])")
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


def open_page(port: int, path: Path, width: int | None = None) -> tuple[DevTools, list[str]]:
    """Load ``path`` in a new tab (``width`` CSS px wide, as a phone, when given); return the client and
    every URL the page requested."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=30) as resp:
        target = json.load(resp)
    tools = DevTools(target["webSocketDebuggerUrl"])
    tools.send("Network.enable")
    tools.send("Page.enable")
    tools.send("Runtime.enable")
    if width is not None:
        tools.send("Emulation.setDeviceMetricsOverride", width=width, height=844, deviceScaleFactor=2, mobile=True)
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
    sample = sample_briefing(tmp_path_factory.getbasetemp() / "briefing-sample")
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
            assert images, "the notebook page has a figure"

        if page == "index.html":  # the index opens with its findings, not a table of contents; its links to
            # other pages are checked in tests/test_briefing_sample.py
            assert tools.evaluate("document.querySelectorAll('main a[href]').length") > 0
        else:
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


# --------------------------------------------------------------------------- accessibility


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The text of axe.min.js (:data:`AXE_VERSION`), installed from the npm registry when missing."""
    given = os.environ.get("SALTO_AXE_JS")
    path = Path(given) if given else AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    package = path.parent / "package.json"
    if not given and not (path.is_file() and json.loads(package.read_text())["version"] == AXE_VERSION):
        npm = shutil.which("npm")
        if npm is None:
            missing(f"axe-core is not in {AXE_DIR} and npm is not installed to get it (apt-get install -y npm)")
        proc = subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "--no-save", "--no-audit", "--no-fund",
                               "--no-package-lock", f"axe-core@{AXE_VERSION}"], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0 or not path.is_file():
            missing(f"npm install axe-core@{AXE_VERSION} failed: {proc.stderr.strip()[-500:]}")
    if not path.is_file():
        missing(f"SALTO_AXE_JS={given} is not a file")
    return path.read_text(encoding="utf-8")


def run_axe(tools: DevTools, source: str, *, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations on the open page: WCAG 2.1 A/AA by tag, or the named ``rules``."""
    if not tools.evaluate("typeof axe !== 'undefined'"):
        tools.evaluate(source + "\n;1")
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = tools.evaluate(
        f"axe.run(document, {{runOnly: {json.dumps(only)}, resultTypes: ['violations']}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.html.slice(0, 160))})))")
    return result


PAGE_FACTS = (
    "({h1: document.querySelectorAll('h1').length,"
    " main: document.querySelectorAll('main, [role=main]').length,"
    " header_or_nav: document.querySelectorAll('body > header, nav, [role=banner], [role=navigation]').length,"
    " footer: document.querySelectorAll('body > footer, [role=contentinfo]').length,"
    " lang: document.documentElement.lang,"
    " alts: Array.from(document.images).map(i => i.getAttribute('alt')),"
    " figures: document.querySelectorAll('figure.salto-figure').length,"
    " tables: document.querySelectorAll('figure.salto-figure details table').length})"
)


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    """The sample briefing in both languages (the Norwegian run is shared with the other briefing tests)."""
    base = tmp_path_factory.getbasetemp() / "briefing-sample"
    nb = sample_briefing(base)
    en = briefing_run(base, "english", "--jobs", "2", "--lang", "en", "--previous", str(base / "first" / "2024"))
    assert nb.returncode == 0, nb.stderr
    assert en.returncode == 0, en.stderr
    return {"nb": nb.out, "en": en.out}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_page_passes_axe_and_has_one_h1_landmarks_and_real_alt_texts(browser, axe_source, sample_runs, lang):
    pages = sorted(sample_runs[lang].glob("*.html"))
    assert [p.name for p in pages][-1] == "index.html" and len(pages) >= 6
    problems: dict[str, list] = {}
    for page in pages:
        tools, _ = open_page(browser, page)
        try:
            found = []
            violations = run_axe(tools, axe_source) + run_axe(tools, axe_source, rules=[
                "region", "landmark-one-main", "page-has-heading-one"])
            # again with every folded block open: the data tables beside the figures, the appendix
            tools.evaluate("document.querySelectorAll('details').forEach(d => d.open = true); 1")
            violations += [v for v in run_axe(tools, axe_source) if v["id"] not in {w["id"] for w in violations}]
            for v in violations:
                found.append(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:3]}")
            facts = tools.evaluate(PAGE_FACTS)
            if facts["h1"] != 1:
                found.append(f"{facts['h1']} h1 elements")
            if facts["main"] != 1 or facts["header_or_nav"] < 1 or facts["footer"] != 1:
                found.append(f"landmarks: {facts}")
            if facts["lang"] != lang:
                found.append(f"<html lang={facts['lang']!r}>")
            if any(not alt or not alt.strip() or alt == NBCONVERT_DEFAULT_ALT for alt in facts["alts"]):
                found.append(f"images without their own alt text: {facts['alts']}")
            if page.name != "index.html" and facts["figures"] != facts["tables"]:
                found.append(f"{facts['figures']} figures but {facts['tables']} data tables beside them")
            if found:
                problems[page.name] = found
        finally:
            tools.close()
    assert problems == {}


def test_axe_sees_what_it_should(browser, axe_source, tmp_path):
    """Negative control: a low-contrast text, an image without alt text and a second h1 are all caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="nb"><head><title>x</title></head><body><main><h1>A</h1>'
                    '<p style="color:#767676;background:#f5f5f5">usikker 13</p>'
                    f'<img src="data:image/png;base64,{PNG_1PX}"><h1>B</h1></main></body></html>', encoding="utf-8")
    tools, _ = open_page(browser, page)
    try:
        ids = {v["id"] for v in run_axe(tools, axe_source)}
        assert {"color-contrast", "image-alt"} <= ids
        assert tools.evaluate(PAGE_FACTS)["h1"] == 2
    finally:
        tools.close()


PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def test_figures_fit_a_phone_and_their_text_stays_readable(browser, sample_runs):
    from salto_analysis import plots

    checked = 0
    for page in sorted(sample_runs["nb"].glob("0*.html")):
        tools, _ = open_page(browser, page, width=390)
        try:
            images = tools.evaluate(
                "Array.from(document.querySelectorAll('figure.salto-figure img')).map(i => {"
                " const r = i.getBoundingClientRect();"
                " return {shown: r.width, natural: i.naturalWidth, right: r.right, viewport: innerWidth}; })")
            tools.evaluate("document.querySelectorAll('figure.salto-figure details').forEach(d => d.open = true); 1")
            figures = tools.evaluate(
                "Array.from(document.querySelectorAll('figure.salto-figure')).map(f => {"
                " const r = f.getBoundingClientRect(); return {right: r.right, scroll: f.scrollWidth,"
                " client: f.clientWidth, viewport: innerWidth}; })")
            for fig in figures:  # the open data table scrolls inside its box, not the page
                assert fig["right"] <= fig["viewport"] + 0.5 and fig["scroll"] <= fig["client"] + 1, (page.name, fig)
            for img in images:
                assert img["right"] <= img["viewport"] + 0.5, f"{page.name}: a figure is wider than the phone: {img}"
                # the PNG has SCALE pixels per CSS pixel of the figure; text of MIN_FONT_PT at DPI CSS px per inch
                scale = img["shown"] / (img["natural"] / plots.SCALE)
                smallest = plots.MIN_FONT_PT * plots.DPI / 72 * scale
                assert smallest >= 9.0, f"{page.name}: chart text {smallest:.1f} px at 390 px"
                checked += 1
            if images:
                shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
                ARTIFACTS.mkdir(exist_ok=True)
                (ARTIFACTS / f"phone-{page.stem}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            tools.close()
    assert checked >= 10


# --------------------------------------------------------------------------- phone, print and PDF (issue 12 items 7, 8)

#: The printed page box: A4 (210 mm) less the side margins of briefing.css (2 x 12 mm), in CSS px (96 per inch).
PRINT_BOX_PX = int((210 - 2 * 12) / 25.4 * 96)

OVERFLOW = (
    "(() => { const w = document.documentElement.clientWidth; const out = [];"
    " document.querySelectorAll('body *').forEach(e => { const r = e.getBoundingClientRect();"
    "  if (r.width > 0 && r.right > w + 1) { const box = e.parentElement && e.parentElement.closest('table');"
    "   out.push({tag: e.tagName, cls: String(e.className).slice(0, 40), right: Math.round(r.right),"
    "             inTable: !!(box || e.tagName === 'TABLE')}); } });"
    " return {scroll: document.documentElement.scrollWidth, width: w, over: out}; })()"
)


def test_no_page_scrolls_sideways_at_phone_width(browser, sample_runs):
    """At 390 px no page (index and appendix included) scrolls sideways: text wraps, and a data table
    too wide to wrap scrolls inside its own box (WCAG 1.4.10 exempts data tables)."""
    problems = {}
    for page in sorted(sample_runs["nb"].glob("*.html")):
        tools, _ = open_page(browser, page, width=390)
        try:
            facts = tools.evaluate(OVERFLOW)
            outside = [o for o in facts["over"] if not o["inTable"]]
            if facts["scroll"] > facts["width"] or outside:
                problems[page.name] = (facts["scroll"], facts["width"], outside[:5])
        finally:
            tools.close()
    assert problems == {}


def test_printed_pages_fit_the_page_box_and_open_every_folded_block(browser, sample_runs):
    """With print media at the width of the printed page box, no element reaches past its right edge
    (no table cut off) and every folded block (caution box, figure data) is shown."""
    problems = {}
    for page in sorted(sample_runs["nb"].glob("*.html")):
        tools, _ = open_page(browser, page)
        try:
            tools.send("Emulation.setEmulatedMedia", media="print")
            tools.send("Emulation.setDeviceMetricsOverride", width=PRINT_BOX_PX, height=1000, deviceScaleFactor=1,
                       mobile=False)
            time.sleep(0.3)
            facts = tools.evaluate(OVERFLOW)
            hidden = tools.evaluate(
                "Array.from(document.querySelectorAll('details > :not(summary)'))"
                ".filter(e => e.getBoundingClientRect().height === 0).length")
            if facts["scroll"] > facts["width"] or facts["over"] or hidden:
                problems[page.name] = (facts["scroll"], facts["width"], facts["over"][:5], hidden)
        finally:
            tools.close()
    assert problems == {}


def test_pdf_of_every_page_with_its_page_count(sample_runs, tmp_path):
    """salto-briefing's PDF step prints the index, each page and the appendix; the page counts are
    written to test-artifacts/pdf-pages.json."""
    from salto_analysis.briefing import pdf

    if CHROMIUM is None:
        missing("Debian's chromium is not installed (apt-get install -y chromium)")
    folder = tmp_path / "briefing"
    shutil.copytree(sample_runs["nb"], folder, ignore=shutil.ignore_patterns("tables", "pdf"))
    printed, reason = pdf.print_briefing(folder, CHROMIUM)
    assert reason is None
    names = [p.pdf.name for p in printed]
    assert names[0] == "index.pdf" and names[-1] == "flagged.pdf" and len(names) == len(list(folder.glob("*.html")))
    counts = {p.pdf.name: p.pages for p in printed}
    for p in printed:
        assert p.pdf.read_bytes().startswith(b"%PDF-") and p.pages >= 1, p
    assert counts["index.pdf"] <= 4, counts  # the briefing's front page stays short on paper too
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pdf-pages.json").write_text(json.dumps(counts, indent=1), encoding="utf-8")


def test_key_findings_on_the_first_screen_and_reviewer_layers_measured(browser, sample_runs):
    """At 1280x900 the index shows its title, banner and every key finding on the first screen; each
    notebook page has a folded technical appendix below a shorter reviewer layer. The screens of each
    page (reviewer layer, and whole with the appendix open) go to test-artifacts/screens.json."""
    screens = {}
    for page in sorted(sample_runs["nb"].glob("*.html")):
        tools, _ = open_page(browser, page)
        try:
            facts = tools.evaluate(
                "(() => { const a = document.querySelector('details.salto-appendix');"
                " const top = a ? a.getBoundingClientRect().top + scrollY : document.documentElement.scrollHeight;"
                " const open = a ? a.open : null;"
                " document.querySelectorAll('details.salto-appendix').forEach(d => d.open = true);"
                " const whole = document.documentElement.scrollHeight;"
                " const f = Array.from(document.querySelectorAll('li.salto-finding'));"
                " const h1 = document.querySelector('h1').getBoundingClientRect().bottom;"
                " return {reviewer: top, whole: whole, appendix: !!a, folded: open === false, h1: h1,"
                "  findings: f.length, last: f.length ? f[f.length - 1].getBoundingClientRect().bottom : null}; })()")
        finally:
            tools.close()
        screens[page.name] = {"reviewer": round(facts["reviewer"] / 900, 2), "whole": round(facts["whole"] / 900, 1)}
        if page.name == "index.html":
            assert 5 <= facts["findings"] <= 8 and facts["last"] <= 900 and facts["h1"] < 200, facts
        elif page.name[0].isdigit():
            assert facts["appendix"] and facts["folded"], (page.name, facts)
            assert facts["reviewer"] < facts["whole"], (page.name, facts)
            # the reviewer layer of a page: at most 5 screens (issue 12)
            assert facts["reviewer"] <= 5 * 900, (page.name, round(facts["reviewer"] / 900, 2))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "screens.json").write_text(json.dumps(screens, indent=1), encoding="utf-8")
