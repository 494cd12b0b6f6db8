"""Members posting and voting against a running site for a bounded time (issue #10, item 8).

Each simulated member is a thread with its own session. Every action returns what the site
acknowledged, so a test can check afterwards that all of it is in the database. Actions are
pluggable: add a function to ``ACTIONS`` (e.g. an upload once the datasets area lands) and a
check for what it records.
"""
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .servers import Visitor


@dataclass
class Target:
    """Where the members act: a workshop thread and the ideas of a challenge, in a space they belong to."""

    space: str
    workshop: int
    challenge: int
    ideas: list


@dataclass
class Ledger:
    """What the site acknowledged, and every status it answered."""

    posts: list = field(default_factory=list)  # bodies answered 303
    uploads: list = field(default_factory=list)  # (title, content) of data sets answered 303
    votes: dict = field(default_factory=dict)  # (email, idea) -> voted after the last acknowledged action
    statuses: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)  # (action, status or error) of every 5xx or lost connection
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action, status):
        with self.lock:
            self.statuses[status] += 1
            if not isinstance(status, int) or status >= 500:
                self.failures.append((action, status))


def post(member, visitor, target, ledger, rng, sequence):
    body = f"Load post {sequence} by {member}: {rng.choice(['webshop', 'invoice', 'data', 'pilot'])}"
    try:
        status = visitor.post(f"/spaces/{target.space}/workshops/{target.workshop}/posts", {"body": body}).status
    except OSError as error:
        ledger.record("post", type(error).__name__)
        return
    ledger.record("post", status)
    if status == 303:
        with ledger.lock:
            ledger.posts.append(body)


def vote(member, visitor, target, ledger, rng, _sequence):
    idea = rng.choice(target.ideas)
    with ledger.lock:
        voted = ledger.votes.get((member, idea), False)
    path = f"/spaces/{target.space}/challenges/{target.challenge}/ideas/{idea}/{'unvote' if voted else 'vote'}"
    try:
        response = visitor.post(path, headers={"HX-Request": "true"})
    except OSError as error:
        ledger.record("vote", type(error).__name__)
        return
    ledger.record("vote", response.status)
    if response.status == 200:
        with ledger.lock:
            ledger.votes[(member, idea)] = 'aria-pressed="true"' in response.text


def upload(member, visitor, target, ledger, rng, sequence):
    title = f"Load data {sequence}"
    content = f"member,sequence,value\n{member},{sequence},{rng.randint(0, 999)}\n".encode()
    try:
        status = visitor.post(f"/spaces/{target.space}/datasets/new",
                              {"title": title, "description": "", "licence": "cc-by-4.0", "visibility": "members"},
                              files={"file": (f"load-{sequence}.csv", content)}).status
    except OSError as error:
        ledger.record("upload", type(error).__name__)
        return
    ledger.record("upload", status)
    if status == 303:
        with ledger.lock:
            ledger.uploads.append((title, content))


ACTIONS = [(post, 3), (vote, 6), (upload, 1)]


def run_load(base, members, password, target, seconds, actions=None, seed=1):
    """Sign every member in, then let them act until ``seconds`` have passed; returns the ledger."""
    actions = actions or ACTIONS
    ledger = Ledger()
    counter = iter(range(10**9))
    counter_lock = threading.Lock()
    signed_in = threading.Barrier(len(members) + 1)
    logging_in = threading.Semaphore(8)  # a crowd arriving, not a stampede of 50 log-ins in one instant
    deadline = [0.0]

    def member_loop(index, email):
        rng = random.Random(seed * 1000 + index)
        visitor = Visitor(base, timeout=30)
        try:
            with logging_in:
                status = visitor.login(email, password).status
        except OSError as error:
            status = type(error).__name__
        ledger.record("login", status)
        signed_in.wait()  # the clock starts once everyone is in
        if status != 303:
            return
        functions, weights = zip(*actions)
        while time.monotonic() < deadline[0]:
            with counter_lock:
                sequence = next(counter)
            rng.choices(functions, weights)[0](email, visitor, target, ledger, rng, sequence)
            time.sleep(rng.uniform(0.3, 1.5))  # a person's pause between clicks, shortened

    threads = [threading.Thread(target=member_loop, args=(i, email), daemon=True) for i, email in enumerate(members)]
    for thread in threads:
        thread.start()
    signed_in.wait()
    deadline[0] = time.monotonic() + seconds
    for thread in threads:
        thread.join(seconds + 60)
    return ledger
