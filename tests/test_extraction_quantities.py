"""Layer 1, table-driven: each quantity form in French and English, and the words that are not quantities."""

import pytest

from pipelines.extraction import extract_claims, extract_quantities

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
    # coins: a tenth (jiao, spoken mao) or a hundredth (cents, fen, sen) of the main unit, joined to the
    # amount before them; a bare number after a coin counts in the next smaller coin
    ("en", "a bus ticket costs 2 yuan 5 jiao", [(2.5, "CNY", "exact", None)]),
    ("en", "the stall asks 3 kuai and 4 mao 5", [(3.45, "CNY", "exact", None)]),
    ("en", "a sticker at 8 fen", [(0.08, "CNY", "exact", None)]),
    ("en", "5 fen 3", [(0.05, "CNY", "exact", None), (3, None, "exact", None)]),  # no coin below the fen
    ("en", "5 mao 12", [(0.5, "CNY", "exact", None), (12, None, "exact", None)]),  # 12 fen would be 1 mao 2
    ("en", "prices fell 3 dollars and 50 cents", [(-3.5, "USD", "exact", None)]),
    ("fr", "un ticket à 2 yuans et 5 jiao", [(2.5, "CNY", "exact", None)]),
    ("fr", "6 kuai 3 mao 2", [(6.32, "CNY", "exact", None)]),
    ("en", "the stock slipped 4 sen", [(-0.04, "MYR", "exact", None)]),
    ("en", "a quote of sen 250", [(2.5, "MYR", "exact", None)]),
    ("en", "revenue of 1.2 billion ringgit", [(1.2e9, "MYR", "exact", None)]),
    ("fr", "le titre gagne 12 sen", [(0.12, "MYR", "exact", None)]),
    ("fr", "sen 300 pièce", [(3, "MYR", "exact", None)]),
    # the same words as names: "Sen." for senator, Mao; a name before a figure with its own unit
    ("en", "Sen. 45 signed it", [(45, None, "exact", None)]),
    ("en", "The Sen 20 report", [(20, None, "exact", None)]),
    ("en", "the sen 5% higher", [(5, "%", "exact", None)]),
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
    # the scale of both bounds written once ("entre 1 et 2,5 milliards" is 1 billion, not 1.25)
    ("fr", "entre 1 et 2,5 milliards d'euros", [(1e9, "EUR", "exact", 2.5e9)]),
    ("en", "1.2-1.5 billion dollars", [(1.2e9, "USD", "exact", 1.5e9)]),
    # a change whose scale word, and unit, is written once, after the second figure
    ("fr", "a relevé son objectif de 5,5 à 4,6 millions de véhicules",
     [(5.5e6, "vehicles", "exact", None), (4.6e6, "vehicles", "exact", None)]),
    ("fr", "passé de 1,2 à 1,5 milliard d'euros", [(1.2e9, "EUR", "exact", None), (1.5e9, "EUR", "exact", None)]),
    ("fr", "de 300 à 400 millions d'euros", [(3e8, "EUR", "exact", None), (4e8, "EUR", "exact", None)]),
    ("fr", "de 1,2 à 1,5 Md€", [(1.2e9, "EUR", "exact", None), (1.5e9, "EUR", "exact", None)]),
    ("fr", "d'environ 1,2 à 1,5 milliard", [(1.2e9, None, "approx", None), (1.5e9, None, "exact", None)]),
    ("en", "cut from 5.5 to 4.6 million", [(5.5e6, None, "exact", None), (4.6e6, None, "exact", None)]),
    ("en", "cut its target from 5.5 to 4.6 million vehicles",
     [(5.5e6, "vehicles", "exact", None), (4.6e6, "vehicles", "exact", None)]),
    ("en", "from $1.2 to $1.5 billion", [(1.2e9, "USD", "exact", None), (1.5e9, "USD", "exact", None)]),
    ("en", "from 0.8 to 1.2 billion yuan", [(0.8e9, "CNY", "exact", None), (1.2e9, "CNY", "exact", None)]),
    ("en", "guidance of €1.2 to €1.5bn", [(1.2e9, "EUR", "exact", None), (1.5e9, "EUR", "exact", None)]),
    ("en", "from about 1.2 to 1.5 billion", [(1.2e9, None, "approx", None), (1.5e9, None, "exact", None)]),
    ("en", "from $1.2 billion to $1.5 billion", [(1.2e9, "USD", "exact", None), (1.5e9, "USD", "exact", None)]),
    # ... but not a whole number, a year, another unit, a far-off value or a coin
    ("fr", "de 100 000 à 120 000", [(100000, None, "exact", None), (120000, None, "exact", None)]),
    ("fr", "de 2 000 à 5 millions", [(2000, None, "exact", None), (5e6, None, "exact", None)]),
    ("fr", "de 2024 à 5 millions", [(5e6, None, "exact", None)]),
    ("fr", "de 12 % à 1,5 million", [(12, "%", "exact", None), (1.5e6, None, "exact", None)]),
    ("en", "from 100,000 to 120,000", [(100000, None, "exact", None), (120000, None, "exact", None)]),
    ("en", "from 1,200 to 1.5 million", [(1200, None, "exact", None), (1.5e6, None, "exact", None)]),
    ("en", "from 2024 to 5 million", [(5e6, None, "exact", None)]),
    ("en", "from 500 to 1.2 million", [(500, None, "exact", None), (1.2e6, None, "exact", None)]),
    ("en", "up 5% to 4.6 million", [(5, "%", "exact", None), (4.6e6, None, "exact", None)]),
    ("en", "from 50 cents to 1.5 million dollars", [(0.5, "USD", "exact", None), (1.5e6, "USD", "exact", None)]),
    # a rate joined to its number by a hyphen; "point(s)" only before a change noun
    ("en", "a 1.7-point drop", [(1.7, "pp", "exact", None)]),
    ("en", "a 0.5-percentage-point gain", [(0.5, "pp", "exact", None)]),
    ("en", "the 1.7-point year-on-year decline", [(1.7, "pp", "exact", None)]),
    ("en", "a 2-pp improvement", [(2, "pp", "exact", None)]),
    ("en", "a 1.7 point drop", [(1.7, "pp", "exact", None)]),
    ("en", "a 5-percent rise", [(5, "%", "exact", None)]),
    ("en", "a 12-per-cent increase", [(12, "%", "exact", None)]),
    ("en", "a 10-percent stake", [(10, "%", "exact", None)]),
    ("fr", "un recul de 1,7 point", [(-1.7, "pp", "exact", None)]),
    ("fr", "1,7 point de baisse", [(1.7, "pp", "exact", None)]),
    ("fr", "1,2 point d'amélioration", [(1.2, "pp", "exact", None)]),
    ("fr", "3 points de vente", [(3, None, "exact", None)]),
    ("fr", "3 points de vente en hausse", [(3, None, "exact", None)]),
    ("en", "a 3 point plan", [(3, None, "exact", None)]),
    # durations are measures, never business figures
    ("fr", "en 24 heures", [(24, "hours", "exact", None)]),
    ("en", "within 46 minutes", [(46, "minutes", "exact", None)]),
    # basis points are hundredths of a percentage point
    ("en", "Operating margin | 5.8% | -500 bp", [(5.8, "%", "exact", None), (-5.0, "pp", "exact", None)]),
    ("en", "the margin fell 120 basis points", [(-1.2, "pp", "exact", None)]),
    ("en", "a 50-basis-point cut and +30 bps", [(0.5, "pp", "exact", None), (0.3, "pp", "exact", None)]),
    ("fr", "marge brute : +120 pb", [(1.2, "pp", "exact", None)]),
    ("fr", "un recul de 35 points de base", [(-0.35, "pp", "exact", None)]),
    # a time of day is not a figure, the figures around it are
    ("fr", "publiera ses comptes le 31 juillet à 7 h 30 après 1 200 voitures", [(1200, "vehicles", "exact", None)]),
    ("fr", "lancé à 22 heures, 30 000 commandes en 24 h 30 000 de plus", [
        (22, "hours", "exact", None), (30000, "orders", "exact", None), (24, "hours", "exact", None),
        (30000, None, "exact", None)]),
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
    # currency words that are also names or words, without an amount
    ("en", "Mao Zedong and Amartya Sen"),
    ("en", "in 1976 Mao died"),
    ("en", "a Mao jacket from a Kuai shop"),
    ("fr", "en 1949 Mao proclame la République"),
    ("fr", "une veste à col mao"),
    # a number joined to "point" with no change noun after it: a list, a plan, not a rate
    ("en", "a 3-point plan"),
    ("en", "a 10-point programme"),
    ("en", "a 3-point shot"),
    ("en", "a 2-point-drop"),
    # times of day, with or without spaces
    ("fr", "à 7 h 30"),
    ("fr", "à 18h45 précises"),
    ("fr", "vers 9 h 05"),
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


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("text", ["USD12de $\xa0%", "\nRMB12$ percent\n%"])
def test_a_currency_code_then_a_stray_percent_sign_is_read_without_failing(language, text):
    # These once raised inside the reader (its span start was set only when "per cent" came first).
    assert [q.value for q in extract_quantities(text, language=language)] == [12]


