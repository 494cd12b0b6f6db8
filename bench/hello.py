"""The ceiling: a minimal Flask app rendering a ~2 KB template, served like the site."""
from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))


@app.route("/")
def hello():
    return render_template("hello.html", items=range(14))
