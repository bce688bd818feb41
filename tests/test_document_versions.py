"""A document is its content: a copy under another name is one document, a changed file is a new
version whose old claims leave the current tables, a deleted file leaves its history behind. Whatever
order files arrive in, and whichever policy decided the facts before, a run leaves the facts a whole
build of the folder would."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import build_warehouse

FIRST = "NIO delivered 72,056 vehicles in the second quarter of 2025, the company said."
CHANGED = "NIO delivered 72,100 vehicles in the second quarter of 2025, the company said."
OTHER = "Li Auto delivered 111,074 vehicles in the second quarter of 2025, the company said."


@pytest.fixture()
def folder(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "nio.txt").write_text(FIRST, encoding="utf-8")
    (sources / "li.txt").write_text(OTHER, encoding="utf-8")
    return sources


def run(folder, database):
    assert build_warehouse(folder, database).success
    with duckdb.connect(str(database), read_only=True) as con:
        def rows(sql):
            return con.execute(sql).fetchall()
        return {
            "documents": rows("SELECT path, paths FROM documents ORDER BY path"),
            "claims": rows("SELECT document, value FROM claims ORDER BY document"),
            "facts": rows("SELECT entity, value FROM facts ORDER BY entity"),
            "versions": rows("SELECT path, document_id, current, first_seen, last_seen FROM document_versions ORDER BY path, first_seen"),
            "ids": dict(rows("SELECT path, document_id FROM documents")),
        }


def test_the_same_content_under_two_names_loads_once_with_both_paths(folder, tmp_path):
    (folder / "copy of nio.txt").write_text(FIRST, encoding="utf-8")
    state = run(folder, tmp_path / "w.duckdb")
    assert state["documents"] == [("copy of nio.txt", ["copy of nio.txt", "nio.txt"]), ("li.txt", ["li.txt"])]
    assert state["claims"] == [("copy of nio.txt", 72_056), ("li.txt", 111_074)]
    facts = dict(state["facts"])
    assert facts["NIO"] == 72_056
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        (n_sources,) = con.execute("SELECT n_sources FROM facts WHERE entity = 'NIO'").fetchone()
    assert n_sources == 1  # a copy is no second source
    versions = {(path, current) for path, _, current, _, _ in state["versions"]}
    assert versions == {("copy of nio.txt", True), ("nio.txt", True), ("li.txt", True)}


def test_a_copy_deleted_leaves_the_documents_paths_and_a_copy_changed_too(folder, tmp_path):
    """Neither file is read by the run (the document's first path stays): the paths of the document
    follow the folder all the same."""
    database = tmp_path / "w.duckdb"
    for name in ("copy of nio.txt", "other copy of nio.txt"):
        (folder / name).write_text(FIRST, encoding="utf-8")
    run(folder, database)
    (folder / "other copy of nio.txt").unlink()
    (folder / "nio.txt").write_text(CHANGED, encoding="utf-8")
    state = run(folder, database)
    assert state["documents"] == [("copy of nio.txt", ["copy of nio.txt"]), ("li.txt", ["li.txt"]), ("nio.txt", ["nio.txt"])]
    assert state["claims"] == [("copy of nio.txt", 72_056), ("li.txt", 111_074), ("nio.txt", 72_100)]


def test_a_copy_that_arrives_later_under_an_earlier_name_names_the_document_and_its_claims(folder, tmp_path):
    """The document is named by the first of its paths, whichever run brought each: its claims, and the
    explanations of its facts, say the name a whole build of the folder gives them."""
    database = tmp_path / "w.duckdb"
    run(folder, database)
    (folder / "a copy of nio.txt").write_text(FIRST, encoding="utf-8")
    state = run(folder, database)
    whole = tmp_path / "whole.duckdb"
    assert state == {**run(folder, whole), "versions": state["versions"]}
    assert state["claims"] == [("a copy of nio.txt", 72_056), ("li.txt", 111_074)]
    with duckdb.connect(str(database), read_only=True) as con:
        (explanation,) = con.execute("SELECT explanation FROM facts WHERE entity = 'NIO'").fetchone()
    assert "in a copy of nio.txt" in explanation


def test_a_changed_file_is_a_new_version_and_its_old_claims_leave(folder, tmp_path):
    database = tmp_path / "w.duckdb"
    before = run(folder, database)
    (folder / "nio.txt").write_text(CHANGED, encoding="utf-8")
    after = run(folder, database)
    assert ("nio.txt", 72_100) in after["claims"] and ("nio.txt", 72_056) not in after["claims"]
    assert dict(after["facts"])["NIO"] == 72_100
    nio = [(document_id, current) for path, document_id, current, _, _ in after["versions"] if path == "nio.txt"]
    assert nio == [(before["ids"]["nio.txt"], False), (after["ids"]["nio.txt"], True)]
    old = [row for row in after["versions"] if row[1] == before["ids"]["nio.txt"]][0]
    assert old[3] == old[4] < after["versions"][-1][3]  # the old version was seen once, before the new one
    # The untouched file keeps its first sighting and is seen again.
    li = [row for row in after["versions"] if row[0] == "li.txt"]
    assert len(li) == 1 and li[0][3] < li[0][4]


def test_a_file_corrected_with_its_old_size_and_modification_time_is_read_again(folder, tmp_path, monkeypatch):
    """An archive unpacked again over the folder: the corrected figure has as many digits, and the file
    the archive's modification time."""
    import os

    import pipelines.folder_state as folder_state

    monkeypatch.setattr(folder_state, "RACY_NS", 0)  # the files count as written long ago: their ids are kept
    database = tmp_path / "w.duckdb"
    archived = 1_700_000_000_000_000_000
    os.utime(folder / "nio.txt", ns=(archived, archived))
    run(folder, database)
    assert len(CHANGED) == len(FIRST)
    (folder / "nio.txt").write_text(CHANGED, encoding="utf-8")
    os.utime(folder / "nio.txt", ns=(archived, archived))
    assert dict(run(folder, database)["facts"])["NIO"] == 72_100


def test_an_edited_registry_reads_again_the_files_whose_entry_changed_and_those_only(folder, tmp_path):
    """The registry says what a file does not (publisher, tier, language, date): an edit is a new version
    of the documents it concerns, whose content is unchanged. The tables equal a whole build's."""
    import shutil

    def documents(database):
        with duckdb.connect(str(database), read_only=True) as con:
            return {path: rest for path, *rest in con.execute("SELECT path, tier, publisher, loaded_at FROM documents").fetchall()}

    database = tmp_path / "w.duckdb"
    registry = folder / "registry.yaml"
    registry.write_text("documents:\n  - match: nio.txt\n    tier: press\n", encoding="utf-8")
    run(folder, database)
    before = documents(database)
    registry.write_text("documents:\n  - match: nio.txt\n    tier: issuer\n    publisher: NIO Inc.\n", encoding="utf-8")
    after = documents(database) if run(folder, database) else None
    assert after["nio.txt"][:2] == ["issuer", "NIO Inc."]
    assert after["li.txt"] == before["li.txt"]  # not read again: loaded when it was
    whole = tmp_path / "whole"
    shutil.copytree(folder, whole)
    edited, built = run(folder, database), run(whole, tmp_path / "whole.duckdb")
    assert [row[:3] for row in edited.pop("versions")] == [row[:3] for row in built.pop("versions")]  # times aside
    assert edited == built
    # The entry gone, the file's own say again (it names no publisher)
    registry.write_text("documents: []\n", encoding="utf-8")
    run(folder, database)
    assert documents(database)["nio.txt"][:2] == [None, None]


def test_a_document_whose_first_path_changes_is_read_from_it_as_a_whole_build_reads_it(folder, tmp_path):
    """Its record (here its tier, by the registry) is its first path's: a copy that arrives under an
    earlier name, or the first path deleted, reads it again from the path that now comes first."""
    import shutil

    def tier(database):
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute("SELECT path, tier FROM documents WHERE path LIKE '%nio%'").fetchall()

    def equals_a_whole_build(name):
        whole = tmp_path / name
        shutil.copytree(folder, whole)
        fed, built = run(folder, tmp_path / "w.duckdb"), run(whole, tmp_path / f"{name}.duckdb")
        current = [row[:3] for row in fed.pop("versions") if row[2]]  # the fed one remembers the files gone too
        assert current == [row[:3] for row in built.pop("versions")]
        assert fed == built

    (folder / "registry.yaml").write_text("documents:\n  - match: a_nio.txt\n    tier: issuer\n"
                                          "  - match: nio.txt\n    tier: aggregator\n", encoding="utf-8")
    run(folder, tmp_path / "w.duckdb")
    assert tier(tmp_path / "w.duckdb") == [("nio.txt", "aggregator")]
    (folder / "a_nio.txt").write_text(FIRST, encoding="utf-8")  # the company's own copy, under an earlier name
    equals_a_whole_build("whole_with_copy")
    assert tier(tmp_path / "w.duckdb") == [("a_nio.txt", "issuer")]
    (folder / "a_nio.txt").unlink()
    equals_a_whole_build("whole_without")
    assert tier(tmp_path / "w.duckdb") == [("nio.txt", "aggregator")]


def test_a_deleted_file_leaves_the_facts_and_keeps_its_history(folder, tmp_path):
    database = tmp_path / "w.duckdb"
    before = run(folder, database)
    (folder / "li.txt").unlink()
    after = run(folder, database)
    assert [path for path, _ in after["documents"]] == ["nio.txt"]
    assert "Li Auto" not in dict(after["facts"])
    assert ("li.txt", before["ids"]["li.txt"], False) in [(p, d, c) for p, d, c, _, _ in after["versions"]]
    with duckdb.connect(str(database), read_only=True) as con:
        closed = con.execute("SELECT count(*) FROM fact_history WHERE entity = 'Li Auto' AND valid_to IS NOT NULL").fetchone()
    assert closed == (1,)


def test_a_file_restored_to_an_earlier_content_makes_that_version_current_again(folder, tmp_path):
    database = tmp_path / "w.duckdb"
    run(folder, database)
    (folder / "nio.txt").write_text(CHANGED, encoding="utf-8")
    run(folder, database)
    (folder / "nio.txt").write_text(FIRST, encoding="utf-8")
    state = run(folder, database)
    nio = [(current,) for path, _, current, _, _ in state["versions"] if path == "nio.txt"]
    assert nio == [(True,), (False,)]
    assert dict(state["facts"])["NIO"] == 72_056


def test_a_warehouse_from_an_older_layout_is_rebuilt_and_keeps_its_history(folder, tmp_path):
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        # The documents table as it was before paths, tier, url and pages; a fact_history row to keep.
        con.execute("CREATE TABLE documents (document_id VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, text VARCHAR)")
        con.execute("INSERT INTO documents VALUES ('0123456789abcdef', 'gone.txt', 'old')")
        con.execute("CREATE TABLE fact_history (fact_id VARCHAR NOT NULL, entity VARCHAR NOT NULL, metric VARCHAR NOT NULL, "
                    "scope VARCHAR NOT NULL, period VARCHAR NOT NULL, kind VARCHAR NOT NULL, value DOUBLE NOT NULL, "
                    "unit VARCHAR NOT NULL, status VARCHAR NOT NULL, rule VARCHAR NOT NULL, valid_from TIMESTAMP NOT NULL, "
                    "valid_to TIMESTAMP)")
        con.execute("INSERT INTO fact_history VALUES ('f', 'BYD', 'sales', '', '2024', 'actual', 1, 'vehicles', 'single', "
                    "'single source', '2025-01-01', '2025-02-01')")
    state = run(folder, database)
    assert [path for path, _ in state["documents"]] == ["li.txt", "nio.txt"]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact_history WHERE entity = 'BYD'").fetchone() == (1,)


def test_a_facts_table_from_an_older_layout_is_filled_again_for_every_group(folder, tmp_path):
    database = tmp_path / "w.duckdb"
    run(folder, database)
    with duckdb.connect(str(database)) as con:
        built = con.execute("SELECT fact_id, value, step FROM fact_timeline ORDER BY fact_id").fetchall()
        # The timeline as an older version kept it, with a column this one no longer has.
        con.execute("ALTER TABLE fact_timeline ADD COLUMN claim_ids VARCHAR[]")
    # Nothing in the folder changed: only the new layout asks for the groups to be reconciled again.
    run(folder, database)
    with duckdb.connect(str(database), read_only=True) as con:
        assert "claim_ids" not in [row[0] for row in con.execute("DESCRIBE fact_timeline").fetchall()]
        assert con.execute("SELECT fact_id, value, step FROM fact_timeline ORDER BY fact_id").fetchall() == built
        assert con.execute("SELECT count(*) FROM pending_groups").fetchone() == (0,)


def test_a_new_article_checks_the_arithmetic_of_its_entity_again_and_keeps_the_others(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "nio.txt").write_text("NIO delivered 42,094 vehicles in the first quarter of 2025 and 72,056 in the "
                                     "second quarter.", encoding="utf-8")
    (sources / "nio-half.txt").write_text("NIO delivered 200,000 vehicles in the first half of 2025.", encoding="utf-8")
    (sources / "li.txt").write_text("Li Auto delivered 92,864 vehicles in the first quarter of 2025, 111,074 in the "
                                    "second quarter and 250,000 in the first half of 2025.", encoding="utf-8")
    database = tmp_path / "w.duckdb"

    def warnings():
        assert build_warehouse(sources, database).success
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute("SELECT entity, relation, expected, stated FROM consistency_warnings ORDER BY entity").fetchall()

    assert warnings() == [("Li Auto", "half_year_quarters", 203_938, 250_000), ("NIO", "half_year_quarters", 114_150, 200_000)]
    # NIO's half-year corrected: its warning goes; Li Auto's groups are not touched, its warning stays.
    (sources / "nio-half.txt").write_text("NIO delivered 114,150 vehicles in the first half of 2025.", encoding="utf-8")
    assert warnings() == [("Li Auto", "half_year_quarters", 203_938, 250_000)]
    # A new article about NIO only: Li Auto's warning still stays.
    (sources / "nio-q3.txt").write_text("NIO delivered 87,071 vehicles in the third quarter of 2025.", encoding="utf-8")
    assert warnings() == [("Li Auto", "half_year_quarters", 203_938, 250_000)]


def test_a_warehouse_built_with_key_constraints_loses_them_and_keeps_its_rows(folder, tmp_path):
    """Earlier versions declared PRIMARY KEYs, which DuckDB keeps as indexes every commit writes whole:
    the next run creates those tables again without them, with every row and its history."""
    from warehouse.snapshot import WarehouseFiles

    database = tmp_path / "w.duckdb"
    before = run(folder, database)
    with duckdb.connect(str(WarehouseFiles(database).writer)) as con:  # the file runs write
        for table, key in [("documents", "document_id"), ("claims", "claim_id"), ("document_versions", "path, document_id"),
                           ("fact_timeline", "fact_id, step")]:
            con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key})")
    (folder / "other.txt").write_text(OTHER.replace("Li Auto", "XPeng"), encoding="utf-8")
    after = run(folder, database)
    with duckdb.connect(str(database), read_only=True) as con:
        assert not con.execute("SELECT * FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')").fetchall()
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'claims' AND column_name = 'claim_id'").fetchone()
    assert comment[0].startswith("Stable id")

    def first_seen(state):
        return {row[:4] for row in state["versions"]}

    assert first_seen(before) <= first_seen(after)  # the history as it was
    assert set(before["claims"]) < set(after["claims"]) and dict(after["facts"])["XPeng"] == 111_074


