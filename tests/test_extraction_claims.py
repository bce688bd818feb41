"""Layer 2, table-driven: sentences and small tables -> the claims they state, in French and English."""

import pytest

from benchmarks.gold_scoring import load_gold
from pipelines.extraction import extract_claims, load_lexicon
from tests.claim_records import FIELDS, assert_claims

# (language, text, expected claims as (entity, metric, period, value, unit, kind, qualifier)).
CASES = [
    # periods: T2/Q2, ordinal quarters, halves, months, year to date, relative phrases
    ("fr", "Renault a vendu 1 250 000 véhicules au T2 2025.",
     [("Renault", "sales", "2025-Q2", 1_250_000, "vehicles", "actual", "exact")]),
    ("fr", "Au deuxième trimestre 2025, la marge brute de BYD s'est établie à 18,1 %.",
     [("BYD", "gross_margin", "2025-Q2", 18.1, "%", "actual", "exact")]),
    ("fr", "Sur le second trimestre 2025, Stellantis a livré 1,4 million de véhicules.",
     [("Stellantis", "deliveries", "2025-Q2", 1_400_000, "vehicles", "actual", "exact")]),
    ("fr", "Au S1 2025, le chiffre d'affaires de Geely a atteint 150,3 milliards de yuans.",
     [("Geely", "revenue", "2025-H1", 150.3e9, "CNY", "actual", "exact")]),
    ("fr", "En mai 2025, Zeekr a livré 15 000 véhicules, en hausse de 20 % sur un an.",
     [("Zeekr", "deliveries", "2025-05", 15_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries_yoy", "2025-05", 20, "%", "actual", "exact")]),
    ("fr", "Au T3 2025, Leapmotor a livré 170 000 véhicules, contre 86 000 un an plus tôt.",
     [("Leapmotor", "deliveries", "2025-Q3", 170_000, "vehicles", "actual", "exact"),
      ("Leapmotor", "deliveries", "2024-Q3", 86_000, "vehicles", "actual", "exact")]),
    ("fr", "Sur les huit premiers mois de 2025, Geely a vendu 1,9 million de véhicules.",
     [("Geely", "sales", "2025-YTD-08", 1_900_000, "vehicles", "actual", "exact")]),
    # the first six months are the first half, the first three the first quarter
    ("fr", "Sur les six premiers mois de 2025, Geely a vendu 1,4 million de véhicules.",
     [("Geely", "sales", "2025-H1", 1_400_000, "vehicles", "actual", "exact")]),
    ("en", "In the first three months of 2025, Geely sold 700,000 vehicles.",
     [("Geely", "sales", "2025-Q1", 700_000, "vehicles", "actual", "exact")]),
    ("en", "Renault delivered 560,000 vehicles in the second quarter of 2025, up 3% year on year.",
     [("Renault", "deliveries", "2025-Q2", 560_000, "vehicles", "actual", "exact"),
      ("Renault", "deliveries_yoy", "2025-Q2", 3, "%", "actual", "exact")]),
    ("en", "In H1 2025, Geely's revenue rose 27% to RMB150.3 billion.",
     [("Geely", "revenue_yoy", "2025-H1", 27, "%", "actual", "exact"),
      ("Geely", "revenue", "2025-H1", 150.3e9, "CNY", "actual", "exact")]),
    ("en", "BYD sold 380,000 vehicles in May 2025, compared with 330,000 a year earlier.",
     [("BYD", "sales", "2025-05", 380_000, "vehicles", "actual", "exact"),
      ("BYD", "sales", "2024-05", 330_000, "vehicles", "actual", "exact")]),
    ("en", "Lucid's first-quarter 2025 revenue was $235 million.",
     [("Lucid", "revenue", "2025-Q1", 235e6, "USD", "actual", "exact")]),
    # cumulative figures are dated by the day they run to
    ("fr", "Les livraisons cumulées de Zeekr ont dépassé 500 000 véhicules au 30 juin 2025.",
     [("Zeekr", "cumulative_deliveries", "2025-06-30", 500_000, "vehicles", "actual", "at_least")]),
    # targets, revisions (the old value is `previous`) and forecasts
    ("fr", "Renault vise 2,5 millions de ventes en 2026.",
     [("Renault", "sales", "2026", 2_500_000, "vehicles", "target", "exact")]),
    ("fr", "BYD a relevé son objectif de ventes pour 2025 de 5 millions à 5,5 millions de véhicules.",
     [("BYD", "sales", "2025", 5_000_000, "vehicles", "previous", "exact"),
      ("BYD", "sales", "2025", 5_500_000, "vehicles", "target", "exact")]),
    ("fr", "Selon les analystes, Tesla devrait livrer environ 1,7 million de véhicules en 2025.",
     [("Tesla", "deliveries", "2025", 1_700_000, "vehicles", "forecast", "approx")]),
    ("en", "Rivian aims to deliver 50,000 vehicles in 2026.",
     [("Rivian", "deliveries", "2026", 50_000, "vehicles", "target", "exact")]),
    ("en", "Lucid raised its 2025 production target to 20,000 vehicles from 18,000.",
     [("Lucid", "production", "2025", 20_000, "vehicles", "target", "exact"),
      ("Lucid", "production", "2025", 18_000, "vehicles", "previous", "exact")]),
    ("en", "Analysts expect Polestar to deliver about 60,000 cars in 2025.",
     [("Polestar", "deliveries", "2025", 60_000, "vehicles", "forecast", "approx")]),
    ("en", "Rivian delivered 10,661 vehicles in Q2 2025 and aims for 50,000 in 2026.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2026", 50_000, "vehicles", "target", "exact")]),
    # losses are negative
    ("fr", "Au T1 2025, XPeng a enregistré une perte nette de 660 millions de yuans.",
     [("XPeng", "net_result", "2025-Q1", -660e6, "CNY", "actual", "exact")]),
    ("en", "Polestar posted a net loss of $1.2 billion in the first half of 2025.",
     [("Polestar", "net_result", "2025-H1", -1.2e9, "USD", "actual", "exact")]),
    # coreference: "la marque", "the company" take the company named before
    ("fr", "Rivian a livré 10 000 véhicules au T2 2025. La marque a aussi produit 12 000 véhicules sur la période.",
     [("Rivian", "deliveries", "2025-Q2", 10_000, "vehicles", "actual", "exact"),
      ("Rivian", "production", "2025-Q2", 12_000, "vehicles", "actual", "exact")]),
    ("en", "Rivian delivered 10,661 vehicles in Q2 2025. The company also produced 5,979 vehicles in the quarter.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "production", "2025-Q2", 5_979, "vehicles", "actual", "exact")]),
    # metrics of the contract beyond volumes and results
    ("en", "Renault's operating margin was 6.5% in H1 2025, while its market share in Europe reached 10.2%.",
     [("Renault", "operating_margin", "2025-H1", 6.5, "%", "actual", "exact"),
      ("Renault", "market_share", "2025-H1", 10.2, "%", "actual", "exact")]),
    # durations and spelled-out words are not figures
    ("fr", "Lors du lancement en mars 2025, Renault a reçu 50 000 commandes en 48 heures.",
     [("Renault", "orders", "2025-03", 50_000, "orders", "actual", "exact")]),
    ("en", "Lucid received 3,000 orders within three hours of the launch in June 2025.",
     [("Lucid", "orders", "2025-06", 3_000, "orders", "actual", "exact")]),
    ("fr", "Xiaomi a relevé à deux reprises ses prévisions en 2025.", []),
    # a target or forecast word reaches the figures of its clause, the first figure after it, and the
    # figures compared with those; not a later figure in another clause
    ("en", "Rivian delivered 10,661 vehicles in Q2 2025, below its target of 12,000, taking first-half deliveries to 19,301.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 12_000, "vehicles", "target", "exact"),
      ("Rivian", "deliveries", "2025-H1", 19_301, "vehicles", "actual", "exact")]),
    ("fr", "Lucid a produit 3 109 véhicules au T2 2025, sous les 3 500 attendus par les analystes, et 5 121 au S1 2025.",
     [("Lucid", "production", "2025-Q2", 3_109, "vehicles", "actual", "exact"),
      ("Lucid", "production", "2025-Q2", 3_500, "vehicles", "forecast", "exact"),
      ("Lucid", "production", "2025-H1", 5_121, "vehicles", "actual", "exact")]),
    ("en", "Polestar aims to deliver 80,000 cars in 2026, up from more than 60,000 in 2025.",
     [("Polestar", "deliveries", "2026", 80_000, "vehicles", "target", "exact"),
      ("Polestar", "deliveries", "2025", 60_000, "vehicles", "actual", "at_least")]),
    # the company's own "prévision" is its target; "jusqu'ici" marks the value it replaces
    ("fr", "Stellantis a relevé sa prévision de marge opérationnelle pour 2025 à 5 %, contre 4 % jusqu'ici.",
     [("Stellantis", "operating_margin", "2025", 5, "%", "target", "exact"),
      ("Stellantis", "operating_margin", "2025", 4, "%", "previous", "exact")]),
    # a result is a loss only when the loss word is its own
    ("en", "Polestar swung to a net loss of $0.3 billion in Q2 2025 from net income of $0.1 billion a year earlier.",
     [("Polestar", "net_result", "2025-Q2", -0.3e9, "USD", "actual", "exact"),
      ("Polestar", "net_result", "2024-Q2", 0.1e9, "USD", "actual", "exact")]),
    # "de moins" after points makes a decrease
    ("fr", "Au T2 2025, la marge brute de Lucid a reculé à 12 %, soit 3 points de moins qu'un an plus tôt.",
     [("Lucid", "gross_margin", "2025-Q2", 12, "%", "actual", "exact"),
      ("Lucid", "gross_margin_yoy", "2025-Q2", -3, "pp", "actual", "exact")]),
    # the basis phrase right after a change is its own
    ("fr", "Au T2 2025, les ventes de Renault ont progressé de 4 % sur un an et de 9 % par rapport au trimestre précédent.",
     [("Renault", "sales_yoy", "2025-Q2", 4, "%", "actual", "exact"),
      ("Renault", "sales_qoq", "2025-Q2", 9, "%", "actual", "exact")]),
    ("en", "Rivian's deliveries rose 23% quarter on quarter in Q2 2025 to 10,661, though they fell 22% on the year.",
     [("Rivian", "deliveries_qoq", "2025-Q2", 23, "%", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q2", -22, "%", "actual", "exact")]),
    # a currency written once in the sentence, for an amount with a scale word and a money metric
    ("fr", "Au S1 2025, le chiffre d'affaires de Polestar a atteint 1,4 milliard de dollars, tandis que sa perte nette s'est réduite à 0,2 milliard.",
     [("Polestar", "revenue", "2025-H1", 1.4e9, "USD", "actual", "exact"),
      ("Polestar", "net_result", "2025-H1", -0.2e9, "USD", "actual", "exact")]),
    # a company named on its own between a product and the figure takes the figure
    ("en", "At the show, Tesla presented the Model Y L and repeated Tesla's goal of selling 2 million vehicles in 2026.",
     [("Tesla", "sales", "2026", 2_000_000, "vehicles", "target", "exact")]),
    ("en", "At the launch of the Gravity, Lucid reaffirmed its goal of delivering 20,000 vehicles in 2025.",
     [("Lucid", "deliveries", "2025", 20_000, "vehicles", "target", "exact")]),
    # "la marque premium de Geely": the owner named in a description is not the subject
    ("fr", "Zeekr a livré 40 000 véhicules en mai 2025. La marque premium de Geely en avait livré 35 000 en avril 2025.",
     [("Zeekr", "deliveries", "2025-05", 40_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025-04", 35_000, "vehicles", "actual", "exact")]),
    # progress towards a target is not a metric of its own
    ("fr", "Renault a vendu 1,2 million de véhicules en 2025, soit 80 % de son objectif annuel.",
     [("Renault", "sales", "2025", 1_200_000, "vehicles", "actual", "exact")]),
    ("en", "Lucid now targets 22,000 vehicles of production in 2025, down from a previous goal of 20,000.",
     [("Lucid", "production", "2025", 22_000, "vehicles", "target", "exact"),
      ("Lucid", "production", "2025", 20_000, "vehicles", "previous", "exact")]),
    ("fr", "Renault a relevé son objectif de ventes pour 2025 à 2,4 millions, contre au moins 2,3 millions jusqu'ici.",
     [("Renault", "sales", "2025", 2_400_000, "vehicles", "target", "exact"),
      ("Renault", "sales", "2025", 2_300_000, "vehicles", "previous", "at_least")]),
    ("fr", "Zeekr a relevé son objectif pour 2025 à 300 000 livraisons contre 250 000, après en avoir livré 90 000 au S1 2025.",
     [("Zeekr", "deliveries", "2025", 300_000, "vehicles", "target", "exact"),
      ("Zeekr", "deliveries", "2025", 250_000, "vehicles", "previous", "exact"),
      ("Zeekr", "deliveries", "2025-H1", 90_000, "vehicles", "actual", "exact")]),
    ("fr", "Au S1 2025, Renault a vu son chiffre d'affaires grimper de 3 %, à 27,6 milliards d'euros.",
     [("Renault", "revenue_yoy", "2025-H1", 3, "%", "actual", "exact"),
      ("Renault", "revenue", "2025-H1", 27.6e9, "EUR", "actual", "exact")]),
    ("en", "Rivian sold 40,000 vehicles in 2025, or 80% of its full-year target.",
     [("Rivian", "sales", "2025", 40_000, "vehicles", "actual", "exact")]),
    # figures named by a word of the not_a_metric list are left out
    ("en", "Lucid's shares rose 4% to $22.50 after it delivered 3,109 vehicles in Q2 2025.",
     [("Lucid", "deliveries", "2025-Q2", 3_109, "vehicles", "actual", "exact")]),
    ("en", "Polestar posted a net loss of $1.2 billion in H1 2025, including a $739 million impairment.",
     [("Polestar", "net_result", "2025-H1", -1.2e9, "USD", "actual", "exact")]),
    # a rival is the subject of its own figures: a relative clause, a name in the figure's clause, a possessive
    ("fr", "Rivian a livré 10 661 véhicules au T2 2025. Face à Lucid, qui en a livré 3 309 sur la période, la marque reste loin devant.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025-Q2", 3_309, "vehicles", "actual", "exact")]),
    ("en", "Polestar delivered 30,000 cars in H1 2025. Chinese rival Zeekr delivered 90,000 cars over the period.",
     [("Polestar", "deliveries", "2025-H1", 30_000, "vehicles", "actual", "exact"),
      ("Zeekr", "deliveries", "2025-H1", 90_000, "vehicles", "actual", "exact")]),
    ("en", "Lucid delivered 3,309 cars in Q2 2025, behind Rivian's 10,661.",
     [("Lucid", "deliveries", "2025-Q2", 3_309, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact")]),
    ("fr", "Au T2 2025, Zeekr a livré 50 000 véhicules. Le constructeur souffre de la concurrence de BYD et de Geely. Sa marge brute a atteint 15 %.",
     [("Zeekr", "deliveries", "2025-Q2", 50_000, "vehicles", "actual", "exact"),
      ("Zeekr", "gross_margin", "2025-Q2", 15, "%", "actual", "exact")]),
    # a bare profit or loss compared with an operating result keeps that metric
    ("fr", "Renault a enregistré une perte d'exploitation de 0,5 milliard d'euros au S1 2025, contre un bénéfice de 1,2 milliard un an plus tôt.",
     [("Renault", "operating_result", "2025-H1", -0.5e9, "EUR", "actual", "exact"),
      ("Renault", "operating_result", "2024-H1", 1.2e9, "EUR", "actual", "exact")]),
    # a target raised "depuis" an old value; what was done "after"/"après" is an actual
    ("fr", "Lucid a livré 9 000 véhicules en 2025, sous son objectif de 20 000 unités, relevé en mars depuis 18 000.",
     [("Lucid", "deliveries", "2025", 9_000, "vehicles", "actual", "exact"),
      ("Lucid", "deliveries", "2025", 20_000, "vehicles", "target", "exact"),
      ("Lucid", "deliveries", "2025", 18_000, "vehicles", "previous", "exact")]),
    ("en", "Lucid still aimed to deliver 20,000 vehicles in 2025, after delivering 6,201 in the first half of 2025.",
     [("Lucid", "deliveries", "2025", 20_000, "vehicles", "target", "exact"),
      ("Lucid", "deliveries", "2025-H1", 6_201, "vehicles", "actual", "exact")]),
    ("fr", "« Nous visons 600 000 livraisons en 2026 », a déclaré le patron de Zeekr.",
     [("Zeekr", "deliveries", "2026", 600_000, "vehicles", "target", "exact")]),
    # "down from" names the earlier level, not a change
    ("en", "Renault's adjusted operating income margin came in at 6.5% in 2025, down from 7.6% in 2024.",
     [("Renault", "operating_margin", "2025", 6.5, "%", "actual", "exact"),
      ("Renault", "operating_margin", "2024", 7.6, "%", "actual", "exact")]),
    # "the Hangzhou-based group" refers back; a company named as a yardstick ("above X's") does not
    ("en", "Zeekr's revenue reached RMB31.6 billion in 2024, above Lucid's $0.8 billion. Net profit at the Hangzhou-based group was RMB0.3 billion over the year.",
     [("Zeekr", "revenue", "2024", 31.6e9, "CNY", "actual", "exact"),
      ("Lucid", "revenue", "2024", 0.8e9, "USD", "actual", "exact"),
      ("Zeekr", "net_result", "2024", 0.3e9, "CNY", "actual", "exact")]),
    # "Xiaomi's YU7" is the product; "Renault 4" is a name, not a figure
    ("en", "In October 2025, Xiaomi's YU7 sold 33,000 units.",
     [("Xiaomi YU7", "sales", "2025-10", 33_000, "vehicles", "actual", "exact")]),
    ("en", "Renault sold 530,000 vehicles in Q3 2025 and now sells the Renault 4 across Europe.",
     [("Renault", "sales", "2025-Q3", 530_000, "vehicles", "actual", "exact")]),
    # a change verb in the plural; a basis phrase of another figure is not this one's
    ("fr", "Au T3 2025, les livraisons de Lucid progressent de 47 % sur un an et de 30 % par rapport au trimestre précédent.",
     [("Lucid", "deliveries_yoy", "2025-Q3", 47, "%", "actual", "exact"),
      ("Lucid", "deliveries_qoq", "2025-Q3", 30, "%", "actual", "exact")]),
    ("en", "Rivian delivered 13,201 vehicles in Q3 2025 (+32%), and its gross margin rose 2 points on the previous quarter.",
     [("Rivian", "deliveries", "2025-Q3", 13_201, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries_yoy", "2025-Q3", 32, "%", "actual", "exact"),
      ("Rivian", "gross_margin_qoq", "2025-Q3", 2, "pp", "actual", "exact")]),
    # an as-of date makes a cumulative figure only in its own sentence, and is no period for the next one
    ("fr", "Les livraisons cumulées de Zeekr ont dépassé 500 000 véhicules au 30 juin 2025.\n\nRivian a livré 10 661 véhicules au T2 2025.",
     [("Zeekr", "cumulative_deliveries", "2025-06-30", 500_000, "vehicles", "actual", "at_least"),
      ("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact")]),
    ("fr", "Les livraisons cumulées de Zeekr ont franchi 700 000 unités à fin juin 2025. Le bénéfice brut de Zeekr a atteint 3 milliards de yuans.",
     [("Zeekr", "cumulative_deliveries", "2025-06-30", 700_000, "vehicles", "actual", "at_least"),
      ("Zeekr", "gross_profit", "2025", 3e9, "CNY", "actual", "exact")]),
    # "handed over" is no bound; a list price is dated by its year
    ("en", "Rivian handed over 10,661 vehicles in Q2 2025.",
     [("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact")]),
    ("en", "Lucid launched the Gravity on April 15, 2025 at a price of $94,900.",
     [("Lucid", "price", "2025", 94_900, "USD", "actual", "exact")]),
    # a base compared with a target or a forecast is an actual; so is a figure "a year earlier" or
    # after "after" in a sentence that opens on a target
    ("en", "Rivian guided for 2025 deliveries of at least 46,000 vehicles, above the 44,000 analysts had expected and up from 51,579 in 2024.",
     [("Rivian", "deliveries", "2025", 46_000, "vehicles", "target", "at_least"),
      ("Rivian", "deliveries", "2025", 44_000, "vehicles", "forecast", "exact"),
      ("Rivian", "deliveries", "2024", 51_579, "vehicles", "actual", "exact")]),
    ("en", "Lucid expects to deliver up to 12,000 vehicles in Q4 2025, well below the 13,000 it delivered a year earlier.",
     [("Lucid", "deliveries", "2025-Q4", 12_000, "vehicles", "target", "at_most"),
      ("Lucid", "deliveries", "2024-Q4", 13_000, "vehicles", "actual", "exact")]),
    ("en", "Lucid cut its 2025 production target to 18,000 vehicles from 20,000 after production in the first half of 2025 rose 40% to 6,000.",
     [("Lucid", "production", "2025", 18_000, "vehicles", "target", "exact"),
      ("Lucid", "production", "2025", 20_000, "vehicles", "previous", "exact"),
      ("Lucid", "production_yoy", "2025-H1", 40, "%", "actual", "exact"),
      ("Lucid", "production", "2025-H1", 6_000, "vehicles", "actual", "exact")]),
    # a running total with no date of its own counts up to the publication date at the latest
    ("fr", "Les chiffres 2025 montrent des livraisons cumulées de Zeekr autour de 600 000 unités depuis le lancement.",
     [("Zeekr", "cumulative_deliveries", "2025-08-01", 600_000, "vehicles", "actual", "approx")]),
    # a product reference ("la berline", "the revamped SUV") is the last product its paragraph named
    ("fr", "Xiaomi a dévoilé la SU7 en mars 2024. La berline a enregistré 88 898 commandes fermes en mars 2024.",
     [("Xiaomi SU7", "orders", "2024-03", 88_898, "orders", "actual", "exact")]),
    ("en", "Tesla updated the Model Y in January 2025. The revamped SUV drew 50,000 orders in January 2025.",
     [("Tesla Model Y", "orders", "2025-01", 50_000, "orders", "actual", "exact")]),
    # "The Model" of "The Model Y" is part of a name, not a reference to the Dolphin
    ("en", "BYD priced the Dolphin from RMB99,800. The average selling price of the Model Y fell to RMB263,500, down 8%.",
     [("BYD Dolphin", "price", "2025", 99_800, "CNY", "actual", "exact"),
      ("Tesla Model Y", "average_selling_price", "2025", 263_500, "CNY", "actual", "exact"),
      ("Tesla Model Y", "average_selling_price_yoy", "2025", -8, "%", "actual", "exact")]),
    # one with no product before it in its paragraph refers to nothing
    ("fr", "Le SUV a permis à Renault de vendre 1,1 million de véhicules au S1 2025.",
     [("Renault", "sales", "2025-H1", 1_100_000, "vehicles", "actual", "exact")]),
    # orders and prices are a product's, even when it is named after the figure
    ("fr", "Tesla a reçu 50 000 commandes pour le Model Y en janvier 2025.",
     [("Tesla Model Y", "orders", "2025-01", 50_000, "orders", "actual", "exact")]),
    ("en", "Xiaomi logged 240,000 firm orders for the YU7 in June 2025 and priced it from RMB253,500.",
     [("Xiaomi YU7", "orders", "2025-06", 240_000, "orders", "actual", "exact"),
      ("Xiaomi YU7", "price", "2025", 253_500, "CNY", "actual", "exact")]),
    # an amount right after a product and "à"/"at" is its price; an amount "de moins"/"less" is a difference
    ("fr", "Renault lance la Renault 5 Five à 24 990 euros, soit 8 000 euros de moins que la version haute.",
     [("Renault 5", "price", "2025", 24_990, "EUR", "actual", "exact")]),
    ("en", "BYD now sells the Dolphin Surf at €19,990 in Germany, €3,000 less than the launch edition.",
     [("BYD Dolphin", "price", "2025", 19_990, "EUR", "actual", "exact")]),
    # a range states two bounds; a loss range turns both; a conversion restates a figure and is none
    ("fr", "Li Auto prévoit de livrer entre 100 000 et 110 000 véhicules au quatrième trimestre 2025.",
     [("Li Auto", "deliveries", "2025-Q4", 100_000, "vehicles", "target", "at_least"),
      ("Li Auto", "deliveries", "2025-Q4", 110_000, "vehicles", "target", "at_most")]),
    ("en", "NIO expects revenue of between RMB19.1 billion and RMB19.7 billion in Q4 2025.",
     [("NIO", "revenue", "2025-Q4", 19.1e9, "CNY", "target", "at_least"),
      ("NIO", "revenue", "2025-Q4", 19.7e9, "CNY", "target", "at_most")]),
    ("en", "Rivian expects a net loss of between $2 billion and $2.5 billion in 2025.",
     [("Rivian", "net_result", "2025", -2e9, "USD", "target", "at_least"),
      ("Rivian", "net_result", "2025", -2.5e9, "USD", "target", "at_most")]),
    ("fr", "Le chiffre d'affaires de XPeng a atteint 20,38 milliards de yuans (2,85 milliards de dollars) au T3 2025.",
     [("XPeng", "revenue", "2025-Q3", 20.38e9, "CNY", "actual", "exact")]),
    # a metric named as the subject reaches a bare number after its verb, however long the subject
    ("en", "Deliveries at Li Auto for the first ten months of 2025 came to 328,916.",
     [("Li Auto", "deliveries", "2025-YTD-10", 328_916, "vehicles", "actual", "exact")]),
    # ages, countries and shops are not volumes of cars
    ("en", "XPeng aims to deliver 550,000 vehicles in 2026, chairman He Xiaopeng, 48, said; it sells cars in 50 countries.",
     [("XPeng", "deliveries", "2026", 550_000, "vehicles", "target", "exact")]),
    ("fr", "Xiaomi vise 350 000 livraisons en 2025 et compte déjà plus de 400 magasins.",
     [("Xiaomi", "deliveries", "2025", 350_000, "vehicles", "target", "exact")]),
    # "la marge" alone is the margin the document last named in full
    ("fr", "La marge opérationnelle de Renault est tombée à 6,0 % au S1 2025. Le groupe vise une marge d'environ 6,5 % en 2025.",
     [("Renault", "operating_margin", "2025-H1", 6.0, "%", "actual", "exact"),
      ("Renault", "operating_margin", "2025", 6.5, "%", "target", "approx")]),
    ("en", "BYD's gross margin was 18.0% in Q2 2025. The margin was 20.0% a year earlier.",
     [("BYD", "gross_margin", "2025-Q2", 18.0, "%", "actual", "exact"),
      ("BYD", "gross_margin", "2024-Q2", 20.0, "%", "actual", "exact")]),
    # a gross profit in money named before does not make "margin" a gross profit
    ("en", "Tesla's gross profit rose 10% in Q1 2025. Its margin was 16.3% in Q1 2025.",
     [("Tesla", "gross_profit_yoy", "2025-Q1", 10, "%", "actual", "exact"),
      ("Tesla", "gross_margin", "2025-Q1", 16.3, "%", "actual", "exact")]),
    # "respectivement" / "respectively": a list of figures takes a list of periods in order
    ("fr", "BYD a vendu respectivement 344 296, 373 626 et 396 270 véhicules en juillet, août et septembre 2025.",
     [("BYD", "sales", "2025-07", 344_296, "vehicles", "actual", "exact"),
      ("BYD", "sales", "2025-08", 373_626, "vehicles", "actual", "exact"),
      ("BYD", "sales", "2025-09", 396_270, "vehicles", "actual", "exact")]),
    ("en", "NIO delivered 21,017, 31,305 and 34,749 cars in July, August and September 2025 respectively.",
     [("NIO", "deliveries", "2025-07", 21_017, "vehicles", "actual", "exact"),
      ("NIO", "deliveries", "2025-08", 31_305, "vehicles", "actual", "exact"),
      ("NIO", "deliveries", "2025-09", 34_749, "vehicles", "actual", "exact")]),
    # the company's own expectation is a target; a company in a relative clause describes the subject
    ("en", '"We expect to deliver 41,000 vehicles in Q1 2025," said the chief executive of NIO.',
     [("NIO", "deliveries", "2025-Q1", 41_000, "vehicles", "target", "exact")]),
    ("en", "Leapmotor, in which Stellantis holds about 21%, aims to sell 1 million cars in 2026.",
     [("Leapmotor", "sales", "2026", 1_000_000, "vehicles", "target", "exact")]),
    # a list price with no period of its own is the publication year's, not the year in context
    ("fr", "BYD a vendu 4,27 millions de véhicules en 2024. La Seal est affichée à partir de 179 800 yuans en Chine.",
     [("BYD", "sales", "2024", 4_270_000, "vehicles", "actual", "exact"),
      ("BYD Seal", "price", "2025", 179_800, "CNY", "actual", "exact")]),
    ("en", "Tesla sold 1.79 million cars in 2024. The Model 3 now starts at $42,490 in the US.",
     [("Tesla", "sales", "2024", 1_790_000, "vehicles", "actual", "exact"),
      ("Tesla Model 3", "price", "2025", 42_490, "USD", "actual", "exact")]),
    # tables: the row label and column header say what a cell is; a header unit scales the cells
    ("fr", "Renault (M€) | S1 2024 | S1 2025\nChiffre d'affaires | 23 400 | 23 700\nRésultat opérationnel | 2 000 | 1 500",
     [("Renault", "revenue", "2024-H1", 23.4e9, "EUR", "actual", "exact"),
      ("Renault", "revenue", "2025-H1", 23.7e9, "EUR", "actual", "exact"),
      ("Renault", "operating_result", "2024-H1", 2e9, "EUR", "actual", "exact"),
      ("Renault", "operating_result", "2025-H1", 1.5e9, "EUR", "actual", "exact")]),
    ("en", "Rivian deliveries | Q1 | Q2\n2025 | 8,640 | 10,661",
     [("Rivian", "deliveries", "2025-Q1", 8_640, "vehicles", "actual", "exact"),
      ("Rivian", "deliveries", "2025-Q2", 10_661, "vehicles", "actual", "exact")]),
    ("en", "H1 2025 (US$ bn) | Revenue | Net result\nRivian | 2.5 | -1.1\nLucid | 0.5 | -1.5",
     [("Rivian", "revenue", "2025-H1", 2.5e9, "USD", "actual", "exact"),
      ("Rivian", "net_result", "2025-H1", -1.1e9, "USD", "actual", "exact"),
      ("Lucid", "revenue", "2025-H1", 0.5e9, "USD", "actual", "exact"),
      ("Lucid", "net_result", "2025-H1", -1.5e9, "USD", "actual", "exact")]),
]


@pytest.mark.parametrize("language, text, expected", CASES, ids=[c[1][:60] for c in CASES])
def test_claims(language, text, expected):
    assert_claims(extract_claims(text, language=language, document="t", published="2025-08-01"), expected)


def test_claim_spans_point_at_the_figure():
    text = "Au S1 2025, le chiffre d'affaires de Geely a atteint 150,3 milliards de yuans."
    (claim,) = extract_claims(text, language="fr")
    assert text[claim.start : claim.end] == claim.surface == "150,3 milliards de yuans"
    assert claim.quote == text


@pytest.mark.parametrize("doc", load_gold(tags=["smoke"]), ids=lambda d: d["id"])
def test_gold_smoke_documents(doc):
    claims = extract_claims(doc["text"], language=doc["language"], document=doc["id"], published=doc.get("published"))
    assert_claims(claims, [tuple(c[f] for f in FIELDS) for c in doc["claims"]])


USER_ENTITIES = "companies:\n  Acme Motors: {aliases: [Acme, \"Acme Motors\"]}\n"
USER_METRICS = "metrics:\n  deliveries:\n    cues:\n      en: [shipped]\n      fr: [expédié]\n"


@pytest.fixture()
def user_lexicon(tmp_path):
    (tmp_path / "entities.yaml").write_text(USER_ENTITIES, encoding="utf-8")
    (tmp_path / "metrics.yaml").write_text(USER_METRICS, encoding="utf-8")
    return tmp_path


def test_user_lexicon_adds_a_company_and_a_cue_word(user_lexicon):
    text = "Acme shipped 12,000 vehicles in Q2 2025."
    assert extract_claims(text, language="en") == []  # neither word is known by default
    claims = extract_claims(text, language="en", lexicon=load_lexicon(user_lexicon))
    assert_claims(claims, [("Acme Motors", "deliveries", "2025-Q2", 12_000, "vehicles", "actual", "exact")])


def test_user_lexicon_from_the_environment(user_lexicon, monkeypatch):
    monkeypatch.setenv("FIGURES_LEXICON_DIR", str(user_lexicon))
    claims = extract_claims("Acme Motors a expédié 9 000 véhicules au T3 2025.", language="fr")
    assert_claims(claims, [("Acme Motors", "deliveries", "2025-Q3", 9_000, "vehicles", "actual", "exact")])
    # the defaults are still there
    claim = extract_claims("Renault a vendu 10 000 véhicules au T3 2025.", language="fr")[0]
    assert (claim.entity, claim.metric) == ("Renault", "sales")


# Phrase alternations are laid out by first character for speed; they must match exactly what the plain
# alternation of the same phrases, in the same order, matches (case variants beyond ASCII included).
ALTERNATION_PARTS = [
    ("chiffre\\s+d['’]affaires", True), ("BYD", False), ("build\\s+your\\s+dreams", True), ("Seal", True),
    ("sales", True), ("s['’]est\\s+fixé", True), ("['’]s", True), ("œuvre", True), ("kilo", True), ("KIA", False),
    ("\\$", False), ("été", True), ("ÉTÉ", False), ("l['’]année", True), ("livr\\w*", True), ("a", True),
]
ALTERNATION_TEXT = (
    "Chiffre d’affaires de BYD, byd, Build Your  Dreams; SEAL, ſales, SALES, s’est fixé, l'Année, "
    "Œuvre, œuvre, Kilo, \u212ailo, KIA, kia, $5, ÉTÉ, été, Été, it's, livrées, A, a, à."
)


def test_phrase_alternation_matches_like_the_plain_alternation():
    import re

    from pipelines.extraction.lexicon import alternation

    plain = "(?:" + "|".join(f"(?i:{p})" if ignore_case else p for p, ignore_case in ALTERNATION_PARTS) + ")"
    for wrap in ("(?<!\\w){}(?!\\w)", "(?i:{})", "{}"):
        fast, slow = re.compile(wrap.format(alternation(ALTERNATION_PARTS))), re.compile(wrap.format(plain))
        assert [m.span() for m in fast.finditer(ALTERNATION_TEXT)] == [m.span() for m in slow.finditer(ALTERNATION_TEXT)]


# The period scan's opening lookahead writes its words as a prefix tree: it must hold exactly where one of
# the words, as ``phrase_body`` writes it, matches.
PREFIX_TREE_WORDS = ["the same quarter", "the same period", "the quarter", "third", "this year", "t", "l'an dernier",
                     "year-to-date", "H1", "fin*", "first half", "first", "à fin", "as of"]
PREFIX_TREE_TEXT = ("The same  quarter, the same period; THE quarterly, thirds, third. This year t l’an dernier "
                    "Year-to-date h1 finale fin FIRST-half first à fin À FIN as of asof the the same")


def test_prefix_tree_lookahead_holds_where_a_word_matches():
    import re

    from pipelines.extraction.lexicon import phrase_body, prefix_tree

    bodies = [phrase_body(word) for word in PREFIX_TREE_WORDS]
    word_end = r"(?!\w)"
    tree = re.compile("(?i)(?=" + prefix_tree(bodies, word_end) + ")")
    plain = re.compile("(?i)(?=(?:" + "|".join(bodies) + ")(?!\\w))")
    assert [m.start() for m in tree.finditer(PREFIX_TREE_TEXT)] == [m.start() for m in plain.finditer(PREFIX_TREE_TEXT)]
    assert len(tree.findall(PREFIX_TREE_TEXT)) > 10


def test_a_claims_record_holds_every_field_and_its_notes_as_a_list():
    """The records `figures extract` prints and the claims table loads: every field of the claim, as
    dataclasses.asdict gives it (a field holding more than a plain value would need its own copy)."""
    import dataclasses

    from pipelines.extraction import extract_quantities

    text = "Xiaomi a livré 81 502 voitures au T2 2025, soit une hausse de 20 %, pour 20,6 milliards de yuans."
    claims = extract_claims(text, "fr", document="a.txt")
    assert len(claims) >= 2
    for claim in claims:
        record = claim.as_dict()
        assert record == {**dataclasses.asdict(claim), "notes": list(claim.notes)}
        assert isinstance(record["notes"], list)
    for quantity in extract_quantities(text, "fr"):
        assert quantity.as_dict() == dataclasses.asdict(quantity)
