"""The extractor a claim records: its code's version and what turns a file into rows, so that a run
knows the claims another extractor left (and reads every file again)."""

import pipelines.extractor_version as version
from pipelines.extraction.model import EXTRACTOR_VERSION
from pipelines.extractor_version import extractor_version


def test_a_user_lexicon_is_part_of_the_extractor_wherever_its_folder_is(tmp_path, monkeypatch):
    monkeypatch.delenv("FIGURES_LEXICON_DIR", raising=False)
    plain = extractor_version()
    assert plain.startswith(f"{EXTRACTOR_VERSION}+")
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        (folder / "entities.yaml").write_text("companies:\n  Acme Motors: {aliases: [Acme]}\n", encoding="utf-8")
    assert extractor_version(tmp_path / "a") == extractor_version(tmp_path / "b") != plain
    monkeypatch.setenv("FIGURES_LEXICON_DIR", str(tmp_path / "a"))
    assert extractor_version() == extractor_version(tmp_path / "b")
    (tmp_path / "a" / "entities.yaml").write_text("companies:\n  Acme Motors: {aliases: [Acme, ACME]}\n", encoding="utf-8")
    assert extractor_version() != extractor_version(tmp_path / "b")


def test_an_edited_reader_is_another_extractor(tmp_path, monkeypatch):
    monkeypatch.delenv("FIGURES_LEXICON_DIR", raising=False)
    readers = tmp_path / "pipelines" / "documents"
    readers.mkdir(parents=True)
    (readers / "readers.py").write_text("KEEP_NO_BREAK_SPACES = True\n", encoding="utf-8")
    monkeypatch.setattr(version, "PACKAGE", tmp_path / "pipelines")
    monkeypatch.setattr(version, "READING_SOURCES", (readers,))
    before = extractor_version()
    assert extractor_version() == before  # read again, the same
    (readers / "readers.py").write_text("KEEP_NO_BREAK_SPACES = False\n", encoding="utf-8")
    assert extractor_version() != before