def test_a_load_that_would_repeat_a_key_fails_whole(folder, tmp_path):
    from warehouse.loader import RepeatedKey, replace_reconciliation_details

    database = tmp_path / "w.duckdb"
    run(folder, database)
    with duckdb.connect(str(database)) as con:
        timeline = con.execute("SELECT * FROM fact_timeline ORDER BY fact_id").df()
        revisions = con.execute("SELECT * FROM target_revisions").df()
        twice = timeline.iloc[[0, 0]]
        with pytest.raises(RepeatedKey, match=r"fact_timeline: 2 rows would have the key"):
            replace_reconciliation_details(con, revisions, twice)
        # the replacement rolled back: every row is still there, once
        assert con.execute("SELECT * FROM fact_timeline ORDER BY fact_id").df().equals(timeline)


def test_a_new_article_is_the_only_text_shingled_again_to_find_copies(tmp_path, monkeypatch):
    from dagster import AssetKey, DagsterInstance

    monkeypatch.setenv("FIGURES_DAGSTER_STORAGE", str(tmp_path / "storage"))  # where the shingles are kept
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "nio.txt").write_text(FIRST, encoding="utf-8")
    (sources / "nio wire.txt").write_text(FIRST.replace("the company said", "a wire service reported"), encoding="utf-8")
    (sources / "li.txt").write_text(OTHER, encoding="utf-8")
    database = tmp_path / "w.duckdb"

    def build() -> tuple[int, int, int]:
        assert build_warehouse(sources, database).success
        with DagsterInstance.local_temp(str(database.with_name(database.name + ".dagster"))) as instance:
            metadata = instance.get_latest_materialization_event(AssetKey(["warehouse", "facts"])).asset_materialization.metadata
        with duckdb.connect(str(database), read_only=True) as con:
            (n_sources,) = con.execute("SELECT n_sources FROM facts WHERE entity = 'NIO'").fetchone()
        return metadata["documents compared for copies"].value, metadata["of them shingled now"].value, n_sources

    assert build() == (3, 3, 1)  # the wire's copy is no second source
    (sources / "nio again.txt").write_text(FIRST.replace("the company said", "according to the group"), encoding="utf-8")
    assert build() == (3, 1, 1)  # NIO's group: its two texts read back, the new one shingled; still one source


