from cocreate.accounts.models import User
from cocreate.extensions import db


def test_seed_demo_is_idempotent_and_prints_logins(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "participant@example.org / cocreate-demo" in first.output
    count = db.session.scalar(db.select(db.func.count()).select_from(User))
    second = runner.invoke(args=["seed-demo"])
    assert "nothing new" in second.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == count >= 15


def test_demo_accounts_can_log_in(runner, auth):
    runner.invoke(args=["seed-demo"])
    for email in ("admin@example.org", "facilitator@example.org", "lsg@example.org", "participant@example.org"):
        assert auth.login(email, "cocreate-demo").status_code == 303, email
        auth.logout()


def test_demo_data_only_in_development(runner, app):
    app.config["DEMO_DATA_ALLOWED"] = False
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "only in development" in result.output
