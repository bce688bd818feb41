"""Layer 1, table-driven: each quantity form in French and English, and the words that are not quantities."""

import pytest

from pipelines.extraction import extract_quantities

# (language, text, expected quantities as (value, unit, qualifier, upper)), in reading order.
CASES = [
    # thousands separators
    ("fr", "Le groupe a livré 384 122 véhicules.", [(384122, "vehicles", "exact", None)]),
    ("fr", "soit 81\u00a0502 voitures au total", [(81502, "vehicles", "exact", None)]),
    ("fr", "avec 81\u202f502 véhicules livrés", [(81502, "vehicles", "exact", None)]),
    ("fr", "36'279 unités ont été immatriculées", [(36279, "units", "exact", None)]),
    ("fr", "1.234.567 exemplaires vendus", [(1234567, "units", "exact", None)]),
    ("en", "It delivered 384,122 vehicles.", [(384122, "vehicles", "exact", None)]),
    ("en", "a total of 1,234.5", [(1234.5, None, "exact", None)]),
    # decimal comma and point, scale words and abbreviations
    ("fr", "un chiffre d'affaires de 20,6 milliards de yuans", [(20.6e9, "CNY", "exact", None)]),
    ("fr", "un résultat de 6,7 Md€", [(6.7e9, "EUR", "exact", None)]),
    ("fr", "158,4 Mds d'euros de revenus", [(158.4e9, "EUR", "exact", None)]),
    ("fr", "1 milliard d'euros investi", [(1e9, "EUR", "exact", None)]),
    ("fr", "3 millions de véhicules", [(3e6, "vehicles", "exact", None)]),
    ("fr", "12 mille véhicules", [(12000, "vehicles", "exact", None)]),
    ("fr", "un budget de 500 k€", [(500000, "EUR", "exact", None)]),
    ("fr", "une perte de 2,5 M€", [(2.5e6, "EUR", "exact", None)]),
    ("en", "1.23 million units sold", [(1.23e6, "units", "exact", None)]),
    ("en", "8 thousand cars", [(8000, "vehicles", "exact", None)]),
    ("en", "revenue of RMB30.2 billion", [(30.2e9, "CNY", "exact", None)]),
    ("en", "a profit of €19.1bn", [(19.1e9, "EUR", "exact", None)]),
    ("en", "a budget of 3 trillion won", [(3e12, "KRW", "exact", None)]),
    # spelled-out numbers
    ("fr", "cent vingt mille véhicules", [(120000, "vehicles", "exact", None)]),
    ("en", "three million vehicles", [(3e6, "vehicles", "exact", None)]),
    ("en", "twenty five", [(25, None, "exact", None)]),
    # currencies by symbol, code and name
    ("fr", "un prix de 254 000 yuans", [(254000, "CNY", "exact", None)]),
    ("fr", "¥ 20 par action", [(20, "CNY", "exact", None)]),
    ("fr", "15 CNY", [(15, "CNY", "exact", None)]),
    ("en", "priced at ¥1,000", [(1000, "CNY", "exact", None)]),
    ("en", "20 yuan each", [(20, "CNY", "exact", None)]),
    ("en", "CNY 65.73 billion", [(65.73e9, "CNY", "exact", None)]),
    ("en", "€5 a month", [(5, "EUR", "exact", None)]),
    ("en", "$923 million", [(923e6, "USD", "exact", None)]),
    ("en", "US$1.5 billion", [(1.5e9, "USD", "exact", None)]),
    ("en", "USD 5 million", [(5e6, "USD", "exact", None)]),
    ("en", "HK$40bn raised", [(40e9, "HKD", "exact", None)]),
    # percentages and percentage points
    ("fr", "une marge de 26,4 %", [(26.4, "%", "exact", None)]),
    ("fr", "12 pour cent", [(12, "%", "exact", None)]),
    ("fr", "+10,8 points", [(10.8, "pp", "exact", None)]),
    ("fr", "3 pts de marge", [(3, "pp", "exact", None)]),
    ("en", "a margin of 17.2%", [(17.2, "%", "exact", None)]),
    ("en", "23 percent", [(23, "%", "exact", None)]),
    ("en", "15.5 per cent", [(15.5, "%", "exact", None)]),
    ("en", "slipped 0.8pp", [(-0.8, "pp", "exact", None)]),
    ("en", "2 percentage points", [(2, "pp", "exact", None)]),
    ("en", "2 pp", [(2, "pp", "exact", None)]),
    # signs and direction words
    ("fr", "en hausse de 12 %", [(12, "%", "exact", None)]),
    ("fr", "en baisse de 24 %", [(-24, "%", "exact", None)]),
    ("fr", "−1,1 %", [(-1.1, "%", "exact", None)]),
    ("fr", "-5 %", [(-5, "%", "exact", None)]),
    ("en", "up 7.4%", [(7.4, "%", "exact", None)]),
    ("en", "down 13%", [(-13, "%", "exact", None)]),
    ("en", "a decline of 4.5%", [(-4.5, "%", "exact", None)]),
    ("en", "+29%", [(29, "%", "exact", None)]),
    # hedges and bounds
    ("fr", "environ 300 000 véhicules", [(300000, "vehicles", "approx", None)]),
    ("fr", "près de 200 %", [(200, "%", "approx", None)]),
    ("fr", "quelque 5 000 véhicules", [(5000, "vehicles", "approx", None)]),
    ("fr", "plus de 135 000 véhicules", [(135000, "vehicles", "at_least", None)]),
    ("fr", "au moins 10 %", [(10, "%", "at_least", None)]),
    ("fr", "≥ 300 000 unités", [(300000, "units", "at_least", None)]),
    ("fr", "jusqu'à 95 000 véhicules", [(95000, "vehicles", "at_most", None)]),
    ("en", "about 1.6 million vehicles", [(1.6e6, "vehicles", "approx", None)]),
    ("en", "nearly 200,000 orders", [(200000, "orders", "approx", None)]),
    ("en", "over 300,000 EVs", [(300000, "vehicles", "at_least", None)]),
    ("en", "at least 72,000 vehicles", [(72000, "vehicles", "at_least", None)]),
    ("en", "up to 91,000 deliveries", [(91000, "units", "at_most", None)]),
    # ranges
    ("fr", "entre 10 et 20 %", [(10, "%", "exact", 20)]),
    ("fr", "10–20 %", [(10, "%", "exact", 20)]),
    ("fr", "entre 1 et 2 milliards d'euros", [(1e9, "EUR", "exact", 2e9)]),
    ("en", "between 10 and 20%", [(10, "%", "exact", 20)]),
    ("en", "10-20%", [(10, "%", "exact", 20)]),
    # durations are measures, never business figures
    ("fr", "en 24 heures", [(24, "hours", "exact", None)]),
    ("en", "within 46 minutes", [(46, "minutes", "exact", None)]),
]

