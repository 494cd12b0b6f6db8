"""Search latency on PostgreSQL with 200,000 workshop posts (plus challenges and ideas).

Run from the project root: ``python bench/search_bench.py`` (``--keep`` reuses the data of
an earlier run). It builds its own database, by default ``cocreate_search_bench`` on the
local server (``BENCH_DATABASE_URL`` to change), fills it with generated Danish and English
text, and times what the search page does per query: the count and the first page of
ranked results for a member of some spaces (``search_page``), plus the snippets. Prints p50/p95/max per
kind of query.
"""
import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cocreate import create_app  # noqa: E402
from cocreate.extensions import db  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/cocreate_search_bench")
POSTS = 200_000
CHALLENGES = 2_000
IDEAS = 10_000
SPACES = 40  # every fourth one members-only
WORKSHOPS = 400
PAGE = 20
SEED = 20261128

# Function words come often (as in real text); content words follow a Zipf-like curve.
FUNCTION_WORDS = "og i at det en til på er the and of to a in for is we".split()
CONTENT_WORDS = (
    "leverandør leverandører kunde kunder ordre ordrer lager lagerstyring webshop portal integration data deling "
    "faktura betaling levering fragt pakke pris prisliste rabat katalog produkt produkter varenummer reservedele "
    "eksport import marked salg indkøb grossist forhandler platform system erp crm pim api automatisering "
    "digitalisering bæredygtighed grøn omstilling æblegrød ærø blåbær øresund åbning årsrapport medarbejdere "
    "kompetencer ledelse motivation tid travlhed kompleksitet forestillingsevne samarbejde workshop idé løsning "
    "supplier customer order orders warehouse inventory webshop checkout invoice payment delivery shipping parcel "
    "price discount catalogue product products spare parts export import market sales purchasing wholesaler "
    "dealer platform integration automation digital sustainability green transition employees skills management "
    "motivation time busy complexity imagination collaboration solution pilot onboarding training subscription "
    "logistics forecast demand returns quality certificate compliance gdpr security login account approval "
    "quotation tender contract framework agreement region aalborg hjørring frederikshavn thisted skagen "
).split()
RARE_WORDS = [f"{stem}{n}" for stem in ("projekt", "model", "serie", "batch") for n in range(2000)]


def words_generator(seed):
    generator = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(CONTENT_WORDS))]

    def sentence(length):
        words = []
        for _ in range(length):
            roll = generator.random()
            if roll < 0.35:
                words.append(generator.choice(FUNCTION_WORDS))
            elif roll < 0.97:
                words.append(generator.choices(CONTENT_WORDS, weights)[0])
            else:
                words.append(generator.choice(RARE_WORDS))
        return " ".join(words).capitalize() + "."

    return generator, sentence


