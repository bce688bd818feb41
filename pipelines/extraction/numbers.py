"""Reading the number inside a figure: digit groups and decimal marks (words are in ``spelled.py``)."""

from __future__ import annotations

from .regex_programs import compile_regex

SPACES = " \u00a0\u202f\u2009"

# A digit run with its group and decimal separators. Thousands groups are exactly three digits; the
# alternatives run from the most to the least specific so that "81 502" is one number, not two.
# A letter right before the digits is allowed here ("RMB30.2"); the reader keeps such a number only
# when the letters are a currency code.
# The pattern opens by consuming its first character ([\d.,]): the engine then skips in C to the next
# digit, point or comma, where a pattern opening on a lookaround is tried at every position. So the
# lookbehinds on what precedes the number span one character more, and each alternative goes on after
# that first character.
DIGITS = compile_regex(
    r"[\d.,](?<![\d_/:].)(?<!\d[.,].)"
    r"(?:"
    # a decimal with no integer part, ".08" or ",08", after a space or at the start
    r"(?<=[.,])(?<![^\s(].)\d+"
    r"|(?<=\d)(?:"
    rf"\d{{0,2}}(?:[{SPACES}]\d{{3}})+(?!\d)"
    r"|\d{0,2}(?:,\d{3})+(?!\d)"
    r"|\d{0,2}(?:['’]\d{3})+(?!\d)"
    r"|\d{0,2}(?:\.\d{3}){2,}(?!\d)"
    r"|\d*"
    r"))"
    r"(?:[.,]\d+)?(?![.,]?\d)"
    # scientific notation and powers: "1,2e10", "12e-1", "1,1^23"
    r"(?:[eE][+-]?\d+(?![\w.,])|\^[+-]*\d+)?"
)
EXPONENT = compile_regex(r"(?:[eE](?P<e>[+-]?\d+)|\^(?P<p>[+-]*\d+))$")


def split_exponent(raw: str) -> tuple[str, float | None, bool]:
    """The mantissa of a number in scientific notation or a power, its exponent, and whether it is a power."""
    if "e" not in raw and "E" not in raw and "^" not in raw:
        return raw, None, False  # the common case, without a regex search
    match = EXPONENT.search(raw)
    if not match:
        return raw, None, False
    if match.group("e") is not None:
        return raw[: match.start()], float(match.group("e")), False
    signs = match.group("p")
    exponent = float(signs.lstrip("+-")) * (-1 if signs.count("-") % 2 else 1)
    return raw[: match.start()], exponent, True


DECIMAL_TAIL = compile_regex(r"[.,](\d+)$")


def significant_step(raw: str) -> float:
    """Half the unit of the last written digit, as a fraction of 1 (for "20,6" that is 0.05)."""
    tail = DECIMAL_TAIL.search(raw)
    return 0.5 * 10.0 ** -len(tail.group(1)) if tail else 0.5


def parse_digits(raw: str, language: str, *, scaled: bool, count_unit: bool) -> tuple[float, int]:
    """The value of a digit run and the number of decimals it states.

    English uses "," for thousands and "." for decimals; French the reverse, with spaces for thousands.
    A lone group of exactly three digits after the separator is the ambiguous case: it is a thousands
    group unless a scale word follows ("1,234 milliard") or the language says decimal and the figure
    is not a count (a count of vehicles has no decimals).
    """
    if raw[0] in ".,":
        if raw[1:].isdigit():
            return float("0." + raw[1:]), len(raw) - 1  # ".08"
        raw = raw[1:]  # ".1,5": a stray mark before a figure with marks of its own
    text = raw
    # Group separators to drop: " " and "'", or U+00A0, U+202F, U+2009 and "’", all outside ASCII.
    if " " in text or "'" in text or not text.isascii():
        for space in SPACES:
            text = text.replace(space, "")
        text = text.replace("'", "").replace("’", "")
    commas, points = text.count(","), text.count(".")
    if commas and points:
        # Both marks: the last one is the decimal separator.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        text = text.replace(group, "").replace(decimal, ".")
    elif commas > 1 or points > 1:
        text = text.replace(",", "").replace(".", "")
    elif commas or points:
        mark = "," if commas else "."
        head, tail = text.split(mark)
        three = len(tail) == 3 and head != "0" and len(head) <= 3
        if three and not scaled:
            thousands = (mark == "," and (language == "en" or count_unit)) or (
                mark == "." and language == "fr"
            )
        else:
            thousands = False
        text = head + tail if thousands else head + "." + tail
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals
