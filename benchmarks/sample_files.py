"""Article files of every format, and hostile files, written on the fly for the tests and benchmarks.

PDFs are drawn with fpdf2 (a development dependency) like a report generator would; the very long
PDF is assembled by hand so that thousands of pages cost a few kilobytes and milliseconds.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw

# --- PDFs ---------------------------------------------------------------------------------------


def _pdf(title: str | None = None) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font("helvetica", size=11)
    pdf.set_creator("figures tests")
    if title:
        pdf.set_title(title)
    return pdf


def _paragraphs(pdf: FPDF, paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def pdf_with_table(paragraphs: list[str], rows: list[list[str]], title: str | None = None) -> bytes:
    """One page: paragraphs, then a ruled table (pdfplumber finds tables by their rules)."""
    pdf = _pdf(title)
    pdf.add_page()
    _paragraphs(pdf, paragraphs)
    with pdf.table(first_row_as_headings=True, text_align="LEFT") as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


def pdf_of_pages(pages: list[list[str]], title: str | None = None) -> bytes:
    """One page per list of paragraphs."""
    pdf = _pdf(title)
    for paragraphs in pages:
        pdf.add_page()
        _paragraphs(pdf, paragraphs)
    return bytes(pdf.output())


def pdf_two_columns(heading: str, left: list[str], right: list[str]) -> bytes:
    """A full-width heading over two columns of justified prose, as newsletters and reports are set."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", size=10)
    top = pdf.get_y()
    width = (pdf.epw - 10) / 2
    for x, paragraphs in ((pdf.l_margin, left), (pdf.l_margin + width + 10, right)):
        pdf.set_xy(x, top)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(width, 5, paragraph, align="J", new_x="LEFT", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def encrypted_pdf(paragraphs: list[str], password: str = "secret") -> bytes:
    pdf = _pdf()
    pdf.add_page()
    _paragraphs(pdf, paragraphs)
    pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is only a picture of text, as a scanner makes it: no text layer."""
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "BYD delivered 1,145,000 vehicles in Q2 2025", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = _pdf()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


_FILLER = b"BT /F1 11 Tf 50 780 Td (filler page) Tj ET"


def long_pdf(pages: int) -> bytes:
    """A valid PDF of ``pages`` pages that all share one small content stream."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    # Page size and font are inherited from the page tree, so each page object is a few bytes.
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} /MediaBox [0 0 595 842] "
        f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_FILLER), _FILLER),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"
    objects += [page] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- the good corpus ----------------------------------------------------------------------------

XIAOMI_TABLE_PDF = (
    ["Xiaomi: quarterly update on the smart electric vehicle business",
     "Xiaomi reported a gross margin of 26.4% for its EV business in the second quarter of 2025."],
    [["Indicator", "Q2 2025", "Q1 2025"], ["Deliveries", "81,302", "75,869"], ["Revenue (RMB bn)", "20.6", "18.1"]],
)
TWO_PAGE_PDF = [
    ["NIO quarterly deliveries", "NIO delivered 72,056 vehicles in the second quarter of 2025."],
    ["Li Auto quarterly deliveries", "Li Auto delivered 111,074 vehicles in the second quarter of 2025."],
]
TWO_COLUMN_PDF = (
    "Electric carmakers in the second quarter of 2025",
    ["XPeng delivered 103,181 vehicles in the second quarter of 2025, its best quarter so far, "
     "helped by the Mona M03 and by deliveries abroad that grew every month of the period."],
    ["Leapmotor delivered 134,819 vehicles in the second quarter of 2025, nearly three times as many "
     "as a year earlier, as its new models reached dealers across China and in Europe."],
)

HTML_PAGE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8"><title>BYD results | Motor Ledger</title>
<meta property="og:site_name" content="Motor Ledger">
<meta property="og:title" content="BYD posts its second-quarter figures">
<link rel="canonical" href="https://motor-ledger.example/byd-q2-2025">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Motor Ledger"},
 {"@type": "NewsArticle", "headline": "BYD posts its second-quarter figures",
  "datePublished": "2025-09-01T08:00:00+08:00", "publisher": {"@type": "Organization", "name": "Motor Ledger"}}]}
</script>
<style>body { font-family: serif } .cookie-banner { position: fixed }</style>
<script>window.dataLayer = [{"deliveries": 999999}];</script>
</head><body>
<div class="cookie-banner" id="gdpr-consent"><p>We use 42 cookies to improve your experience. Accept all?</p>
<button>Accept</button></div>
<header class="site-header"><a href="/">Motor Ledger</a><nav><ul><li><a href="/ev">EV</a></li>
<li><a href="/markets">Markets</a></li></ul></nav></header>
<div class="layout">
<main><article>
<h1>BYD posts its second-quarter figures</h1>
<p class="byline">By a staff writer</p>
<p>BYD sold 1,145,000 vehicles in the second quarter of 2025, the company said on Monday.</p>
<p>The carmaker's revenue for the quarter is shown below, with the same quarter of last year.</p>
<table><tr><th>Metric</th><th>Q2 2025</th><th>Q2 2024</th></tr>
<tr><td>Revenue (RMB bn)</td><td>200.9</td><td>176.2</td></tr>
<tr><td>Gross margin</td><td>16.3%</td><td>18.7%</td></tr></table>
<div class="share-buttons social"><a href="#">Share on X</a><a href="#">Share 12 times</a></div>
<section class="related-articles"><h2>Related</h2><ul>
<li><a href="/tesla">Tesla delivered 384,122 vehicles in Q2 2025</a></li></ul></section>
</article>
<section id="comments"><h2>3 comments</h2><div class="comment"><p>I think BYD sold 2,000,000 cars!</p></div></section>
</main>
<aside class="sidebar"><h3>Most read</h3><p>NIO delivered 99,999 vehicles, says a rumour.</p></aside>
</div>
<footer><p>© 2025 Motor Ledger. 10 rue Example.</p></footer>
</body></html>
"""

MARKDOWN_ARTICLE = """---
title: XPeng's quarter in figures
date: 2025-07-01
lang: en
publisher: EV Notes
url: https://ev-notes.example/2025/07/xpeng-q2-deliveries-103181
---
# XPeng's quarter in figures

