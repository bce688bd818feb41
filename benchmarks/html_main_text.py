"""Main text of boilerplate-heavy pages: our selectolax rules against trafilatura.

    python benchmarks/html_main_text.py

Each page below is written to look like a real one (a news site, a French daily, a company's press
release, a markets live page): cookie banners, menus, share buttons, related links, comments, sidebars
and tickers full of numbers of their own, around an article whose clean text is given beside it. Both
extractors turn every page into text; the extractor then reads the figures of that text. Per page and
per method the script prints:

- figures: the claims (entity, metric, period, value) found, against those of the clean text: how many
  of them were found, and how many came from the furniture (spurious);
- lines: the share of the clean text's lines found whole in the output (whitespace-insensitive);
- as written: whether the no-break spaces inside figures ("81 302", "26,4 %") survive, which the
  claims' quotes and surfaces must show as published;
- table rows: whether each table row comes out as one "a | b |" line;
- milliseconds per page.

trafilatura is in the bench extra (`pip install -e '.[bench]'`); without it only our rules are scored.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sample_files import HTML_PAGE  # noqa: E402
from pipelines.documents.html_text import html_to_text  # noqa: E402
from pipelines.documents.language import detect_language  # noqa: E402
from pipelines.documents.text_repair import repair_text  # noqa: E402
from pipelines.extraction import extract_claims  # noqa: E402

NBSP, NNBSP = "\u00a0", "\u202f"

FRENCH_DAILY = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Xiaomi accélère dans la voiture électrique - Le Quotidien Éco</title>
<meta property="og:site_name" content="Le Quotidien Éco"></head><body>
<div id="didomi-host" class="cookie-consent"><p>Nous et nos 847 partenaires utilisons des cookies.</p>
<a href="#">Accepter</a> <a href="#">Refuser</a></div>
<header><nav class="menu"><ul><li><a>Économie</a></li><li><a>Bourse</a></li><li><a>CAC 40 : 7{NNBSP}612</a></li></ul></nav></header>
<div class="page"><main id="content"><article class="article">
<h1>Xiaomi accélère dans la voiture électrique</h1>
<div class="article-meta">Publié le 20 août 2025 à 10h32</div>
<p class="chapo">Le groupe chinois a livré plus de voitures que jamais au printemps.</p>
<p>Xiaomi a livré 81{NBSP}302 véhicules électriques au deuxième trimestre 2025.<br>
La marge brute de l’activité automobile atteint 26,4{NNBSP}% sur la période.</p>
<aside class="read-also inline"><p>À lire aussi : Tesla a livré 384{NBSP}122 voitures au deuxième trimestre</p></aside>
<p>Le groupe vise désormais 350{NBSP}000 livraisons en 2025.</p>
<table><caption>Les chiffres du trimestre</caption>
<tr><th>Indicateur</th><th>T2 2025</th></tr>
<tr><td>Revenus automobiles (Md CNY)</td><td>20,6</td></tr>
<tr><td>Marge brute</td><td>26,4{NNBSP}%</td></tr></table>
<div class="paywall-teaser"><p>Il vous reste 80{NBSP}% de cet article à lire.</p></div>
</article>
<section class="comments" id="commentaires"><h2>12 commentaires</h2>
<article class="comment"><p>Xiaomi a livré 100{NBSP}000 véhicules, pas 81{NBSP}302 !</p></article></section>
</main>
<aside class="sidebar"><h3>Les plus lus</h3><ol><li>BYD a vendu 1{NBSP}145{NBSP}000 véhicules</li></ol></aside></div>
<footer><p>© 2025 Le Quotidien Éco</p></footer></body></html>"""

FRENCH_DAILY_CLEAN = f"""Xiaomi accélère dans la voiture électrique
Le groupe chinois a livré plus de voitures que jamais au printemps.
Xiaomi a livré 81{NBSP}302 véhicules électriques au deuxième trimestre 2025.
La marge brute de l’activité automobile atteint 26,4{NNBSP}% sur la période.
Le groupe vise désormais 350{NBSP}000 livraisons en 2025.
Indicateur | T2 2025 |
Revenus automobiles (Md CNY) | 20,6 |
Marge brute | 26,4{NNBSP}% |"""

PRESS_RELEASE = """<html lang="en"><head><title>NIO Inc. Provides June and Second Quarter 2025 Delivery Update</title></head>
<body><div class="top-bar"><span>Investors</span><span>NIO 4.52 USD +3.1%</span></div>
<div class="mega-menu"><a>ES8 from 416,000 RMB</a><a>ET5 from 298,000 RMB</a></div>
<div class="wrapper"><div class="content-area"><div class="entry">
<h2>NIO Inc. Provides June and Second Quarter 2025 Delivery Update</h2>
<p>SHANGHAI, China, July 1, 2025.</p>
<p>NIO delivered 24,925 vehicles in June 2025.</p>
<p>NIO delivered 72,056 vehicles in the second quarter of 2025.</p>
<p>Cumulative deliveries reached 785,000 vehicles as of June 30, 2025.</p>
<ul class="highlights"><li>Deliveries in June: 24,925</li><li>Deliveries in Q2 2025: 72,056</li></ul>
<div class="share social-links"><a>Tweet</a><a>Share on LinkedIn (1,204)</a></div>
</div></div>
<div class="widget recent-posts"><h4>Recent releases</h4><p>NIO delivered 42,094 vehicles in Q1 2025</p></div></div>
<div class="footer-about"><p>About NIO: founded in 2014, 10,000 employees.</p></div></body></html>"""

