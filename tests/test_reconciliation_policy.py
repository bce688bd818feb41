"""The reconciliation policy, rule by rule, on hand-made claims from several sources (no Dagster)."""

import json
import os
import random
import re

import numpy as np
import pandas as pd
import pytest

from pipelines.duplicates import copies_among, copy_pairs, jaccard, shingle_hashes, shingles, similar_pairs
from pipelines.reconciliation import figure_hashes, reconcile, reconcile_all, with_copies
from pipelines.reconciliation_policy import DEFAULT_POLICY, load_policy, policy_from_mapping
from pipelines.reconciliation_rules import one_digit_apart, scale_factor

BASE = {"entity": "Xiaomi", "metric": "deliveries", "scope": "", "period": "2025-Q2", "unit": "vehicles", "kind": "actual",
        "qualifier": "exact", "precision": 0.5, "start": 0, "end": 5, "surface": "", "document": "a.txt", "quote": ""}


def claims(*rows):
    return pd.DataFrame([{**BASE, "claim_id": f"c{i:02d}", "document_id": f"{i:016x}", **row} for i, row in enumerate(rows)])


def sources(found, **columns):
    """A documents table for the claims' documents: one value per claim, in order, for each column."""
    frame = pd.DataFrame({"document_id": list(found["document_id"])})
    for name, values in columns.items():
        frame[name] = values
    if "published_date" in frame:
        frame["published_date"] = pd.to_datetime(frame["published_date"])
    return frame.drop_duplicates("document_id")


def only(frame, **where):
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


# --- intervals: rounding and hedges ---------------------------------------------------------------------

def test_rounded_figures_agree_and_the_most_precise_is_kept():
    facts, conflicts = reconcile(claims(
        {"metric": "revenue", "unit": "CNY", "value": 20.6e9, "precision": 0.05e9},
        {"metric": "revenue", "unit": "CNY", "value": 20.63e9, "precision": 0.005e9},
        {"metric": "revenue", "unit": "CNY", "value": 21e9, "precision": 0.5e9},
    ))
    assert conflicts.empty
    fact = only(facts)
    assert fact["value"] == pytest.approx(20.63e9) and fact["status"] == "confirmed"
    assert "agree within their stated precision" in fact["explanation"]


def test_hedged_mentions_corroborate_but_never_decide_against_an_exact_figure():
    # Three sources say "about 81,000"; one states 81,302 exactly: the exact figure is the fact.
    facts, conflicts = reconcile(claims(
        {"value": 81302},
        {"value": 81000, "qualifier": "approx", "precision": 500},
        {"value": 81000, "qualifier": "approx", "precision": 500},
        {"value": 81000, "qualifier": "approx", "precision": 500},
    ))
    fact = only(facts)
    assert (fact["value"], fact["qualifier"], fact["status"], fact["n_sources"]) == (81302, "exact", "confirmed", 4)
    assert "hedged mentions (approx) corroborate it" in fact["explanation"]
    assert conflicts.empty


def test_the_exact_growth_rate_wins_over_pres_de_200():
    facts, _ = reconcile(claims(
        {"metric": "deliveries_yoy", "unit": "%", "value": 200, "qualifier": "approx"},
        {"metric": "deliveries_yoy", "unit": "%", "value": 198},
    ))
    assert only(facts)[["value", "qualifier"]].tolist() == [198, "exact"]


def test_a_hedge_that_meets_no_exact_figure_is_a_candidate_that_does_not_decide():
    facts, conflicts = reconcile(claims(
        {"value": 81302},
        {"value": 60000, "qualifier": "approx", "precision": 5000},
        {"value": 60000, "qualifier": "approx", "precision": 5000},
    ))
    fact = only(facts)
    assert (fact["value"], fact["status"], fact["rule"]) == (81302, "disputed", "exact_over_hedged")
    candidates = json.loads(only(conflicts)["candidates"])
    assert {c["value"] for c in candidates} == {81302, 60000}


def test_hedges_meeting_both_exact_candidates_do_not_tip_the_balance():
    facts, _ = reconcile(claims(
        {"value": 81302}, {"value": 81302},
        {"value": 81502},
        # "about 81,500" meets both exact values: it counts for neither.
        {"value": 81500, "qualifier": "approx", "precision": 50},
        {"value": 81500, "qualifier": "approx", "precision": 50},
    ))
    assert only(facts)[["value", "rule"]].tolist() == [81302, "majority_of_sources"]


