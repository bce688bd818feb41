"""What the sources folder holds, cheaply: a file whose size and modification time are unchanged is not
read again to know its content id."""

import os
import time
from pathlib import Path

from pipelines.documents import Limits
from pipelines.folder_state import RACY_NS, ContentIds, content_id, scan_folder

LIMITS = Limits()


def _settled(monkeypatch) -> None:
    """Files written a moment ago count as written long before: the wait for their change time to be
    older than RACY_NS, which no test can set back, skipped."""
    import pipelines.folder_state as folder_state

    monkeypatch.setattr(folder_state, "RACY_NS", 0)


def _age(path, seconds: float) -> None:
    """Set the file's modification time ``seconds`` in the past, as a file written earlier has."""
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def _hashed_once(tmp_path, monkeypatch):
    """(the article, its scan, its content id) once an earlier run hashed it and kept its id."""
    _settled(monkeypatch)
    folder = tmp_path / "sources"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_text("BYD sold 300,000 cars in May.", encoding="utf-8")
    _age(article, 60)
    remembered = ContentIds.load(tmp_path / "ids.json")
    (file,) = scan_folder(folder).values()
    first = remembered.of(file, LIMITS)
    assert first == content_id(file, LIMITS)
    remembered.save()
    return article, file, first


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    import pipelines.folder_state as folder_state

    article, _, first = _hashed_once(tmp_path, monkeypatch)
    folder = article.parent
    hashed = []
    monkeypatch.setattr(folder_state, "content_id", lambda file, limits: hashed.append(file) or content_id(file, limits))
    (file,) = scan_folder(folder).values()
    assert ContentIds.load(tmp_path / "ids.json").of(file, LIMITS) == first and hashed == []
    # a new modification time: read again
    _age(article, 30)
    (file,) = scan_folder(folder).values()
    assert ContentIds.load(tmp_path / "ids.json").of(file, LIMITS) == first and len(hashed) == 1


def test_a_file_rewritten_with_its_old_size_and_modification_time_is_read_again(tmp_path, monkeypatch):
    """As unzip or `rsync -a` leave a corrected article: a figure changed, same length, the archive's time."""
    article, before, first = _hashed_once(tmp_path, monkeypatch)
    folder = article.parent
    article.write_text("BYD sold 900,000 cars in May.", encoding="utf-8")
    os.utime(article, ns=(before.mtime_ns, before.mtime_ns))
    (after,) = scan_folder(folder).values()
    assert (after.size, after.mtime_ns) == (before.size, before.mtime_ns) and after.stamp != before.stamp
    assert ContentIds.load(tmp_path / "ids.json").of(after, LIMITS) == content_id(after, LIMITS) != first


