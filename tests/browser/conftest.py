"""Real-browser tests: the app on a threaded WSGI server, driven by headless Chromium.

Each live server has a SQLite file of its own (or TEST_DATABASE_URL's database),
so these tests never share tables with the ``app`` fixture of tests/conftest.py.
CSRF is on, so every form and every htmx request must carry a valid token the way
a real browser sends it. Test code writes data straight into the server's database
through ``LiveServer.data()``, which runs in the server's app context.

No Chromium at /usr/bin/chromium: the browser tests are skipped, unless
REQUIRE_BROWSER=1, when they fail, and the run fails if none of them ran.
"""
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from cocreate import PROJECT_DIR, create_app
from cocreate.extensions import db
from tests.factories import reset_database
from tests.factories import DEFAULT_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HTMX_FILE = PROJECT_DIR / "static" / "vendor" / "htmx.min.js"
HTMX_SOURCE = PROJECT_DIR / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
BROWSER_DIR = Path(__file__).resolve().parent
# Generous, because the suite may share a small machine with other work.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def browser_required():
    return os.environ.get("REQUIRE_BROWSER") == "1"


def chromium_missing():
    return not os.access(CHROMIUM, os.X_OK)


# ── Marking, skipping, and the REQUIRE_BROWSER guard ─────────────────────────

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, so ``-m "not browser"`` leaves them all out."""
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (set REQUIRE_BROWSER=1 to make this an error)")
    for item in items:
        if BROWSER_DIR not in Path(item.fspath).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if chromium_missing() and not browser_required():
            item.add_marker(skip)


_browser_outcomes = {"selected": 0, "passed": 0}


def pytest_collection_finish(session):
    _browser_outcomes["selected"] = sum(1 for item in session.items if item.get_closest_marker("browser"))


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_outcomes["passed"] += 1


def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_BROWSER=1 a run that selected browser tests must really have run them."""
    if not browser_required() or session.config.option.collectonly:
        return
    if _browser_outcomes["passed"] == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (
            f"REQUIRE_BROWSER=1 but no browser test passed "
            f"({_browser_outcomes['selected']} selected). Is Chromium at {CHROMIUM}?"
        )
        if reporter:
            reporter.write_line(message, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ── The live server ──────────────────────────────────────────────────────────

class LiveServer:
    """The app served on 127.0.0.1 by a threaded werkzeug server, with a database of its own."""

    def __init__(self, database_url):
        self.app = create_app(
            {
                "CONFIG_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "WTF_CSRF_ENABLED": True,
                "RATELIMIT_ENABLED": False,
            }
        )
        with self.app.app_context():
            db.create_all()
            reset_database()
            db.session.remove()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()
        # A shared TEST_DATABASE_URL database must be left empty for the tests that follow.
        self.empty()
        with self.app.app_context():
            db.engine.dispose()

    @contextmanager
    def data(self):
        """Write to (or read from) the server's database: ``with live_server.data(): make_user(...)``."""
        with self.app.app_context():
            try:
                yield db.session
                db.session.commit()
            finally:
                db.session.remove()

    def empty(self):
        with self.app.app_context():
            reset_database()
            db.session.remove()


def _ensure_htmx():
    if HTMX_FILE.exists():
        return
    if not HTMX_SOURCE.exists():
        pytest.fail(f"{HTMX_FILE} is missing and so is {HTMX_SOURCE}: run `make assets` (npm install) first.")
    HTMX_FILE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HTMX_SOURCE, HTMX_FILE)


def _server_database_url(tmp_path_factory, name):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp(name) / 'live.sqlite'}"


@contextmanager
def _running_server(tmp_path_factory, name):
    _ensure_htmx()
    server = LiveServer(_server_database_url(tmp_path_factory, name)).start()
    try:
        yield server
    finally:
        server.stop()


# With TEST_DATABASE_URL every server uses that one database, so a module uses
# either ``live_server`` or ``demo_server``, never both.
@pytest.fixture(scope="module")
def _module_server(tmp_path_factory):
    with _running_server(tmp_path_factory, "live") as server:
        yield server


@pytest.fixture
def live_server(_module_server):
    """One server per test module; every test starts from empty tables."""
    _module_server.empty()
    return _module_server


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server per module seeded with the demo data, for tests that only read."""
    from cocreate.demo import seed_demo

    with _running_server(tmp_path_factory, "demo") as server:
        with server.data():
            seed_demo()
        yield server


# ── Chromium ─────────────────────────────────────────────────────────────────

@pytest.fixture(scope="session")
def browser():
    if chromium_missing():
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}; install the `chromium` package.")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """``new_page(server, javascript=True, locale="en-GB", width=1280)``: a page in a fresh context."""
    contexts = []

    def open_page(server, javascript=True, locale="en-GB", width=1280, height=900, storage_state=None):
        context = browser.new_context(
            base_url=server.url,
            java_script_enabled=javascript,
            locale=locale,
            viewport={"width": width, "height": height},
            storage_state=storage_state,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, live_server):
    return new_page(live_server)


@pytest.fixture
def page_nojs(new_page, live_server):
    return new_page(live_server, javascript=False)


def sign_in(page, email, password=DEFAULT_PASSWORD):
    """Log in through the form, the way a person does, and wait until the header shows it."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.locator(".site-header form[action='/logout']").wait_for()
    return page



def demo_page_ids():
    """Ids for the demo's challenge, idea and working-area pages (call inside ``server.data()``)."""
    from cocreate.areas.models import WorkingAreaProposal
    from cocreate.ideas.models import Idea
    from cocreate.spaces.models import Challenge, Space

    idea = db.session.scalars(
        db.select(Idea).join(Challenge, Challenge.id == Idea.challenge_id).join(Space, Space.id == Challenge.space_id)
        .where(Space.visibility == "public").order_by(Idea.vote_count.desc(), Idea.id)
    ).first()
    proposal = db.session.scalars(
        db.select(WorkingAreaProposal).where(WorkingAreaProposal.status == "proposed").order_by(WorkingAreaProposal.id)
    ).first()
    return {"space_slug": idea.challenge.space.slug, "challenge_id": idea.challenge_id, "idea_id": idea.id,
            "proposal_id": proposal.id}
