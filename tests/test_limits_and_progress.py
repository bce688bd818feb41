"""Limits a user can change (config file, environment), and the progress a run shows."""

from __future__ import annotations

import io

import pytest

from pipelines import settings
from pipelines.documents import Limits
from pipelines.progress import StageProgress


@pytest.fixture()
def clean_env(monkeypatch, tmp_path):
    for name in ("MAX_FILE_BYTES", "MAX_CHARS", "MAX_PDF_PAGES", "MAX_SECONDS"):
        monkeypatch.delenv(f"FIGURES_{name}", raising=False)
    monkeypatch.setenv("FIGURES_CONFIG", str(tmp_path / "figures.toml"))
    return tmp_path / "figures.toml"


def test_defaults_without_a_config_file(clean_env):
    assert settings.limits() == Limits()


def test_the_project_config_file_only_documents_the_defaults(monkeypatch):
    monkeypatch.delenv("FIGURES_CONFIG", raising=False)
    assert settings.config_path() == settings.PROJECT_ROOT / "figures.toml"
    assert settings.config_path().is_file()
    for name in ("MAX_FILE_BYTES", "MAX_CHARS", "MAX_PDF_PAGES", "MAX_SECONDS"):
        monkeypatch.delenv(f"FIGURES_{name}", raising=False)
    assert settings.limits() == Limits()


def test_the_limits_section_then_the_environment(clean_env, monkeypatch):
    clean_env.write_text("[limits]\nmax_file_bytes = 1000\nmax_pdf_pages = 20\n", encoding="utf-8")
    monkeypatch.setenv("FIGURES_MAX_PDF_PAGES", "5")
    monkeypatch.setenv("FIGURES_MAX_SECONDS", "2.5")
    assert settings.limits() == Limits(max_file_bytes=1000, max_pdf_pages=5, max_seconds=2.5)


@pytest.mark.parametrize(
    "section, message",
    [
        ("[limits]\nmax_pages = 3\n", "unknown limits ['max_pages']"),
        ("[limits]\nmax_chars = 'many'\n", "max_chars must be a number, got 'many'"),
        ("[limits]\nmax_chars = 0\n", "max_chars must be positive"),
        ("[limits\n", "invalid TOML"),
    ],
)
def test_a_bad_limit_is_named(clean_env, section, message):
    clean_env.write_text(section, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        settings.limits()


def test_off_a_terminal_a_stage_prints_one_line():
    stream = io.StringIO()
    with StageProgress("files read", 3, "files", stream=stream) as stage:
        for _ in range(3):
            stage.advance()
        stage.close("1 rejected")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("files read: 3/3 files (1 rejected) in ")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_stage_draws_a_live_bar():
    stream = Terminal()
    with StageProgress("documents extracted", 4, "documents", stream=stream) as stage:
        stage.advance(4)
    shown = stream.getvalue()
    assert "documents extracted" in shown and "4/4" in shown and "\r" in shown


def test_a_disabled_stage_prints_nothing():
    stream = io.StringIO()
    with StageProgress("rows loaded", 2, "rows", stream=stream, enabled=False) as stage:
        stage.advance(2)
    assert stream.getvalue() == ""
