"""``flask export FILE`` / ``flask import FILE``: the whole database as JSON lines.

The first line names the format and the tables; then one line per row, tables in
dependency order so an import never meets a missing parent. Columns that point into
their own table (an idea merged into a later idea, a reply) are filled in afterwards.
"""
import base64
import json
from datetime import date, datetime

from sqlalchemy import Date, DateTime, LargeBinary, func, text

from ..extensions import db

FORMAT = "cocreate-database"
VERSION = 1


class TransferError(Exception):
    pass


def _encode(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _ordered(table):
    return db.select(table).order_by(*table.primary_key.columns)


def export_database(stream):
    """Write every table; return {table: rows written}."""
    tables = db.metadata.sorted_tables
    stream.write(json.dumps({"format": FORMAT, "version": VERSION, "tables": [t.name for t in tables]}) + "\n")
    counts = {}
    for table in tables:
        counts[table.name] = 0
        for row in db.session.execute(_ordered(table)):
            values = {key: _encode(value) for key, value in row._mapping.items()}
            stream.write(json.dumps({"t": table.name, "r": values}, ensure_ascii=False) + "\n")
            counts[table.name] += 1
    return counts


def _self_references(table):
    return [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]


def import_database(stream):
    """Load an export into empty tables in one transaction; return {table: rows read}."""
    header = json.loads(stream.readline() or "{}")
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise TransferError("This file is not a Cocreate database export.")
    tables = {t.name: t for t in db.metadata.sorted_tables}
    unknown = set(header["tables"]) - set(tables)
    if unknown:
        raise TransferError(f"The export has tables this version does not know: {', '.join(sorted(unknown))}")
    for table in tables.values():
        if db.session.scalar(db.select(func.count()).select_from(table)):
            raise TransferError(f"The database is not empty (table {table.name} has rows); import into an empty one.")
    decoders = {name: {c.name: _decoder(c) for c in t.columns if _decoder(c)} for name, t in tables.items()}
    counts = dict.fromkeys(tables, 0)
    later = []  # (table, primary key, {self-referencing column: value})
    for line in stream:
        item = json.loads(line)
        table = tables[item["t"]]
        row = item["r"]
        for name, decode in decoders[table.name].items():
            if row.get(name) is not None:
                row[name] = decode(row[name])
        deferred = {name: row[name] for name in _self_references(table) if row.get(name) is not None}
        if deferred:
            later.append((table, {c.name: row[c.name] for c in table.primary_key.columns}, deferred))
            row = {**row, **dict.fromkeys(deferred)}
        db.session.execute(table.insert().values(**row))
        counts[table.name] += 1
    for table, key, values in later:
        db.session.execute(
            table.update().where(*(table.c[name] == value for name, value in key.items())).values(**values)
        )
    _reset_sequences(tables.values())
    db.session.commit()
    return counts


def _reset_sequences(tables):
    """PostgreSQL hands out ids from sequences; move each past the imported rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                         {"t": table.name, "c": column.name})
            if sequence:
                db.session.execute(
                    text(f"SELECT setval(:s, COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"),
                    {"s": sequence},
                )
