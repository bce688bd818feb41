"""The plain records the extractor produces: quantities (layer 1) and claims (layer 2)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

EXTRACTOR_VERSION = "1.3.0"

KINDS = ("actual", "target", "forecast", "previous")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")


@dataclass(frozen=True)
class Quantity:
    """A number-bearing mention: its span in the text, value in base units and unit.

    ``unit`` is an ISO 4217 code for money, ``%`` for percentages, ``pp`` for percentage
    points, a count noun (``vehicles``, ``units``) for volumes, or None for a bare number.
    ``upper`` is set for ranges (``entre 10 et 20``): ``value`` is then the lower bound, and the upper
    bound is written from ``upper_start``.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str | None = None
    qualifier: str = "exact"
    upper: float | None = None
    signed: bool = False  # an explicit sign or direction word came with the number
    precision: float = 0.5  # half the unit of the last written digit, in base units
    upper_start: int | None = None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in _QUANTITY_FIELDS}


@dataclass(frozen=True)
class Claim:
    """A business figure stated by a document: who, what, when, how much, and where it was said."""

    document: str
    entity: str
    metric: str
    period: str
    value: float
    unit: str
    kind: str
    qualifier: str
    start: int
    end: int
    quote: str
    surface: str = ""  # the figure as written, e.g. "20,6 milliards de yuans"
    context: str = "sentence"  # sentence | table
    scope: str = ""  # the segment a money or margin figure is stated for, e.g. "automotive"
    precision: float = 0.5  # half the unit of the last written digit, in base units
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        record = {name: getattr(self, name) for name in _CLAIM_FIELDS}
        record["notes"] = list(self.notes)
        return record


# Every field holds a plain value (notes, a tuple of strings): the record is a shallow copy.
# dataclasses.asdict copies each field deeply, a twentieth of the extractor's time per article.
_QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))
_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
