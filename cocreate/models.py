"""Shared column helpers and the import of every area's models (for Alembic)."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, func
from sqlalchemy.orm import mapped_column


def utcnow():
    return datetime.now(timezone.utc)


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now(), nullable=False)


def import_all_models():
    """Import every area's models so ``db.metadata`` knows all tables."""
    from .accounts import models as _accounts  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .ideas import models as _ideas  # noqa: F401
    from .maturity import models as _maturity  # noqa: F401
    from .orgs import models as _orgs  # noqa: F401
    from .spaces import models as _spaces  # noqa: F401
    from .workshops import models as _workshops  # noqa: F401
    from .notifications import models as _notifications  # noqa: F401
    from .datasets import models as _datasets  # noqa: F401
    from .insights import models as _insights  # noqa: F401
    from .areas import models as _areas  # noqa: F401
    from .search import indexer as _search_indexer, kinds as _search_kinds, models as _search  # noqa: F401
