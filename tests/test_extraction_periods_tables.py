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
