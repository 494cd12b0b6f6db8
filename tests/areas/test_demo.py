from cocreate.areas.models import Endorsement, WorkingAreaProposal
from cocreate.extensions import db
from cocreate.spaces.models import Theme, ThemeKind


def test_demo_has_a_proposal_in_each_state(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    proposals = db.session.scalars(db.select(WorkingAreaProposal)).all()
    assert sorted(p.status for p in proposals) == ["accepted", "declined", "proposed"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 6
    area = db.session.scalars(db.select(Theme).where(Theme.kind == ThemeKind.WORKING_AREA)).one()
    assert area.name_da == "Lærlinge som digitale ambassadører"
    assert "nothing new" in runner.invoke(args=["seed-demo"]).output
