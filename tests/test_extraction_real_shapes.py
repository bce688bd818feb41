"""Shapes of published news the extractor must read: periods bound after the figure or taken from the
publication date, period phrases, anaphoric subjects, companies the lexicon does not know, traps.
Each case: (language, publication date, text, expected claims as FIELDS rows)."""

import pytest

from pipelines.extraction import extract_claims
from tests.claim_records import assert_claims

UNLISTED = [
    # a capitalised name before a reporting verb
    ("en", None, "Danone reported revenue of €27.4 billion for 2024.",
     [("Danone", "revenue", "2024", 27.4e9, "EUR", "actual", "exact")]),
    ("fr", None, "Hermès a publié un chiffre d'affaires de 15,2 milliards d'euros en 2024.",
     [("Hermès", "revenue", "2024", 15.2e9, "EUR", "actual", "exact")]),
    # a corporate suffix, left out of the name
    ("en", None, "Siemens AG's revenue rose 5% to €75.9 billion in fiscal 2024.",
     [("Siemens", "revenue_yoy", "2024", 5, "%", "actual", "exact"),
      ("Siemens", "revenue", "2024", 75.9e9, "EUR", "actual", "exact")]),
    ("fr", None, "Le bénéfice net de Michelin SA a atteint 1,9 milliard d'euros en 2024.",
     [("Michelin", "net_result", "2024", 1.9e9, "EUR", "actual", "exact")]),
    # a possessive
    ("en", None, "Nvidia's revenue reached $35.1 billion in the third quarter of fiscal 2025.",
     [("Nvidia", "revenue", "2025-Q3", 35.1e9, "USD", "actual", "exact")]),
    # a headline subject names the company of the article; later uses of the name are mentions
    ("fr", None, "Danone : les ventes progressent\n\nLe chiffre d'affaires de Danone a atteint 27,4 milliards "
     "d'euros en 2024.", [("Danone", "revenue", "2024", 27.4e9, "EUR", "actual", "exact")]),
    # a sub-brand with its own figures is its own entity, not its parent named before
    ("en", None, "Kering reported revenue of €17.2 billion in 2024. Gucci posted revenue of €7.7 billion in 2024.",
     [("Kering", "revenue", "2024", 17.2e9, "EUR", "actual", "exact"),
      ("Gucci", "revenue", "2024", 7.7e9, "EUR", "actual", "exact")]),
    # never a carmaker named elsewhere in the paragraph
    ("en", None, "Tesla's shares rose. Meanwhile, Ferrari reported revenue of €6.7 billion in 2024.",
     [("Ferrari", "revenue", "2024", 6.7e9, "EUR", "actual", "exact")]),
]

# Capitalised words before a verb that are people, places, pronouns or metric words: no company.
NOT_COMPANIES = [
    ("en", None, "Tesla delivered 384,122 vehicles in Q2 2025. Chief executive Elon Musk expects growth in 2026.",
     [("Tesla", "deliveries", "2025-Q2", 384_122, "vehicles", "actual", "exact")]),
    ("fr", None, "Renault a vendu 1,1 million de véhicules au S1 2025. Le groupe de Boulogne vise 2,3 millions de ventes en 2025.",
     [("Renault", "sales", "2025-H1", 1_100_000, "vehicles", "actual", "exact"),
      ("Renault", "sales", "2025", 2_300_000, "vehicles", "target", "exact")]),
    ("fr", None, "Zeekr a livré 40 000 véhicules en mai 2025. Elle vise 320 000 livraisons en 2025.",
     [("Zeekr", "deliveries", "2025-05", 40_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025", 320_000, "vehicles", "target", "exact")]),
    ("en", None, "Rivian said its quarter went well. Deliveries reached 10,661 vehicles in Q2 2025.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", UNLISTED + NOT_COMPANIES)
def test_companies_the_lexicon_does_not_know(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


def test_an_unlisted_company_is_noted_and_a_lexicon_entry_gives_its_canonical_name(tmp_path, monkeypatch):
    text = "Danone Group reported revenue of €27.4 billion for 2024."
    (claim,) = extract_claims(text, "en")
    assert claim.entity == "Danone" and "entity: not in the lexicon" in claim.notes
    (tmp_path / "entities.yaml").write_text("companies:\n  Danone SA: {aliases: [Danone]}\n", encoding="utf-8")
    from pipelines.extraction import load_lexicon

    (claim,) = extract_claims(text, "en", lexicon=load_lexicon(tmp_path))
    assert claim.entity == "Danone SA" and "entity: not in the lexicon" not in claim.notes
