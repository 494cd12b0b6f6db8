from cocreate.datasets.models import Dataset
from cocreate.demo import seed_demo
from cocreate.extensions import db


def test_demo_data_sets_are_seeded_once_with_previews(app):
    seed_demo()
    seed_demo()
    datasets = db.session.scalars(db.select(Dataset).order_by(Dataset.id)).all()
    assert len(datasets) == 2
    orders, bookings = datasets
    assert orders.versions[0].preview["facts"][2]["type"] == "integer" and orders.challenges
    assert bookings.versions[0].preview["kind"] == "json" and not bookings.is_public
