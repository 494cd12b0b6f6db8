"""Seed a PostgreSQL database with a realistic large data set by COPY (issue #9, item 3).

At ``scale=1``: 2,000 people, 300 organisations, 50 spaces, 5,000 challenges, 20,000 ideas,
100,000 votes, 200,000 workshop posts (workshop 1 has a 2,000-post thread) and 2,000
assessments. Markdown is rendered with the app's own ``render_markdown`` (as at write time);
a pool of bodies is rendered once and reused, which is what makes 200,000 posts cheap.

Known rows the benchmark relies on: user 1 is ``bench@example.com`` (member of every space),
space 1 (``bench-space``) is public, challenge 1 in it has exactly 100 ideas, workshop 1 in it
has the 2,000-post thread.
"""
import json
import random
from datetime import datetime, timedelta, timezone

import psycopg

BENCH_EMAIL = "bench@example.com"
BENCH_PASSWORD = "benchmark password 2026"
THREAD_POSTS = 2000
HOT_IDEAS = 100
BENCH_VOTERS = 32


def bench_voters():
    """E-mail addresses of the members of ``bench-space`` who vote in the bench, one per wrk connection.

    They have no vote and no ballot in challenge 1, so each can alternate vote and take-back on idea 1.
    """
    return [f"voter{n}@example.com" for n in range(1, BENCH_VOTERS + 1)]

WORDS = (
    "webshop customers orders supplier invoice integration platform data marketing search product catalogue "
    "delivery returns payment analytics strategy board budget pilot training partner cluster export growth "
    "digital sales channel b2b pricing inventory automation"
).split()