def ensure_database(url):
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}):
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def copy_rows(raw, table, columns, rows):
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def fill(app):
    generator, sentence = words_generator(SEED)
    now = datetime.now(timezone.utc)
    with app.app_context():
        db.drop_all()
        db.create_all()
        raw = db.engine.raw_connection()
        driver = raw.driver_connection
        copy_rows(driver, "users", ["id", "email", "display_name", "password_hash", "preferred_language"],
                  ((n, f"user{n}@example.com", f"Person {n}", "x", "da") for n in range(1, 51)))
        copy_rows(driver, "spaces", ["id", "slug", "title", "purpose", "visibility", "join_policy", "sector",
                                     "last_activity_at"],
                  ((n, f"space-{n}", f"Space {n} {sentence(2)}", sentence(8), "members" if n % 4 == 0 else "public",
                    "open", "smart", now) for n in range(1, SPACES + 1)))
        # The searcher (user 1) is a member of every eighth space, so some members-only spaces are theirs.
        copy_rows(driver, "space_memberships", ["space_id", "user_id", "role", "side", "status"],
                  ((n, 1, "member", "company", "active") for n in range(1, SPACES + 1, 8)))
        copy_rows(driver, "challenges", ["id", "space_id", "author_id", "author_side", "title", "body_md", "body_html",
                                         "tags", "status", "created_at", "last_activity_at"],
                  ((n, generator.randint(1, SPACES), 2, "company", sentence(6)[:160], body := sentence(60), body, "",
                    "open", now - timedelta(minutes=n), now) for n in range(1, CHALLENGES + 1)))
        copy_rows(driver, "ideas", ["id", "challenge_id", "author_id", "author_side", "title", "body_md", "body_html",
                                    "status", "vote_count", "created_at"],
                  ((n, generator.randint(1, CHALLENGES), 3, "company", sentence(5)[:160], body := sentence(40), body,
                    "proposed", 0, now - timedelta(minutes=n)) for n in range(1, IDEAS + 1)))
        copy_rows(driver, "workshops", ["id", "space_id", "title", "starts_at", "ends_at", "capacity", "phase"],
                  ((n, generator.randint(1, SPACES), f"Workshop {n}", now, now + timedelta(hours=3), 30, "diverge")
                   for n in range(1, WORKSHOPS + 1)))
        # One post in a hundred is hidden: it must never be indexed.
        copy_rows(driver, "workshop_posts", ["id", "workshop_id", "author_id", "author_side", "body_md", "body_html",
                                             "created_at", "hidden_at"],
                  ((n, generator.randint(1, WORKSHOPS), 4, "company", body := sentence(generator.randint(10, 80)),
                    body, now - timedelta(seconds=n), now if n % 100 == 0 else None) for n in range(1, POSTS + 1)))
        raw.commit()
        raw.close()
        started = time.perf_counter()
        # The same mapping as cocreate/search/kinds.py, in SQL: the Python path would take minutes here.
        for statement in (
            "INSERT INTO search_documents (kind, object_id, space_id, title, body, context, created_at) "
            "SELECT 'space', id, id, title, purpose, '', created_at FROM spaces",
            "INSERT INTO search_documents (kind, object_id, space_id, title, body, context, created_at) "
            "SELECT 'challenge', id, space_id, title, body_md, '', created_at FROM challenges",
            "INSERT INTO search_documents (kind, object_id, space_id, container_id, title, body, context, created_at) "
            "SELECT 'idea', i.id, c.space_id, c.id, i.title, i.body_md, c.title, i.created_at "
            "FROM ideas i JOIN challenges c ON c.id = i.challenge_id",
            "INSERT INTO search_documents (kind, object_id, space_id, container_id, title, body, context, created_at) "
            "SELECT 'post', p.id, w.space_id, w.id, '', p.body_md, w.title, p.created_at "
            "FROM workshop_posts p JOIN workshops w ON w.id = p.workshop_id WHERE p.hidden_at IS NULL",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        print(f"indexed {db.session.scalar(text('SELECT count(*) FROM search_documents'))} documents "
              f"in {time.perf_counter() - started:.1f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def query_sets(generator, n):
    content = CONTENT_WORDS
    return {
        "one common word": [generator.choice(content[:15]) for _ in range(n)],
        "one mid word": [generator.choice(content[15:80]) for _ in range(n)],
        "one rare word": [generator.choice(RARE_WORDS) for _ in range(n)],
        "two words": [" ".join(generator.sample(content[:120], 2)) for _ in range(n)],
        "prefix (typing)": [generator.choice(content)[:4] for _ in range(n)],
        "phrase": [f'"{" ".join(generator.sample(content[:40], 2))}"' for _ in range(n)],
        "function word (worst case)": [generator.choice(FUNCTION_WORDS) for _ in range(n // 2)],
    }


def run(app, queries_per_kind):
    from cocreate.accounts.models import User
    from cocreate.search.parsing import parse
    from cocreate.search.queries import results, search_page

    generator = random.Random(SEED + 1)
    everything = []
    with app.test_request_context("/search"):
        searcher = db.session.get(User, 1)
        for label, texts in query_sets(generator, queries_per_kind).items():
            timings = []
            totals = []
            for query_text in texts:
                query = parse(query_text)
                started = time.perf_counter()
                page = search_page(searcher, query, per_page=PAGE)
                results(page.items, query)
                timings.append((time.perf_counter() - started) * 1000)
                totals.append(page.total)
            everything.extend(timings)
            print(f"{label:28} p50 {percentile(timings, 50):6.1f} ms  p95 {percentile(timings, 95):6.1f} ms  "
                  f"max {max(timings):6.1f} ms  (median {statistics.median(totals):.0f} matches)")
    print(f"{'all queries':28} p50 {percentile(everything, 50):6.1f} ms  p95 {percentile(everything, 95):6.1f} ms  "
          f"({len(everything)} queries)")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--queries", type=int, default=60, help="queries per kind of query")
    args = parser.parse_args()
    ensure_database(URL)
    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": URL})
    if not args.keep:
        started = time.perf_counter()
        fill(app)
        print(f"filled in {time.perf_counter() - started:.0f} s")
    with app.app_context():
        run(app, args.queries)
        db.engine.dispose()


if __name__ == "__main__":
    main()