def test_a_hedge_meets_a_candidate_through_its_least_precise_claim_even_past_another_candidate():
    # 31 (give or take 25) joins 30 after 20 already stood apart: its candidate reaches below 20, and
    # "at most 12" meets it there.
    _, conflicts = reconcile(claims({"value": 20}, {"value": 30}, {"value": 31, "precision": 25},
                                    {"value": 12, "qualifier": "at_most"}))
    candidates = json.loads(only(conflicts)["candidates"])
    assert [(c["value"], c["corroborating_claim_ids"]) for c in candidates] == [(20, []), (30, ["c03"])]


# --- conflicts: the ordered policy and its signals -------------------------------------------------------

def test_a_one_digit_typo_is_outvoted_by_three_independent_sources_and_flagged():
    found = claims({"value": 81302}, {"value": 81302}, {"value": 81302}, {"value": 81502})
    facts, conflicts = reconcile(found, sources(found, tier=["press"] * 4))
    fact = only(facts)
    assert (fact["value"], fact["status"], fact["rule"]) == (81302, "disputed", "majority_of_sources")
    assert "3 independent sources" in fact["explanation"] and "probable typo" in fact["explanation"]
    conflict = only(conflicts)
    assert conflict["signals"] == ["probable_typo"]
    assert conflict["provisional_value"] == 81302
    candidates = {c["value"]: c for c in json.loads(conflict["candidates"])}
    assert candidates[81302]["chosen"] and candidates[81302]["independent_sources"] == 3
    assert not candidates[81502]["chosen"]


def test_a_factor_of_ten_is_a_probable_scale_error():
    found = claims({"metric": "revenue", "unit": "CNY", "value": 19.01e9, "precision": 0.005e9},
                   {"metric": "revenue", "unit": "CNY", "value": 1.901e9, "precision": 0.0005e9})
    facts, conflicts = reconcile(found, sources(found, tier=["issuer", "press"]))
    assert only(facts)[["value", "rule"]].tolist() == [19.01e9, "issuer_release"]
    conflict = only(conflicts)
    assert conflict["signals"] == ["probable_scale_error"]
    assert "factor of 10" in conflict["signal_details"][0]


def test_a_value_far_from_every_other_is_an_implausible_outlier():
    # A stock code read as a delivery figure: 45 times smaller than what two sources state.
    found = claims({"value": 81302}, {"value": 81302}, {"value": 1810})
    facts, conflicts = reconcile(found, sources(found, tier=["press", "press", "issuer"]))
    # Even from the issuer's page, a value 45 times away from every other one does not win.
    assert only(facts)[["value", "rule"]].tolist() == [81302, "plausible_value"]
    conflict = only(conflicts)
    assert "outlier" in conflict["signals"]
    assert "45 times away" in " ".join(conflict["signal_details"])


def test_a_candidate_that_matches_another_scope_is_signalled():
    found = claims(
        {"metric": "revenue", "unit": "CNY", "value": 20.6e9, "precision": 0.05e9, "scope": "automotive"},
        {"metric": "revenue", "unit": "CNY", "value": 116.0e9, "precision": 0.05e9, "scope": "group"},
        {"metric": "revenue", "unit": "CNY", "value": 116.0e9, "precision": 0.05e9, "scope": "automotive"},
    )
    _, conflicts = reconcile(found)
    conflict = only(conflicts, scope="automotive")
    assert "different_scope" in conflict["signals"]
    assert "scope 'group'" in " ".join(conflict["signal_details"])


def test_the_issuer_outranks_more_numerous_wire_sources():
    found = claims({"value": 81302}, {"value": 81502}, {"value": 81502})
    facts, _ = reconcile(found, sources(found, tier=["issuer", "wire", "wire"]))
    assert only(facts)[["value", "rule"]].tolist() == [81302, "issuer_release"]


def test_a_wire_outranks_more_numerous_press_sources_and_the_press_an_aggregator():
    found = claims({"value": 81302}, {"value": 81502}, {"value": 81502})
    facts, _ = reconcile(found, sources(found, tier=["wire", "press", "press"]))
    assert only(facts)[["value", "rule"]].tolist() == [81302, "most_reliable_source"]
    facts, _ = reconcile(found, sources(found, tier=["press", "aggregator", "aggregator"]))
    assert only(facts)[["value", "rule"]].tolist() == [81302, "most_reliable_source"]


