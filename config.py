"""Configuration classes, read from the environment.

Pick one with ``COCREATE_CONFIG`` (development, testing, production); the
default is development so that a fresh clone runs with no settings at all.
"""
import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default):
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'cocreate.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")

    LANGUAGES = ("en", "da")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    # Rate limits (Flask-Limiter syntax); storage is Redis when REDIS_URL is set.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # If Redis goes away the site keeps serving, counting in memory until it is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # No X-RateLimit-* headers: nothing here reads them, and they cost two Redis reads on every
    # limited request (a quarter of a vote's time in the bench). A 429 still says Retry-After
    # (``web/errors.py``).
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_AUTH = os.environ.get("RATELIMIT_AUTH", "10 per minute;50 per hour")
    # Per person (the signed-in account, or the account a log-in form names) and per address;
    # an address is shared by a whole office, so its limits are wider. See cocreate/web/limits.py.
    RATELIMIT_AUTH_PERSON = os.environ.get("RATELIMIT_AUTH_PERSON", "5 per minute;20 per hour")
    RATELIMIT_POSTING = os.environ.get("RATELIMIT_POSTING", "10 per minute;200 per hour")
    RATELIMIT_POSTING_ADDRESS = os.environ.get("RATELIMIT_POSTING_ADDRESS", "60 per minute;1000 per hour")
    RATELIMIT_VOTING = os.environ.get("RATELIMIT_VOTING", "30 per minute")
    RATELIMIT_VOTING_ADDRESS = os.environ.get("RATELIMIT_VOTING_ADDRESS", "300 per minute")

    # Mail: "log" writes messages to the application log, "smtp" sends them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Cocreate <noreply@cocreate.local>")

    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    # Notification e-mail: "inline" sends during the request, "rq" queues it for `flask worker` on REDIS_URL.
    MAIL_QUEUE = os.environ.get("MAIL_QUEUE", "inline")
    SITE_URL = os.environ.get("SITE_URL", "")  # the site's address in e-mails sent from commands and the worker
    UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600  # seconds an unsubscribe link keeps working
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(20 * 1024 * 1024)))
    PAGE_SIZE = 20
    # Anonymous views of public pages, cached in Redis (cocreate/web/pagecache.py); needs REDIS_URL.
    PAGE_CACHE = _env_bool("PAGE_CACHE", True)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    # The programme dashboard's figures, per viewer and filter, are recounted at most this often (needs REDIS_URL).
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "120"))
    QUERY_COUNT_HEADER = _env_bool("QUERY_COUNT_HEADER")  # bench only: see cocreate/ops/querycount.py
    SECURITY_HSTS = False
    DEMO_DATA_ALLOWED = False

    # Data sets: files live here by content hash (default: instance/uploads), never under static/.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")
    DATASET_XLSX_MAX_UNCOMPRESSED = int(os.environ.get("DATASET_XLSX_MAX_UNCOMPRESSED", str(200 * 1024 * 1024)))
    RATELIMIT_UPLOAD = os.environ.get("RATELIMIT_UPLOAD", "20 per hour")
    RATELIMIT_UPLOAD_ADDRESS = os.environ.get("RATELIMIT_UPLOAD_ADDRESS", "100 per hour")


class DevelopmentConfig(Config):
    DEBUG = True
    DEMO_DATA_ALLOWED = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # conftest points it at TEST_DATABASE_URL
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    PAGE_CACHE = False
    MAIL_BACKEND = "memory"
    DEMO_DATA_ALLOWED = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Tests that look at files set their own tmp_path; the rest must not write into instance/. One folder
    # per process: `make test` runs the SQLite and PostgreSQL passes side by side, each with its own files.
    UPLOAD_FOLDER = os.path.join(tempfile.gettempdir(), f"cocreate-test-uploads-{os.getpid()}")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECURITY_HSTS = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_QUEUE = os.environ.get("MAIL_QUEUE", "rq" if os.environ.get("REDIS_URL") else "inline")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