# Fragments that once raised inside the reader, which cost the whole document its figures.
ODD_FRAGMENTS = [
    "objectif .1,5 K",  # a stray mark before a figure with marks of its own
    "at least .3.2vehicles",
    "environ 1,5 € 3.2 $ pp USD à marge",  # a symbol that opens the next amount takes the points word with it
    "revenue USD deux mille RMB deux $ points + points deux",
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("fragment", ODD_FRAGMENTS)
def test_an_odd_fragment_does_not_cost_the_document_its_figures(language, fragment):
    extract_quantities(fragment, language=language)
    sentence = {"en": "NIO delivered 72,056 vehicles in the second quarter of 2025.",
                "fr": "NIO a livré 72 056 véhicules au deuxième trimestre 2025."}[language]
    claims = extract_claims(f"{fragment}\n\n{sentence}", language)
    assert [(c.entity, c.value, c.period) for c in claims if c.value == 72_056] == [("NIO", 72_056, "2025-Q2")]


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
        ("en", "a quote of sen 250", "sen 250"),
        ("en", "the sen 5% higher", "5%"),
        ("en", "the stall asks 3 kuai and 4 mao 5", "3 kuai and 4 mao 5"),
        ("en", "a 1.7-point drop", "1.7-point"),
        ("en", "a 0.5-percentage-point gain", "0.5-percentage-point"),
        ("en", "a 12-per-cent increase", "12-per-cent"),
        ("en", "a 5-percent rise", "5-percent"),
        ("fr", "un recul de 1,7 point", "1,7 point"),
        ("fr", "1,7 point de baisse", "1,7 point"),
        ("en", "a 1.7 point drop", "1.7 point"),
    ],
)
def test_spans_cover_the_figure_and_its_unit_not_the_hedge(language, text, surface):
    (quantity,) = extract_quantities(text, language=language)
    assert text[quantity.start : quantity.end] == quantity.text == surface