def test_then_precision_then_recency():
    found = claims({"value": 81302}, {"value": 83000, "precision": 500})
    facts, _ = reconcile(found)
    assert only(facts)[["value", "rule"]].tolist() == [81302, "most_precise"]
    found = claims({"value": 81302}, {"value": 81502})
    dated = sources(found, published_date=["2025-09-01", "2025-08-01"])
    assert only(reconcile(found, dated)[0])[["value", "rule"]].tolist() == [81302, "most_recent"]
    dated = sources(found, published_date=["2025-08-01", "2025-09-01"])
    assert only(reconcile(found, dated)[0])[["value", "rule"]].tolist() == [81502, "most_recent"]


def test_syndicated_copies_count_once():
    wire = ("Xiaomi delivered 81,502 vehicles in the second quarter of 2025, the company said, as its YU7 SUV joined "
            "the SU7 sedan in showrooms across the country this summer.")
    found = claims({"value": 81502}, {"value": 81502}, {"value": 81502}, {"value": 81302}, {"value": 81302})
    texts = [wire, wire + " Shares rose.", "Update: " + wire, "Xiaomi delivered 81,302 cars.", "Deliveries: 81,302 in Q2."]
    facts, conflicts = reconcile(found, sources(found, text=texts, tier=["press"] * 5))
    fact = only(facts)
    # Three documents, one text: 81,502 has one source against two.
    assert (fact["value"], fact["rule"]) == (81302, "majority_of_sources")
    assert only(conflicts)["n_sources"] == 3
    # The facts step finds the copies first and drops the texts: the same facts and conflicts.
    documents = sources(found, text=texts, tier=["press"] * 5)
    without_texts = with_copies(found, documents)
    assert "text" not in without_texts
    assert without_texts["copies"].tolist()[:3] == [(found["document_id"][1], found["document_id"][2]),
                                                   (found["document_id"][0], found["document_id"][2]),
                                                   (found["document_id"][0], found["document_id"][1])]
    again = reconcile_all(found, without_texts)
    pd.testing.assert_frame_equal(again.facts, facts)
    pd.testing.assert_frame_equal(again.conflicts, conflicts)


def test_the_facts_step_reads_texts_only_when_copies_need_them(tmp_path):
    """As the facts step calls it: the documents come without their texts, which ``read_texts`` gives,
    once, and only when a text must be shingled: not when the search for copies compared them, nor when
    the store of shingles knows every one. The copies are the same every way."""
    from pipelines.shingle_store import ShingleStore

    wire = ("Xiaomi delivered 81,502 vehicles in the second quarter of 2025, the company said, as its YU7 SUV joined "
            "the SU7 sedan in showrooms across the country this summer.")
    found = claims({"value": 81502}, {"value": 81502}, {"value": 81302})
    texts = [wire, "Update: " + wire, "Deliveries: 81,302 in Q2."]
    with_texts = sources(found, text=texts, tier=["press"] * 3)
    expected = with_copies(found, with_texts)["copies"].tolist()
    assert expected[0] == (found["document_id"][1],)  # a copy found
    calls = []

    def read_texts(ids):
        calls.append(list(ids))
        return dict(zip(with_texts["document_id"], with_texts["text"]))

    without = with_texts.drop(columns=["text"])
    store = ShingleStore(tmp_path / "shingles.duckdb")
    # Nothing kept yet: every text is read, once, and the store keeps their shingles.
    assert with_copies(found, without, shingle=store.shingles, read_texts=read_texts)["copies"].tolist() == expected
    assert calls == [sorted(found["document_id"])] and store.computed == 3
    # The store knows them all now; the search's pairs need no text either.
    assert with_copies(found, without, shingle=store.shingles, read_texts=read_texts)["copies"].tolist() == expected
    assert store.read == 3 and len(calls) == 1
    assert with_copies(found, without, shingle=store.shingles, read_texts=read_texts,
                       found_among=lambda ids, size, threshold: [(0, 1)])["copies"].tolist() == expected
    assert len(calls) == 1
    # Without a store, every text is shingled: read once. Without texts nor a reader, no copies.
    assert with_copies(found, without, read_texts=read_texts)["copies"].tolist() == expected and len(calls) == 2
    assert with_copies(found, without)["copies"].tolist() == [(), (), ()]
    # A new document beside them: only its text is read, the store knowing the others.
    more = claims({"value": 81502}, {"value": 81502}, {"value": 81302}, {"value": 81502})
    texts.append("Xiaomi delivered 81,502 vehicles in the second quarter of 2025, the company said, as its YU7 SUV "
                 "joined the SU7 sedan in showrooms across the country this summer, a report said.")
    with_texts = sources(more, text=texts, tier=["press"] * 4)
    copies = with_copies(more, with_texts.drop(columns=["text"]), shingle=store.shingles, read_texts=read_texts)["copies"]
    assert calls[-1] == [more["document_id"][3]] and store.computed == 1
    assert copies.tolist() == with_copies(more, with_texts)["copies"].tolist()
    assert more["document_id"][3] in copies[0]