def test_a_file_written_just_now_is_hashed_again_next_time(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("NIO delivered 20,000 vehicles.", encoding="utf-8")
    remembered = ContentIds.load(tmp_path / "ids.json")
    (file,) = scan_folder(tmp_path).values()
    assert time.time_ns() - file.mtime_ns < RACY_NS
    remembered.of(file, LIMITS)
    remembered.save()
    # its clock may not have ticked between two writes: nothing was remembered
    assert ContentIds.load(tmp_path / "ids.json").known == {}


def test_a_file_over_the_size_limit_has_no_content_id_whatever_was_remembered(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("x" * 2000, encoding="utf-8")
    _age(article, 60)
    remembered = ContentIds.load(None)
    (file,) = scan_folder(tmp_path).values()
    assert remembered.of(file, LIMITS) is not None
    assert remembered.of(file, Limits(max_file_bytes=1000)) is None


def test_a_damaged_record_is_ignored(tmp_path):
    (tmp_path / "ids.json").write_text("{not json", encoding="utf-8")
    assert ContentIds.load(tmp_path / "ids.json").known == {}


def test_files_are_keyed_by_their_posix_path_inside_the_folder_however_it_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    for name in ["b.txt", "sub/deeper/a.md", "sub/a b.txt", ".hidden/x.txt", "registry.yaml"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for root in ["sources", "sources/", folder, f"{tmp_path}/./sources"]:
        files = scan_folder(root)
        assert list(files) == ["b.txt", "sub/a b.txt", "sub/deeper/a.md"], root
        assert [file.relative for file in files.values()] == list(files)
        assert files["sub/deeper/a.md"].path.read_text(encoding="utf-8") == "sub/deeper/a.md"
        assert files["b.txt"].size == len("b.txt")


def test_the_files_a_build_reads_are_not_read_again_to_know_their_ids(tmp_path, monkeypatch):
    """A full build reads every file without hashing it first; its reader's ids are kept, so the first
    run after it opens only the new file."""
    import pipelines.folder_state as folder_state
    from pipelines.batch import read_batch

    _settled(monkeypatch)
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in [("a.txt", "BYD sold 300,000 cars in May 2024."), ("b.txt", "NIO delivered 20,000 vehicles in May 2024."),
                       ("bad.pdf", "not a pdf")]:
        (folder / name).write_text(text, encoding="utf-8")
        _age(folder / name, 60)
    remembered = ContentIds.load(tmp_path / "ids.json")
    batch = read_batch(folder, list(scan_folder(folder)), {}, LIMITS, content_ids=remembered)
    remembered.save()
    loaded = batch.documents[batch.documents["status"] == "loaded"]
    assert set(loaded["path"]) == {"a.txt", "b.txt"}
    (folder / "c.txt").write_text("XPeng delivered 30,000 vehicles in May 2024.", encoding="utf-8")
    _age(folder / "c.txt", 60)
    opened = []
    monkeypatch.setattr(folder_state, "content_id", lambda file, limits: opened.append(file.relative) or content_id(file, limits))
    known = dict(zip(batch.documents["document_id"], batch.documents["status"]))
    batch = read_batch(folder, list(scan_folder(folder)), known, LIMITS, content_ids=ContentIds.load(tmp_path / "ids.json"))
    assert sorted(opened) == ["bad.pdf", "c.txt"]  # a rejected file's id is its path's: hashed again, as before
    assert set(batch.documents["path"]) == {"c.txt", "bad.pdf"}


def test_the_ids_of_files_gone_from_the_folder_are_forgotten(tmp_path, monkeypatch):
    """A feed adds files and removes old ones: the ids file, read at every run, would grow without end.
    Another folder's files, sharing the instance, keep theirs."""
    from pipelines.batch import read_batch

    _settled(monkeypatch)
    folder, other = tmp_path / "sources", tmp_path / "sources-2"
    for place in (folder, other):
        place.mkdir()
        for name in ("a.txt", "b.txt"):
            (place / name).write_text(f"BYD sold {len(name) * 1000} cars in May 2024 ({place.name}/{name}).", encoding="utf-8")
            _age(place / name, 60)
    remembered = ContentIds.load(tmp_path / "ids.json")
    for place in (folder, other):
        read_batch(place, list(scan_folder(place)), {}, LIMITS, content_ids=remembered)
    remembered.save()
    assert len(ContentIds.load(tmp_path / "ids.json").known) == 4

    (folder / "b.txt").unlink()
    remembered = ContentIds.load(tmp_path / "ids.json")
    read_batch(folder, list(scan_folder(folder)), {}, LIMITS, content_ids=remembered)
    remembered.save()
    assert sorted(Path(location).relative_to(tmp_path).as_posix() for location in ContentIds.load(tmp_path / "ids.json").known) == [
        "sources-2/a.txt", "sources-2/b.txt", "sources/a.txt"]


def test_a_folder_that_cannot_be_listed_stops_the_scan_instead_of_hiding_its_files(tmp_path, monkeypatch):
    """os.walk skips a folder it cannot list (permissions, a network share failing): its files would have
    looked deleted, and a run would have removed their documents."""
    import pytest

    from pipelines.documents.source_files import SourcesUnavailable

    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "a.txt").write_text("BYD sold 300,000 cars in May.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("NIO delivered 20,000 vehicles.", encoding="utf-8")
    assert list(scan_folder(tmp_path)) == ["b.txt", "wire/a.txt"]
    listing = os.scandir

    def refused(path="."):  # (a descriptor too: removing the test's folder lists by descriptor)
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).endswith("wire"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    with pytest.raises(SourcesUnavailable, match=r"^cannot list .*wire in the sources folder \(Permission denied\): nothing was read"):
        scan_folder(tmp_path)
    with pytest.raises(SourcesUnavailable, match="does not exist or is not a folder"):
        scan_folder(tmp_path / "b.txt")


def test_a_listed_file_that_cannot_be_looked_at_is_rejected_with_the_reason_not_taken_for_deleted(tmp_path, monkeypatch):
    """A file the folder lists but whose status cannot be read (a folder without search permission, an
    I/O error) stays in the scan: reading it rejects it, and analysts see why. Only a file gone since
    the listing counts as deleted."""
    from pipelines.batch import read_batch

    (tmp_path / "a.txt").write_text("BYD sold 300,000 cars in May.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("NIO delivered 20,000 vehicles.", encoding="utf-8")
    (tmp_path / "gone.txt").write_text("Li Auto delivered 40,000 vehicles.", encoding="utf-8")
    real_lstat = os.lstat

    def failing(path, *args, **kwargs):
        name = os.path.basename(os.fspath(path))
        if name == "b.txt":
            raise OSError(5, "Input/output error", os.fspath(path))
        if name == "gone.txt":
            raise FileNotFoundError(2, "No such file or directory", os.fspath(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", failing)
    files = scan_folder(tmp_path)
    assert list(files) == ["a.txt", "b.txt"]
    unchanged = files["b.txt"].stamp
    assert scan_folder(tmp_path)["b.txt"].stamp == unchanged  # no run asked for while it stays so
    batch = read_batch(tmp_path, list(files), {}, LIMITS)
    rows = batch.documents.set_index("path")
    assert rows.loc["a.txt", "status"] == "loaded"
    assert rows.loc["b.txt", "status"] == "rejected"
    assert rows.loc["b.txt", "error"] == "cannot read file: Input/output error"
    monkeypatch.setattr(os, "lstat", real_lstat)
    assert scan_folder(tmp_path)["b.txt"].stamp != unchanged  # readable again: read again


def test_the_places_runs_write_may_not_be_among_the_sources(tmp_path):
    import pytest

    from pipelines.documents.source_files import SourcesUnavailable

    (tmp_path / "a.txt").write_text("BYD sold 300,000 cars in May.", encoding="utf-8")
    outside = {"FIGURES_WAREHOUSE": tmp_path.parent / "w.duckdb", "FIGURES_DAGSTER_STORAGE": tmp_path.parent / "storage"}
    hidden = {"FIGURES_WAREHOUSE": tmp_path / ".warehouse" / "w.duckdb", "FIGURES_DAGSTER_STORAGE": tmp_path / "lexicons"}
    assert list(scan_folder(tmp_path, outside)) == list(scan_folder(tmp_path, hidden)) == ["a.txt"]
    for variable, place in (("FIGURES_WAREHOUSE", tmp_path / "out" / "w.duckdb"), ("FIGURES_DAGSTER_STORAGE", tmp_path)):
        with pytest.raises(SourcesUnavailable, match=rf"^{variable} \(.*\) is inside the sources folder"):
            scan_folder(tmp_path, {**outside, variable: place})


def test_a_run_reads_the_scan_made_to_start_it_once_and_a_later_run_lists_the_folder_again(tmp_path):
    from pipelines.folder_state import hand_scan_to_run, scan_for_run

    (tmp_path / "a.txt").write_text("BYD sold 300,000 cars in May 2024.", encoding="utf-8")
    hand_scan_to_run("run-1", tmp_path, scan_folder(tmp_path))
    (tmp_path / "b.txt").write_text("NIO delivered 20,000 vehicles in May 2024.", encoding="utf-8")
    assert list(scan_for_run("run-2", tmp_path)) == ["a.txt", "b.txt"]  # another run's scan is not taken
    assert list(scan_for_run("run-1", tmp_path)) == ["a.txt"]  # the folder as the run started
    assert list(scan_for_run("run-1", tmp_path)) == ["a.txt", "b.txt"]  # taken once


def test_a_scan_handed_for_another_folder_is_not_taken(tmp_path):
    from pipelines.folder_state import hand_scan_to_run, scan_for_run

    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text("BYD sold 300,000 cars in May 2024.", encoding="utf-8")
    hand_scan_to_run("run-1", tmp_path / "one", scan_folder(tmp_path / "one"))
    assert list(scan_for_run("run-1", tmp_path / "two")) == ["two.txt"]


def test_a_build_lists_the_sources_folder_once(tmp_path, monkeypatch):
    """`figures run` lists the folder to know the run's partitions; its read step takes that list."""
    import pipelines.folder_state as folder_state
    from tests.conftest import build_warehouse

    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text("BYD sold 300,000 cars in May 2024.", encoding="utf-8")
    listed = []
    walk = folder_state.walk_sources
    monkeypatch.setattr(folder_state, "walk_sources", lambda root: listed.append(root) or walk(root))
    assert build_warehouse(folder, tmp_path / "figures.duckdb").success
    assert len(listed) == 1
    assert not folder_state._scans_for_runs  # nothing kept once the run is over