# Texts with no quantity at all: articles, years, dates, model names, the carmaker NIO.
NOT_QUANTITIES = [
    ("fr", "une hausse des ventes"),
    ("fr", "un constructeur chinois"),
    ("fr", "en 2025"),
    ("fr", "le 2 juillet 2025"),
    ("fr", "la SU7 et la Model 3"),
    ("fr", "NIO publie ses résultats"),
    ("en", "a price war"),
    ("en", "in 2025"),
    ("en", "on July 2, 2025"),
    ("en", "the Model 3 and the SU7 sedan"),
    ("en", "NIO reports today"),
    ("en", "a 2-page statement"),
    ("en", "Q3 2025 deliveries"),
]


@pytest.mark.parametrize("language, text, expected", CASES, ids=[c[1] for c in CASES])
def test_quantity_forms(language, text, expected):
    found = extract_quantities(text, language=language)
    got = [(q.value, q.unit, q.qualifier, q.upper) for q in found]
    assert len(got) == len(expected), got
    for (value, unit, qualifier, upper), want in zip(got, expected):
        assert value == pytest.approx(want[0])
        assert (unit, qualifier) == (want[1], want[2])
        assert upper == (pytest.approx(want[3]) if want[3] is not None else None)


@pytest.mark.parametrize("language, text", NOT_QUANTITIES, ids=[c[1] for c in NOT_QUANTITIES])
def test_not_quantities(language, text):
    assert extract_quantities(text, language=language) == []


def test_nio_is_never_a_currency():
    found = extract_quantities("NIO a livré 72 056 véhicules", language="fr")
    assert [(q.value, q.unit) for q in found] == [(72056, "vehicles")]


@pytest.mark.parametrize(
    "language, text, surface",
    [
        ("fr", "un chiffre d'affaires de 20,6 milliards de yuans", "20,6 milliards de yuans"),
        ("en", "revenue of RMB30.2 billion", "RMB30.2 billion"),
        ("en", "down 13%", "13%"),
        ("fr", "environ 300 000 véhicules", "300 000 véhicules"),
    ],
)
def test_spans_cover_the_figure_and_its_unit_not_the_hedge(language, text, surface):
    (quantity,) = extract_quantities(text, language=language)
    assert text[quantity.start : quantity.end] == quantity.text == surface