def test_near_duplicate_texts_and_translations_are_copies():
    english = "Tesla delivered 1,789,226 vehicles in 2024, the carmaker said on Thursday, its first yearly fall."
    pairs = copy_pairs(
        {"a": english, "b": english.replace("Thursday", "Thursday evening"), "c": "Tesla a livré 1 789 226 véhicules en 2024.",
         "d": "An unrelated note on batteries and their prices in Europe this year."},
        figures={d: np.array([1, 2, 3]) for d in "abcd"},
        languages={"a": "en", "b": "en", "c": "fr", "d": "en"},
    )
    # a and b share their shingles; c states the figures of each in French. d has the same figures, but
    # in the same language as a and b and with another text: a copy of c's only.
    assert sorted(pairs) == [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")]
    copies = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b", "d"}, "d": {"c"}}
    assert copies_among("abcd", copies) == {"a": "a", "b": "a", "c": "a", "d": "a"}
    assert copies_among("abd", copies) == {"a": "a", "b": "a", "d": "d"}  # linked through c only where c is
    assert jaccard(shingles(english), shingles(english)) == 1.0


def test_a_documents_figures_hash_alike_wherever_it_states_them():
    rows = pd.DataFrame({
        "document_id": ["en", "en", "en", "en", "fr", "fr", "fr", "other"],
        "entity": ["Xiaomi", "Xiaomi", "Xiaomi", "Xiaomi", "Xiaomi", "Xiaomi", "Xiaomi", "Xiaomi"],
        "metric": ["deliveries", "deliveries", "revenue", "gross_margin", "gross_margin", "revenue", "deliveries", "revenue"],
        "period": ["2024", "2024", "2024-Q3", "2024-Q3", "2024-Q3", "2024-Q3", "2024", "2024-Q3"],
        # stated twice; the same value to the millionth; a value of -0.0 is 0.0's
        "value": [81502.0, 81502.0, 20.6, -0.0, 0.0, 20.6 + 1e-8, 81502.0, 16.0],
    })
    hashes = figure_hashes(rows, ["en", "fr", "none"])
    assert list(hashes) == ["en", "fr", "none"]  # "other" not asked for
    assert len(hashes["en"]) == 3 and np.array_equal(hashes["en"], hashes["fr"])
    assert list(hashes["en"]) == sorted(hashes["en"]) and len(hashes["none"]) == 0
    assert copy_pairs({"en": "", "fr": ""}, hashes, {"en": "en", "fr": "fr"}) == [("en", "fr")]
    other = figure_hashes(rows, ["en", "other"])
    assert len(np.intersect1d(other["en"], other["other"])) == 0  # another revenue figure


@pytest.mark.parametrize("text", ["", "Three short words", "NIO delivered 72,056 vehicles in Q2 2025, and 72,056 again in Q2 2025.",
                                  "Le chiffre d'affaires a atteint 20,6 milliards de yuans, soit 20,6 milliards de yuans."])
def test_the_hashed_shingles_are_the_shingles(text):
    hashed = shingle_hashes(text)
    assert len(hashed) == len(shingles(text)) and list(hashed) == sorted(set(hashed.tolist()))
    # case and punctuation are not words: the same shingles, the same hashes
    assert shingle_hashes(text.upper().replace(",", " ;")).tolist() == hashed.tolist()


def _reference_shingle_hashes(text: str, size: int) -> list[int]:
    """The shingle hashes as defined, a word and a shingle at a time in Python integers: what the shingles
    kept between runs were made with, so whatever computes them must give these."""
    from pipelines.duplicates import _splitmix64

    mod, base = 2 ** 64, 0x100000001B3
    codes = [sum((byte + 1) * base ** k for k, byte in enumerate((word + " ").encode("utf-8"))) % mod
             for word in re.findall(r"\w+", text.lower())]
    multipliers = [int(m) | 1 for m in _splitmix64(size)]
    starts = range(max(1, len(codes) - size + 1)) if codes else []
    combined = {sum(c * m for c, m in zip(codes[start:start + size], multipliers)) % mod for start in starts}
    return sorted(h - mod if h >= 2 ** 63 else h for h in combined)


SCRIPTS = [
    "Xiaomi a livré 81\u202f502 véhicules au T3 2024 ; l’objectif passe de 100\u00a0000 à 120\u00a0000.",
    "İstanbul'da ÇALIŞAN Straße STRASSE ǅemal — 中文 新闻 报道 ٣٤٥ واحدة 😀 𠀀𠀁 𝐀𝐁 emoji_snake_case",
    "a\tb\nc\r\nd e\u0301f g\udc80h i j k",  # a combining accent, a lone surrogate
    "", "   ", "one", "two words", "four words in all", "five words here in all", "résumé",
]


@pytest.mark.parametrize("size", [1, 3, 5])
def test_shingles_hashed_together_are_the_hashes_of_each_text_as_defined(monkeypatch, size):
    from pipelines import duplicates

    rng = random.Random(size)
    alphabet = "aZé_1٣ ,.;'’\u00a0-—€İßǅ\u0307中😀𠀀𝐀\t\nΩ\udc80"
    texts = SCRIPTS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(200)]
    expected = [_reference_shingle_hashes(text, size) for text in texts]
    monkeypatch.setattr(duplicates, "SHINGLED_TOGETHER", 7)  # texts taken together, across the batches' edges
    assert [hashes.tolist() for hashes in duplicates.shingle_texts(texts, size)] == expected
    assert [shingle_hashes(text, size).tolist() for text in texts] == expected


