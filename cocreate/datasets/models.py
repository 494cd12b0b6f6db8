"""Data sets shared in a space: the record, its versions (files kept by content hash) and challenge links."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import created_at_column


class Licence:
    CC_BY = "cc-by-4.0"
    CC0 = "cc0"
    MEMBERS = "members-only"
    LABELS = {CC_BY: _l("CC BY 4.0 (reuse with credit)"), CC0: _l("CC0 (no rights reserved)"),
              MEMBERS: _l("Space members only")}
    SHORT = {CC_BY: "CC BY 4.0", CC0: "CC0", MEMBERS: _l("Members-only licence")}


class DatasetVisibility:
    MEMBERS = "members"
    PUBLIC = "public"
    LABELS = {MEMBERS: _l("Members of the space"), PUBLIC: _l("Anyone (the space is public)")}


class FileKind:
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    PDF = "pdf"
    TEXT = "text"
    CONTENT_TYPES = {
        CSV: "text/csv",
        XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        JSON: "application/json",
        PDF: "application/pdf",
        TEXT: "text/plain",
    }
    LABELS = {CSV: "CSV", XLSX: "Excel (XLSX)", JSON: "JSON", PDF: "PDF", TEXT: _l("Plain text")}


dataset_challenges = Table(
    "dataset_challenges",
    db.metadata,
    Column("dataset_id", ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Dataset(db.Model):
    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    licence: Mapped[str] = mapped_column(String(20), default=Licence.CC_BY)
    visibility: Mapped[str] = mapped_column(String(10), default=DatasetVisibility.MEMBERS)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()

    space = relationship("Space")
    created_by = relationship("User")
    challenges = relationship("Challenge", secondary=dataset_challenges, order_by="Challenge.id")
    versions: Mapped[list["DatasetVersion"]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan", order_by="DatasetVersion.number.desc()"
    )

    @property
    def is_public(self):
        """Public only while the space itself is public: a space closed later closes its data."""
        return self.visibility == DatasetVisibility.PUBLIC and self.space.is_public


class DatasetVersion(db.Model):
    """One uploaded file. ``sha256`` names the stored file; equal uploads share it."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    preview: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = created_at_column()

    dataset: Mapped[Dataset] = relationship(back_populates="versions")
    uploaded_by = relationship("User")

    @property
    def content_type(self):
        content_type = FileKind.CONTENT_TYPES[self.kind]
        if content_type.startswith("text/"):
            # The encoding the preview found, so a Windows-1252 CSV opens with its æøå intact.
            content_type += f"; charset={(self.preview or {}).get('encoding', 'utf-8')}"
        return content_type