NIO_EN = ("NIO delivered 72,056 vehicles in the second quarter of 2025. Its revenue reached 19 billion yuan in the "
          "second quarter of 2025. The gross margin was 10.0% in the second quarter of 2025. In the first quarter of "
          "2025, NIO had delivered 42,094 vehicles.")
NIO_FR = ("NIO a livré 72 056 véhicules au deuxième trimestre 2025. Son chiffre d'affaires a atteint 19 milliards de "
          "yuans au deuxième trimestre 2025. La marge brute s'est établie à 10,0 % au deuxième trimestre 2025. Au "
          "premier trimestre 2025, NIO avait livré 42 094 véhicules.")
NIO_2024 = " NIO delivered 221,970 vehicles in 2024."
NIO_OTHER_EN = ("Shares of the electric carmaker moved little on Tuesday. For the year 2024, NIO delivered 221,970 vehicles, "
                "and in the first quarter of 2025 NIO delivered 42,094 vehicles. In the second quarter of 2025 NIO "
                "delivered 72,056 vehicles, analysts noted, while its revenue was 19 billion yuan in the second quarter "
                "of 2025 and its gross margin was 10.0% in the second quarter of 2025.")
WIRE = ("Chinese carmaker NIO delivered 72,056 vehicles in the second quarter of 2025, a report from a wire service "
        "said on Monday.")