def test_shingles_hash_the_same_in_every_process_and_on_every_core(monkeypatch):
    import subprocess
    import sys

    from pipelines import duplicates

    rng = random.Random(7)
    words = ["livraisons", "véhicules", "Xiaomi", "deliveries", "2025", "yuan", "marge", "à", "the", "été"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(60)]
    here = [hashes.tolist() for hashes in duplicates.shingle_all(texts)]
    # Python's own string hash changes with each process: another interpreter must give the same hashes.
    script = ("import json, sys; from pipelines.duplicates import shingle_hashes; "
              "print(json.dumps([shingle_hashes(t).tolist() for t in json.load(sys.stdin)]))")
    other = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    assert json.loads(other.stdout) == here
    # Shared with a spawned worker, in chunks, in the texts' order.
    monkeypatch.setenv("FIGURES_WORKERS", "2")
    monkeypatch.setattr(duplicates, "PARALLEL_SHINGLING_FROM", 10)
    monkeypatch.setattr(duplicates, "SHINGLING_CHUNK", 4)
    assert [hashes.tolist() for hashes in duplicates.shingle_all(texts)] == here


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("margin", [1, 4, 64])
def test_similar_pairs_finds_every_pair_comparing_each_with_each_would(threshold, margin):
    rng = random.Random(f"{threshold}-{margin}")
    bases = [rng.sample(range(300), rng.randint(0, 120)) for _ in range(4)]
    sets = []
    for _ in range(40):  # copies of a few texts, each losing and gaining some elements, or exact copies
        if sets and rng.random() < 0.2:
            sets.append(rng.choice(sets).copy())
            continue
        kept = [x for x in rng.choice(bases) if rng.random() > rng.choice([0, 0.02, 0.1, 0.3, 0.6])]
        if rng.random() < 0.3:  # a part of the text only: a set beside a larger one that holds it
            kept = kept[:rng.randint(0, len(kept))]
        sets.append(np.unique(np.array(kept + rng.sample(range(300), rng.randint(0, rng.choice([3, 20]))), dtype=np.int64)))
    expected = [(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))
                if jaccard(set(sets[i].tolist()), set(sets[j].tolist())) >= threshold]
    assert similar_pairs(sets, threshold, margin) == expected


def test_signal_helpers():
    assert one_digit_apart(81502, 81302)
    assert one_digit_apart(81302, 81320)  # neighbouring digits swapped
    assert not one_digit_apart(81302, 72056)
    assert not one_digit_apart(81302, 813020)
    assert scale_factor(2.06e9, 20.6e9) == 10
    assert scale_factor(20.6e6, 20.6e9) == 1000
    assert scale_factor(81302, 81502) is None


# --- targets: superseding chains ---------------------------------------------------------------------------

