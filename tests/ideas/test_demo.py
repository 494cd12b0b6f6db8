from cocreate.extensions import db
from cocreate.ideas.models import Idea, IdeaComment, IdeaVote
from cocreate.ideas.queries import count_drift


def test_demo_ideas_have_votes_and_comments_and_consistent_counts(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    ideas = db.session.scalar(db.select(db.func.count()).select_from(Idea))
    challenges = db.session.scalar(db.select(db.func.count(db.distinct(Idea.challenge_id))))
    assert ideas >= 10 and challenges >= 3
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaVote)) >= 15
    assert db.session.scalar(db.select(db.func.count()).select_from(IdeaComment)) >= 5
    assert db.session.scalar(db.select(Idea).where(Idea.status == "merged")).merged_into_id is not None
    assert count_drift() == []
    assert "nothing new" in runner.invoke(args=["seed-demo"]).output
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == ideas
