"""Two small demo data sets: dealer orders in the Limfjord space and carrier bookings in the NordLog space.

Runs after the spaces seeder; a data set is looked up by (space, title), so a second run adds nothing.
The files go through the same checks, preview and storage as an upload.
"""
import io
import json

from ..accounts.models import user_by_email
from ..extensions import db
from ..spaces.models import Challenge, Space
from .models import Dataset, DatasetVisibility, Licence
from .services import DatasetData, Upload, upload_dataset

DEALER_ORDERS = (
    "month;dealer;orders;order lines;phone orders;portal orders\n"
    "2026-06;Hansen Kontorinventar;41;388;35;6\n"
    "2026-07;Hansen Kontorinventar;22;190;19;3\n"
    "2026-08;Hansen Kontorinventar;47;452;36;11\n"
    "2026-09;Hansen Kontorinventar;53;501;38;15\n"
    "2026-06;Kontorhuset Aarhus;18;122;18;0\n"
    "2026-07;Kontorhuset Aarhus;9;60;9;0\n"
    "2026-08;Kontorhuset Aarhus;21;149;20;1\n"
    "2026-09;Kontorhuset Aarhus;25;170;;\n"
)
BOOKINGS = {
    "week": "2026-W40",
    "source": "Carrier booking export, anonymised",
    "bookings": [
        {"shipper": "Nordkyst Fiskeeksport", "from": "Hirtshals", "to": "Rotterdam", "pallets": 22, "booked_by": "phone"},
        {"shipper": "Nordkyst Fiskeeksport", "from": "Hirtshals", "to": "Hamburg", "pallets": 14, "booked_by": "e-mail"},
        {"shipper": "Mariager Pakkeri", "from": "Hobro", "to": "Aalborg", "pallets": 30, "booked_by": "portal"},
        {"shipper": "Jammerbugt Fiskegrossist", "from": "Hirtshals", "to": "Aabybro", "pallets": 6, "booked_by": "phone"},
    ],
}

# space slug, uploader, title, description, licence, visibility, file name, content, linked challenge titles
DATASETS = [
    ("limfjord-value-chain", "henrik@example.org", "Dealer orders by channel, June–September 2026",
     "Monthly orders from two dealers, split by **phone** and **portal**. Exported from the ERP by "
     "Limfjord Stålmøbler; Kontorhuset's September split is still missing.",
     Licence.CC_BY, DatasetVisibility.PUBLIC, "dealer-orders-2026.csv", DEALER_ORDERS.encode(),
     ["Dealers want to keep calling their contact person"]),
    ("nordlog-network", "karen@example.org", "One week of carrier bookings",
     "Bookings from week 40, anonymised, to practise reading booking data together.",
     Licence.MEMBERS, DatasetVisibility.MEMBERS, "bookings-week-40.json",
     json.dumps(BOOKINGS, ensure_ascii=False).encode(), ["Who can teach our staff to read the booking data?"]),
]


def seed_datasets(ctx):
    for slug, email, title, description, licence, visibility, filename, content, challenge_titles in DATASETS:
        space = db.session.scalar(db.select(Space).where(Space.slug == slug))
        uploader = user_by_email(email)
        if space is None or uploader is None:
            continue
        if db.session.scalar(db.select(Dataset.id).where(Dataset.space_id == space.id, Dataset.title == title)):
            continue
        challenge_ids = db.session.scalars(
            db.select(Challenge.id).where(Challenge.space_id == space.id, Challenge.title.in_(challenge_titles))
        ).all()
        data = DatasetData(title=title, description=description, licence=licence, visibility=visibility,
                           challenge_ids=list(challenge_ids))
        upload_dataset(uploader, space, data, Upload(filename, io.BytesIO(content)))
        ctx.count("data sets")