def chain_claims():
    """Four dated articles raise the 2024 target: 76,000, then 100,000, 120,000 and 130,000."""
    target = {"period": "2024", "kind": "target"}
    previous = {"period": "2024", "kind": "previous"}
    rows = [
        {**target, "value": 76000, "document_id": "a" * 16, "quote": "Xiaomi aims to deliver 76,000 vehicles in 2024."},
        {**target, "value": 100000, "document_id": "b" * 16, "quote": "Xiaomi raised its 2024 target to 100,000 from 76,000."},
        {**previous, "value": 76000, "document_id": "b" * 16, "start": 60},
        {**target, "value": 120000, "document_id": "c" * 16, "quote": "Xiaomi now targets 120,000 deliveries."},
        {**previous, "value": 100000, "document_id": "c" * 16, "start": 60},
        {**target, "value": 130000, "document_id": "d" * 16, "quote": "Xiaomi set a target of 130,000."},
    ]
    found = pd.DataFrame([{**BASE, "claim_id": f"t{i}", **row} for i, row in enumerate(rows)])
    dates = pd.DataFrame({"document_id": ["a" * 16, "b" * 16, "c" * 16, "d" * 16],
                          "published_date": pd.to_datetime(["2024-03-28", "2024-06-24", "2024-09-26", "2024-11-18"])})
    return found, dates


def test_a_target_raised_across_four_dated_articles_is_one_chain_in_order():
    found, dates = chain_claims()
    result = reconcile_all(found.sample(frac=1, random_state=3), dates)  # input order does not matter
    chain = result.revisions.sort_values("step")
    assert chain["value"].tolist() == [76000, 100000, 120000, 130000]
    assert chain["status"].tolist() == ["superseded"] * 3 + ["current"]
    assert chain["successor_value"].tolist()[:3] == [100000, 120000, 130000]
    assert [d.date().isoformat() for d in chain["stated_on"]] == ["2024-03-28", "2024-06-24", "2024-09-26", "2024-11-18"]
    assert [d.date().isoformat() for d in chain["superseded_on"][:3]] == ["2024-06-24", "2024-09-26", "2024-11-18"]
    assert chain["cue"].tolist()[:3] == ["revision cue 'raised'", "revision cue 'now'", "later statement"]
    target = only(result.facts, kind="target")
    assert (target["value"], target["status"], target["rule"], target["superseded_value"]) == (130000, "revised", "latest_revision", 120000)
    assert "76,000 (2024-03-28) → 100,000 (2024-06-24) → 120,000 (2024-09-26) → 130,000 (2024-11-18)" in target["explanation"]
    assert target["learned_at"] == pd.Timestamp("2024-11-18")
    previous = only(result.facts, kind="previous")
    assert (previous["value"], previous["status"], previous["superseded_by_value"]) == (100000, "superseded", 130000)
    assert only(result.conflicts)["classification"] == "revision"


def test_the_timeline_answers_what_was_believed_on_a_date():
    found, dates = chain_claims()
    timeline = reconcile_all(found, dates).timeline
    targets = timeline[timeline["kind"] == "target"].sort_values("known_from")

    def as_of(day):
        day = pd.Timestamp(day)
        row = targets[(targets["known_from"] <= day) & (targets["known_until"].isna() | (targets["known_until"] > day))]
        return row["value"].tolist()

    assert as_of("2024-01-01") == []
    assert as_of("2024-04-01") == [76000]
    assert as_of("2024-07-01") == [100000]
    assert as_of("2024-10-01") == [120000]
    assert as_of("2025-01-01") == [130000]


def test_undated_targets_from_different_documents_are_disputed():
    found = claims({"period": "2024", "kind": "target", "value": 100000}, {"period": "2024", "kind": "target", "value": 120000})
    facts, conflicts = reconcile(found)
    assert only(facts, kind="target")["status"] == "disputed"
    assert only(conflicts)["classification"] == "disagreement"


# --- the policy file ---------------------------------------------------------------------------------------

def test_the_policy_file_is_shipped_versioned_and_recorded_on_every_fact():
    policy = load_policy()
    assert DEFAULT_POLICY.name == "reconciliation_policy.yaml" and policy.version
    assert policy.decision_order == ("plausible", "issuer", "tier", "independent_sources", "precision", "recency")
    found = claims({"value": 81302}, {"value": 81502})
    facts, conflicts = reconcile(found)
    assert set(facts["policy_version"]) == {policy.version} == set(conflicts["policy_version"])


