"""Time cohort formation on 10,000 participants; it should take well under a second.

Run from the project root: ``python bench/cohorts_bench.py``.
"""
import random
import statistics
import sys
import time
from pathlib import Path

# Runnable as a plain script without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cocreate.maturity.cohorts import Participant, form_cohorts  # noqa: E402
from cocreate.maturity.instruments import load_instruments  # noqa: E402
from cocreate.maturity.scoring import level_for  # noqa: E402

PARTICIPANTS = 10_000
RUNS = 7
SEED = 20240601


def random_participants(count, instrument, seed):
    generator = random.Random(seed)
    participants = []
    for index in range(count):
        score = round(generator.uniform(0, 100), 1)
        participants.append(Participant(id=index, score=score, level_index=level_for(instrument, score).rank))
    return participants


def main():
    instrument = load_instruments().latest("company")
    participants = random_participants(PARTICIPANTS, instrument, SEED)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = form_cohorts(participants)
        timings.append(time.perf_counter() - started)
    sizes = [cohort.size for cohort in result.cohorts]
    print(
        f"{PARTICIPANTS} participants: {len(result.cohorts)} cohorts "
        f"(sizes {min(sizes)}-{max(sizes)}, mean {statistics.mean(sizes):.1f}), {len(result.unplaced)} unplaced"
    )
    print(f"median of {RUNS} runs: {statistics.median(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
