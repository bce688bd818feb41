"""Texts far longer than an article, or without sentence punctuation, are read as articles are: in
sentences of bounded length, every use of a name found. (How their time grows is measured by
benchmarks/extraction_scaling.py.)"""

from pipelines.extraction import extract_claims
from pipelines.extraction.lexicon import load_lexicon
from pipelines.extraction.segments import MAX_SENTENCE_CHARS, layout
from pipelines.extraction.unlisted import unlisted_companies


def test_a_text_without_full_stops_is_cut_into_sentences_at_its_clause_marks():
    unit = "Xiaomi delivered 40,000 vehicles in Q2 2025, "
    text = unit * 120 + "Xiaomi delivered 41,234 vehicles in Q2 2025"
    sentences = layout(text).sentences
    assert len(sentences) > 1 and all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    assert [s.start for s in sentences[1:]] == [s.end for s in sentences[:-1]]  # nothing left out
    assert all(text[s.start:s.end].endswith(", ") for s in sentences[:-1])  # cut after a comma, not in a figure
    claims = extract_claims(text, "en")
    assert len(claims) == 121 and {c.value for c in claims} == {40000.0, 41234.0}
    assert {(c.entity, c.metric, c.period) for c in claims} == {("Xiaomi", "deliveries", "2025-Q2")}


def test_sentences_of_an_article_are_not_cut():
    sentence = ("La marge brute de la division, qui regroupe les véhicules électriques et les nouvelles initiatives, "
                "a atteint 26,4 % au deuxième trimestre, contre 20,4 % au premier, selon les résultats publiés mardi.")
    text = " ".join([sentence] * 3)
    assert [text[s.start:s.end] for s in layout(text).sentences] == [sentence] * 3


def test_a_company_the_lexicon_does_not_know_is_found_at_every_use():
    finder = unlisted_companies(load_lexicon(), "fr")
    sentence = "Le constructeur Voltaris a livré 16 977 véhicules au T2 2025. "
    mentions = finder.find(sentence * 600, [])
    assert [m.name for m in mentions] == ["Voltaris"] * 600
    assert [m.start for m in mentions] == [16 + i * len(sentence) for i in range(600)]
