"""Writes sources/ev-factsheet-q2-2025.pdf, the demo PDF of the sources folder: two pages, each a short
text and a ruled table, as a research firm's factsheet would be laid out.

    .venv/bin/python scripts/make_demo_pdf.py

The figures are the carmakers' published second-quarter 2025 numbers. fpdf2 is a development
dependency (the `dev` extra); the PDF is committed, so building the warehouse does not need it. The
file's dates are fixed so that running the script again writes the same bytes (the same document id).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from fpdf import FPDF

OUTPUT = Path(__file__).resolve().parents[1] / "sources" / "ev-factsheet-q2-2025.pdf"
WRITTEN = datetime.datetime(2025, 8, 25, 9, 0, tzinfo=datetime.timezone.utc)

PAGES = [
    (
        "Xiaomi: smart electric vehicles, second quarter of 2025",
        [
            "Xiaomi delivered 81,302 vehicles in the second quarter of 2025, against 75,869 in the first quarter.",
            "The gross margin of the smart EV business reached 26.4% in the second quarter of 2025.",
        ],
        [["Xiaomi smart EV", "Q2 2025", "Q1 2025"],
         ["Deliveries (units)", "81,302", "75,869"],
         ["Revenue (RMB bn)", "20.6", "18.1"],
         ["Gross margin", "26.4%", "23.2%"]],
    ),
    (
        "Start-ups: deliveries in the second quarter of 2025",
        ["NIO, XPeng and Li Auto all published their deliveries for the quarter in early July."],
        [["Deliveries (units)", "Q2 2025"],
         ["NIO", "72,056"],
         ["XPeng", "103,181"],
         ["Li Auto", "111,074"]],
    ),
]


def build() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title("EV factsheet, Q2 2025")
    pdf.set_creator("figures warehouse demo")
    pdf.set_creation_date(WRITTEN)
    pdf.file_id = lambda: -1  # no random file identifier: the same bytes on every run
    for heading, paragraphs, rows in PAGES:
        pdf.add_page()
        pdf.set_font("helvetica", style="B", size=14)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.ln(3)
        with pdf.table(first_row_as_headings=True, text_align="LEFT") as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
    return bytes(pdf.output())


if __name__ == "__main__":
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT.relative_to(Path.cwd()) if OUTPUT.is_relative_to(Path.cwd()) else OUTPUT}")
