"""Bytes to clean text: decoding, binary detection and conservative repairs.

Figures are located by character offsets into the repaired text, so repairs must only fix what is
broken: curly quotes, no-break spaces (U+00A0) and narrow no-break spaces (U+202F, as in "26,4 %")
are kept exactly as written.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from difflib import SequenceMatcher

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import is_bad

from .errors import UnreadableDocument
from .limits import Deadline

_LINES_PER_CHECK = 1_000

# Bytes that never occur in text files, whatever the 8-bit encoding (tab, LF, VT, FF, CR and ESC aside).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), 0x1C, 0x1D, 0x1E, 0x1F, 0x7F])
_MAX_CONTROL_SHARE = 0.05
_MIN_WESTERN_SCORE = 0.5
_MAX_FOREIGN_SHARE = 0.3

# Characters typical of French and English text outside ASCII; used to choose between two
# plausible 8-bit decodings, since encoding detectors are unreliable on short articles.
_COMMON_NON_ASCII = set("àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ€’‘“”«»–—…°£\xa0\u202f")

_FTFY_OPTIONS = dict(
    uncurl_quotes=False,  # keep typographic quotes as published
    fix_character_width=False,  # fullwidth forms are rare here and changing them is not a repair
    normalization="NFC",  # NFC leaves U+00A0 and U+202F alone (NFKC would not)
)

# "à" is UTF-8 C3 A0; read as cp1252 it becomes "Ã" + no-break space, and the no-break space is
# often stripped as trailing whitespace, leaving a lone "Ã" that ftfy cannot recognise.
_LOST_A0 = re.compile(r"(?<=[^\W\d_])Ã(?=[^\S\xa0]|\Z)")

_STEP_NAMES = {
    "fix_latin_ligatures": "ligatures",
    "unescape_html": "html entities",
    "remove_control_chars": "control characters",
    "remove_terminal_escapes": "terminal escapes",
    "fix_surrogates": "surrogates",
    "normalize": "unicode normalization",
}


def decode_bytes(raw: bytes) -> tuple[str, list[str]]:
    """Decode a text file's bytes, rejecting binary content. Returns the text and the repairs made."""
    if not raw.strip():
        raise UnreadableDocument("empty file")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):  # UTF-16/32 are full of NUL bytes, so they must be recognised first
            try:
                return _require_content(raw.decode(codec)), [f"encoding: {codec}"]
            except UnicodeDecodeError:
                break
    _reject_binary(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = _decode_guessing(raw)
        return _require_content(text), [f"encoding: {encoding}"]
    repairs = ["utf-8 byte order mark removed"] if raw.startswith(codecs.BOM_UTF8) else []
    return _require_content(text), repairs


def _require_content(text: str) -> str:
    if not text.strip():
        raise UnreadableDocument("empty file")
    return text


def _reject_binary(raw: bytes) -> None:
    control = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    share = control / len(raw)
    if b"\x00" in raw or share > _MAX_CONTROL_SHARE:
        detail = f"{share:.0%} control bytes" if share >= 0.01 else "NUL bytes"
        raise UnreadableDocument(f"binary content (not text): {detail}")


def _decode_guessing(raw: bytes) -> tuple[str, str]:
    match = from_bytes(raw).best()
    candidates: list[tuple[str, str]] = []
    if match is not None:
        candidates.append((str(match), match.encoding))
    try:
        candidates.append((raw.decode("cp1252"), "cp1252"))
    except UnicodeDecodeError:
        pass
    if not candidates:
        raise UnreadableDocument("undecodable text: not UTF-8, and no known character encoding fits")
    # Stable max: on a tie the detector's own choice wins.
    text, encoding = max(candidates, key=lambda candidate: _western_score(candidate[0]))
    if _western_score(text) < _MIN_WESTERN_SCORE and _non_ascii_share(text) > _MAX_FOREIGN_SHARE:
        # Articles here are French or English: mostly ASCII whatever the encoding. Bytes that only an
        # East Asian code page accepts, and then as a wall of ideograms, are not such an article.
        raise UnreadableDocument(
            f"undecodable text: not UTF-8, and no French or English encoding fits (best guess {encoding})"
        )
    return text, encoding


def _non_ascii_share(text: str) -> float:
    return sum(ord(char) > 127 for char in text) / max(1, len(text))


def _western_score(text: str) -> float:
    non_ascii = [char for char in text if ord(char) > 127]
    if not non_ascii:
        return 1.0
    return sum(char in _COMMON_NON_ASCII for char in non_ascii) / len(non_ascii)


def repair_text(text: str, *, unescape_html: bool | str = "auto", deadline: Deadline | None = None) -> tuple[str, list[str]]:
    """Normalise line endings and undo mojibake. Returns the text and a summary of the repairs."""
    repairs: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("line endings: CRLF -> LF")

    lines = text.split("\n")
    # Most articles have nothing to repair: the lines ftfy would see are then judged once, together.
    if _unchanged_by_ftfy("\n".join(line for line in lines if not _plain(line)), unescape_html):
        return text, repairs
    counts: Counter[str] = Counter()
    fixed_lines = []
    for number, line in enumerate(lines):
        if deadline is not None and number % _LINES_PER_CHECK == 0:
            deadline.check(f"repairing line {number + 1}")
        fixed_lines.append(_repair_line(line, counts, unescape_html))
    for label, count in counts.items():
        repairs.append(f"{label}: {count} fix{'es' if count > 1 else ''}")
    return "\n".join(fixed_lines), repairs


def _plain(line: str) -> bool:
    """No mojibake, entity or escape sequence possible: stray controls are left as found."""
    return line.isascii() and "&" not in line and "\x1b" not in line


def _unchanged_by_ftfy(text: str, unescape_html: bool | str) -> bool:
    """Whether ftfy would leave every line of ``text`` as it is. Its fixes other than mojibake act on
    single characters (and NFC does not reach across a line break), so the whole text unchanged means
    every line unchanged. Its mojibake test, a regex search, finds in the whole text whatever it finds
    in a line, but for a line starting with "Ã " or "Â ": lines with either letter go one by one."""
    if not text:
        return True
    if (unescape_html and "&" in text) or "Ã" in text or "Â" in text or is_bad(text):
        return False
    fixed = ftfy.fix_and_explain(text, fix_encoding=False, unescape_html=False, explain=False, **_FTFY_OPTIONS)
    return fixed.text == text


def _repair_line(line: str, counts: Counter[str], unescape_html: bool | str) -> str:
    if _plain(line):
        return line
    candidate = _LOST_A0.sub(_restore_a0, line)
    result = ftfy.fix_and_explain(candidate, unescape_html=unescape_html, **_FTFY_OPTIONS)
    if candidate != line and "Ã\xa0" in result.text:
        # ftfy did not take the restored byte as mojibake: leave that "Ã" as it was.
        result = ftfy.fix_and_explain(line, unescape_html=unescape_html, **_FTFY_OPTIONS)
    if result.text == line:
        return line
    labels = sorted({_label(step) for step in result.explanation or []}) or ["mojibake"]
    opcodes = SequenceMatcher(None, line, result.text, autojunk=False).get_opcodes()
    edits = sum(1 for tag, *_ in opcodes if tag != "equal")
    if len(labels) == 1:
        counts[labels[0]] += edits
    else:  # several kinds of repair on one line: count the line once for each
        for label in labels:
            counts[label] += 1
    return result.text


def _restore_a0(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1]
    return "Ã\xa0" if before.islower() else "Ã"


def _label(step: tuple[str, str]) -> str:
    action, name = step
    if action in ("encode", "decode", "transcode"):
        return "mojibake"
    return _STEP_NAMES.get(name, "mojibake" if "utf8" in name or "c1" in name or "a0" in name else name)