@pytest.mark.parametrize(
    "language, text, surfaces",
    [
        ("fr", "relevé de 5,5 à 4,6 millions de véhicules", ["5,5", "4,6 millions de véhicules"]),
        ("fr", "de 1,2 à 1,5 milliard d'euros", ["1,2", "1,5 milliard d'euros"]),
        ("en", "from $1.2 to $1.5 billion", ["$1.2", "$1.5 billion"]),
        ("en", "a 2-point gain and a 3-point plan", ["2-point"]),
    ],
)
def test_spans_of_figures_sharing_a_scale_or_joined_to_their_unit(language, text, surfaces):
    """The first figure of "de 5,5 à 4,6 millions" takes the scale, not the words after the second."""
    found = extract_quantities(text, language=language)
    assert [text[q.start : q.end] for q in found] == [q.text for q in found] == surfaces


# Number words: cardinals, fractions, mixed numbers, decimals, ratios, dozens, and the digit forms
# that combine with words. (language, text, [(surface, value, unit)]) in reading order.
WORDED = [
    # fractions: a cardinal over an ordinal, compound ordinals, parts
    ("en", "about two thirds of the fleet", [("two thirds", 2 / 3, None)]),
    ("en", "it sold seven eighths of its stock", [("seven eighths", 0.875, None)]),
    ("en", "a fifth of deliveries went abroad", [("a fifth", 0.2, None)]),
    ("en", "a twelfth", [("a twelfth", 1 / 12, None)]),
    ("en", "seven thirty-seconds", [("seven thirty-seconds", 7 / 32, None)]),
    ("en", "nine sixty fourths", [("nine sixty fourths", 9 / 64, None)]),
    ("en", "three quarters", [("three quarters", 0.75, None)]),
    ("en", "four millionth", [("four", 4, None)]),  # no agreement: not a fraction
    ("fr", "les deux tiers du marché", [("deux tiers", 2 / 3, None)]),
    ("fr", "un cinquième des ventes", [("un cinquième", 0.2, None)]),
    ("fr", "sept huitièmes", [("sept huitièmes", 0.875, None)]),
    ("fr", "onze centièmes", [("onze centièmes", 0.11, None)]),
    ("fr", "un trente-deuxième", [("un trente-deuxième", 1 / 32, None)]),
    # mixed numbers, and fractions of a scale
    ("en", "four and a quarter", [("four and a quarter", 4.25, None)]),
    ("en", "eleven and three eighths", [("eleven and three eighths", 11.375, None)]),
    ("en", "one hundred and forty and one half", [("one hundred and forty and one half", 140.5, None)]),
    ("en", "six billion and a half", [("six billion and a half", 6.5e9, None)]),
    ("en", "two and a half million cars", [("two and a half million cars", 2.5e6, "vehicles")]),
    ("en", "half a million units", [("half a million units", 5e5, "units")]),
    ("en", "a third of a million", [("a third of a million", 1e6 / 3, None)]),
    ("en", "4 million and a half", [("4 million and a half", 4.5e6, None)]),
    ("fr", "quatre et demi", [("quatre et demi", 4.5, None)]),
    ("fr", "neuf et trois quarts", [("neuf et trois quarts", 9.75, None)]),
    ("fr", "deux millions et demi de véhicules", [("deux millions et demi de véhicules", 2.5e6, "vehicles")]),
    ("fr", "7 milliards et quart", [("7 milliards et quart", 7.25e9, None)]),
    ("fr", "un quart de million", [("un quart de million", 2.5e5, None)]),
    # decimals and ratios in words
    ("en", "seven point zero five", [("seven point zero five", 7.05, None)]),
    ("en", "minus three point two", [("minus three point two", -3.2, None)]),
    ("en", "nought point five", [("nought point five", 0.5, None)]),
    ("fr", "deux virgule cinq", [("deux virgule cinq", 2.5, None)]),
    ("fr", "un virgule zéro sept", [("un virgule zéro sept", 1.07, None)]),
    ("en", "nine over twelve", [("nine over twelve", 0.75, None)]),
    ("en", "7 out of 10", [("7 out of 10", 0.7, None)]),
    ("fr", "trois sur quatre", [("trois sur quatre", 0.75, None)]),
    ("en", "it grew 5 over 2 years", [("5", 5, None), ("2 years", 2, "years")]),
    ("fr", "3 sur 4 ans", [("3", 3, None), ("4 ans", 4, "years")]),
    # cardinals, with digits too
    ("en", "sixty five hundred", [("sixty five hundred", 6500, None)]),
    ("en", "6 hundred and 40", [("6 hundred and 40", 640, None)]),
    ("en", "four trillion", [("four trillion", 4e12, None)]),
    ("en", "seven-two-nine", [("seven", 7, None), ("two", 2, None), ("nine", 9, None)]),
    ("fr", "quatre-vingt-dix-sept", [("quatre-vingt-dix-sept", 97, None)]),
    ("fr", "soixante et onze", [("soixante et onze", 71, None)]),
    ("fr", "deux cent cinquante mille", [("deux cent cinquante mille", 250000, None)]),
    ("fr", "trois billiards", [("trois billiards", 3e15, None)]),
    # dozens
    ("en", "four dozen", [("four dozen", 48, None)]),
    ("en", "5 dozens", [("5 dozens", 60, None)]),
    ("fr", "une demi-douzaine", [("une demi-douzaine", 6, None)]),
    ("fr", "deux douzaines", [("deux douzaines", 24, None)]),
    # digit fractions, leading decimal marks, spaced scale letters
    ("en", "4 1/2", [("4 1/2", 4.5, None)]),
    ("en", "-2/3", [("-2/3", -2 / 3, None)]),
    ("fr", "2 1/2", [("2 1/2", 2.5, None)]),
    ("en", ".25 of it", [(".25", 0.25, None)]),
    ("fr", ",75 de plus", [(",75", 0.75, None)]),
    ("en", "3.5 k", [("3.5 k", 3500, None)]),
    ("en", "12G", [("12G", 12e9, None)]),
    # money in words
    ("fr", "quarante-cinq cents", [("quarante-cinq cents", 0.45, "USD")]),
    ("fr", "douze euros et trente cents", [("douze euros et trente cents", 12.30, "EUR")]),
    ("en", "it sells for seven kuai and two mao four", [("seven kuai and two mao four", 7.24, "CNY")]),
    ("en", "nine mao three", [("nine mao three", 0.93, "CNY")]),
    ("fr", "trois kuai et cinq mao", [("trois kuai et cinq mao", 3.5, "CNY")]),
    ("fr", "huit mao six", [("huit mao six", 0.86, "CNY")]),
]

NOT_WORDED = [
    ("en", "for a fifth straight month"),  # an ordinal adjective, not a fraction
    ("en", "in the third quarter"),
    ("en", "which one is cheaper"),  # a pronoun
    ("en", "Xiaomi's 5G phones"),  # a network generation
    ("fr", "un cinquième modèle"),
    ("fr", "le premier semestre"),
]


@pytest.mark.parametrize("language, text, expected", WORDED, ids=[c[1] for c in WORDED])
def test_number_words(language, text, expected):
    found = extract_quantities(text, language=language)
    assert [(q.text, q.unit) for q in found] == [(surface, unit) for surface, _, unit in expected]
    for quantity, (_, value, _) in zip(found, expected):
        assert quantity.value == pytest.approx(value)


@pytest.mark.parametrize("language, text", NOT_WORDED, ids=[c[1] for c in NOT_WORDED])
def test_words_that_are_not_numbers(language, text):
    assert extract_quantities(text, language=language) == []
