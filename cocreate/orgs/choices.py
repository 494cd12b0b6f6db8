"""The fixed vocabularies for organisations, with labels in both languages."""
from flask_babel import lazy_gettext as _l

KINDS = {
    "company": _l("Company"),
    "customer": _l("Customer"),
    "supplier": _l("Supplier"),
    "cluster": _l("Cluster"),
    "university": _l("University"),
    "college": _l("College"),
    "government": _l("Government"),
    "consultant": _l("Consultant"),
    "bdc": _l("Business development centre"),
    "region": _l("Region"),
    "other": _l("Other"),
}
SECTORS = {
    "smart": _l("The Smart: ICT and digitalisation"),
    "green": _l("The Green: energy and green transformation"),
    "blue": _l("The Blue: maritime and fishing"),
    "attractive": _l("The Attractive: tourism"),
    "other": _l("Other sector"),
}
SIZE_BANDS = {
    "1-9": _l("1–9 employees"),
    "10-49": _l("10–49 employees"),
    "50-249": _l("50–249 employees"),
    "250+": _l("250+ employees"),
}
MUNICIPALITIES = (
    "Aalborg", "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord",
    "Morsø", "Rebild", "Thisted", "Vesthimmerland", "Other",
)
