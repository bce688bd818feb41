"""Tables and text from PDF and HTML articles produce claims like plain-text sentences do."""

import duckdb

from pipelines.claim_table import document_claims
from pipelines.ingest import read_sources
from tests.conftest import build_warehouse
from tests.test_documents import build_pdf

HTML = """<html lang="en"><head><title>BYD second quarter</title>
<meta property="article:published_time" content="2025-09-01T08:00:00Z"></head>
<body><nav>Home | Markets</nav><article>
<p>BYD sold 1,145,000 vehicles in the second quarter of 2025, the company said.</p>
<table><tr><th>Metric</th><th>Q2 2025</th><th>Q2 2024</th></tr>
<tr><td>Revenue (RMB bn)</td><td>200.9</td><td>176.2</td></tr>
<tr><td>Gross margin</td><td>16.3%</td><td>18.7%</td></tr></table>
</article></body></html>"""


def write_articles(folder):
    folder.mkdir()
    (folder / "xiaomi.pdf").write_bytes(build_pdf(
        ["Xiaomi : résultats du deuxième trimestre 2025", "La marge brute atteint 26,4 % au T2 2025."],
        [["Indicateur", "T2 2025", "Variation"], ["Livraisons", "81 502", "+198 %"], ["Revenus (Md CNY)", "20,6", "+234 %"]],
    ))
    (folder / "byd.html").write_text(HTML, encoding="utf-8")


def claims_of(folder, path):
    documents = read_sources(folder)
    document = documents[documents["path"] == path].iloc[0].to_dict()
    return {(c["entity"], c["metric"], c["period"], c["value"], c["unit"], c["context"]) for c in document_claims(document)}


def test_pdf_table_cells_become_claims(tmp_path):
    write_articles(tmp_path / "articles")
    found = claims_of(tmp_path / "articles", "xiaomi.pdf")
    assert ("Xiaomi", "deliveries", "2025-Q2", 81502, "vehicles", "table") in found
    assert ("Xiaomi", "deliveries_yoy", "2025-Q2", 198, "%", "table") in found
    assert ("Xiaomi", "revenue", "2025-Q2", 20_600_000_000, "CNY", "table") in found
    assert ("Xiaomi", "gross_margin", "2025-Q2", 26.4, "%", "sentence") in found


def test_html_table_with_period_columns_becomes_claims(tmp_path):
    write_articles(tmp_path / "articles")
    found = claims_of(tmp_path / "articles", "byd.html")
    assert ("BYD", "sales", "2025-Q2", 1_145_000, "vehicles", "sentence") in found
    assert ("BYD", "revenue", "2025-Q2", 200_900_000_000, "CNY", "table") in found
    assert ("BYD", "revenue", "2024-Q2", 176_200_000_000, "CNY", "table") in found
    assert ("BYD", "gross_margin", "2024-Q2", 18.7, "%", "table") in found


def test_pdf_and_html_articles_reach_the_warehouse(tmp_path):
    write_articles(tmp_path / "articles")
    database = tmp_path / "w.duckdb"
    assert build_warehouse(tmp_path / "articles", database).success
    with duckdb.connect(str(database), read_only=True) as con:
        formats = dict(con.execute("SELECT path, format FROM documents WHERE status = 'loaded'").fetchall())
        published = con.execute("SELECT published_date FROM documents WHERE path = 'byd.html'").fetchone()[0]
        revenue = con.execute(
            "SELECT value, document_path FROM fact_provenance WHERE entity = 'BYD' AND metric = 'revenue' AND period = '2025-Q2'"
        ).fetchall()
    assert formats == {"xiaomi.pdf": "pdf", "byd.html": "html"}
    assert str(published) == "2025-09-01"
    assert revenue == [(200_900_000_000, "byd.html")]
