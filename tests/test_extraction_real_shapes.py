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
    assert claim.entity == "Danone" and any(note.endswith("not in the lexicon") for note in claim.notes)
    (tmp_path / "entities.yaml").write_text("companies:\n  Danone SA: {aliases: [Danone]}\n", encoding="utf-8")
    from pipelines.extraction import load_lexicon

    (claim,) = extract_claims(text, "en", lexicon=load_lexicon(tmp_path))
    assert claim.entity == "Danone SA" and not any(note.endswith("not in the lexicon") for note in claim.notes)


# A period written right after a figure is that figure's; a change between two levels is for the later one.
PERIOD_AFTER = [
    ("en", None, "BYD's gross margin rose from 17.0% in Q1 2024 to 18.4% in Q1 2025.",
     [("BYD", "gross_margin", "2024-Q1", 17.0, "%", "actual", "exact"),
      ("BYD", "gross_margin", "2025-Q1", 18.4, "%", "actual", "exact")]),
    ("fr", None, "La marge brute de BYD est passée de 17,0 % au T1 2024 à 18,4 % au T1 2025.",
     [("BYD", "gross_margin", "2024-Q1", 17.0, "%", "actual", "exact"),
      ("BYD", "gross_margin", "2025-Q1", 18.4, "%", "actual", "exact")]),
    ("en", None, "NIO's average selling price went up 6% from 250,000 yuan per car in Q2 2024 to 265,000 yuan in Q2 2025.",
     [("NIO", "average_selling_price_yoy", "2025-Q2", 6, "%", "actual", "exact"),
      ("NIO", "average_selling_price", "2024-Q2", 250_000, "CNY", "actual", "exact"),
      ("NIO", "average_selling_price", "2025-Q2", 265_000, "CNY", "actual", "exact")]),
    ("en", None, "XPeng reported results for the first quarter of 2025. Its net loss narrowed to 660 million yuan in Q1 2025.",
     [("XPeng", "net_result", "2025-Q1", -660e6, "CNY", "actual", "exact")]),
    # a conversion in parentheses does not take the period from its amount
    ("en", None, "Vehicle sales were RMB15.2 billion (US$2.1 billion) in the second quarter of 2025, after RMB11.2 billion in Q1 2025.",
     [("", "revenue", "2025-Q2", 15.2e9, "CNY", "actual", "exact"),
      ("", "revenue", "2025-Q1", 11.2e9, "CNY", "actual", "exact")]),
]

# A quarter, half or month without its year is the latest one at or before publication; deictic years count
# from the publication date.
PUBLICATION = [
    ("en", "2025-07-02", "Li Auto delivered 111,074 vehicles in the second quarter.",
     [("Li Auto", "deliveries", "2025-Q2", 111_074, "vehicles", "actual", "exact")]),
    ("fr", "2025-02-10", "Li Auto a livré 158 696 véhicules au quatrième trimestre.",
     [("Li Auto", "deliveries", "2024-Q4", 158_696, "vehicles", "actual", "exact")]),
    ("en", "2025-10-02", "Tesla delivered 497,099 vehicles in Q3, and 384,122 in Q2.",
     [("Tesla", "deliveries", "2025-Q3", 497_099, "vehicles", "actual", "exact"),
      ("Tesla", "deliveries", "2025-Q2", 384_122, "vehicles", "actual", "exact")]),
    ("en", "2024-01-03", "Last year, BYD sold 3,024,417 vehicles.",
     [("BYD", "sales", "2023", 3_024_417, "vehicles", "actual", "exact")]),
    ("fr", "2024-01-03", "L'année dernière, BYD a vendu 3 024 417 véhicules.",
     [("BYD", "sales", "2023", 3_024_417, "vehicles", "actual", "exact")]),
    ("en", "2025-03-20", "Zeekr aims to sell 710,000 cars this year.",
     [("Zeekr", "sales", "2025", 710_000, "vehicles", "target", "exact")]),
    ("fr", "2025-03-20", "Zeekr vise 710 000 ventes cette année.",
     [("Zeekr", "sales", "2025", 710_000, "vehicles", "target", "exact")]),
    # a compared figure keeps the period in context
    ("fr", "2025-08-20", "La marge brute de Xiaomi a atteint 26,4 % au T2 2025, contre 15,4 % l'an dernier.",
     [("Xiaomi", "gross_margin", "2025-Q2", 26.4, "%", "actual", "exact"),
      ("Xiaomi", "gross_margin", "2024-Q2", 15.4, "%", "actual", "exact")]),
]

