"""Run the site as real processes and talk to it like a browser, for the benchmark and the
scale-out, fault and load tests.

Only the standard library: ``http.client`` with a small cookie jar that also sends cookies
marked ``Secure`` (the production profile marks them so, and these servers speak plain HTTP
on 127.0.0.1).
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "benchmark-and-scale-tests-secret-key-not-for-production"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- databases ------------------------------------------------------------------------------

def _admin_conninfo(url):
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    return parts._replace(path="/postgres").geturl(), parts.path.lstrip("/")


def recreate_database(url, name):
    """Drop and create database ``name`` on the server of ``url``; returns its SQLAlchemy URL."""
    admin, _current = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()


def drop_database(url):
    admin, name = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_schema(url):
    """The tables and the six barriers, through the models (what ``flask db upgrade`` builds)."""
    from cocreate import create_app
    from cocreate.extensions import db
    from cocreate.spaces.barriers import ensure_barriers

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        ensure_barriers()
        db.session.commit()
        db.engine.dispose()
    return app


# --- app servers ----------------------------------------------------------------------------

class Server:
    """``gunicorn wsgi:app`` with the production profile on a free port of 127.0.0.1."""

    def __init__(self, database_url, redis_url=None, workers=1, threads=4, app="wsgi:app", log_path=None, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "COCREATE_CONFIG": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "LOG_LEVEL": "warning",
            "MAIL_BACKEND": "log",
            **{key: str(value) for key, value in env.items()},
        }
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        else:
            self.env.pop("REDIS_URL", None)
        self.app = app
        self.ready_path = "/healthz" if app == "wsgi:app" else "/"
        self.log_path = log_path
        self.process = None

    def start(self, timeout=90):
        if self.log_path is None:
            self.log_path = tempfile.mktemp(prefix=f"gunicorn-{self.port}-", suffix=".log")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", os.devnull,
                 self.app],
                cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                # Any answer will do (a 503 too): it means a worker has loaded the app.
                Visitor(self.base, timeout=max(1, deadline - time.monotonic())).get(self.ready_path)
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not listen on {self.port} within {timeout} s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- a visitor ------------------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def csrf_token(self):
        match = CSRF_FIELD.search(self.text) or CSRF_HEADER.search(self.text)
        return match.group(1) if match else None


class Visitor:
    """One browser: a cookie jar and the CSRF token of the last page it saw."""

    def __init__(self, base, timeout=10):
        self.base = base
        self.timeout = timeout
        self.cookies = {}
        self.csrf = None

    def with_base(self, base):
        """The same browser (cookies, token) pointed at another app server."""
        other = Visitor(base, self.timeout)
        other.cookies, other.csrf = self.cookies, self.csrf
        return other

    def request(self, method, path, data=None, headers=None, files=None):
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        all_headers = {"Host": parts.netloc, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, all_headers["Content-Type"] = _multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        token = response.csrf_token() if response.headers.get("Content-Type", "").startswith("text/html") else None
        if token:
            self.csrf = token
        return response

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data=None, headers=None, files=None):
        """A form post; ``files`` ({field: (file name, bytes)}) makes it multipart."""
        if self.csrf is None:
            self.get("/login")
        return self.request("POST", path, data={"csrf_token": self.csrf, **(data or {})}, headers=headers,
                            files=files)

    def login(self, email, password):
        self.get("/login")
        response = self.post("/login", {"email": email, "password": password})
        if response.status == 303:
            self.get("/")  # a new session after log-in, so a new CSRF token
        return response


def _multipart(fields, files):
    """(body, content type) of a multipart/form-data post, as a browser sends a form with a file."""
    boundary = f"----cocreate{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