def _sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _markdown(rng):
    lines = [_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.4:
        lines.append("\n".join(f"- **{rng.choice(WORDS)}**: {_sentence(rng, 6)}" for _ in range(3)))
    if rng.random() < 0.2:
        lines.append(f"See [the notes](https://example.com/{rng.choice(WORDS)}).")
    return "\n\n".join(lines)


class Pool:
    """Markdown bodies rendered once by the app's sanitiser, handed out at random."""

    def __init__(self, rng, size=300):
        from cocreate.markdown import render_markdown

        self.rng = rng
        self.items = []
        for _ in range(size):
            body = _markdown(rng)
            self.items.append((body, str(render_markdown(body))))

    def pick(self):
        return self.rng.choice(self.items)


def counts(scale):
    def n(base, minimum):
        return max(minimum, int(base * scale))

    return {
        "users": n(2000, 60), "organisations": n(300, 10), "spaces": n(50, 3), "challenges": n(5000, 40),
        "ideas": n(20000, 300), "votes": n(100000, 1000), "workshops": n(200, 4), "posts": n(200000, 4000),
        "assessments": n(2000, 40),
    }


def _copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _reset_sequences(cursor):
    cursor.execute(
        """
        SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL
        """
    )
    for table, column, sequence in cursor.fetchall():
        cursor.execute(f"SELECT setval('{sequence}', COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)")


def seed(conninfo, scale=1.0, seed_value=20261128, log=print):
    """Fill the (empty, migrated) database at ``conninfo``; returns the row counts."""
    from flask import current_app
    from werkzeug.security import generate_password_hash

    from cocreate.maturity.scoring import score_answers
    from cocreate.maturity.setup import instruments
    from cocreate.spaces.barriers import BARRIERS

    rng = random.Random(seed_value)
    size = counts(scale)
    pool = Pool(rng)
    now = datetime.now(timezone.utc).replace(microsecond=0)

    def past(days=720):
        return now - timedelta(seconds=rng.randint(3600, days * 86400))

    password_hash = generate_password_hash(BENCH_PASSWORD, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, slug FROM themes WHERE kind = 'barrier' ORDER BY position")
        barrier_ids = [row[0] for row in cursor.fetchall()]
        assert len(barrier_ids) == len(BARRIERS), "run create_schema first (it adds the barriers)"

        log(f"  people and organisations ({size['users']}, {size['organisations']})")
        sectors, kinds = ["smart", "green", "blue", "attractive", "other"], ["company", "customer", "supplier"]
        _copy(cursor, "organisations", ["id", "name", "name_key", "kind", "sector", "size_band", "municipality",
                                        "description_md", "description_html", "created_at"],
              ((i, f"Organisation {i} ApS", f"organisation {i} aps", rng.choice(kinds), rng.choice(sectors),
                rng.choice(["1-9", "10-49", "50-249", "250+"]), "Aalborg", *pool.pick(), past())
               for i in range(1, size["organisations"] + 1)))
        _copy(cursor, "users", ["id", "email", "display_name", "password_hash", "bio_md", "bio_html",
                                "preferred_language", "is_active", "created_at"],
              ((i, BENCH_EMAIL if i == 1 else f"person{i}@example.com", f"Person {i}", password_hash, "", "",
                None, True, past()) for i in range(1, size["users"] + 1)))
        _copy(cursor, "organisation_memberships", ["user_id", "organisation_id", "status", "is_admin", "position",
                                                   "created_at"],
              ((i, 1 + i % size["organisations"], "active", i <= size["organisations"], "staff", past())
               for i in range(1, size["users"] + 1)))

        log(f"  spaces and memberships ({size['spaces']})")
        _copy(cursor, "spaces", ["id", "slug", "title", "purpose", "description_md", "description_html", "visibility",
                                 "join_policy", "sector", "created_by_id", "created_at", "last_activity_at"],
              ((i, "bench-space" if i == 1 else f"space-{i}", f"Co-creation space {i}", _sentence(rng, 10),
                *pool.pick(), "public" if i == 1 or i % 3 else "members", "open", rng.choice(sectors), 1, past(),
                past(30)) for i in range(1, size["spaces"] + 1)))
        members_per_space = min(size["users"], 200)
        memberships = {}
        for space_id in range(1, size["spaces"] + 1):
            chosen = {1} | set(rng.sample(range(2, size["users"] + 1), members_per_space - 1))
            memberships[space_id] = sorted(chosen)
        _copy(cursor, "space_memberships", ["space_id", "user_id", "role", "side", "status", "created_at"],
              ((space_id, user_id, "owner" if user_id == 1 else "member", rng.choice(kinds), "active", past())
               for space_id, users in memberships.items() for user_id in users))
        voter_ids = range(size["users"] + 1, size["users"] + BENCH_VOTERS + 1)
        _copy(cursor, "users", ["id", "email", "display_name", "password_hash", "bio_md", "bio_html",
                                "preferred_language", "is_active", "created_at"],
              ((user_id, email, f"Bench voter {n}", password_hash, "", "", None, True, now)
               for n, (user_id, email) in enumerate(zip(voter_ids, bench_voters()), 1)))
        _copy(cursor, "space_memberships", ["space_id", "user_id", "role", "side", "status", "created_at"],
              ((1, user_id, "member", "company", "active", now) for user_id in voter_ids))

        log(f"  challenges ({size['challenges']})")
        statuses = ["open"] * 6 + ["in_workshop", "solved", "archived"]
        challenge_space = {i: 1 + (i - 1) % size["spaces"] for i in range(1, size["challenges"] + 1)}
        _copy(cursor, "challenges", ["id", "space_id", "author_id", "author_side", "title", "body_md", "body_html",
                                     "tags", "status", "created_at", "last_activity_at"],
              ((i, space_id, rng.choice(memberships[space_id]), rng.choice(kinds),
                f"Challenge {i}: {_sentence(rng, 6)[:-1]}", *pool.pick(), "", "open" if i == 1 else rng.choice(statuses),
                past(), past(60)) for i, space_id in challenge_space.items()))
        _copy(cursor, "challenge_themes", ["challenge_id", "theme_id"],
              ((i, theme) for i in challenge_space for theme in rng.sample(barrier_ids, rng.randint(1, 2))))
        _copy(cursor, "challenge_status_changes", ["challenge_id", "actor_id", "from_status", "to_status",
                                                   "created_at"],
              ((i, None, None, "open", past()) for i in challenge_space))

        log(f"  ideas and votes ({size['ideas']}, {size['votes']})")
        idea_challenge = {i: 1 for i in range(1, HOT_IDEAS + 1)}
        others = [c for c in challenge_space if c != 1]
        for i in range(HOT_IDEAS + 1, size["ideas"] + 1):
            idea_challenge[i] = rng.choice(others)
        votes = {}
        idea_ids = list(idea_challenge)
        while len(votes) < size["votes"]:
            idea = rng.choice(idea_ids)
            voters = memberships[challenge_space[idea_challenge[idea]]]
            votes.setdefault((idea, rng.choice(voters)), past(300))
        vote_count, ballots = {}, {}
        for idea, voter in votes:
            vote_count[idea] = vote_count.get(idea, 0) + 1
            key = (idea_challenge[idea], voter)
            ballots[key] = ballots.get(key, 0) + 1
        _copy(cursor, "ideas", ["id", "challenge_id", "author_id", "author_side", "title", "body_md", "body_html",
                                "status", "decline_reason", "vote_count", "created_at"],
              ((i, c, rng.choice(memberships[challenge_space[c]]), rng.choice(kinds), f"Idea {i}: {_sentence(rng, 5)[:-1]}",
                *pool.pick(), "proposed", "", vote_count.get(i, 0), past()) for i, c in idea_challenge.items()))
        _copy(cursor, "idea_status_changes", ["idea_id", "actor_id", "from_status", "to_status", "reason",
                                              "created_at"],
              ((i, None, None, "proposed", "", past()) for i in idea_challenge))
        _copy(cursor, "idea_voting_rules", ["challenge_id", "is_open", "mode", "budget", "voters_visible"],
              ((c, True, "one_per_idea", 3, False) for c in sorted(set(idea_challenge.values()))))
        _copy(cursor, "idea_votes", ["idea_id", "voter_id", "challenge_id", "created_at"],
              ((idea, voter, idea_challenge[idea], at) for (idea, voter), at in votes.items()))
        _copy(cursor, "idea_ballots", ["challenge_id", "voter_id", "votes_used"],
              ((c, voter, used) for (c, voter), used in ballots.items()))

        log(f"  workshops and posts ({size['workshops']}, {size['posts']})")
        workshop_space = {i: 1 + (i - 1) % size["spaces"] for i in range(1, size["workshops"] + 1)}
        _copy(cursor, "workshops", ["id", "space_id", "title", "agenda_md", "agenda_html", "starts_at", "ends_at",
                                    "location", "capacity", "phase", "is_locked", "outcome_md", "outcome_html",
                                    "created_by_id", "created_at"],
              ((i, s, f"Workshop {i}", *pool.pick(), now + timedelta(days=i % 30), now + timedelta(days=i % 30, hours=3),
                "https://meet.example.com/room", 40, "diverge", False, "", "", 1, past())
               for i, s in workshop_space.items()))
        _copy(cursor, "workshop_registrations", ["workshop_id", "user_id", "status", "created_at"],
              ((w, u, "registered", past(60)) for w, s in workshop_space.items()
               for u in memberships[s][:20]))
        post_rows = []
        post_id = 0
        per_workshop, extra = divmod(size["posts"] - THREAD_POSTS, max(1, size["workshops"] - 1))
        for workshop_id, space_id in workshop_space.items():
            total = THREAD_POSTS if workshop_id == 1 else per_workshop + (workshop_id - 2 < extra)
            start = now - timedelta(days=30)
            top_level = []
            for n in range(total):
                post_id += 1
                parent = rng.choice(top_level) if top_level and rng.random() < 0.2 else None
                if parent is None:
                    top_level.append(post_id)
                body, html = pool.pick()
                post_rows.append((post_id, workshop_id, parent, rng.choice(memberships[space_id]), rng.choice(kinds),
                                  body, html, start + timedelta(seconds=n * 60), False, ""))
        _copy(cursor, "workshop_posts", ["id", "workshop_id", "parent_id", "author_id", "author_side", "body_md",
                                         "body_html", "created_at", "is_pinned", "hidden_reason"], post_rows)
        size["posts"] = len(post_rows)

        log(f"  assessments ({size['assessments']})")
        instrument = instruments().latest("company")
        profiles = []
        for typical in range(5):
            answers = {item.id: rng.randint(max(0, typical - 1), typical + 1) for item in instrument.items}
            profile = score_answers(instrument, answers)
            profiles.append((json.dumps(answers), profile.overall, profile.level.key if profile.level else None))
        _copy(cursor, "maturity_assessments", ["instrument_key", "instrument_version", "organisation_id",
                                               "taken_by_id", "answers", "step", "overall", "level_key",
                                               "completed_at", "created_at", "updated_at"],
              (("company", instrument.version, 1 + i % size["organisations"], 1 + i % size["users"], *_split(
                  rng.choice(profiles)), past(), now, now) for i in range(size["assessments"])))

        log("  search index")
        _index_for_search(cursor)
        # The bench member is also a facilitator, so the programme dashboard can be measured.
        cursor.execute("INSERT INTO user_roles (user_id, role, granted_at) VALUES (1, 'facilitator', now())")

        _reset_sequences(cursor)
        connection.commit()
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        # Write the load's dirty pages out now: otherwise the checkpoint that follows a bulk load
        # falls in the first measured pages (home and thread page 1 ran at half speed right after a
        # fresh seed, at full speed on the same data minutes later).
        connection.execute("CHECKPOINT")
    return size


def _split(profile):
    answers, overall, level = profile
    return answers, 1, overall, level


_PLAIN = "regexp_replace({}, '<[^>]+>', ' ', 'g')"


def _index_for_search(cursor):
    """Fill ``search_documents`` as the app's indexer would; COPY bypasses its session events."""
    cursor.execute(f"""
        INSERT INTO search_documents (kind, object_id, space_id, container_id, title, body, context, members_only,
                                      created_at)
        SELECT 'space', id, id, NULL::integer, title, purpose || ' ' || {_PLAIN.format('description_html')}, '', false,
               created_at FROM spaces
        UNION ALL
        SELECT 'challenge', id, space_id, NULL::integer, title, {_PLAIN.format('body_html')}, '', false, created_at
          FROM challenges
        UNION ALL
        SELECT 'idea', i.id, c.space_id, c.id, i.title, {_PLAIN.format('i.body_html')}, left(c.title, 300), false,
               i.created_at FROM ideas i JOIN challenges c ON c.id = i.challenge_id
        UNION ALL
        SELECT 'post', p.id, w.space_id, w.id, '', {_PLAIN.format('p.body_html')}, left(w.title, 300), false,
               p.created_at FROM workshop_posts p JOIN workshops w ON w.id = p.workshop_id
         WHERE p.hidden_at IS NULL
    """)
