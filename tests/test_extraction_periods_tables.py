"""Periods and tables, table-driven in French and English: month abbreviations, a year named with
"full-year", "la même période de 2024", yearly targets, "depuis" / "since", a target's own period, and
change columns and rows in pipe tables."""

import pytest

from pipelines.extraction import extract_claims, load_lexicon
from pipelines.extraction.periods import period_finder
from tests.claim_records import assert_claims


# (language, text, the period phrases found as (phrase, label or None, year it moves to, since)).
PHRASES = [
    ("en", "sales for Aug 2025 and Sept 2024, then Dec. 2023", [
        ("Aug 2025", "2025-08", None, False), ("Sept 2024", "2024-09", None, False), ("Dec. 2023", "2023-12", None, False)]),
    ("fr", "en janv. 2025, en févr 2026, en juil. 2025 et en sept 2024", [
        ("janv. 2025", "2025-01", None, False), ("févr 2026", "2026-02", None, False),
        ("juil. 2025", "2025-07", None, False), ("sept 2024", "2024-09", None, False)]),
    ("en", "For full-year 2023 and in FY2024", [("full-year 2023", "2023", None, False), ("FY2024", "2024", None, False)]),
    ("fr", "sur l'année 2023 et sur l'exercice 2024", [("sur l'année 2023", "2023", None, False), ("2024", "2024", None, False)]),
    ("fr", "contre 4 % sur la même période de 2024", [("la même période de 2024", None, 2024, False)]),
    ("en", "against 4% over the same period of 2023", [("the same period of 2023", None, 2023, False)]),
    ("fr", "sa première perte depuis fin 2022 et depuis le T3 2023", [("2022", "2022", None, True), ("T3 2023", "2023-Q3", None, True)]),
    ("en", "its first loss since the third quarter of 2022", [("third quarter of 2022", "2022-Q3", None, True)]),
    # negatives: abbreviations alone, a model name, a quarter without its year, a count
    ("en", "Aug and Oct were busy; the Model 3 and the Q3 trim", []),
    ("fr", "sept voitures, la Model 3 et la finition T3", []),
    ("fr", "sur les sept premiers mois de 2025", [("sept premiers mois de 2025", "2025-YTD-07", None, False)]),
]


@pytest.mark.parametrize("language, text, expected", PHRASES, ids=[p[1][:50] for p in PHRASES])
def test_period_phrases(language, text, expected):
    finder = period_finder(load_lexicon(), language)
    got = [(text[m.start:m.end], m.period.label if m.period else None, m.in_year, m.since)
           for m in finder.find(text, default_year=2025)]
    assert got == expected