# Period phrases of real news.
PERIOD_PHRASES = [
    ("en", "2025-07-05", "Li Auto delivered 111,074 vehicles between April and June.",
     [("Li Auto", "deliveries", "2025-Q2", 111_074, "vehicles", "actual", "exact")]),
    ("fr", "2025-07-05", "Entre avril et juin, Li Auto a livré 111 074 véhicules.",
     [("Li Auto", "deliveries", "2025-Q2", 111_074, "vehicles", "actual", "exact")]),
    ("en", None, "From January to April 2023, BYD sold 762,371 vehicles.",
     [("BYD", "sales", "2023-YTD-04", 762_371, "vehicles", "actual", "exact")]),
    ("fr", None, "De janvier à avril 2023, BYD a vendu 762 371 véhicules.",
     [("BYD", "sales", "2023-YTD-04", 762_371, "vehicles", "actual", "exact")]),
    ("en", None, "Rivian's revenue was $1.56 billion in the three months ended September 30, 2025.",
     [("Rivian", "revenue", "2025-Q3", 1.56e9, "USD", "actual", "exact")]),
    ("fr", None, "Sur les neuf mois clos le 30 septembre 2025, le chiffre d'affaires de Renault a atteint 37,6 milliards d'euros.",
     [("Renault", "revenue", "2025-YTD-09", 37.6e9, "EUR", "actual", "exact")]),
    ("en", "2025-10-20", "Tesla's revenue was $28.1 billion in the July-September quarter.",
     [("Tesla", "revenue", "2025-Q3", 28.1e9, "USD", "actual", "exact")]),
    ("en", "2025-11-10", "For the first nine months, NIO delivered 201,000 vehicles.",
     [("NIO", "deliveries", "2025-YTD-09", 201_000, "vehicles", "actual", "exact")]),
    ("en", None, "NIO's revenue reached RMB19.7 billion in Q4 of 2024.",
     [("NIO", "revenue", "2024-Q4", 19.7e9, "CNY", "actual", "exact")]),
    ("fr", None, "Sur les six premiers mois de 2025, Renault a vendu 1,1 million de véhicules.",
     [("Renault", "sales", "2025-H1", 1_100_000, "vehicles", "actual", "exact")]),
    # "in March" after a preposition is a month; "March" as a word or next to a day number is no period
    ("en", "2023-05-02", "BYD sold 210,295 vehicles in April, up 1.6 percent from 207,080 in March.",
     [("BYD", "sales", "2023-04", 210_295, "vehicles", "actual", "exact"),
      ("BYD", "sales", "2023-03", 207_080, "vehicles", "actual", "exact")]),
    ("fr", None, "Ce mercredi 5 février, Renault a publié un chiffre d'affaires de 56,2 milliards d'euros pour 2024.",
     [("Renault", "revenue", "2024", 56.2e9, "EUR", "actual", "exact")]),
]

# Changes whose base period says what they are measured against; month on month is no metric of the contract.
BASES = [
    ("en", None, "Deliveries reached 52,310 in the third quarter of 2025, up 14.2% from the third quarter of 2024 "
     "and 6.3% from the second quarter of 2025.",
     [("", "deliveries", "2025-Q3", 52_310, "vehicles", "actual", "exact"),
      ("", "deliveries_yoy", "2025-Q3", 14.2, "%", "actual", "exact"),
      ("", "deliveries_qoq", "2025-Q3", 6.3, "%", "actual", "exact")]),
    ("fr", None, "BYD a vendu 380 000 véhicules en mai 2025, en hausse de 2 % par rapport à avril 2025.",
     [("BYD", "sales", "2025-05", 380_000, "vehicles", "actual", "exact")]),
]

# Figures whose sentence names no metric of its own.
ANAPHORA = [
    ("en", None, "XPeng's revenue reached RMB18.3 billion in Q2 2025. That was up 125% year on year.",
     [("XPeng", "revenue", "2025-Q2", 18.3e9, "CNY", "actual", "exact"),
      ("XPeng", "revenue_yoy", "2025-Q2", 125, "%", "actual", "exact")]),
    ("fr", None, "La marge opérationnelle de Renault a atteint 7,6 % en 2024. Ce ratio était de 7,9 % en 2023.",
     [("Renault", "operating_margin", "2024", 7.6, "%", "actual", "exact"),
      ("Renault", "operating_margin", "2023", 7.9, "%", "actual", "exact")]),
    ("en", None, "BYD sold 4,272,145 vehicles in 2024. In 2023, the number was 3,024,417.",
     [("BYD", "sales", "2024", 4_272_145, "vehicles", "actual", "exact"),
      ("BYD", "sales", "2023", 3_024_417, "vehicles", "actual", "exact")]),
    # a change stated with its level is a change of the level's metric
    ("en", None, "Vehicle sales slipped 3.9% to $3.6 billion in Q2 2025.",
     [("", "revenue_yoy", "2025-Q2", -3.9, "%", "actual", "exact"),
      ("", "revenue", "2025-Q2", 3.6e9, "USD", "actual", "exact")]),
]

