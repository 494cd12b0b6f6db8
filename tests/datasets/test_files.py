"""Checking and previewing files, without HTTP."""
import pytest

from cocreate.datasets import files
from cocreate.errors import DomainError

from . import files as samples


def inspect(tmp_path, content, kind):
    path = tmp_path / "upload"
    path.write_bytes(content)
    return files.inspect(path, kind, len(content))


@pytest.mark.parametrize("name", ["../etc/passwd.csv", "a/b.csv", "C:\\data\\b.csv", "..\\b.csv", "tab\there.csv",
                                  "new\nline.csv", ".hidden.csv", "bell\x07.csv"])
def test_file_names_with_path_parts_or_control_characters_are_refused(name):
    with pytest.raises(DomainError) as error:
        files.check_filename(name)
    assert error.value.field == "file"


@pytest.mark.parametrize("name", ["data.exe", "data.docx", "data", "data.csv.exe"])
def test_other_types_are_refused(name):
    with pytest.raises(DomainError, match="Only CSV, XLSX, JSON, PDF and plain text"):
        files.check_filename(name)


def test_allowed_names_keep_their_spelling():
    assert files.check_filename("Ordrer 2026 – Ålborg.CSV") == ("Ordrer 2026 – Ålborg.CSV", "csv")


def test_csv_preview_sniffs_the_delimiter_and_counts_each_column(tmp_path):
    preview = inspect(tmp_path, samples.CSV, "csv")
    assert preview["columns"] == ["municipality", "companies", "share"]
    assert preview["rows"][0] == ["Aalborg", "12", "0,5"]
    assert preview["row_count"] == 3
    municipality, companies, share = preview["facts"]
    assert municipality["type"] == "text" and municipality["distinct"] == 3
    assert companies == {"name": "companies", "type": "integer", "filled": 2, "missing": 1, "distinct": 2,
                         "distinct_capped": False, "min": 7, "max": 12}
    assert share["type"] == "decimal" and share["min"] == 0.25 and share["max"] == 1.75
    assert preview["problems"] == []


def test_csv_preview_shows_fifty_rows_but_counts_all(tmp_path):
    content = b"n\n" + b"".join(f"{i}\n".encode() for i in range(120))
    preview = inspect(tmp_path, content, "csv")
    assert len(preview["rows"]) == 50 and preview["row_count"] == 120
    assert preview["facts"][0]["max"] == 119


def test_a_malformed_csv_is_kept_and_the_preview_names_the_line(tmp_path):
    preview = inspect(tmp_path, b"a,b,c\n1,2,3\n4,5\n6,7,8\n", "csv")
    assert preview["problems"] == [{"line": 3, "code": "field_count", "found": 2, "expected": 3}]
    assert preview["row_count"] == 3


def test_an_open_quote_stops_the_preview_at_its_line(tmp_path):
    preview = inspect(tmp_path, b'a,b\n1,2\n3,"open\n', "csv")
    assert preview["problems"][0]["code"] == "unreadable"
    assert preview["problems"][0]["line"] >= 3


def test_windows_1252_csv_is_read(tmp_path):
    preview = inspect(tmp_path, "by,antal\nHjørring,4\n".encode("cp1252"), "csv")
    assert preview["rows"] == [["Hjørring", "4"]]


def test_xlsx_preview_reads_the_first_sheet(app, tmp_path):
    preview = inspect(tmp_path, samples.xlsx(), "xlsx")
    assert preview["sheet"] == "Orders" and preview["columns"] == ["name", "orders"]
    assert preview["rows"] == [["Limfjord", "120"], ["Skagen", "40.5"]]
    assert preview["facts"][1]["type"] == "decimal" and preview["facts"][1]["max"] == 120


def test_an_xlsx_that_unpacks_beyond_the_bound_is_refused_before_opening(app, tmp_path):
    app.config["DATASET_XLSX_MAX_UNCOMPRESSED"] = 1024 * 1024
    with pytest.raises(DomainError, match="unpacks to more than 1 MB"):
        inspect(tmp_path, samples.zip_bomb(), "xlsx")


def test_json_is_laid_out_and_cut_at_two_hundred_lines(tmp_path):
    preview = inspect(tmp_path, samples.JSON, "json")
    assert '"name": "Limfjord"' in preview["text"]
    long = ("[" + ",".join(str(i) for i in range(500)) + "]").encode()
    preview = inspect(tmp_path, long, "json")
    assert len(preview["text"].splitlines()) == 200 and preview["total_lines"] == 502


def test_invalid_json_names_the_line(tmp_path):
    with pytest.raises(DomainError, match="line 2, column 1"):
        inspect(tmp_path, b'{"a": 1,\n}', "json")


def test_pdf_preview_counts_pages(app, tmp_path):
    assert inspect(tmp_path, samples.pdf(3), "pdf") == {"kind": "pdf", "pages": 3, "encrypted": False}


def test_text_preview_keeps_the_first_lines(tmp_path):
    preview = inspect(tmp_path, samples.TEXT, "text")
    assert preview["lines"] == ["Notes from the workshop", "Line two with æøå"]


@pytest.mark.parametrize("content,kind", [
    (samples.pdf(1), "csv"), (samples.xlsx(), "json"), (b"name,count\n", "pdf"), (b"name,count\n", "xlsx"),
    (b"\x89PNG\r\n\x1a\n....", "text"), (b"a\x00b", "csv"), (b"PK\x03\x04 not really a zip", "xlsx"),
])
def test_content_that_does_not_match_the_extension_is_refused(app, tmp_path, content, kind):
    with pytest.raises(DomainError, match="does not match its extension"):
        inspect(tmp_path, content, kind)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(DomainError, match="The file is empty"):
        inspect(tmp_path, b"", "csv")
