"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""
from cocreate import create_app

app = create_app()
