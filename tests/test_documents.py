"""The document reading layer: what a user dropping files into sources/ gets back."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from pipelines.documents import (
    PublisherRegistry,
    SourceDocument,
    UnreadableDocument,
    read_document,
    scan_sources,
)
from pipelines.documents.dates import find_dateline, parse_date
from pipelines.documents.language import detect_language

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
NBSP, NNBSP = "\u00a0", "\u202f"


def read_fixture(name: str, registry: PublisherRegistry | None = None) -> SourceDocument:
    return read_document(FIXTURES / name, FIXTURES, registry or PublisherRegistry())


# --- a minimal PDF writer, so the PDF tests need no PDF library -------------------------------


def build_pdf(lines: list[str], table: list[list[str]] | None = None, info: dict | None = None) -> bytes:
    """A one-page PDF: text lines from the top, then a ruled table (pdfplumber finds tables by their rules)."""

    def literal(text: str) -> bytes:
        return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    ops, y = [], 780
    for line in lines:
        ops.append(b"BT /F1 11 Tf 50 %d Td (%s) Tj ET" % (y, literal(line)))
        y -= 16
    for r, row in enumerate(table or []):
        for c, cell in enumerate(row):
            x0, y0 = 50 + c * 150, y - 10 - (r + 1) * 20
            ops.append(b"%d %d 150 20 re S" % (x0, y0))
            ops.append(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (x0 + 4, y0 + 6, literal(cell)))
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    if info:
        objects.append(b"<< " + b" ".join(b"/%s (%s)" % (k.encode(), literal(v)) for k, v in info.items()) + b" >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


# --- text files -------------------------------------------------------------------------------


def test_utf8_text_is_read_as_written_with_its_metadata():
    doc = read_fixture("fr_article.txt")
    raw = (FIXTURES / "fr_article.txt").read_text(encoding="utf-8")
    assert doc.text == raw  # nothing to repair: offsets computed on the file hold on the text
    assert doc.format == "txt"
    assert doc.path == "fr_article.txt"
    assert doc.title == "Xiaomi accélère dans l’automobile électrique"
    assert doc.language == "fr"
    assert doc.published == datetime.date(2025, 8, 20)
    assert doc.repairs == ()
    assert doc.size_bytes == len(raw.encode("utf-8"))


def test_no_break_spaces_and_curly_quotes_in_figures_survive():
    doc = read_fixture("fr_article.txt")
    assert f"81{NBSP}502 véhicules" in doc.text
    assert f"26,4{NNBSP}%" in doc.text
    assert "l’automobile" in doc.text and "« une croissance durable »" in doc.text


def test_cp1252_text_is_decoded_and_the_encoding_recorded():
    doc = read_fixture("cp1252_article.txt")
    assert "Le chiffre d’affaires a progressé de 12 % à 3,5 milliards d’euros" in doc.text
    assert "« très fortes »" in doc.text
    assert "encoding: cp1252" in doc.repairs
    assert "\r" not in doc.text
    assert any(repair.startswith("line endings") for repair in doc.repairs)


def test_mojibake_is_repaired_including_a_lost_no_break_space():
    doc = read_fixture("mojibake.txt")
    assert doc.text.startswith("Les ventes en Europe et au-delà\nSuite")
    assert doc.text.endswith("et au-delà")  # also at the very end of the text
    assert "le café coûte" in doc.text
    assert f"26,4{NNBSP}%" in doc.text
    assert "SÃO PAULO" in doc.text  # a genuine "Ã" in an uppercase word is left alone
    assert doc.text.count("Ã") == 1
    assert "mojibake: 3 fixes" in doc.repairs


def test_a_clean_article_is_kept_exactly_and_one_broken_line_among_clean_ones_is_still_repaired(tmp_path):
    clean = (f"Le chiffre d’affaires atteint 20,6{NNBSP}milliards de yuans, « un record ».\n"
             f"La marge brute s’établit à 26,4{NBSP}% au troisième trimestre.\n\nDeliveries rose 198%.\n")
    (tmp_path / "clean.txt").write_text(clean, encoding="utf-8")
    doc = read_document(tmp_path / "clean.txt", tmp_path)
    assert doc.text == clean and not doc.repairs

    # Each broken line alone among clean ones: cp1252 mojibake without "Ã", a ligature, an entity.
    for broken, repaired in (("Le groupe a livrÃ© 81 502 vÃ©hicules.", "Le groupe a livré 81 502 véhicules."),
                             ("Lâ€™objectif est relevÃ© à 120 000.", "L’objectif est relevé à 120 000."),
                             ("Les chiffres ﬁnaux du trimestre.", "Les chiffres finaux du trimestre."),
                             ("Ventes &amp; marges du trimestre.", "Ventes & marges du trimestre.")):
        (tmp_path / "mixed.txt").write_text(clean + broken + "\n" + clean, encoding="utf-8")
        doc = read_document(tmp_path / "mixed.txt", tmp_path)
        assert doc.text == clean + repaired + "\n" + clean, broken
        assert doc.repairs


def test_markdown_keeps_pipe_tables_unchanged():
    doc = read_fixture("en_article.md")
    raw = (FIXTURES / "en_article.md").read_text(encoding="utf-8")
    assert doc.text == raw
    assert "| Deliveries | 81,502 | +198% |\n" in doc.text
    assert doc.format == "md"
    assert doc.title == "Xiaomi raises its delivery target"
    assert doc.language == "en"
    assert doc.published == datetime.date(2025, 8, 20)


def test_markdown_front_matter_gives_title_language_and_date(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: Résultats\nlang: fr\ndate: 2025-03-04\n---\n\nThe text itself.\n", encoding="utf-8")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.language, doc.published) == ("Résultats", "fr", datetime.date(2025, 3, 4))


# --- rejected files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, reason",
    [
        ("blank.txt", "empty file"),
        ("binary.txt", "binary content (not text)"),
        ("control_bytes.txt", "binary content (not text): 55% control bytes"),
        ("notes.docx", "unsupported format '.docx'"),
        ("corrupt.pdf", "corrupt PDF"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(name, reason):
    with pytest.raises(UnreadableDocument, match="^" + reason.replace("(", r"\(").replace(")", r"\)")):
        read_fixture(name)


def test_zero_byte_file_is_empty(tmp_path):
    (tmp_path / "zero.md").write_bytes(b"")
    with pytest.raises(UnreadableDocument, match="^empty file$"):
        read_document(tmp_path / "zero.md", tmp_path)


def test_file_without_extension_is_rejected(tmp_path):
    (tmp_path / "README").write_text("Some notes.", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="unsupported format"):
        read_document(tmp_path / "README", tmp_path)


# --- html -------------------------------------------------------------------------------------


def test_html_gives_article_text_with_tables_as_pipe_rows():
    doc = read_fixture("article.html")
    lines = doc.text.split("\n")
    assert doc.format == "html"
    assert lines[0] == "Les livraisons de Xiaomi bondissent"
    assert f"Le groupe a livré 81{NBSP}502 véhicules{NBSP}: un record" in doc.text
    assert f"marge brute de 26,4{NNBSP}% & des revenus" in doc.text  # entities decoded, spaces kept
    assert "Indicateur | T2 2025 | Variation |" in lines
    assert f"Livraisons | 81{NBSP}502 | +198{NBSP}% |" in lines
    assert "Revenus (Md CNY) | 20,6 | +234\u00a0% |" in lines
    assert ["Les ventes", "restent soutenues en Chine."] == lines[2:4]  # <br> breaks the line
    assert "Premier point" in lines and "Second point" in lines


def test_html_drops_page_furniture():
    text = read_fixture("article.html").text
    for furniture in ("Accueil", "tracking", "color: red", "À lire aussi", "© 2025"):
        assert furniture not in text


def test_html_metadata():
    doc = read_fixture("article.html")
    assert doc.title == "Xiaomi : les livraisons bondissent au T2"
    assert doc.published == datetime.date(2025, 8, 21)
    assert doc.language == "fr"


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta name="pubdate" content="2024-11-03">', datetime.date(2024, 11, 3)),
        ('<meta name="DC.date" content="2024-11-03T10:00:00Z">', datetime.date(2024, 11, 3)),
        ('<script type="application/ld+json">{"datePublished": "2024-11-03"}</script>', datetime.date(2024, 11, 3)),
        ("", datetime.date(2024, 12, 1)),  # falls back to <time datetime>
    ],
)
def test_html_published_date_sources(tmp_path, head, expected):
    page = f'<html><head>{head}</head><body><time datetime="2024-12-01">1 déc.</time><p>Texte.</p></body></html>'
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    assert read_document(tmp_path / "a.html", tmp_path).published == expected


# --- pdf --------------------------------------------------------------------------------------


def test_pdf_text_and_table_rows(tmp_path):
    pdf = build_pdf(
        ["Xiaomi: résultats du deuxième trimestre", "Publié le 20 août 2025", "La marge brute atteint 26,4 % au T2 et les ventes sont en hausse."],
        [["Indicateur", "T2 2025", "Variation"], ["Livraisons", "81 502", "+198 %"], ["Revenus (Md CNY)", "20,6", "+234 %"]],
        {"Title": "Xiaomi T2 2025", "CreationDate": "D:20250821093000+02'00'"},
    )
    (tmp_path / "report.pdf").write_bytes(pdf)
    doc = read_document(tmp_path / "report.pdf", tmp_path)
    assert doc.format == "pdf"
    assert doc.text.split("\n") == [
        "Xiaomi: résultats du deuxième trimestre",
        "Publié le 20 août 2025",
        "La marge brute atteint 26,4 % au T2 et les ventes sont en hausse.",
        "Indicateur | T2 2025 | Variation |",
        "Livraisons | 81 502 | +198 % |",
        "Revenus (Md CNY) | 20,6 | +234 % |",
    ]
    assert doc.title == "Xiaomi T2 2025"
    assert doc.published == datetime.date(2025, 8, 20)  # the dateline beats the file's creation date
    assert doc.language == "fr"


def test_pdf_creation_date_is_the_fallback(tmp_path):
    pdf = build_pdf(["Quarterly figures for the group were released today."], info={"CreationDate": "D:20250821093000Z"})
    (tmp_path / "a.pdf").write_bytes(pdf)
    assert read_document(tmp_path / "a.pdf", tmp_path).published == datetime.date(2025, 8, 21)


def test_pdf_without_text_layer_is_rejected(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(build_pdf([], [["", ""]]))
    with pytest.raises(UnreadableDocument, match=r"^PDF has no text layer \(scanned\?\)$"):
        read_document(tmp_path / "scan.pdf", tmp_path)


def test_file_that_is_not_a_pdf_is_rejected(tmp_path):
    (tmp_path / "fake.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="^corrupt PDF: "):
        read_document(tmp_path / "fake.pdf", tmp_path)


# --- language and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le groupe a livré plus de véhicules que prévu et la marge est en hausse pour les investisseurs.", "fr"),
        ("The group delivered more vehicles than expected and the margin is up for the investors of the company.", "en"),
        ("Xiaomi SU7 81 502", None),  # too few words to tell
        ("", None),
    ],
)
def test_language_detection(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Titre\nPublié le 20 août 2025 à 10h00\nTexte", datetime.date(2025, 8, 20)),
        ("Titre\nPar Jean Dupont, publié le 1er septembre 2025\nTexte", datetime.date(2025, 9, 1)),
        ("Title\nPublished: August 20, 2025\nText", datetime.date(2025, 8, 20)),
        ("Title\n20/08/2025\nText", datetime.date(2025, 8, 20)),
        ("Title\nWednesday, August 20, 2025\nText", datetime.date(2025, 8, 20)),
        ("Titre\nMis à jour le 22 août 2025\nTexte", datetime.date(2025, 8, 22)),
        ("Les ventes de 2025 dépassent celles du 3 mars 2024 selon le groupe.", None),  # body dates are not datelines
        ("x" * 700 + "\nPublié le 20 août 2025", None),  # too far from the top
    ],
)
def test_dateline(text, expected):
    assert find_dateline(text) == expected


def test_datelines_are_read_without_dateparser_as_dateparser_reads_them(monkeypatch):
    from pipelines.documents import dates

    values = [f"{day} {month}{dot} {year}" for month in dates._MONTH_NUMBERS for day in ("1er", "7", "28")
              for dot in ("", ".") for year in ("2024",) if not (day == "1er" and month in ENGLISH_MONTHS)]
    values += [f"{month.capitalize()} {day}{suffix}, 2023" for month in ENGLISH_MONTHS for day, suffix in (("1", "st"), ("21", ""))]
    values += ["20/08/2025", "5.6.2024", "01/12/2024"]  # day first
    expected = {value: dates._free_text_date(value) for value in values}
    assert None not in expected.values()
    monkeypatch.setattr(dates, "_free_text_parser", None)  # dateparser cannot be used now
    for value in values:
        assert dates.parse_date(value) == expected[value], value
    # Left to dateparser: an impossible date, and one that can only be month first.
    assert dates._dateline_date("31/04/2024") is None and dates._dateline_date("12/31/2024") is None


ENGLISH_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Tue, 15 Jul 2025 10:00:00 GMT", datetime.date(2025, 7, 15)),
        ("16 juil. 2025 à 08h30 CEST", datetime.date(2025, 7, 16)),
        ("2025-07-15T10:00:00+02:00", datetime.date(2025, 7, 15)),
        ("hier", None),  # a metadata value relative to the day it is read says nothing of publication
        ("2 days ago", None),
    ],
)
def test_metadata_dates(value, expected):
    assert parse_date(value) == expected


# --- registry ---------------------------------------------------------------------------------


REGISTRY_YAML = """
publishers:
  Les Echos: {language: fr}