def _added_then_built_again_equals_a_whole_build(tmp_path, first: dict[str, str], added: dict[str, str]) -> dict:
    """Build ``first``, add ``added`` and build again; build everything at once elsewhere. Both give the same
    facts and conflicts, which are returned (fact: metric, period -> status, n_claims, n_sources)."""
    def build(folder, database, files):
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        assert build_warehouse(folder, database).success
        with duckdb.connect(str(database), read_only=True) as con:
            facts = con.execute("SELECT metric, period, kind, value, status, rule, n_claims, n_sources FROM facts").fetchall()
            conflicts = con.execute("SELECT conflict_id, n_sources, classification, signals FROM conflicts").fetchall()
        return sorted(facts), sorted(conflicts)

    build(tmp_path / "sources", tmp_path / "w.duckdb", first)
    again = build(tmp_path / "sources", tmp_path / "w.duckdb", added)
    assert again == build(tmp_path / "whole", tmp_path / "whole.duckdb", {**first, **added})
    return {(metric, period): (status, n_claims, n_sources) for metric, period, _, _, status, _, n_claims, n_sources in again[0]}


def test_a_translation_counts_once_where_a_new_article_touches_some_of_its_figures(tmp_path):
    # The wire touches one of the four groups the English text and its French translation state: the
    # translation is still known by all its figures, and counts once, as in a whole build.
    facts = _added_then_built_again_equals_a_whole_build(tmp_path, {"en.txt": NIO_EN, "fr.txt": NIO_FR}, {"wire.txt": WIRE})
    assert facts[("deliveries", "2025-Q2")] == ("confirmed", 3, 2)
    assert facts[("deliveries", "2025-Q1")] == ("consistent", 2, 1)


