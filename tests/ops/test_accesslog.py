"""The production access log (cocreate/ops/accesslog.py): one valid JSON object per request."""
import json
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from cocreate import PROJECT_DIR
from cocreate.ops.accesslog import JsonAccessLogger


@pytest.fixture
def make_logger():
    """A logger as gunicorn sets one up; its log files are closed after the test (gunicorn's
    loggers are process-wide, and a new one would otherwise leave the old handlers open)."""
    made = []

    def make(access_path=None):
        config = Config()
        if access_path:
            config.set("accesslog", str(access_path))
        logger = JsonAccessLogger(config)
        made.append(logger)
        return logger

    yield make
    for logger in made:
        for log in (logger.access_log, logger.error_log):
            for handler in list(log.handlers):
                handler.close()
                log.removeHandler(handler)


def _environ(**extra):
    return {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "PATH_INFO": "/spaces", "QUERY_STRING": "",
            "RAW_URI": "/spaces", "SERVER_PROTOCOL": "HTTP/1.1", **extra}


def test_gunicorn_uses_the_json_access_logger():
    settings = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    assert settings["logger_class"] == "cocreate.ops.accesslog.JsonAccessLogger"
    assert "access_log_format" not in settings


def test_a_request_is_one_json_line_with_its_fields(tmp_path, make_logger):
    path = tmp_path / "access.log"
    logger = make_logger(path)
    response = SimpleNamespace(status="404 NOT FOUND", sent=1234, headers=[])
    environ = _environ(REQUEST_METHOD="POST", PATH_INFO="/spaces/x/vote", QUERY_STRING="from=idea",
                       HTTP_REFERER="https://example.org/", HTTP_USER_AGENT="Mozilla/5.0")
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12, microseconds=345))
    [line] = path.read_text().splitlines()
    record = json.loads(line)
    assert record["method"] == "POST"
    assert record["path"] == "/spaces/x/vote"
    assert record["query"] == "from=idea"
    assert record["status"] == 404
    assert record["bytes"] == 1234
    assert record["duration_ms"] == 12.3
    assert record["referer"] == "https://example.org/"
    assert record["agent"] == "Mozilla/5.0"
    assert record["remote"] == "127.0.0.1"
    assert record["time"][:4].isdigit() and "T" in record["time"]


def test_quotes_backslashes_and_control_characters_stay_valid_json(tmp_path, make_logger):
    """gunicorn's format string escaped only double quotes: a backslash made the line invalid."""
    path = tmp_path / "access.log"
    logger = make_logger(path)
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    path_info = 'C:\\boot.ini"\x1b[31m\n'
    agent = 'evil "agent" \\ with \t tab'
    logger.access(response, SimpleNamespace(headers=[]), _environ(PATH_INFO=path_info, HTTP_USER_AGENT=agent),
                  timedelta(seconds=1))
    lines = path.read_text().splitlines()
    assert len(lines) == 1, "a newline in the path must not split the line"
    record = json.loads(lines[0])
    assert record["path"] == path_info
    assert record["agent"] == agent
    assert record["duration_ms"] == 1000.0

