"""``flask send-reminders``, ``flask send-digests`` (for cron) and ``flask worker`` (the mail queue)."""
import click
from flask import current_app


def init_app(app):
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_digests_command)
    app.cli.add_command(worker_command)


def _site_context():
    """Links in e-mail need the site's address; commands have no request to take it from."""
    from .delivery import site_url

    return current_app.test_request_context(base_url=site_url())


@click.command("send-reminders")
def send_reminders_command():
    """Remind registered people of workshops starting within 24 hours (safe to run every few minutes)."""
    from .notify import send_reminders

    with _site_context():
        created = send_reminders()
    click.echo(f"{created} reminders sent.")


@click.command("send-digests")
def send_digests_command():
    """Send the daily digest to everyone who chose it (at most one a day each)."""
    from .delivery import send_digests

    with _site_context():
        sent = send_digests()
    click.echo(f"{sent} digests sent.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Send queued mail (RQ on REDIS_URL) with this app's mail settings."""
    from rq import Worker

    from .delivery import MAIL_QUEUE_NAME, mail_queue

    queue = mail_queue()
    Worker([queue], connection=queue.connection, name=None).work(burst=burst)
    click.echo(f"Worker on the {MAIL_QUEUE_NAME!r} queue stopped.")
