"""The six named barriers of the Future Ecom plan, in both languages.

Migration 0002 inserts a frozen copy of this list so every database has them;
``ensure_barriers`` adds any that are missing (demo data, tests on ``create_all``).
"""
from ..extensions import db
from .models import Theme, ThemeKind

# (slug, name_en, name_da, description_en, description_da)
BARRIERS = [
    ("management-motivation",
     "Lack of motivation and lack of strategic view from management and board",
     "Manglende motivation og manglende strategisk udsyn hos ledelse og bestyrelse",
     "Management and board do not see e-commerce and digitalisation as a strategic matter, so nobody owns it "
     "and no budget follows.",
     "Ledelse og bestyrelse ser ikke e-handel og digitalisering som et strategisk anliggende, så ingen ejer "
     "opgaven, og der følger intet budget med."),
    ("personal-contact",
     "A genuine wish to keep the personal contact with the customer",
     "Et oprigtigt ønske om at bevare den personlige kontakt med kunden",
     "Sales rests on long personal relationships, and a webshop is feared to replace the conversation "
     "with the customer.",
     "Salget bygger på lange personlige relationer, og man frygter, at en webshop erstatter samtalen med kunden."),
    ("product-complexity",
     "Product complexity is thought of as a blocking point for e-commerce",
     "Produkternes kompleksitet opfattes som en hindring for e-handel",
     "Configured, made-to-order or technical products seem impossible to sell online without an expert "
     "at hand.",
     "Konfigurerede, specialfremstillede eller tekniske produkter virker umulige at sælge online uden en "
     "ekspert ved hånden."),
    ("too-busy",
     "Way too busy to get involved in an e-commerce business",
     "Alt for travlt til at gå i gang med e-handel",
     "Daily operations take all the time; there is no room to start, learn and run an e-commerce effort.",
     "Den daglige drift tager al tiden; der er ikke plads til at starte, lære og drive en indsats med e-handel."),
    ("competences",
     "Lack of education and competences in the e-commerce space",
     "Manglende uddannelse og kompetencer inden for e-handel",
     "Staff and management lack the skills to choose, build and run digital sales channels.",
     "Medarbejdere og ledelse mangler kompetencerne til at vælge, bygge og drive digitale salgskanaler."),
    ("power-of-imagination",
     "Lack of “power of imagination” with respect to the digital world",
     "Manglende »forestillingsevne« i forhold til den digitale verden",
     "It is hard to imagine where digitalisation will take the business in the short, medium and long term.",
     "Det er svært at forestille sig, hvor digitaliseringen fører virksomheden hen på kort, mellemlang og "
     "lang sigt."),
]


def ensure_barriers():
    """Insert the barriers a database lacks; returns them all by slug."""
    existing = {theme.slug: theme for theme in db.session.scalars(db.select(Theme))}
    for position, (slug, name_en, name_da, description_en, description_da) in enumerate(BARRIERS, start=1):
        if slug not in existing:
            existing[slug] = Theme(
                kind=ThemeKind.BARRIER, slug=slug, name_en=name_en, name_da=name_da,
                description_en=description_en, description_da=description_da, position=position,
            )
            db.session.add(existing[slug])
    db.session.flush()
    return existing