def test_copies_count_once_through_the_documents_of_each_group_only(tmp_path):
    # Two English articles with the same figures and different texts are two sources. A French text stating
    # four of their five figures is a translation of each: where it states the figure, the three count
    # once; 2024's deliveries, which it does not state, keep their two sources, in a run that adds it
    # (which reconciles only the groups it states) as in a whole build.
    facts = _added_then_built_again_equals_a_whole_build(
        tmp_path, {"a.txt": NIO_EN + NIO_2024, "b.txt": NIO_OTHER_EN}, {"fr.txt": NIO_FR})
    assert facts[("deliveries", "2024")] == ("confirmed", 2, 2)
    assert facts[("deliveries", "2025-Q2")] == ("consistent", 3, 1)


def test_a_figure_of_another_scope_is_signalled_whichever_run_brings_it(tmp_path):
    # The newspaper gives the group's revenue the automotive figure: the conflict it starts says so, although
    # the run that adds it reads no new automotive claim.
    _added_then_built_again_equals_a_whole_build(
        tmp_path, {"auto.txt": "Xiaomi's automotive revenue was 20.6 billion yuan in the second quarter of 2025.",
                   "group.txt": "Xiaomi's revenue was 116 billion yuan in the second quarter of 2025, the group said."},
        {"paper.txt": "Xiaomi's revenue reached 20.6 billion yuan in the second quarter of 2025, a newspaper reported."})
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT scope, signals FROM conflicts").fetchall() == [("", ["different_scope"])]


