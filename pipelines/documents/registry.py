"""What the files themselves do not say: publisher, language, publication date, URL, reliability tier.

Loaded from ``sources/registry.yaml`` (see the comments in that file for the format).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

import yaml

from .dates import parse_date
from .language import normalise_language

FIELDS = ("publisher", "language", "published", "url", "tier")
# How much a source is worth when sources disagree: the company's own release, a news agency, a
# newspaper, a site that repeats others.
TIERS = ("issuer", "wire", "press", "aggregator")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry at fault."""


def registry_text(path: Path) -> str:
    """The registry file's text, '' when there is none. A link is refused, as any file of the sources
    folder: nothing outside it is read."""
    path = Path(path)
    if path.is_symlink():
        raise RegistryError(f"{path}: a symbolic link (to {os.readlink(path)}): links are never followed")
    if not path.is_file():
        return ""
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class PublisherRegistry:
    documents: tuple[dict, ...] = ()
    publishers: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "PublisherRegistry":
        """Read the registry; a missing file is an empty registry, a link an error (see registry_text)."""
        return cls.from_text(registry_text(path), source=str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "registry") -> "PublisherRegistry":
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise RegistryError(f"{source}: invalid YAML: {exc}") from exc
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: dict, source: str = "registry") -> "PublisherRegistry":
        if not isinstance(data, dict):
            raise RegistryError(f"{source}: expected a mapping with 'documents' and 'publishers'")
        publishers = data.get("publishers") or {}
        if not isinstance(publishers, dict):
            raise RegistryError(f"{source}: 'publishers' must be a mapping of name -> details")
        entries = []
        for index, entry in enumerate(data.get("documents") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("match"), str):
                raise RegistryError(f"{source}: documents[{index}] needs a 'match' file name or glob")
            unknown = set(entry) - {"match", *FIELDS}
            if unknown:
                raise RegistryError(f"{source}: documents[{index}] has unknown keys {sorted(unknown)}")
            entries.append(_clean(entry, f"{source}: documents[{index}]"))
        for name, info in publishers.items():
            tier = (info or {}).get("tier")
            if tier is not None and tier not in TIERS:
                raise RegistryError(f"{source}: publishers[{name!r}]: 'tier' must be one of {', '.join(TIERS)}, got {tier!r}")
        return cls(tuple(entries), {str(name): dict(info or {}) for name, info in publishers.items()})

    def lookup(self, relative_path: str) -> dict:
        """Metadata for one file: glob entries in file order, then exact-name entries on top.

        A null value means "not known" and never hides a value from another entry.
        """
        path = PurePosixPath(str(relative_path).replace("\\", "/"))
        globs = [entry for entry in self.documents if _is_glob(entry["match"]) and _matches(entry["match"], path)]
        exact = [entry for entry in self.documents if not _is_glob(entry["match"]) and _matches(entry["match"], path)]
        merged: dict = {}
        for entry in globs + exact:
            merged.update({key: entry[key] for key in FIELDS if entry.get(key) is not None})
        publisher = self.publishers.get(merged.get("publisher") or "")
        if publisher and "language" not in merged:
            language = normalise_language(publisher.get("language"))
            if language:
                merged["language"] = language
        if publisher and "tier" not in merged and publisher.get("tier") in TIERS:
            merged["tier"] = publisher["tier"]
        return merged


def _clean(entry: dict, where: str) -> dict:
    cleaned = dict(entry)
    if entry.get("language") is not None:
        cleaned["language"] = normalise_language(entry["language"])
    if entry.get("published") is not None:
        published = parse_date(entry["published"])
        if not isinstance(published, datetime.date):
            raise RegistryError(f"{where}: 'published' must be a date (YYYY-MM-DD), got {entry['published']!r}")
        cleaned["published"] = published
    if entry.get("tier") is not None and entry["tier"] not in TIERS:
        raise RegistryError(f"{where}: 'tier' must be one of {', '.join(TIERS)}, got {entry['tier']!r}")
    return cleaned


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _matches(pattern: str, path: PurePosixPath) -> bool:
    # A pattern without a folder applies to the file name wherever the file sits.
    target = path.name if "/" not in pattern else str(path)
    return fnmatchcase(target, pattern)
