"""Stored assessments and saved cohorts.

An assessment keeps its raw answers (item id -> 0..5) and the instrument key and
version it answered; scores are recomputed from the answers with `scoring`, so the
page always agrees with the specification. ``overall`` and ``level_key`` are a copy
made at completion, kept so that badges, cohorts and lists can be read in one query.
"""
from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column, utcnow


class Assessment(db.Model):
    __tablename__ = "maturity_assessments"
    __table_args__ = (
        Index("ix_maturity_assessments_org_completed", "organisation_id", "completed_at"),
        Index("ix_maturity_assessments_person_completed", "subject_user_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_key: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[int] = mapped_column(Integer)
    # Exactly one subject: the organisation (company instrument) or the person (management).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    overall: Mapped[float | None] = mapped_column(Float)
    level_key: Mapped[str | None] = mapped_column(String(40))
    completed_at = mapped_column(DateTime(timezone=True), nullable=True)
    created_at = created_at_column()
    updated_at = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)

    organisation = relationship("Organisation")
    subject_user = relationship("User", foreign_keys=[subject_user_id])
    taken_by = relationship("User", foreign_keys=[taken_by_id])

    @property
    def is_complete(self):
        return self.completed_at is not None


class Cohort(db.Model):
    __tablename__ = "maturity_cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    instrument_key: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[int] = mapped_column(Integer)
    pool: Mapped[str] = mapped_column(String(40))
    dimension: Mapped[str | None] = mapped_column(String(10))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()

    created_by = relationship("User")
    members: Mapped[list["CohortMember"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMember.score"
    )
    messages: Mapped[list["CohortMessage"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMessage.created_at.desc()"
    )


class CohortMember(db.Model):
    """A member as placed when the cohort was saved: later assessments never change it."""

    __tablename__ = "maturity_cohort_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("maturity_cohorts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    level_key: Mapped[str] = mapped_column(String(40))

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    organisation = relationship("Organisation")
    user = relationship("User")


class CohortMessage(db.Model):
    __tablename__ = "maturity_cohort_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("maturity_cohorts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer)
    created_at = created_at_column()

    cohort: Mapped[Cohort] = relationship(back_populates="messages")
    author = relationship("User")