def test_facts_another_version_of_the_policy_decided_are_decided_again_by_the_next_run(folder, tmp_path):
    from pipelines.reconciliation_policy import load_policy
    from warehouse.snapshot import WarehouseFiles

    database = tmp_path / "w.duckdb"
    run(folder, database)
    with duckdb.connect(str(WarehouseFiles(database).writer)) as con:  # as an older version of the policy left it
        con.execute("UPDATE facts SET policy_version = '0.9' WHERE entity = 'NIO'")
        con.execute("UPDATE conflicts SET policy_version = '0.9' WHERE entity = 'NIO'")
    run(folder, database)  # no file changed
    with duckdb.connect(str(database), read_only=True) as con:
        versions = con.execute("SELECT entity, policy_version FROM facts ORDER BY entity").fetchall()
        (changes,) = con.execute("SELECT count(*) FROM fact_history").fetchone()
    assert versions == [("Li Auto", load_policy().version), ("NIO", load_policy().version)]
    assert changes == 2  # each fact's first value only: deciding again changed neither


def test_claims_of_an_older_extractor_are_read_again_by_the_next_run(folder, tmp_path):
    from pipelines.extractor_version import extractor_version
    from warehouse.snapshot import WarehouseFiles

    database = tmp_path / "w.duckdb"
    run(folder, database)
    for path in (WarehouseFiles(database).writer, database):  # as an older extractor left them
        with duckdb.connect(str(path)) as con:
            con.execute("UPDATE claims SET extractor_version = '0.9'")

    def state():
        with duckdb.connect(str(database), read_only=True) as con:
            versions = {version for (version,) in con.execute("SELECT DISTINCT extractor_version FROM claims").fetchall()}
            loaded = dict(con.execute("SELECT path, loaded_at FROM documents").fetchall())
        return versions, loaded

    _, before = state()
    facts = run(folder, database)["facts"]  # no file changed: every file is read again all the same
    versions, again = state()
    assert versions == {extractor_version()} and all(again[path] > before[path] for path in before)
    assert run(folder, database)["facts"] == facts and state() == (versions, again)  # then nothing is


def test_a_run_that_dies_between_the_facts_and_their_arithmetic_leaves_the_next_run_both(tmp_path, monkeypatch):
    """The facts step replaces the facts of the queued groups and checks the arithmetic of their entities
    again: a run that dies between the two (here the check raises; a kill does the same) must not leave
    the next run a warning about facts that changed."""
    import pipelines.defs.assets as assets

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "nio.txt").write_text("NIO delivered 42,094 vehicles in the first quarter of 2025 and 72,056 in the "
                                     "second quarter.", encoding="utf-8")
    (sources / "nio-half.txt").write_text("NIO delivered 200,000 vehicles in the first half of 2025.", encoding="utf-8")
    database = tmp_path / "w.duckdb"

    def state():
        with duckdb.connect(str(database), read_only=True) as con:
            return (con.execute("SELECT entity, relation, stated FROM consistency_warnings").fetchall(),
                    con.execute("SELECT value FROM facts WHERE period = '2025-H1'").fetchall())

    assert build_warehouse(sources, database).success
    assert state() == ([("NIO", "half_year_quarters", 200_000)], [(200_000,)])
    (sources / "nio-half.txt").write_text("NIO delivered 114,150 vehicles in the first half of 2025.", encoding="utf-8")
    checked = assets.check_consistency

    def dies(*args):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(assets, "check_consistency", dies)
    assert not build_warehouse(sources, database).success
    monkeypatch.setattr(assets, "check_consistency", checked)
    assert build_warehouse(sources, database).success
    assert state() == ([], [(114_150,)])