def test_the_order_of_the_policy_is_configurable():
    found = claims({"value": 81302}, {"value": 81502}, {"value": 81502})
    tiers = sources(found, tier=["issuer", "press", "press"], published_date=["2025-08-01", "2025-09-01", "2025-09-01"])
    recency_first = policy_from_mapping({"version": "test", "decision_order": ["recency", "issuer"]})
    assert only(reconcile(found, tiers, recency_first)[0])[["value", "rule"]].tolist() == [81502, "most_recent"]
    with pytest.raises(ValueError, match="unknown reconciliation steps"):
        policy_from_mapping({"version": "x", "decision_order": ["coin_toss"]})


def test_a_policy_file_named_in_the_environment_is_used(tmp_path, monkeypatch):
    path = tmp_path / "policy.yaml"
    path.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace('version: "', 'version: "custom-'), encoding="utf-8")
    monkeypatch.setenv("FIGURES_RECONCILIATION_POLICY", str(path))
    assert load_policy().version.startswith("custom-")


def test_a_revision_in_an_undated_document_orders_it_after_the_value_it_names():
    found = claims(
        {"period": "2024", "kind": "target", "value": 100000, "document_id": "a" * 16},
        {"period": "2024", "kind": "target", "value": 120000, "document_id": "b" * 16, "start": 10,
         "quote": "Xiaomi raised its target to 120,000 from 100,000."},
        {"period": "2024", "kind": "previous", "value": 100000, "document_id": "b" * 16, "start": 60},
    )
    result = reconcile_all(found)  # no dates at all: the revision alone orders the two values
    target = only(result.facts, kind="target")
    assert (target["value"], target["status"], target["superseded_value"]) == (120000, "revised", 100000)
    assert result.revisions.sort_values("step")["value"].tolist() == [100000, 120000]
    assert result.revisions.sort_values("step")["cue"].tolist()[0] == "revision cue 'raised'"


# --- the timeline, decided as claims arrive ----------------------------------------------------------------

def _random_group(rng: random.Random, size: int):
    """Claims of one group from a few documents: values near a few figures (rounded, one digit off, ten times
    larger), exact, hedged and bounded, in two units, some documents undated."""
    bases = [rng.choice([81302, 1200, 20.6e9, 5]) * rng.choice([1, 1, 10, 1.001, 0.98]) for _ in range(rng.randint(1, 4))]
    documents = [f"{d:016x}" for d in range(rng.randint(1, size))]
    rows = []
    for _ in range(size):
        value = rng.choice(bases)
        if rng.random() < 0.3:
            value = round(value, -rng.randint(0, 3))
        rows.append({"value": float(value), "precision": rng.choice([0.5, 0.5, 5, 50, 0.05e9]),
                     "qualifier": rng.choice(["exact", "exact", "exact", "approx", "at_least", "at_most"]),
                     "unit": rng.choice(["vehicles", "vehicles", "vehicles", "units", "units", "cars", "orders"]),
                     "document_id": rng.choice(documents)})
    found = claims(*rows)
    days = [None] + [f"2024-0{rng.randint(1, 9)}-01" for _ in range(3)]
    dates = {d: rng.choice(days) for d in documents}
    tiers = {d: rng.choice(["issuer", "wire", "press", "aggregator", None]) for d in documents}
    docs = pd.DataFrame({"document_id": documents, "published_date": pd.to_datetime([dates[d] for d in documents]),
                         "tier": [tiers[d] for d in documents]})
    return found, docs


@pytest.mark.parametrize("seed", range(40))
def test_the_timeline_is_the_fact_reconciled_from_the_claims_known_at_each_date(seed):
    rng = random.Random(seed)
    found, docs = _random_group(rng, rng.randint(2, 40))
    timeline = reconcile_all(found, docs).timeline
    published = found["document_id"].map(docs.set_index("document_id")["published_date"])
    moments = sorted(set(published.dropna())) + ([pd.NaT] if published.isna().any() else [])
    expected, before = [], None
    for moment in moments:
        known = found if pd.isna(moment) else found[published.notna() & (published <= moment)]
        fact = only(reconcile_all(known, docs).facts)
        belief = (fact["value"], fact["unit"], fact["status"], fact["rule"])
        if before is None or belief[0] != before[0] or belief[2] != before[2]:
            expected.append((moment, *belief, sorted(known["claim_id"]), sorted(set(known["document_id"]))))
        before = belief
    assert timeline["step"].tolist() == list(range(1, len(timeline) + 1))
    actual = [(*row[:5], *_known_at_each_row(timeline)[i]) for i, row in
              enumerate(timeline[["known_from", "value", "unit", "status", "rule"]].itertuples(index=False, name=None))]
    assert [_comparable(row) for row in actual] == [_comparable(row) for row in expected]


