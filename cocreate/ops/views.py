from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("ops", __name__)


def _check_database():
    db.session.execute(text("SELECT 1"))
    return "ok"


def _check_redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    return "ok"


@bp.route("/healthz")
def healthz():
    """200 when the database (and Redis, where configured) answer; 503 naming what failed."""
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            checks[name] = check()
        except Exception as error:  # any failure of a dependency makes the node unhealthy
            checks[name] = f"error: {type(error).__name__}"
            healthy = False
    if not healthy:
        db.session.rollback()
    response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
