"""Small real files of each kind, made in memory."""
import io
import zipfile

CSV = b"municipality;companies;share\nAalborg;12;0,5\nHjorring;7;0,25\nThisted;;1,75\n"
JSON = b'{"companies": [{"name": "Limfjord", "orders": 120}, {"name": "Skagen", "orders": 40}]}'
TEXT = "Notes from the workshop\nLine two with æøå\n".encode()


def xlsx(rows=(("name", "orders"), ("Limfjord", 120), ("Skagen", 40.5))):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Orders"
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf(pages=2):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb(unpacked=2 * 1024 * 1024):
    """A file that looks like an XLSX and unpacks to ``unpacked`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * unpacked)
    return out.getvalue()
