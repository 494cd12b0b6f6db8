"""Password rules: long enough, not common, not built from the person's own name or e-mail."""
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 passw0rd 1234567890 12345678910 qwertyuiop
    qwerty1234 qwerty12345 1q2w3e4r5t 1qaz2wsx3edc abcdefghij iloveyou12 welcome123
    letmein123 adminadmin administrator sommer2024 sommer2025 sommer2026 vinter2024 vinter2025
    vinter2026 kodeord123 adgangskode hemmelighed danmark123 aalborg123 cocreate-demo1
    changeme123 football123 monkey12345 dragon12345 sunshine12 princess12 trustno1234
    """.split()
)


def password_problems(password, *, email="", display_name=""):
    """Return a list of reasons ``password`` is too weak (empty when it is fine)."""
    problems = []
    lowered = (password or "").lower()
    if len(password or "") < MIN_LENGTH:
        problems.append(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password or "") > MAX_LENGTH:
        problems.append(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if lowered in COMMON_PASSWORDS:
        problems.append(_l("This password is too common."))
    if len(set(lowered)) < 5:
        problems.append(_l("Use more different characters."))
    name_words = display_name.lower().split()
    candidates = [email.split("@")[0].lower(), "".join(name_words), *name_words]
    personal = [part for part in candidates if len(part) >= 4]
    if any(part in lowered for part in personal):
        problems.append(_l("Do not build the password from your name or e-mail address."))
    return problems
