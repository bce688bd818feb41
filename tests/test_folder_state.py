"""What the sources folder holds, cheaply: a file whose size and modification time are unchanged is not
read again to know its content id."""

import os
import time

from pipelines.documents import Limits
from pipelines.folder_state import RACY_NS, ContentIds, content_id, scan_folder

LIMITS = Limits()


def _age(path, seconds: float) -> None:
    """Set the file's modification time ``seconds`` in the past, as a file written earlier has."""
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))


def test_an_unchanged_file_is_not_read_again(tmp_path):
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
    # the same size and modification time, another content: the remembered id answers, without reading
    stamp = article.stat().st_mtime_ns
    article.write_text("BYD sold 900,000 cars in May.", encoding="utf-8")
    os.utime(article, ns=(stamp, stamp))
    (file,) = scan_folder(folder).values()
    assert ContentIds.load(tmp_path / "ids.json").of(file, LIMITS) == first
    # a new modification time: read again
    _age(article, 30)
    (file,) = scan_folder(folder).values()
    assert ContentIds.load(tmp_path / "ids.json").of(file, LIMITS) == content_id(file, LIMITS) != first


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
