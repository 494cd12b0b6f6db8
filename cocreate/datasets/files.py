"""Checking an uploaded file and computing its preview, once, when it is uploaded.

The extension says what the file claims to be; the first bytes must agree. CSV and XLSX
previews hold the first rows and facts per column; a malformed CSV is kept and its preview
names the line that is wrong. Problems are stored as codes with numbers, so the page can
say them in the reader's language.
"""
import csv
import io
import json
import re
import unicodedata
import zipfile
from datetime import date, datetime, time
from pathlib import PurePosixPath, PureWindowsPath

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .models import FileKind

EXTENSIONS = {".csv": FileKind.CSV, ".xlsx": FileKind.XLSX, ".json": FileKind.JSON, ".pdf": FileKind.PDF,
              ".txt": FileKind.TEXT}
PREVIEW_ROWS = 50
JSON_LINES = 200
TEXT_LINES = 50
CELL_MAX = 200
LINE_MAX = 500
DISTINCT_CAP = 10_000
PROBLEMS_MAX = 5
FILENAME_MAX = 200
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"MZ", b"\x7fELF", b"\xd0\xcf\x11\xe0")


def _refuse(message):
    raise DomainError(message, field="file")


def check_filename(name):
    """The name as given, if it is a plain file name with an allowed extension; else a DomainError."""
    name = (name or "").strip()
    if not name:
        _refuse(_l("Choose a file to upload."))
    if any(unicodedata.category(char) == "Cc" for char in name):
        _refuse(_l("The file name contains control characters. Rename the file and choose it again."))
    if (PurePosixPath(name).name != name or PureWindowsPath(name).name != name or name in (".", "..")
            or name.startswith(".")):
        _refuse(_l("The file name must not contain folders or path parts. Rename the file and choose it again."))
    if len(name) > FILENAME_MAX:
        _refuse(_l("The file name is longer than %(n)d characters. Rename the file and choose it again.",
                   n=FILENAME_MAX))
    kind = EXTENSIONS.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        _refuse(_l("Only CSV, XLSX, JSON, PDF and plain text (.txt) files are accepted."))
    return name, kind


def inspect(path, kind, size):
    """Check the content against ``kind`` and return the preview (a dict for the JSON column)."""
    if size == 0:
        _refuse(_l("The file is empty."))
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if kind == FileKind.PDF:
        if not head.startswith(b"%PDF-"):
            _mismatch(kind)
        return _pdf_preview(path)
    if kind == FileKind.XLSX:
        if not head.startswith(b"PK\x03\x04"):
            _mismatch(kind)
        return _xlsx_preview(path)
    if b"\x00" in head or head.startswith(BINARY_MAGIC):
        _mismatch(kind)
    with open(path, "rb") as handle:
        raw = handle.read()
    if kind == FileKind.JSON:
        return _json_preview(raw)
    text, encoding = _decode(raw, kind)
    preview = _csv_preview(text) if kind == FileKind.CSV else _text_preview(text)
    return {**preview, "encoding": encoding}


def _mismatch(kind):
    _refuse(_l("The content of the file does not match its extension (%(kind)s). Check that you chose the right "
               "file.", kind=FileKind.LABELS[kind]))


def _decode(raw, kind):
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Spreadsheet programs on Danish Windows still save CSV in Windows-1252.
        try:
            return raw.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            _mismatch(kind)


# --- tables: CSV and XLSX -------------------------------------------------------------------

INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?(\d+[.,]\d*|\d*[.,]\d+)([eE][+-]?\d+)?$")
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}([T ][\d:.]+)?|\d{1,2}[.\-/]\d{1,2}[.\-/]\d{4})$")


def _classify(value):
    """(type, number or None) of a filled cell."""
    if isinstance(value, bool):
        return "boolean", None
    if isinstance(value, int):
        return "integer", value
    if isinstance(value, float):
        return "decimal", value
    if isinstance(value, (datetime, date, time)):
        return "date", None
    text = str(value).strip()
    if INTEGER.match(text):
        return "integer", int(text)
    if DECIMAL.match(text):
        return "decimal", float(text.replace(",", "."))
    if DATE.match(text):
        return "date", None
    return "text", None


