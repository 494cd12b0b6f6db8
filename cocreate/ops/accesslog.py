"""gunicorn's access log: one JSON object per request, made with ``json.dumps``.

gunicorn's own ``access_log_format`` fills a %-format string from a dict of every request header,
response header and environ variable (some sixty entries, built for each request) and escapes only
double quotes, so a path or user agent with a backslash or a control character made the line
invalid JSON. This logger reads the few fields it writes straight from the request, and ``json``
escapes them. ``gunicorn.conf.py`` names it as ``logger_class``; errors still go through gunicorn's
own error log.
"""
import json
import time
import traceback

from gunicorn.glogging import Logger


def access_record(status, environ, sent, request_time):
    """The fields of one access-log line (``request_time``: a ``timedelta``)."""
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "remote": environ.get("REMOTE_ADDR", "-"),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": environ.get("QUERY_STRING", ""),
        "status": int(status),
        "bytes": sent,
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "referer": environ.get("HTTP_REFERER", "-"),
        "agent": environ.get("HTTP_USER_AGENT", "-"),
    }


class JsonAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            record = access_record(resp.status, environ, getattr(resp, "sent", None), request_time)
            self.access_log.info("%s", json.dumps(record))
        except Exception:
            self.error(traceback.format_exc())