PRESS_RELEASE_CLEAN = """NIO Inc. Provides June and Second Quarter 2025 Delivery Update
SHANGHAI, China, July 1, 2025.
NIO delivered 24,925 vehicles in June 2025.
NIO delivered 72,056 vehicles in the second quarter of 2025.
Cumulative deliveries reached 785,000 vehicles as of June 30, 2025.
Deliveries in June: 24,925
Deliveries in Q2 2025: 72,056"""

MARKETS_LIVE = """<html lang="en"><head><title>EV makers' deliveries, live</title></head><body>
<div class="ticker"><span>XPEV +4.2%</span><span>LI -1.3%</span><span>BYD 118.30 HKD</span></div>
<div class="newsletter-signup"><p>Get our 5 a.m. briefing: 250,000 readers already do.</p></div>
<main><div class="live-blog">
<div class="post"><p>XPeng delivered 34,611 vehicles in June 2025.</p></div>
<div class="post"><p>Li Auto delivered 36,279 vehicles in June 2025.</p></div>
<div class="post"><p>Leapmotor delivered 48,006 vehicles in June 2025.</p></div>
<div class="post"><p>Xiaomi delivered more than 25,000 vehicles in June 2025.</p></div>
</div></main>
<div class="outbrain"><p>Sponsored: this SUV sold 1,000,000 units</p></div></body></html>"""

MARKETS_LIVE_CLEAN = """XPeng delivered 34,611 vehicles in June 2025.
Li Auto delivered 36,279 vehicles in June 2025.
Leapmotor delivered 48,006 vehicles in June 2025.
Xiaomi delivered more than 25,000 vehicles in June 2025."""

NEWS_SITE_CLEAN = """BYD posts its second-quarter figures
BYD sold 1,145,000 vehicles in the second quarter of 2025, the company said on Monday.
The carmaker's revenue for the quarter is shown below, with the same quarter of last year.
Metric | Q2 2025 | Q2 2024 |
Revenue (RMB bn) | 200.9 | 176.2 |
Gross margin | 16.3% | 18.7% |"""

PAGES = {
    "news site (en)": (HTML_PAGE, NEWS_SITE_CLEAN),
    "French daily (fr)": (FRENCH_DAILY, FRENCH_DAILY_CLEAN),
    "press release (en)": (PRESS_RELEASE, PRESS_RELEASE_CLEAN),
    "markets live page (en)": (MARKETS_LIVE, MARKETS_LIVE_CLEAN),
}


def ours(html: str) -> str:
    text, _ = repair_text(html_to_text(html).text, unescape_html=False)
    return text


def theirs(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_tables=True, include_comments=False, output_format="txt") or ""


def figures(text: str) -> set[tuple]:
    language = detect_language(text) or "en"
    return {(c.entity, c.metric, c.period, c.value) for c in extract_claims(text, language)}


def _squash(text: str) -> str:
    return re.sub(r"[\s|]+", " ", text).strip()


def score(output: str, clean: str) -> dict:
    truth, found = figures(clean), figures(output)
    lines = [line for line in clean.split("\n") if line.strip()]
    squashed = _squash(output)
    rows = [line for line in lines if line.endswith("|")]
    written = [token for token in re.findall(r"\d[\d,]*[\u00a0\u202f][\d%]+", clean)]
    return {
        "figures": f"{len(truth & found)}/{len(truth)}",
        "spurious": len(found - truth),
        "lines": f"{sum(_squash(line) in squashed for line in lines)}/{len(lines)}",
        "as written": f"{sum(token in output for token in written)}/{len(written)}",
        "table rows": f"{sum(_row_kept(row, output) for row in rows)}/{len(rows)}",
    }


def _row_kept(row: str, output: str) -> bool:
    cells = [cell.strip() for cell in row.split("|") if cell.strip()]
    return any([cell.strip() for cell in line.split("|") if cell.strip()] == cells for line in output.split("\n"))


def main() -> None:
    methods = {"selectolax rules": ours}
    try:
        import trafilatura  # noqa: F401

        methods["trafilatura"] = theirs
    except ImportError:
        print("trafilatura is not installed (pip install -e '.[bench]'): scoring our rules only\n")
    header = f"{'page':24} {'method':17} {'figures':>8} {'spurious':>8} {'lines':>6} {'as written':>10} {'table rows':>10} {'ms':>6}"
    print(header)
    print("-" * len(header))
    totals: dict[str, list[int]] = {name: [0, 0, 0] for name in methods}
    for page, (html, clean) in PAGES.items():
        for name, method in methods.items():
            started = time.perf_counter()
            for _ in range(20):
                output = method(html)
            elapsed = (time.perf_counter() - started) / 20 * 1000
            result = score(output, clean)
            found, expected = map(int, result["figures"].split("/"))
            totals[name][0] += found
            totals[name][1] += expected
            totals[name][2] += result["spurious"]
            print(f"{page:24} {name:17} {result['figures']:>8} {result['spurious']:>8} {result['lines']:>6} "
                  f"{result['as written']:>10} {result['table rows']:>10} {elapsed:6.1f}")
    print()
    for name, (found, expected, spurious) in totals.items():
        print(f"{name}: {found}/{expected} figures found, {spurious} spurious")


if __name__ == "__main__":
    main()