class ColumnFacts:
    def __init__(self, name):
        self.name = name
        self.filled = 0
        self.missing = 0
        self.types = set()
        self.distinct = set()
        self.distinct_capped = False
        self.low = self.high = None

    def add(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing += 1
            return
        self.filled += 1
        kind, number = _classify(value)
        self.types.add(kind)
        if number is not None:
            self.low = number if self.low is None else min(self.low, number)
            self.high = number if self.high is None else max(self.high, number)
        if len(self.distinct) < DISTINCT_CAP:
            self.distinct.add(_display(value))
        elif _display(value) not in self.distinct:
            self.distinct_capped = True

    def as_dict(self):
        if not self.types:
            kind = "empty"
        elif self.types <= {"integer"}:
            kind = "integer"
        elif self.types <= {"integer", "decimal"}:
            kind = "decimal"
        elif len(self.types) == 1:
            kind = next(iter(self.types))
        else:
            kind = "text"
        numeric = kind in ("integer", "decimal")
        return {
            "name": self.name, "type": kind, "filled": self.filled, "missing": self.missing,
            "distinct": len(self.distinct), "distinct_capped": self.distinct_capped,
            "min": self.low if numeric else None, "max": self.high if numeric else None,
        }


def _display(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= CELL_MAX else text[:CELL_MAX - 1] + "…"


class TableBuilder:
    def __init__(self, header):
        self.columns = [_display(name).strip() or f"#{index}" for index, name in enumerate(header, start=1)]
        self.facts = [ColumnFacts(name) for name in self.columns]
        self.rows = []
        self.row_count = 0
        self.problems = []

    def add(self, values):
        self.row_count += 1
        values = list(values)[:len(self.columns)] + [None] * (len(self.columns) - len(values))
        for facts, value in zip(self.facts, values):
            facts.add(value)
        if len(self.rows) < PREVIEW_ROWS:
            self.rows.append([_display(value) for value in values])

    def problem(self, line, code, **numbers):
        if len(self.problems) < PROBLEMS_MAX:
            self.problems.append({"line": line, "code": code, **numbers})

    def as_dict(self, **extra):
        return {
            "kind": "table", "columns": self.columns, "rows": self.rows, "row_count": self.row_count,
            "facts": [facts.as_dict() for facts in self.facts], "problems": self.problems, **extra,
        }


def _csv_preview(text):
    sample = text[:64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    builder = None
    try:
        for row in reader:
            if builder is None:
                builder = TableBuilder(row)
                continue
            if not row:
                continue
            if len(row) != len(builder.columns):
                builder.problem(reader.line_num, "field_count", found=len(row), expected=len(builder.columns))
            builder.add(row)
    except csv.Error:
        if builder is None:
            builder = TableBuilder([])
        builder.problem(reader.line_num, "unreadable")
    if builder is None:
        _refuse(_l("The file is empty."))
    return builder.as_dict(delimiter=delimiter)


def _xlsx_preview(path):
    limit = current_app.config["DATASET_XLSX_MAX_UNCOMPRESSED"]
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile:
        _mismatch(FileKind.XLSX)
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        _mismatch(FileKind.XLSX)
    # The sizes come from the zip's directory, before anything is unpacked. Python's zipfile
    # stops each member at its declared size, so a lying directory cannot unpack more.
    if sum(entry.file_size for entry in entries) > limit:
        _refuse(_l("The spreadsheet unpacks to more than %(mb)d MB. Split it into smaller files.",
                   mb=limit // (1024 * 1024)))
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl judges a path by its extension and the temporary file has none.
    with open(path, "rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a broken file; all mean the same to the uploader
            _refuse(_l("The spreadsheet could not be read. Save it again as .xlsx and retry."))
        try:
            sheet = workbook.worksheets[0]
            builder = None
            for row in sheet.iter_rows(values_only=True):
                if builder is None:
                    builder = TableBuilder(row)
                elif any(value is not None for value in row):
                    builder.add(row)
            sheet_names = workbook.sheetnames
        finally:
            workbook.close()
    if builder is None:
        _refuse(_l("The spreadsheet's first sheet is empty."))
    return builder.as_dict(sheet=sheet_names[0], sheets=len(sheet_names))


# --- JSON, PDF, text ------------------------------------------------------------------------

def _json_preview(raw):
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        _mismatch(FileKind.JSON)
    except json.JSONDecodeError as error:
        _refuse(_l("The file is not valid JSON: line %(line)d, column %(column)d: %(reason)s.",
                   line=error.lineno, column=error.colno, reason=error.msg))
    except RecursionError:
        _refuse(_l("The JSON is nested too deeply to read."))
    lines = json.dumps(data, indent=2, ensure_ascii=False).splitlines()
    return {"kind": "json", "text": "\n".join(lines[:JSON_LINES]), "total_lines": len(lines)}


def _pdf_preview(path):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return {"kind": "pdf", "pages": None, "encrypted": True}
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        _refuse(_l("The PDF could not be read. Save it again as PDF and retry."))
    return {"kind": "pdf", "pages": pages, "encrypted": False}


def _text_preview(text):
    lines = text.splitlines()
    shown = [line if len(line) <= LINE_MAX else line[:LINE_MAX - 1] + "…" for line in lines[:TEXT_LINES]]
    return {"kind": "text", "lines": shown, "total_lines": len(lines)}