# Numbers that are no figures, and directions written as verbs.
TRAPS = [
    ("en", None, "XPeng (NYSE: XPEV, HKEX: 9868) delivered 31,250 vehicles in October 2025.",
     [("XPeng", "deliveries", "2025-10", 31_250, "vehicles", "actual", "exact")]),
    ("en", None, "Xiaomi ran 350 car sales stores in 97 cities at the end of June 2025.", []),
    ("fr", None, "Mercedes-Benz a vu ses livraisons reculer de 8 % au T3 2025.",
     [("Mercedes-Benz", "deliveries_yoy", "2025-Q3", -8, "%", "actual", "exact")]),
    ("en", None, "Ford's net income fell to $471 million, or 12 cents per diluted share, in Q1 2025.",
     [("Ford", "net_result", "2025-Q1", 471e6, "USD", "actual", "exact")]),
    ("fr", None, "Le chiffre d'affaires de LVMH ressort à 41,7 MdsEUR au premier semestre 2024.",
     [("LVMH", "revenue", "2024-H1", 41.7e9, "EUR", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected",
                         PERIOD_AFTER + PUBLICATION + PERIOD_PHRASES + BASES + ANAPHORA + TRAPS)
def test_shapes_of_published_news(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


def test_each_claim_keeps_why_its_entity_and_period_won():
    (level, change) = extract_claims("NIO delivered 72,056 vehicles in Q2 2025, up 25.6% year on year.", "en")
    assert "entity: named before the figure in its sentence" in level.notes
    assert "period: written right after the figure" in level.notes
    assert "period: the figure the change is of" in change.notes or "period: in the figure's clause" in change.notes
    (dated,) = extract_claims("Li Auto delivered 111,074 vehicles in the second quarter.", "en", published="2025-07-02")
    assert "period: written right after the figure, dated by the publication date" in dated.notes


# Kinds, metrics and periods as releases and wires write them.
RELEASES = [
    # the company's own outlook is a target; analysts' is a forecast
    ("en", None, "Rivian's revenue is expected to be between $1.3 billion and $1.4 billion in Q4 2025.",
     [("Rivian", "revenue", "2025-Q4", 1.3e9, "USD", "target", "at_least"),
      ("Rivian", "revenue", "2025-Q4", 1.4e9, "USD", "target", "at_most")]),
    ("en", None, "Analysts expect Rivian's revenue to reach $1.4 billion in Q4 2025.",
     [("Rivian", "revenue", "2025-Q4", 1.4e9, "USD", "forecast", "exact")]),
    ("fr", None, "Renault estime pouvoir atteindre une marge opérationnelle de 6,5 % en 2025.",
     [("Renault", "operating_margin", "2025", 6.5, "%", "target", "exact")]),
    # a share of revenue stated for a result is its margin; a generic margin after a result is that result's
    ("fr", None, "Le résultat opérationnel de Renault a atteint 4,3 milliards d'euros en 2024, soit 7,6 % du chiffre d'affaires.",
     [("Renault", "operating_result", "2024", 4.3e9, "EUR", "actual", "exact"),
      ("Renault", "operating_margin", "2024", 7.6, "%", "actual", "exact")]),
    ("en", None, "Renault's operating profit rose to €4.3 billion in 2024, with a margin of 7.6%.",
     [("Renault", "operating_result", "2024", 4.3e9, "EUR", "actual", "exact"),
      ("Renault", "operating_margin", "2024", 7.6, "%", "actual", "exact")]),
    # a negative level is no change
    ("en", None, "XPeng reported a gross margin of -1.9 percent in Q2 2023.",
     [("XPeng", "gross_margin", "2023-Q2", -1.9, "%", "actual", "exact")]),
    # periods written as releases write them
    ("en", None, "Hyundai earned an operating profit of 4.3 trillion won for April-to-June 2024.",
     [("Hyundai", "operating_result", "2024-Q2", 4.3e12, "KRW", "actual", "exact")]),
    ("en", None, "Lucid reported revenue of $259.4 million for the second quarter ended June 30, 2025.",
     [("Lucid", "revenue", "2025-Q2", 259.4e6, "USD", "actual", "exact")]),
    ("en", None, "GM's U.S. sales climbed 9% in the 2024 first half.",
     [("General Motors", "sales_yoy", "2024-H1", 9, "%", "actual", "exact")]),
    # a quarter named in a sentence of its own moves the period in context on
    ("fr", None, "BMW a dégagé un bénéfice net de 4 milliards d'euros au premier semestre 2025. Les droits de douane ont pesé "
     "au deuxième trimestre 2025. Le groupe a dégagé un bénéfice net de 1,84 milliard d'euros.",
     [("BMW", "net_result", "2025-H1", 4e9, "EUR", "actual", "exact"),
      ("BMW", "net_result", "2025-Q2", 1.84e9, "EUR", "actual", "exact")]),
    # a basis phrase written before a change may be the previous change's: the base period decides
    ("en", None, "XPeng delivered 46,500 vehicles in the third quarter of 2024, up 31.2 percent year-on-year and up 64.0 "
     "percent from the second quarter of 2024.",
     [("XPeng", "deliveries", "2024-Q3", 46_500, "vehicles", "actual", "exact"),
      ("XPeng", "deliveries_yoy", "2024-Q3", 31.2, "%", "actual", "exact"),
      ("XPeng", "deliveries_qoq", "2024-Q3", 64.0, "%", "actual", "exact")]),
    # a year compared with is the year before the figure's
    ("fr", None, "BYD a livré 4,27 millions de véhicules, soit 41 % de plus qu'en 2023.",
     [("BYD", "deliveries", "2024", 4_270_000, "vehicles", "actual", "exact"),
      ("BYD", "deliveries_yoy", "2024", 41, "%", "actual", "exact")]),
]

# Subjects: owners and possessives qualify, brands in apposition are named, the document's company stays.
SUBJECTS = [
    ("en", None, "Sweden's Vattenfall on Friday posted a 9% fall in its first-quarter 2024 profit.",
     [("Vattenfall", "net_result_yoy", "2024-Q1", -9, "%", "actual", "exact")]),
    ("fr", None, "Kering a vu ses ventes reculer au premier semestre 2025. Sa marque phare Gucci a enregistré un chiffre "
     "d'affaires de 3,03 milliards d'euros au premier semestre 2025.",
     [("Gucci", "revenue", "2025-H1", 3.03e9, "EUR", "actual", "exact")]),
    ("en", None, "Volkswagen posted an operating loss of €1.3 billion in Q3 2025, as Porsche's strategy weighed. "
     "Deliveries rose 1% to 2.2 million vehicles in Q3 2025.",
     [("Volkswagen", "operating_result", "2025-Q3", -1.3e9, "EUR", "actual", "exact"),
      ("Volkswagen", "deliveries_yoy", "2025-Q3", 1, "%", "actual", "exact"),
      ("Volkswagen", "deliveries", "2025-Q3", 2_200_000, "vehicles", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", RELEASES + SUBJECTS)
def test_releases_and_subjects(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# Layout and traps of releases and wires.
LAYOUT_AND_TRAPS = [
    # a sentence wrapped over several lines is read as one
    ("en", None, "- Margins: in Q2 2024 the adjusted return on sales came to\n9.1% at BMW Automotive and 8.0% at\nthe motorcycle unit",
     [("BMW", "operating_margin", "2024-Q2", 9.1, "%", "actual", "exact"),
      ("BMW", "operating_margin", "2024-Q2", 8.0, "%", "actual", "exact")]),
    # a label dates only the figure after its colon
    ("en", None, "Polestar's gross margin was 4% in Q2 2025 (Q2 2024: 6%), and its operating margin -20% in Q2 2025.",
     [("Polestar", "gross_margin", "2025-Q2", 4, "%", "actual", "exact"),
      ("Polestar", "gross_margin", "2024-Q2", 6, "%", "actual", "exact"),
      ("Polestar", "operating_margin", "2025-Q2", -20, "%", "actual", "exact")]),
    # a share price is no price of a product; a threshold, a recall and jobs are no volumes
    ("en", None, "Ford's share price rose 3.7% on Tuesday.", []),
    ("en", None, "NIO passed the 30,000 mark in monthly deliveries for the first time.", []),
    ("en", None, "Ford recalled 317,000 vehicles in 2025 and cut 30,000 jobs.", []),
    ("fr", None, "Volkswagen va supprimer 35 000 emplois en Allemagne d'ici 2030.", []),
    # a hyphen between two percentages joins a range
    ("en", None, "NIO guides for deliveries of between 38,000 and 40,000 vehicles in Q2 2024, a year-on-year growth of 29.1%-35.9%.",
     [("NIO", "deliveries", "2024-Q2", 38_000, "vehicles", "target", "at_least"),
      ("NIO", "deliveries", "2024-Q2", 40_000, "vehicles", "target", "at_most"),
      ("NIO", "deliveries_yoy", "2024-Q2", 29.1, "%", "target", "at_least"),
      ("NIO", "deliveries_yoy", "2024-Q2", 35.9, "%", "target", "at_most")]),
    # "The income" refers to the figure the sentence before named
    ("en", None, "Kia reported a 20% rise in its operating profit for Q2 2024. The income came to 3.6 trillion won.",
     [("Kia", "operating_result_yoy", "2024-Q2", 20, "%", "actual", "exact"),
      ("Kia", "operating_result", "2024-Q2", 3.6e12, "KRW", "actual", "exact")]),
    # the document's company is the one it opens on, not a brand it names on the way
    ("fr", None, "Kering a vu ses ventes reculer au premier semestre 2025, après les faibles performances de sa marque phare "
     "Gucci. Gucci recule encore.\nLe résultat net du groupe de luxe a atteint 612 millions d'euros au premier semestre 2025.",
     [("Kering", "net_result", "2025-H1", 612e6, "EUR", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", LAYOUT_AND_TRAPS)
def test_layout_and_traps(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


MORE_SUBJECTS = [
    # a company named inside "including ..." describes the subject
    ("en", None, "In 2023, Geely's total sales, including those of its sports-car subsidiary Lotus Group, grew 18 percent.",
     [("Geely", "sales_yoy", "2023", 18, "%", "actual", "exact")]),
    # the product named first in the clause, not the one after the figure
    ("en", None, "In March 2025, Xiaomi's SU7 sedan delivered 29,000 units and the Tesla Model 3 9,000 units.",
     [("Xiaomi SU7", "deliveries", "2025-03", 29_000, "vehicles", "actual", "exact"),
      ("Tesla Model 3", "deliveries", "2025-03", 9_000, "vehicles", "actual", "exact")]),
    # a cue past the next figure is not this figure's when its own was named before it
    ("en", None, "Hyundai's European sales climbed 3 percent to 550,000 cars in H1 2024 despite talk of price hikes.",
     [("Hyundai", "sales_yoy", "2024-H1", 3, "%", "actual", "exact"),
      ("Hyundai", "sales", "2024-H1", 550_000, "vehicles", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", MORE_SUBJECTS)
def test_more_subjects(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


SALES_IN_MONEY = [
    # sales stated in money make the sentence's changes of sales changes of revenue
    ("en", None, "In Q1 2024 the carmaker's vehicle sales came to RMB9.9 billion, which was 6.3% lower than in Q1 2023.",
     [("", "revenue", "2024-Q1", 9.9e9, "CNY", "actual", "exact"),
      ("", "revenue_yoy", "2024-Q1", -6.3, "%", "actual", "exact")]),
    ("fr", "2025-02-20", "En 2023, le chiffre d'affaire de BMW a progressé de 9 % à 155,5 milliards d'euros.",
     [("BMW", "revenue_yoy", "2023", 9, "%", "actual", "exact"),
      ("BMW", "revenue", "2023", 155.5e9, "EUR", "actual", "exact")]),
    # a change in points from a level in the previous quarter is quarter on quarter
    ("en", None, "Polestar's gross margin stood at -3.2 percent in Q3 2024, an improvement of 1.8 percentage points from -5.0 percent in Q2 2024.",
     [("Polestar", "gross_margin", "2024-Q3", -3.2, "%", "actual", "exact"),
      ("Polestar", "gross_margin_qoq", "2024-Q3", 1.8, "pp", "actual", "exact"),
      ("Polestar", "gross_margin", "2024-Q2", -5.0, "%", "actual", "exact")]),
    ("fr", "2025-02-20", "Pour l'année en cours, Volvo table sur une marge opérationnelle entre 5 et 7 %, contre 7,4 % en 2024.",
     [("Volvo", "operating_margin", "2025", 5, "%", "target", "at_least"),
      ("Volvo", "operating_margin", "2025", 7, "%", "target", "at_most"),
      ("Volvo", "operating_margin", "2024", 7.4, "%", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", SALES_IN_MONEY)
def test_sales_in_money_and_bases(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Nissan posted a 7.9% year-on-year decline in sales in March 2024.",
     [("Nissan", "sales_yoy", "2024-03", -7.9, "%", "actual", "exact")]),
    ("en", "Renault announced a 57 percent leap in its net profit for 2023.",
     [("Renault", "net_result_yoy", "2023", 57, "%", "actual", "exact")]),
])
def test_direction_words_after_a_change(language, text, expected):
    assert_claims(extract_claims(text, language), expected)


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Rivian now guides for 2024 production in a range of 47,000 to 49,000 vehicles, under its previous estimate of 57,000 units.",
     [("Rivian", "production", "2024", 47_000, "vehicles", "target", "at_least"),
      ("Rivian", "production", "2024", 49_000, "vehicles", "target", "at_most"),
      ("Rivian", "production", "2024", 57_000, "vehicles", "previous", "exact")]),
    ("fr", "Renault vise une marge opérationnelle dans une fourchette de 6 à 7 % en 2025.",
     [("Renault", "operating_margin", "2025", 6, "%", "target", "at_least"),
      ("Renault", "operating_margin", "2025", 7, "%", "target", "at_most")]),
])
def test_ranges_and_previous_estimates(language, text, expected):
    assert_claims(extract_claims(text, language), expected)


def test_a_year_after_a_figure_dates_the_part_of_the_year_its_clause_names():
    (claim,) = extract_claims("Honda's record first-half sales were 2.1 million units in 2019.", "en",
                              published="2025-07-31")
    assert (claim.metric, claim.period, claim.value) == ("sales", "2019-H1", 2_100_000)


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Stellantis — which owns Jeep, Opel and Citroën — posted a 31 per cent drop in its 2022 net profit.",
     [("Stellantis", "net_result_yoy", "2022", -31, "%", "actual", "exact")]),
    ("fr", "Le total compte aussi les filiales Skoda et Seat, Skoda ayant vendu 900 000 unités en 2023 et Seat 520 000 unités.",
     [("Skoda", "sales", "2023", 900_000, "vehicles", "actual", "exact"),
      ("Seat", "sales", "2023", 520_000, "vehicles", "actual", "exact")]),
])
def test_brands_listed_and_groups_described(language, text, expected):
    assert_claims(extract_claims(text, language), expected)


# A change's base a few words on, or a yearless period a year back: the change is of the year (or the same
# month or quarter) after it.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2025-02-10", "Suzuki sold 3,250,000 vehicles last year, 9 percent more than its performance in 2023.",
     [("Suzuki", "sales", "2024", 3_250_000, "vehicles", "actual", "exact"),
      ("Suzuki", "sales_yoy", "2024", 9, "%", "actual", "exact")]),
    ("fr", None, "Kia vise une hausse de ses ventes de 20 % par rapport à leur niveau de 2024.",
     [("Kia", "sales_yoy", "2025", 20, "%", "target", "exact")]),
    ("en", "2025-01-05", "Over the last three months of the year Lucid built 9,800 vehicles, down 4% from the "
     "third quarter and up 31% from the fourth quarter a year ago.",
     [("Lucid", "production", "2024-Q4", 9_800, "vehicles", "actual", "exact"),
      ("Lucid", "production_qoq", "2024-Q4", -4, "%", "actual", "exact"),
      ("Lucid", "production_yoy", "2024-Q4", 31, "%", "actual", "exact")]),
    ("en", "2025-11-03", "Geely sold 307,000 vehicles in October, a 2025 high, although its sales fell 6.1% from "
     "October last year.",
     [("Geely", "sales", "2025-10", 307_000, "vehicles", "actual", "exact"),
      ("Geely", "sales_yoy", "2025-10", -6.1, "%", "actual", "exact")]),
    ("fr", "2025-11-03", "Geely a vendu 307 000 véhicules en octobre. C'est un record pour 2025, et ses ventes progressent "
     "de 4,5 % par rapport à octobre l'an dernier.",
     [("Geely", "sales", "2025-10", 307_000, "vehicles", "actual", "exact"),
      ("Geely", "sales_yoy", "2025-10", 4.5, "%", "actual", "exact")]),
])
def test_bases_a_year_back(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A relative period written right after a figure is its own; the periods of the figure before stay that one's.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2025-08-06", "Lucid delivered 3,100 vehicles in the second quarter of 2025. Its quarterly net loss narrowed to $590 "
     "million over the past three months, from $820 million in the same period last year.",
     [("Lucid", "deliveries", "2025-Q2", 3_100, "vehicles", "actual", "exact"),
      ("Lucid", "net_result", "2024-Q2", -820e6, "USD", "actual", "exact"),
      ("Lucid", "net_result", "2025-Q2", -590e6, "USD", "actual", "exact")]),
    ("en", "2025-02-27", "Renault's profit dropped from 2.3 billion euros in 2023 to 0.75 billion euros last year.",
     [("Renault", "net_result", "2023", 2.3e9, "EUR", "actual", "exact"),
      ("Renault", "net_result", "2024", 0.75e9, "EUR", "actual", "exact")]),
    ("fr", "2025-02-27", "Le bénéfice net de Renault est passé de 2,3 milliards d'euros en 2023 à 750 millions d'euros l'an dernier.",
     [("Renault", "net_result", "2023", 2.3e9, "EUR", "actual", "exact"),
      ("Renault", "net_result", "2024", 750e6, "EUR", "actual", "exact")]),
])
def test_relative_periods_after_their_figure(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A period named by its neighbour: the previous month's figure, a relative clause opening on a month.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2024-07-01", "Zeekr delivered 20,106 vehicles in June. That beat its previous month's record of 18,616 units.",
     [("Zeekr", "deliveries", "2024-06", 20_106, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-05", 18_616, "vehicles", "actual", "exact")]),
    ("en", "2024-07-01", "Zeekr delivered 20,106 vehicles in June. That is 8% more than in May, during which Zeekr delivered 18,616 units.",
     [("Zeekr", "deliveries", "2024-06", 20_106, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-05", 18_616, "vehicles", "actual", "exact")]),
    ("fr", "2024-07-01", "Zeekr a livré 20 106 véhicules en juin, contre un record en mai, au cours duquel Zeekr avait livré 18 616 véhicules.",
     [("Zeekr", "deliveries", "2024-06", 20_106, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2024-05", 18_616, "vehicles", "actual", "exact")]),
])
def test_periods_named_by_their_neighbour(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A results filing: the year counted back from publication holds for the change after it; a forecast
# "issued in late January" is for the year in context; a stock exchange is a name, not a share figure.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2024-03-28", "Chery reported a record profit in 2023. The firm booked net profit of 7 billion yuan "
     "(US$970 million) last year, its filing to the Shanghai Stock Exchange showed, up 36 per cent year-on-year "
     "from 5.2 billion yuan in 2022. That matches the forecast of 6.8-7.2 billion yuan the carmaker had issued in late January.",
     [("Chery", "net_result", "2023", 7e9, "CNY", "actual", "exact"),
      ("Chery", "net_result_yoy", "2023", 36, "%", "actual", "exact"),
      ("Chery", "net_result", "2022", 5.2e9, "CNY", "actual", "exact"),
      ("Chery", "net_result", "2023", 6.8e9, "CNY", "target", "at_least"),
      ("Chery", "net_result", "2023", 7.2e9, "CNY", "target", "at_most")]),
    ("fr", "2024-03-28", "Chery a publié un bénéfice record en 2023. Le groupe a enregistré un bénéfice net de 7 milliards "
     "de yuans l'an dernier, conforme à la prévision publiée fin janvier, comprise entre 6,8 et 7,2 milliards de yuans.",
     [("Chery", "net_result", "2023", 7e9, "CNY", "actual", "exact"),
      ("Chery", "net_result", "2023", 6.8e9, "CNY", "target", "at_least"),
      ("Chery", "net_result", "2023", 7.2e9, "CNY", "target", "at_most")]),
    # a target lowered in the present tense is still revised
    ("fr", None, "Chery relève son objectif de ventes pour 2025 de 2,8 à 3 millions de véhicules.",
     [("Chery", "sales", "2025", 2.8e6, "vehicles", "previous", "exact"),
      ("Chery", "sales", "2025", 3e6, "vehicles", "target", "exact")]),
])
def test_results_filings(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A range written with a hyphen between two percentages; the level of a period compared with.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", None, "Seres's gross profit margin for 2024 came in at 3.1%, well up on 2023's negative 4.2%.",
     [("Seres", "gross_margin", "2024", 3.1, "%", "actual", "exact"),
      ("Seres", "gross_margin", "2023", -4.2, "%", "actual", "exact")]),
    ("en", None, "Seres targets a gross margin of 8%-12% in 2025.",
     [("Seres", "gross_margin", "2025", 8, "%", "target", "at_least"),
      ("Seres", "gross_margin", "2025", 12, "%", "target", "at_most")]),
])
def test_levels_and_ranges_of_percentages(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# An amount per share is no business figure of the contract; a percentage share of a market is one.
@pytest.mark.parametrize("language, text, expected", [
    ("en", "Nvidia's second-quarter earnings came to $1.05 per share, against $1.01 per share expected.", []),
    ("en", "In Q2 2025 Zeekr lost 15 cents per American Depositary Share on an adjusted basis.", []),
    ("fr", "Renault a dégagé un bénéfice de 2,40 euros par action en 2024.", []),
    ("en", "Samsung held a 7.3 percent share of the foundry market in Q2 2025.",
     [("Samsung", "market_share", "2025-Q2", 7.3, "%", "actual", "exact")]),
])
def test_amounts_per_share(language, text, expected):
    assert_claims(extract_claims(text, language), expected)


# A pronoun subject after a change: the change of the metric before; a part of the period ("dont") keeps its own.
@pytest.mark.parametrize("language, published, text, expected", [
    ("fr", "2025-02-12", "Le chiffre d'affaires d'Hermès s'est élevé à 15,2 milliards d'euros en 2024, en hausse de 13 % en publié.\n"
     "Hors effets de change, il a augmenté de 15 %, dont 18 % sur le quatrième trimestre.",
     [("Hermès", "revenue", "2024", 15.2e9, "EUR", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024", 13, "%", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024", 15, "%", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024-Q4", 18, "%", "actual", "exact")]),
    ("en", "2025-02-12", "Hermès's revenue reached €15.2 billion in 2024, up 13% as reported. Excluding currency effects, "
     "it rose 15%, with 18% in the fourth quarter alone.",
     [("Hermès", "revenue", "2024", 15.2e9, "EUR", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024", 13, "%", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024", 15, "%", "actual", "exact"),
      ("Hermès", "revenue_yoy", "2024-Q4", 18, "%", "actual", "exact")]),
])
def test_a_change_and_its_part(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# Amounts per share beside the company's own: the word after a figure is that figure's only; cents are no total.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2025-04-24", "Ford's net income dropped to $471 million (12 cents per diluted share) from $1.33 billion "
     "and 33 cents a year before.",
     [("Ford", "net_result", "2025", 471e6, "USD", "actual", "exact"),
      ("Ford", "net_result", "2024", 1.33e9, "USD", "actual", "exact")]),
])
def test_amounts_per_share_beside_totals(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# Bullet lists under a heading line: the heading's year dates them, an outlook heading makes them targets and
# what they are set against the previous target.
HEADED_LISTS = [
    ("fr", "2025-02-20", "Thales publie ses comptes annuels\nChiffres 2024\n• Chiffre d’affaires : 20 577 M€ (+11,7 %)\n"
     "Objectifs 2025 relevés le 4 décembre\n• Chiffre d’affaires : progression d’environ 6 %\n"
     "• Résultat opérationnel : 2,6 – 2,7 Mds€ (contre 2,5 – 2,6 Mds€)",
     [("Thales", "revenue", "2024", 20_577e6, "EUR", "actual", "exact"),
      ("Thales", "revenue_yoy", "2024", 11.7, "%", "actual", "exact"),
      ("Thales", "revenue_yoy", "2025", 6, "%", "target", "approx"),
      ("Thales", "operating_result", "2025", 2.6e9, "EUR", "target", "at_least"),
      ("Thales", "operating_result", "2025", 2.7e9, "EUR", "target", "at_most"),
      ("Thales", "operating_result", "2025", 2.5e9, "EUR", "previous", "at_least"),
      ("Thales", "operating_result", "2025", 2.6e9, "EUR", "previous", "at_most")]),
    ("en", "2025-02-20", "Thales reports its full-year results\nOutlook 2025\n- Revenue: up about 6%\n"
     "- Operating profit: €2.6-2.7 billion",
     [("Thales", "revenue_yoy", "2025", 6, "%", "target", "approx"),
      ("Thales", "operating_result", "2025", 2.6e9, "EUR", "target", "at_least"),
      ("Thales", "operating_result", "2025", 2.7e9, "EUR", "target", "at_most")]),
    # a bullet's wrapped line is no heading
    ("en", None, "- Sales: Renault sold 1,104,000 units in the first half of 2025 (+1%)\n"
     "across its brands; Dacia sales\n- Margin: operating margin of 6.0% in the first half of 2025",
     [("Renault", "sales", "2025-H1", 1_104_000, "vehicles", "actual", "exact"),
      ("Renault", "sales_yoy", "2025-H1", 1, "%", "actual", "exact"),
      ("Renault", "operating_margin", "2025-H1", 6.0, "%", "actual", "exact")]),
]


@pytest.mark.parametrize("language, published, text, expected", HEADED_LISTS)
def test_bullet_lists_under_a_heading(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A change that names its metric after it, measured against a period opening the sentence.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2025-07-17", "Against the first quarter of 2025, the second quarter brought a 4.1% increase in revenue "
     "and a 9.5% increase in net income. The company guides for an operating profit margin between 45% and 47% in the third quarter of 2025.",
     [("", "revenue_qoq", "2025-Q2", 4.1, "%", "actual", "exact"),
      ("", "net_result_qoq", "2025-Q2", 9.5, "%", "actual", "exact"),
      ("", "operating_margin", "2025-Q3", 45, "%", "target", "at_least"),
      ("", "operating_margin", "2025-Q3", 47, "%", "target", "at_most")]),
    ("fr", "2025-07-17", "Par rapport au premier trimestre 2025, le deuxième trimestre affiche une hausse de 4,1 % du "
     "chiffre d'affaires et une hausse de 9,5 % du résultat net.",
     [("", "revenue_qoq", "2025-Q2", 4.1, "%", "actual", "exact"),
      ("", "net_result_qoq", "2025-Q2", 9.5, "%", "actual", "exact")]),
])
def test_changes_naming_their_metric_after_them(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# Changes stated after a breakdown by brand are the total's, and so of the total's company.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", None, "NIO Inc. today announced its results. The Company delivered 42,094 vehicles in the second quarter of 2025, made up "
     "of 38,500 vehicles from its premium brand NIO and 3,594 vehicles from its family brand ONVO, representing growth of "
     "9.1% from the second quarter of 2024 and of 5.2% from the first quarter of 2025.",
     [("NIO", "deliveries", "2025-Q2", 42_094, "vehicles", "actual", "exact"),
      ("NIO", "deliveries", "2025-Q2", 38_500, "vehicles", "actual", "exact"),
      ("Onvo", "deliveries", "2025-Q2", 3_594, "vehicles", "actual", "exact"),
      ("NIO", "deliveries_yoy", "2025-Q2", 9.1, "%", "actual", "exact"),
      ("NIO", "deliveries_qoq", "2025-Q2", 5.2, "%", "actual", "exact")]),
])
def test_changes_after_a_breakdown_by_brand(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


def test_an_outlook_after_figures_to_date_is_for_the_year():
    claims = extract_claims("BMW sold 1,650,000 cars in the first nine months of 2025. For its return on sales, BMW "
                            "still expects 5% - 7%.", "en")
    assert sorted((c.metric, c.period, c.value, c.kind) for c in claims if c.kind == "target") == [
        ("operating_margin", "2025", 5, "target"), ("operating_margin", "2025", 7, "target")]


# A list of changes "respectively" pairs in order with the levels before it, and shares their direction.
@pytest.mark.parametrize("language, text, expected", [
    ("en", "Rivian built 10,661 vehicles and handed over 8,640 in the first quarter of 2025, falling 21% and 36% respectively "
     "from a year earlier.",
     [("Rivian", "production", "2025-Q1", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q1", 8_640, "vehicles", "actual", "exact"),
      ("Rivian", "production_yoy", "2025-Q1", -21, "%", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q1", -36, "%", "actual", "exact")]),
    ("fr", "Rivian a produit 10 661 véhicules et en a livré 8 640 au premier trimestre 2025, en baisse respectivement de "
     "21 % et 36 % sur un an.",
     [("Rivian", "production", "2025-Q1", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q1", 8_640, "vehicles", "actual", "exact"),
      ("Rivian", "production_yoy", "2025-Q1", -21, "%", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q1", -36, "%", "actual", "exact")]),
])
def test_changes_paired_respectively_with_levels(language, text, expected):
    assert_claims(extract_claims(text, language), expected)


# Products the lexicon does not know, introduced next to their owner and a kind of vehicle, named with the company.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", None, "Toyota's line-up leans on its mid-size Tacoma pickup. Tacoma sales climbed 12% to 274,638 units in 2025.",
     [("Toyota Tacoma", "sales_yoy", "2025", 12, "%", "actual", "exact"),
      ("Toyota Tacoma", "sales", "2025", 274_638, "vehicles", "actual", "exact")]),
    ("en", None, "Toyota's Tundra truck sales rose 9% to 159,528 units in 2025.",
     [("Toyota Tundra", "sales_yoy", "2025", 9, "%", "actual", "exact"),
      ("Toyota Tundra", "sales", "2025", 159_528, "vehicles", "actual", "exact")]),
    ("fr", None, "Dacia a présenté sa citadine Spring. La Spring s'est vendue à 30 000 exemplaires en 2025.",
     [("Dacia Spring", "sales", "2025", 30_000, "vehicles", "actual", "exact")]),
])
def test_products_the_lexicon_does_not_know(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


# A table flattened into one line, a row per company under a header of metrics and bases.
@pytest.mark.parametrize("language, published, text, expected", [
    ("en", "2024-07-02", "Company June 2024 Deliveries Year-on-Year Growth Month-on-Month Growth Zeekr 20,106 89.4% +8.0% "
     "Leapmotor 20,116 52.1% +10.7%",
     [("Zeekr", "deliveries", "2024-06", 20_106, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries_yoy", "2024-06", 89.4, "%", "actual", "exact"),
      ("Leapmotor", "deliveries", "2024-06", 20_116, "vehicles", "actual", "exact"),
      ("Leapmotor", "deliveries_yoy", "2024-06", 52.1, "%", "actual", "exact")]),
    # a sentence naming two companies with their figures is no table
    ("en", "2024-07-02", "Zeekr delivered 20,106 vehicles in June 2024 and Leapmotor 20,116.",
     [("Zeekr", "deliveries", "2024-06", 20_106, "vehicles", "actual", "exact"),
      ("Leapmotor", "deliveries", "2024-06", 20_116, "vehicles", "actual", "exact")]),
])
def test_tables_written_as_a_line(language, published, text, expected):
    assert_claims(extract_claims(text, language, published=published), expected)


def test_a_revision_that_names_the_old_target_keeps_the_new_one_current():
    claims = extract_claims("Lucid built 9,029 vehicles in 2024, above its revised production goal of 9,000 vehicles. "
                            "Lucid lowered its original goal of 20,000 in October.", "en")
    assert sorted((c.value, c.kind) for c in claims if c.kind != "actual") == [(9_000, "target"), (20_000, "previous")]