CASES = [
    # a year named after "full-year" / "exercice" dates the sentence; a base year ("from 2023") does not
    ("en", "For full-year 2024, Rivian reported revenue of $5.0 billion, up 12% from 2023, and a gross margin of 2%.",
     [("Rivian", "revenue", "2024", 5.0e9, "USD", "actual", "exact"),
      ("Rivian", "revenue_yoy", "2024", 12, "%", "actual", "exact"),
      ("Rivian", "gross_margin", "2024", 2, "%", "actual", "exact")]),
    ("fr", "Sur l'exercice 2024, Renault a dégagé un chiffre d'affaires de 56 milliards d'euros, en hausse de 7 % par rapport à 2023.",
     [("Renault", "revenue", "2024", 56e9, "EUR", "actual", "exact"),
      ("Renault", "revenue_yoy", "2024", 7, "%", "actual", "exact")]),
    ("en", "Polestar's revenue rose 8% in 2025 compared with 2024, to $2.1 billion.",
     [("Polestar", "revenue_yoy", "2025", 8, "%", "actual", "exact"),
      ("Polestar", "revenue", "2025", 2.1e9, "USD", "actual", "exact")]),
    # year to date, and the same period of another year
    ("fr", "Sur les huit premiers mois de 2025, Zeekr a livré 120 000 véhicules, contre 100 000 sur la même période de 2024.",
     [("Zeekr", "deliveries", "2025-YTD-08", 120_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-YTD-08", 100_000, "vehicles", "actual", "exact")]),
    ("en", "In the first nine months of 2025, Geely sold 2.2 million vehicles, against 1.5 million over the same period of 2024.",
     [("Geely", "sales", "2025-YTD-09", 2_200_000, "vehicles", "actual", "exact"),
      ("Geely", "sales", "2024-YTD-09", 1_500_000, "vehicles", "actual", "exact")]),
    ("fr", "Au T2 2025, la marge brute de Lucid a atteint 12 %, contre 9 % sur la même période l'an dernier.",
     [("Lucid", "gross_margin", "2025-Q2", 12, "%", "actual", "exact"),
      ("Lucid", "gross_margin", "2024-Q2", 9, "%", "actual", "exact")]),
    # the nearest relative phrase is the figure's own; one after a compared figure is that figure's
    ("fr", "La marge brute de Polestar a atteint 8 % au T2 2025, contre 5 % un an plus tôt et 6 % au trimestre précédent.",
     [("Polestar", "gross_margin", "2025-Q2", 8, "%", "actual", "exact"),
      ("Polestar", "gross_margin", "2024-Q2", 5, "%", "actual", "exact"),
      ("Polestar", "gross_margin", "2025-Q1", 6, "%", "actual", "exact")]),
    ("en", "Lucid's first-quarter 2025 revenue grew 10% sequentially, while the net loss narrowed to $0.4 billion from $0.5 billion in the previous quarter.",
     [("Lucid", "revenue_qoq", "2025-Q1", 10, "%", "actual", "exact"),
      ("Lucid", "net_result", "2025-Q1", -0.4e9, "USD", "actual", "exact"),
      ("Lucid", "net_result", "2024-Q4", -0.5e9, "USD", "actual", "exact")]),
    # a change with no period of its own is for the later period, not the compared figure's
    ("en", "Polestar's gross margin fell to 8% in Q2 2025 from 10% in Q2 2024, a 2-point drop.",
     [("Polestar", "gross_margin", "2025-Q2", 8, "%", "actual", "exact"),
      ("Polestar", "gross_margin", "2024-Q2", 10, "%", "actual", "exact"),
      ("Polestar", "gross_margin_yoy", "2025-Q2", -2, "pp", "actual", "exact")]),
    ("fr", "La marge opérationnelle de Stellantis est tombée à 5 % au S1 2025, contre 10 % au S1 2024, soit un recul de 5 points.",
     [("Stellantis", "operating_margin", "2025-H1", 5, "%", "actual", "exact"),
      ("Stellantis", "operating_margin", "2024-H1", 10, "%", "actual", "exact"),
      ("Stellantis", "operating_margin_yoy", "2025-H1", -5, "pp", "actual", "exact")]),
    # a yearly target takes the year in context
    ("fr", "Zeekr a livré 40 000 véhicules en mai 2025 et a confirmé son objectif annuel de 320 000 livraisons.",
     [("Zeekr", "deliveries", "2025-05", 40_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025", 320_000, "vehicles", "target", "exact")]),
    ("en", "Lucid delivered 3,100 vehicles in April 2025 and kept its annual target of 20,000 deliveries.",
     [("Lucid", "deliveries", "2025-04", 3_100, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025", 20_000, "vehicles", "target", "exact")]),
    # "depuis" / "since" says when a streak began; a cumulative figure keeps its as-of date
    ("fr", "Au T3 2025, Lucid a publié sa plus faible perte nette depuis 2022, à 0,4 milliard de dollars.",
     [("Lucid", "net_result", "2025-Q3", -0.4e9, "USD", "actual", "exact")]),
    ("en", "In Q3 2025, Rivian posted its first gross profit since late 2022, of $24 million.",
     [("Rivian", "gross_profit", "2025-Q3", 24e6, "USD", "actual", "exact")]),
    ("fr", "Au 30 juin 2025, les livraisons cumulées de Zeekr depuis 2021 ont dépassé 500 000 véhicules.",
     [("Zeekr", "cumulative_deliveries", "2025-06-30", 500_000, "vehicles", "actual", "at_least")]),
    # a target's period stated between its target word and the figure beats a later clause's
    ("fr", "Polestar a relevé son objectif de livraisons pour 2025, à 60 000 véhicules, après en avoir livré 15 000 au seul T2 2025.",
     [("Polestar", "deliveries", "2025", 60_000, "vehicles", "target", "exact"),
      ("Polestar", "deliveries", "2025-Q2", 15_000, "vehicles", "actual", "exact")]),
    ("fr", "Lucid a livré 3 000 véhicules en avril 2025 et vise jusqu'à 12 000 livraisons au deuxième trimestre.",
     [("Lucid", "deliveries", "2025-04", 3_000, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025-Q2", 12_000, "vehicles", "target", "at_most")]),
    # tables: a change column is the change of the latest period column; with no basis named, two
    # consecutive quarters make it quarter on quarter
    ("en", "Rivian | Q2 2024 | Q2 2025 | YoY\nDeliveries | 13,790 | 10,661 | -22.7%",
     [("Rivian", "deliveries", "2024-Q2", 13_790, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q2", -22.7, "%", "actual", "exact")]),
    ("fr", "Zeekr, livraisons | T1 2025 | T4 2024 | Variation\nVéhicules | 114 011 | 150 000 | −24 %",
     [("Zeekr", "deliveries", "2025-Q1", 114_011, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-Q4", 150_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries_qoq", "2025-Q1", -24, "%", "actual", "exact")]),
    # a change row takes each column's period; month abbreviations are months
    ("en", "Lucid deliveries | Jul 2025 | Aug 2025\nVehicles | 1,100 | 1,250\nYoY change | +30% | +41%",
     [("Lucid", "deliveries", "2025-07", 1_100, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025-08", 1_250, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries_yoy", "2025-07", 30, "%", "actual", "exact"),
      ("Lucid", "deliveries_yoy", "2025-08", 41, "%", "actual", "exact")]),
    ("fr", "Polestar, livraisons | janv. 2025 | févr. 2025\nVéhicules | 3 500 | 3 900\nSur un an | 12 % | −5 %",
     [("Polestar", "deliveries", "2025-01", 3_500, "vehicles", "actual", "exact"),
      ("Polestar", "deliveries", "2025-02", 3_900, "vehicles", "actual", "exact"),
      ("Polestar", "deliveries_yoy", "2025-01", 12, "%", "actual", "exact"),
      ("Polestar", "deliveries_yoy", "2025-02", -5, "%", "actual", "exact")]),
    # negative: a model name in a row label is a product, not a period
    ("en", "Tesla sales | Q1 2025 | Q2 2025\nModel 3 | 50,000 | 55,000",
     [("Tesla Model 3", "sales", "2025-Q1", 50_000, "vehicles", "actual", "exact"),
      ("Tesla Model 3", "sales", "2025-Q2", 55_000, "vehicles", "actual", "exact")]),
]


@pytest.mark.parametrize("language, text, expected", CASES, ids=[c[1][:60] for c in CASES])
def test_claims(language, text, expected):
    assert_claims(extract_claims(text, language=language, document="t", published="2025-11-01"), expected)


# Periods in context: a figure compared with a dated base figure keeps its own period; "sur la période",
# "in the quarter", "over the year" are the period in context; relative years; a revision's month.
CONTEXT_CASES = [
    # the base figure's period is not the figure's, in the same or the next clause
    ("en", "Rivian's revenue reached $5.2 billion in 2025.\n\nIts gross margin rose to 12% from 9% in 2024.",
     [("Rivian", "gross_margin", "2025", 12, "%", "actual", "exact"),
      ("Rivian", "gross_margin", "2024", 9, "%", "actual", "exact"),
      ("Rivian", "revenue", "2025", 5.2e9, "USD", "actual", "exact")]),
    ("en", "Lucid reported revenue of $1.2 billion for 2025. Its gross margin came in at 8%, against 6% in 2024.",
     [("Lucid", "revenue", "2025", 1.2e9, "USD", "actual", "exact"),
      ("Lucid", "gross_margin", "2025", 8, "%", "actual", "exact"),
      ("Lucid", "gross_margin", "2024", 6, "%", "actual", "exact")]),
    ("en", "Polestar's revenue rose to $0.9 billion in the second quarter of 2025. Its gross margin was 4% (Q2 2024: 6%).",
     [("Polestar", "revenue", "2025-Q2", 0.9e9, "USD", "actual", "exact"),
      ("Polestar", "gross_margin", "2025-Q2", 4, "%", "actual", "exact"),
      ("Polestar", "gross_margin", "2024-Q2", 6, "%", "actual", "exact")]),
    ("fr", "Au deuxième trimestre 2025, Zeekr a dégagé un chiffre d'affaires de 30 milliards de yuans. Sa marge brute a atteint 16 % (14 % au T2 2024).",
     [("Zeekr", "revenue", "2025-Q2", 30e9, "CNY", "actual", "exact"),
      ("Zeekr", "gross_margin", "2025-Q2", 16, "%", "actual", "exact"),
      ("Zeekr", "gross_margin", "2024-Q2", 14, "%", "actual", "exact")]),
    # a relative base after another figure is that figure's, not the next one's
    ("en", "Rivian delivered 10,661 vehicles in the second quarter of 2025, down 22% from a year earlier and short of the 12,000 analysts had expected.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q2", -22, "%", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 12_000, "vehicles", "forecast", "exact")]),
    # "sur la période", "in the quarter", "over the year" beat a base stated later
    ("fr", "Zeekr a livré 114 000 véhicules au premier trimestre 2025.\n\nSa perte nette s'est réduite à 1,1 milliard de yuans sur la période, contre 1,4 milliard au même trimestre de 2024.",
     [("Zeekr", "deliveries", "2025-Q1", 114_000, "vehicles", "actual", "exact"),
      ("Zeekr", "net_result", "2025-Q1", -1.1e9, "CNY", "actual", "exact"),
      ("Zeekr", "net_result", "2024-Q1", -1.4e9, "CNY", "actual", "exact")]),
    ("en", "Lucid's revenue was $1.1 billion in 2024, up 31% from 2023. The company produced 9,029 vehicles during the year.",
     [("Lucid", "revenue", "2024", 1.1e9, "USD", "actual", "exact"),
      ("Lucid", "revenue_yoy", "2024", 31, "%", "actual", "exact"),
      ("Lucid", "production", "2024", 9_029, "vehicles", "actual", "exact")]),
    ("en", "Rivian delivered 50,000 vehicles in 2024, 2% fewer than in 2023. Its electric van sales rose 10% over the year to 8,000.",
     [("Rivian", "deliveries", "2024", 50_000, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2024", -2, "%", "actual", "exact"),
      ("Rivian", "sales_yoy", "2024", 10, "%", "actual", "exact"),
      ("Rivian", "sales", "2024", 8_000, "vehicles", "actual", "exact")]),
    ("fr", "Polestar a livré 15 000 véhicules au deuxième trimestre 2025. Sur la période, Lucid en a livré 3 300, contre 2 100 un an plus tôt.",
     [("Polestar", "deliveries", "2025-Q2", 15_000, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025-Q2", 3_300, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2024-Q2", 2_100, "vehicles", "actual", "exact")]),
    # negative: "the year-ago quarter" is not "the year"
    ("en", "In Q3 2025, Rivian's revenue rose 78% over the year-ago quarter.",
     [("Rivian", "revenue_yoy", "2025-Q3", 78, "%", "actual", "exact")]),
    # relative years and year to date
    ("en", "Lucid delivered 3,100 vehicles in the fourth quarter of 2025. \"We aim to double deliveries next year,\" its chief executive said, targeting 20,000 vehicles next year.",
     [("Lucid", "deliveries", "2025-Q4", 3_100, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2026", 20_000, "vehicles", "target", "exact")]),
    ("fr", "Zeekr a livré 40 000 véhicules en novembre 2025. Depuis le début de l'année, la marque a livré 400 000 voitures. Elle vise 600 000 livraisons l'an prochain.",
     [("Zeekr", "deliveries", "2025-11", 40_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025-YTD-11", 400_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2026", 600_000, "vehicles", "target", "exact")]),
    ("fr", "Polestar vise 80 000 livraisons en 2026.\n\nLa marque a livré 60 000 véhicules en 2025. Sur le seul mois de décembre, elle en a livré 7 000. Sur les onze premiers mois de l'année, elle avait livré 53 000 voitures.",
     [("Polestar", "deliveries", "2026", 80_000, "vehicles", "target", "exact"),
      ("Polestar", "deliveries", "2025", 60_000, "vehicles", "actual", "exact"),
      ("Polestar", "deliveries", "2025-12", 7_000, "vehicles", "actual", "exact"),
      ("Polestar", "deliveries", "2025-YTD-11", 53_000, "vehicles", "actual", "exact")]),
    ("fr", "Lucid a livré 3 000 véhicules au troisième trimestre 2025. Un an plus tôt, la marque en avait livré 2 800.",
     [("Lucid", "deliveries", "2025-Q3", 3_000, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2024-Q3", 2_800, "vehicles", "actual", "exact")]),
    ("fr", "La part de marché de Polestar a atteint 0,5 % en août 2025, contre 0,8 % en août l'an dernier.",
     [("Polestar", "market_share", "2025-08", 0.5, "%", "actual", "exact"),
      ("Polestar", "market_share", "2024-08", 0.8, "%", "actual", "exact")]),
    # the month a target was revised is not its period
    ("fr", "Au premier semestre 2025, la marge opérationnelle de Stellantis a atteint 5 %. Le groupe avait abaissé mi-juin sa prévision de marge opérationnelle pour l'ensemble de l'année à 4 %.",
     [("Stellantis", "operating_margin", "2025-H1", 5, "%", "actual", "exact"),
      ("Stellantis", "operating_margin", "2025", 4, "%", "target", "exact")]),
]


# Tables that name no metric, scales in a row label, and lists after a colon.
TABLE_CASES = [
    ("en", "Full-year delivery figures came out in early January.\n\nCompany | 2024 | 2025 | Change\nRivian | 51,579 | 42,247 | -18.1%\nLucid | 10,241 | 15,841 | +54.7%",
     [("Rivian", "deliveries", "2024", 51_579, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025", 42_247, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025", -18.1, "%", "actual", "exact"),
      ("Lucid", "deliveries", "2024", 10_241, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025", 15_841, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries_yoy", "2025", 54.7, "%", "actual", "exact")]),
    # negative: with no metric in the table nor in the text before it, no claim
    ("en", "Here is how the start-ups compare.\n\nCompany | 2024 | 2025\nRivian | 51,579 | 42,247", []),
    ("fr", "Stellantis | 2023 | 2024\nLivraisons (millions) | 6,2 | 5,4\nChiffre d'affaires (Md€) | 189,5 | 156,9",
     [("Stellantis", "deliveries", "2023", 6_200_000, "vehicles", "actual", "exact"),
      ("Stellantis", "deliveries", "2024", 5_400_000, "vehicles", "actual", "exact"),
      ("Stellantis", "revenue", "2023", 189.5e9, "EUR", "actual", "exact"),
      ("Stellantis", "revenue", "2024", 156.9e9, "EUR", "actual", "exact")]),
    ("fr", "Les start-up ont publié leurs livraisons de novembre 2025 : Zeekr, 40 000 ; Polestar, plus de 5 000 ; Lucid, 3 100.",
     [("Zeekr", "deliveries", "2025-11", 40_000, "vehicles", "actual", "exact"),
      ("Polestar", "deliveries", "2025-11", 5_000, "vehicles", "actual", "at_least"),
      ("Lucid", "deliveries", "2025-11", 3_100, "vehicles", "actual", "exact")]),
    ("en", "Analysts expect these 2026 deliveries: Rivian, 60,000; Lucid, 25,000.",
     [("Rivian", "deliveries", "2026", 60_000, "vehicles", "forecast", "exact"),
      ("Lucid", "deliveries", "2026", 25_000, "vehicles", "forecast", "exact")]),
    # negative: a list of years after a colon states no figure
    ("fr", "Zeekr a ouvert deux usines : Ningbo, 2021 ; Hangzhou, 2023.", []),
]


# Nine-month labels, accounting negatives, captions, quarter-on-quarter columns, basis points; and the
# period of a level after a change's base, a revision's month, "sur la période" after a compared figure.
NINE_MONTH_PHRASES = [
    ("en", "9M 2025 and 9M 2024", [("9M 2025", "2025-YTD-09", None, False), ("9M 2024", "2024-YTD-09", None, False)]),
    ("fr", "Neuf mois 2025 et neuf mois de 2024", [("Neuf mois 2025", "2025-YTD-09", None, False),
                                                  ("neuf mois de 2024", "2024-YTD-09", None, False)]),
    ("en", "nine months of 2025", [("nine months of 2025", "2025-YTD-09", None, False)]),
    # negatives: a duration without its year, a model-like label
    ("fr", "en neuf mois, la marque a doublé", []),
    ("en", "within nine months and a 9M budget", []),
]


LAYOUT_CASES = [
    # nine-month columns and a change column naming them
    ("en", "Rivian | Q2 2025 | Q3 2025 | 9M 2025 | YoY (9M)\nDeliveries (units) | 10,661 | 13,201 | 32,109 | -10.0%",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q3", 13_201, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-YTD-09", 32_109, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-YTD-09", -10.0, "%", "actual", "exact")]),
    ("fr", "Zeekr | T3 2025 | Neuf mois 2025 | Neuf mois 2024\nLivraisons | 120 000 | 380 000 | 350 000",
     [("Zeekr", "deliveries", "2025-Q3", 120_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025-YTD-09", 380_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-YTD-09", 350_000, "vehicles", "actual", "exact")]),
    # accounting negatives; "Net income (loss)" keeps each cell's sign
    ("en", "Lucid ($m) | Q2 2025 | Q3 2025\nNet income (loss) | 120.5 | (624.4)\nOperating result | (1,500) | 300",
     [("Lucid", "net_result", "2025-Q2", 120.5e6, "USD", "actual", "exact"),
      ("Lucid", "net_result", "2025-Q3", -624.4e6, "USD", "actual", "exact"),
      ("Lucid", "operating_result", "2025-Q2", -1_500e6, "USD", "actual", "exact"),
      ("Lucid", "operating_result", "2025-Q3", 300e6, "USD", "actual", "exact")]),
    # a "Perte nette" row written with positive cells stays a loss
    ("fr", "Zeekr (millions de yuans) | T2 2025 | T3 2025\nPerte nette | 1 200,0 | 950,5",
     [("Zeekr", "net_result", "2025-Q2", -1_200e6, "CNY", "actual", "exact"),
      ("Zeekr", "net_result", "2025-Q3", -950.5e6, "CNY", "actual", "exact")]),
    # a caption above the table gives the unit; period rows date each row
    ("fr", "Zeekr, résultats trimestriels (en millions de yuans)\nPériode | Chiffre d'affaires | Marge brute (%)\n--- | --- | ---\nT1 2025 | 22 000 | 15,0\nNeuf mois 2025 | 75 000 | 16,2",
     [("Zeekr", "revenue", "2025-Q1", 22_000e6, "CNY", "actual", "exact"),
      ("Zeekr", "gross_margin", "2025-Q1", 15.0, "%", "actual", "exact"),
      ("Zeekr", "revenue", "2025-YTD-09", 75_000e6, "CNY", "actual", "exact"),
      ("Zeekr", "gross_margin", "2025-YTD-09", 16.2, "%", "actual", "exact")]),
    # negative: a caption that states a figure is not a unit hint
    ("en", "Lucid sold 3,000 cars in 2024 for $250 million.\nPeriod | Revenue\nQ1 2025 | 235",
     [("Lucid", "sales", "2024", 3_000, "vehicles", "actual", "exact")]),
    # "Sur un trimestre" / "QoQ" columns are quarter on quarter; basis points in a margin row
    ("fr", "Polestar (millions de dollars) | T2 2025 | T3 2025 | Sur un trimestre\nRevenus totaux | 700,0 | 750,0 | +7,1 %",
     [("Polestar", "revenue", "2025-Q2", 700e6, "USD", "actual", "exact"),
      ("Polestar", "revenue", "2025-Q3", 750e6, "USD", "actual", "exact"),
      ("Polestar", "revenue_qoq", "2025-Q3", 7.1, "%", "actual", "exact")]),
    ("en", "Rivian | Q3 2024 | Q3 2025 | YoY\nGross margin | 10.0% | 11.2% | +120 bps",
     [("Rivian", "gross_margin", "2024-Q3", 10.0, "%", "actual", "exact"),
      ("Rivian", "gross_margin", "2025-Q3", 11.2, "%", "actual", "exact"),
      ("Rivian", "gross_margin_yoy", "2025-Q3", 1.2, "pp", "actual", "exact")]),
]


PERIOD_ITEM_CASES = [
    # a relative base right after a change belongs to the change, not to the level after "to"
    ("en", "Lucid's revenue rose 20% to $1.0 billion in the first half of 2025. Second-quarter net profit, however, fell 30% from a year earlier to $0.2 billion.",
     [("Lucid", "revenue_yoy", "2025-H1", 20, "%", "actual", "exact"),
      ("Lucid", "revenue", "2025-H1", 1.0e9, "USD", "actual", "exact"),
      ("Lucid", "net_result_yoy", "2025-Q2", -30, "%", "actual", "exact"),
      ("Lucid", "net_result", "2025-Q2", 0.2e9, "USD", "actual", "exact")]),
    # the month a target was revised dates neither the change nor the figures after it
    ("en", "Zeekr sold 500,000 vehicles in 2025, up 5% on the previous year and short of the 710,000 target it had lowered in June. Overseas sales rose to 90,000.",
     [("Zeekr", "sales", "2025", 500_000, "vehicles", "actual", "exact"),
      ("Zeekr", "sales_yoy", "2025", 5, "%", "actual", "exact"),
      ("Zeekr", "sales", "2025", 710_000, "vehicles", "target", "exact"),
      ("Zeekr", "sales", "2025", 90_000, "vehicles", "actual", "exact")]),
    ("fr", "Zeekr a vendu 500 000 véhicules en 2025, en hausse de 5 % sur un an, loin de l'objectif de 710 000 abaissé en juin. Les ventes à l'étranger ont atteint 90 000.",
     [("Zeekr", "sales", "2025", 500_000, "vehicles", "actual", "exact"),
      ("Zeekr", "sales_yoy", "2025", 5, "%", "actual", "exact"),
      ("Zeekr", "sales", "2025", 710_000, "vehicles", "target", "exact"),
      ("Zeekr", "sales", "2025", 90_000, "vehicles", "actual", "exact")]),
    # "sur la période" is the period the sentence before is about, not that of a figure after "après"
    ("fr", "Pour le premier trimestre 2026, Polestar prévoit de livrer au moins 15 000 véhicules, après 14 000 au quatrième trimestre 2025. La marque table sur un chiffre d'affaires d'au moins 800 millions de dollars sur la période.",
     [("Polestar", "deliveries", "2026-Q1", 15_000, "vehicles", "target", "at_least"),
      ("Polestar", "deliveries", "2025-Q4", 14_000, "vehicles", "actual", "exact"),
      ("Polestar", "revenue", "2026-Q1", 800e6, "USD", "target", "at_least")]),
]


@pytest.mark.parametrize("language, text, expected", NINE_MONTH_PHRASES, ids=[p[1][:50] for p in NINE_MONTH_PHRASES])
def test_nine_month_phrases(language, text, expected):
    test_period_phrases(language, text, expected)


# Undated documents: every period comes from the text.
UNDATED = CONTEXT_CASES + TABLE_CASES + LAYOUT_CASES + PERIOD_ITEM_CASES


@pytest.mark.parametrize("language, text, expected", UNDATED, ids=[c[1][:60] for c in UNDATED])
def test_undated_documents(language, text, expected):
    assert_claims(extract_claims(text, language=language, document="t", published=None), expected)