XPeng delivered 103,181 vehicles in the second quarter of 2025.

Month | Deliveries
---|---
April 2025 | 35,045
May 2025 | 33,525
"""

FRENCH = "Xiaomi a livré 81\u202f302 véhicules électriques au deuxième trimestre 2025, selon le groupe."
ENGLISH = "Li Auto delivered 111,074 vehicles in the second quarter of 2025, the company said."


def write_good_corpus(folder: Path) -> dict[str, bytes]:
    """Every format and encoding the readers support; returns the bytes written per file name."""
    files = {
        "xiaomi_table.pdf": pdf_with_table(*XIAOMI_TABLE_PDF, title="Xiaomi EV update"),
        "two_pages.pdf": pdf_of_pages(TWO_PAGE_PDF),
        "two_columns.pdf": pdf_two_columns(*TWO_COLUMN_PDF),
        "byd.html": HTML_PAGE.encode("utf-8"),
        "xpeng.md": MARKDOWN_ARTICLE.encode("utf-8"),
        "utf8.txt": FRENCH.encode("utf-8"),
        "utf8_bom.txt": b"\xef\xbb\xbf" + ENGLISH.replace("Li Auto", "Leapmotor").replace("111,074", "134,819").encode("utf-8"),
        "utf16.txt": FRENCH.replace("81\u202f302", "75\u202f869").replace("deuxième", "premier").encode("utf-16"),
        "cp1252.txt": "BYD a vendu 1\u00a0145\u00a0000 véhicules au deuxième trimestre 2025, d’après le constructeur.".encode("cp1252"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        (folder / name).write_bytes(raw)
    return files


# --- the hostile corpus -------------------------------------------------------------------------

HOSTILE_NAMES = [
    "x'); DROP TABLE claims;--.txt",
    'a "quoted" name.txt',
    "semi;colon; name.txt",
    "spaces in  the name.txt",
    "小米 交付 报告.txt",
    "Ελληνικά.txt",
    # Dagster refuses a tab and "..." in a partition key: each pair must still be two files
    "tab\tname.txt",
    "tab name.txt",
    "dots....txt",
    "dots\u2026.txt",
]
# A name that is not UTF-8 (Latin-1, as old archives unpack), and the name the warehouse gives it.
LATIN1_NAME = (b"r\xe9sultats 2024.txt", "r\\xe9sultats 2024.txt")


def write_hostile_corpus(folder: Path, outside: Path, max_file_bytes: int, long_pdf_pages: int = 5_000) -> dict[str, str]:
    """Files that must each be rejected, or read normally for the odd names, without slowing the run.

    Returns each rejected file's name with a word its error must contain. ``outside`` is a folder
    beside the sources folder, for the links to point out of it; ``max_file_bytes`` is the size limit
    of the run, which one text file exceeds by a byte.
    """
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    good_pdf = pdf_with_table(*XIAOMI_TABLE_PDF)
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inside.txt").write_text("Geely delivered 9,999 vehicles, says a file beyond the folder.", encoding="utf-8")
    expected = {
        "zero.txt": "empty",
        "junk.txt": "binary",
        "junk.pdf": "corrupt PDF",
        "truncated.pdf": "corrupt PDF",
        "encrypted.pdf": "password-protected",
        "scanned.pdf": "no text layer",
        "thousands_of_pages.pdf": "max_pdf_pages",
        "invalid_utf8.txt": "undecodable",
        "only_scripts.html": "no text",
        "slides.pptx": "unsupported format",
        "passwd.txt": "symbolic link",
        "linked_folder": "symbolic link",
        "oversized.txt": "max_file_bytes",
    }
    line = (ENGLISH + "\n").encode("utf-8")
    (folder / "oversized.txt").write_bytes((line * (max_file_bytes // len(line) + 1))[: max_file_bytes + 1])
    random = bytes((i * 7919 + 13) % 256 for i in range(4096))
    (folder / "zero.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(random)
    (folder / "junk.pdf").write_bytes(random)
    (folder / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 3])
    (folder / "encrypted.pdf").write_bytes(encrypted_pdf(XIAOMI_TABLE_PDF[0]))
    (folder / "scanned.pdf").write_bytes(scanned_pdf())
    (folder / "thousands_of_pages.pdf").write_bytes(long_pdf(long_pdf_pages))
    # Lone continuation bytes and truncated sequences: UTF-8 it is not, and no 8-bit code page fits.
    (folder / "invalid_utf8.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 400)
    (folder / "only_scripts.html").write_text(
        "<html><head><script>var deliveries = 81302;</script></head><body><script>track(1)</script>"
        "<noscript>Enable JavaScript</noscript></body></html>", encoding="utf-8")
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04" + random[:100])
    os.symlink(outside / "secret.txt", folder / "passwd.txt")
    os.symlink(outside / "folder", folder / "linked_folder")
    for number, name in enumerate(HOSTILE_NAMES, 1):  # different contents: each is a document of its own
        (folder / name).write_text(f"{ENGLISH}\nFiling number {number}.\n", encoding="utf-8")
    (folder / os.fsdecode(LATIN1_NAME[0])).write_text(f"{ENGLISH}\nFiling number 0.\n", encoding="utf-8")
    return expected