documents:
  - match: "lesechos/*.html"
    publisher: Les Echos
    url: https://www.lesechos.fr
  - match: "*.pdf"
    language: en
  - match: special.html
    published: 2025-08-20
    publisher: null
  - match: lesechos/special.html
    url: https://www.lesechos.fr/special
"""


@pytest.fixture
def registry(tmp_path) -> PublisherRegistry:
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    return PublisherRegistry.load(path)


@pytest.mark.parametrize(
    "relative_path, expected",
    [
        ("lesechos/a.html", {"publisher": "Les Echos", "language": "fr", "url": "https://www.lesechos.fr"}),
        ("report.pdf", {"language": "en"}),
        ("deep/down/report.pdf", {"language": "en"}),  # a pattern without a folder matches any folder
        ("special.html", {"published": datetime.date(2025, 8, 20)}),
        (
            "lesechos/special.html",  # exact entries win over globs; null does not erase the publisher
            {"publisher": "Les Echos", "language": "fr", "url": "https://www.lesechos.fr/special",
             "published": datetime.date(2025, 8, 20)},
        ),
        ("other.txt", {}),
    ],
)
def test_registry_lookup(registry, relative_path, expected):
    assert registry.lookup(relative_path) == expected


def test_missing_registry_is_empty(tmp_path):
    assert PublisherRegistry.load(tmp_path / "nope.yaml").lookup("a.txt") == {}


def test_registry_overrides_detection_and_is_found_in_the_sources_folder(tmp_path):
    shutil.copy(FIXTURES / "fr_article.txt", tmp_path / "article.txt")
    (tmp_path / "registry.yaml").write_text(
        "documents:\n  - {match: article.txt, publisher: Le Monde, language: en, published: 2024-01-02}\n",
        encoding="utf-8",
    )
    doc = read_document(tmp_path / "article.txt", tmp_path)
    assert (doc.publisher, doc.language, doc.published) == ("Le Monde", "en", datetime.date(2024, 1, 2))


def test_project_registry_is_valid():
    registry = PublisherRegistry.load(Path(__file__).parents[1] / "sources" / "registry.yaml")
    assert registry.lookup("000_73dc88b4a419ee4c.txt") == {"language": "fr"}
    assert registry.lookup("003_f32d863d3c202223.txt") == {"language": "fr"}


# --- scanning and identity --------------------------------------------------------------------


def test_scan_sources_lists_articles_in_order_and_skips_non_articles(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.html", "sub/a.pdf", "notes.docx", "registry.yaml",
                 ".hidden.txt", ".cache/x.txt", "lexicons/units.yaml", "Z.htm"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [path.relative_to(tmp_path).as_posix() for path in scan_sources(tmp_path)]
    assert found == ["Z.htm", "a.md", "b.txt", "notes.docx", "sub/a.pdf", "sub/c.html"]


def test_relative_path_is_posix_and_relative_to_the_sources_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES / "en_article.md", tmp_path / "sub" / "a.md")
    assert read_document(tmp_path / "sub" / "a.md", tmp_path).path == "sub/a.md"
    assert read_document(Path("sub/a.md"), tmp_path).path == "sub/a.md"


def test_document_id_follows_the_bytes(tmp_path):
    (tmp_path / "one.txt").write_text("Le groupe a livré 100 véhicules.", encoding="utf-8")
    (tmp_path / "copy.txt").write_text("Le groupe a livré 100 véhicules.", encoding="utf-8")
    (tmp_path / "other.txt").write_text("Le groupe a livré 101 véhicules.", encoding="utf-8")
    one, copy, other = (read_document(tmp_path / name, tmp_path) for name in ("one.txt", "copy.txt", "other.txt"))
    assert one.document_id == copy.document_id == read_document(tmp_path / "one.txt", tmp_path).document_id
    assert one.document_id != other.document_id
    assert len(one.document_id) == 16 and int(one.document_id, 16) >= 0


# --- front matter, metadata, tiers ------------------------------------------------------------


def test_front_matter_is_removed_from_the_text_and_gives_publisher_and_url(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Livraisons\npublished: 2025-07-02\nlanguage: fr\npublisher: Le Carnet Auto\n"
        "url: https://carnet.example/2025/350000-objectif\n---\nXiaomi vise 350\u202f000 livraisons en 2025.\n",
        encoding="utf-8",
    )
    doc = read_document(path, tmp_path)
    assert doc.text == "Xiaomi vise 350\u202f000 livraisons en 2025.\n"
    assert (doc.title, doc.published, doc.language) == ("Livraisons", datetime.date(2025, 7, 2), "fr")
    assert (doc.publisher, doc.url) == ("Le Carnet Auto", "https://carnet.example/2025/350000-objectif")


def test_front_matter_that_is_not_a_mapping_is_still_not_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\n- just\n- a list\n---\nBody text here.\n", encoding="utf-8")
    doc = read_document(path, tmp_path)
    assert doc.text == "Body text here.\n" and doc.publisher is None


def test_registry_wins_over_the_file_own_metadata(tmp_path):
    (tmp_path / "note.md").write_text("---\npublisher: Someone\nurl: https://a.example\n---\nText.\n", encoding="utf-8")
    registry = PublisherRegistry.from_dict({"documents": [{"match": "*.md", "publisher": "EV Notes", "tier": "press"}]})
    doc = read_document(tmp_path / "note.md", tmp_path, registry)
    assert (doc.publisher, doc.url, doc.tier) == ("EV Notes", "https://a.example", "press")


def test_markdown_tables_without_edge_pipes_become_pipe_rows(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("Intro.\n\nMetric | Q2 2025\n:---|---:\nDeliveries | 81,302\n\nAfter | the table\n", encoding="utf-8")
    lines = read_document(path, tmp_path).text.split("\n")
    assert lines[2:5] == ["| Metric | Q2 2025 |", "| :---|---: |", "| Deliveries | 81,302 |"]
    assert lines[-2] == "After | the table"  # a line with a pipe outside any table is left alone


def test_registry_tier_from_the_entry_or_the_publisher():
    registry = PublisherRegistry.from_dict({
        "publishers": {"Xinhua": {"tier": "wire"}},
        "documents": [{"match": "wire/*.txt", "publisher": "Xinhua"}, {"match": "ir/*.pdf", "tier": "issuer"}],
    })
    assert registry.lookup("wire/a.txt") == {"publisher": "Xinhua", "tier": "wire"}
    assert registry.lookup("ir/q2.pdf") == {"tier": "issuer"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"documents": [{"match": "a.txt", "tier": "blog"}]}, "'tier' must be one of issuer, wire, press, aggregator"),
        ({"publishers": {"X": {"tier": "rumour"}}}, "publishers\\['X'\\]: 'tier' must be one of"),
    ],
)
def test_an_unknown_tier_is_an_error(data, message):
    from pipelines.documents import RegistryError

    with pytest.raises(RegistryError, match=message):
        PublisherRegistry.from_dict(data)


# --- html main content and metadata -----------------------------------------------------------


def test_html_metadata_from_open_graph_json_ld_and_the_canonical_link(tmp_path):
    page = """<html><head>
    <meta property="og:url" content="https://news.example/og">
    <script type="application/ld+json">[{"@type": "NewsArticle", "headline": "Deliveries up",
      "datePublished": "2025-07-01", "publisher": {"name": "Auto Wire"}, "mainEntityOfPage": {"@id": "https://news.example/ld"}}]</script>
    </head><body><p>NIO delivered 72,056 vehicles in the second quarter.</p></body></html>"""
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path / "a.html", tmp_path)
    assert (doc.title, doc.published, doc.publisher, doc.url) == (
        "Deliveries up", datetime.date(2025, 7, 1), "Auto Wire", "https://news.example/og")


def test_html_keeps_the_main_article_and_drops_banners_related_links_and_comments(tmp_path):
    body = "NIO delivered 72,056 vehicles in the second quarter of 2025, up a quarter on the year before. " * 3
    page = f"""<html><body><div id="cookie-consent">We value your privacy: 12 partners</div>
    <div class="teaser"><article><p>Other story: 5 things to know</p></article></div>
    <main><article><h1>NIO</h1><p>{body}</p>
    <ul class="related-links"><li>BYD sold 300,000 cars</li></ul>
    <div class="comments-area"><p>Reader: more like 80,000!</p></div>
    <p>Shareholders approved the plan.</p></article></main>
    <div role="complementary">Most read: 7 stories</div></body></html>"""
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    text = read_document(tmp_path / "a.html", tmp_path).text
    assert text.split("\n") == ["NIO", body.strip(), "Shareholders approved the plan."]


# --- pdf pages and protection -----------------------------------------------------------------


def test_pdf_pages_are_recorded_where_they_start(tmp_path):
    from benchmarks.sample_files import TWO_PAGE_PDF, pdf_of_pages

    (tmp_path / "a.pdf").write_bytes(pdf_of_pages(TWO_PAGE_PDF))
    doc = read_document(tmp_path / "a.pdf", tmp_path)
    assert len(doc.page_starts) == 2 and doc.page_starts[0] == 0
    assert doc.text[doc.page_starts[1]:].startswith("Li Auto quarterly deliveries")
    assert doc.page_of(doc.text.index("72,056")) == 1 and doc.page_of(doc.text.index("111,074")) == 2


def test_password_protected_pdf_says_so(tmp_path):
    from benchmarks.sample_files import encrypted_pdf

    (tmp_path / "a.pdf").write_bytes(encrypted_pdf(["Confidential: 1,000 vehicles."]))
    with pytest.raises(UnreadableDocument, match="^password-protected PDF"):
        read_document(tmp_path / "a.pdf", tmp_path)


def test_symlinks_are_listed_so_that_they_can_be_rejected(tmp_path):
    import os

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink("/etc/hostname", tmp_path / "host.txt")
    found = [path.relative_to(tmp_path).as_posix() for path in scan_sources(tmp_path)]
    assert found == ["host.txt", "link", "real/a.txt"]  # the linked folder is not walked into


def test_labels_and_values_aligned_without_rules_stay_one_row_per_line(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for label, value in [("Deliveries (units)", "81,302"), ("Revenue (RMB bn)", "20.6"), ("Gross margin", "26.4%"),
                         ("Average price (RMB)", "253,662")]:
        pdf.cell(120, 5, label)  # tight rows: line spacing alone does not tell them from a paragraph
        pdf.cell(40, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    (tmp_path / "a.pdf").write_bytes(bytes(pdf.output()))
    lines = read_document(tmp_path / "a.pdf", tmp_path).text.split("\n")
    assert lines[0] == "Deliveries (units) 81,302" and lines[3] == "Average price (RMB) 253,662"


@pytest.mark.parametrize(
    "starts, offset, page",
    [((0, 87, 200), 0, 1), ((0, 87, 200), 86, 1), ((0, 87, 200), 87, 2), ((0, 87, 200), 5000, 3),
     ([0, 10], 3, 1), ((), 3, None), (None, 3, None), (float("nan"), 3, None)],
)
def test_page_of_an_offset(starts, offset, page):
    from pipelines.documents.model import page_at

    assert page_at(starts, offset) == page