def _comparable(row: tuple) -> tuple:
    return tuple(x if isinstance(x, list) else "NaT" if pd.isna(x) else x for x in row)


def _known_at_each_row(timeline: pd.DataFrame) -> list[tuple[list, list]]:
    """The claims and documents known at each row of one fact: those listed at it and at the rows before."""
    claim_ids, document_ids, known = [], [], []
    for row in timeline.sort_values("step").itertuples():
        claim_ids += row.new_claim_ids
        document_ids += row.new_document_ids
        known.append((sorted(claim_ids), sorted(document_ids)))
    return known


def test_each_timeline_row_lists_only_what_was_learned_since_the_previous_one():
    # Three publications: each brings one new claim and changes the belief.
    found = claims({"value": 100000, "document_id": "a", "kind": "target"},
                   {"value": 110000, "document_id": "b", "kind": "target"},
                   {"value": 110000, "document_id": "b", "kind": "target", "claim_id": "b2"},
                   {"value": 120000, "document_id": "c", "kind": "target"})
    docs = pd.DataFrame({"document_id": ["a", "b", "c"],
                         "published_date": pd.to_datetime(["2024-03-01", "2024-06-01", "2024-09-01"])})
    timeline = reconcile_all(found, docs).timeline
    targets = timeline[timeline["kind"] == "target"].sort_values("step")
    assert targets["value"].tolist() == [100000, 110000, 120000]
    assert targets["new_document_ids"].tolist() == [["a"], ["b"], ["c"]]
    assert [len(ids) for ids in targets["new_claim_ids"]] == [1, 2, 1]
    assert [len(c) for c, _ in _known_at_each_row(targets)] == [1, 3, 4]


@pytest.mark.parametrize("seed", range(6))
def test_probable_typos_are_the_pairs_comparing_each_with_each_would_find(seed):
    """The candidates one digit apart are looked up (their values counted in a step, the numbers one digit
    or one swap away made by arithmetic): the same pairs as one_digit_apart over every pair, whatever the
    precisions, signs, leading digits and zeros."""
    from pipelines.reconciliation_rules import Candidate, _typo_pairs

    rng = random.Random(seed)
    base = rng.choice([7, 81_502, 20_600_000, 1_000_000, 105, 9_990])
    values = {base, -base, 0}
    for _ in range(40):
        digits = list(str(abs(base) * rng.choice([1, 1, 10])))
        i = rng.randrange(len(digits))
        if rng.random() < 0.5 and i + 1 < len(digits):
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
        else:
            digits[i] = str(rng.randrange(10))
        values.add(int("".join(digits)) * rng.choice([1, 1, 1, -1]) + rng.choice([0, 0, 0, 0.4]))
    precisions = [0.5, 0.5, 5.0, 50.0, 0.05]
    candidates = [Candidate([{"value": value, "precision": rng.choice(precisions), "tier": "press", "tier_rank": 1,
                              "published_order": 0, "source_group": "s", "claim_id": str(k)}])
                  for k, value in enumerate(sorted(values))]
    every_pair = {(i, j) for i in range(len(candidates)) for j in range(i + 1, len(candidates))
                  if one_digit_apart(candidates[i].value, candidates[j].value, min(candidates[i].precision, candidates[j].precision))}
    assert _typo_pairs(candidates) == every_pair
    assert every_pair  # the values were made one digit apart: the test compares something


def test_an_edited_policy_is_another_version_even_if_its_version_is_not_moved(tmp_path):
    """Facts record the policy's version with a digest of the file and of the code that decides: an edit
    of either makes every fact another policy's, decided again by the next run."""
    import yaml

    import pipelines.reconciliation_policy as module

    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    shipped = load_policy(DEFAULT_POLICY).version
    assert shipped.split("+")[0] == yaml.safe_load(text)["version"]
    assert load_policy(tmp_path / "a.yaml").version == load_policy(tmp_path / "b.yaml").version == shipped
    (tmp_path / "a.yaml").write_text(text.replace("\n  jaccard: 0.5", "\n  jaccard: 0.6"), encoding="utf-8")
    module._load.cache_clear()  # a run's process reads the file once; the next run is another process
    edited = load_policy(tmp_path / "a.yaml")
    assert edited.jaccard == 0.6 and edited.version != shipped and edited.version.split("+")[0] == shipped.split("+")[0]
