"""Validating claims with the Pandera schema: valid ones go on, the others are quarantined with every
reason they failed."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from schemas import ClaimsSchema, QuarantinedClaimsSchema, validate_lazily

from .claim_table import CLAIM_COLUMNS

QUARANTINE_COLUMNS = list(QuarantinedClaimsSchema.to_schema().columns)


CHECK_DESCRIPTIONS = {check.name: check.description for check in ClaimsSchema.to_schema().checks}
# The usual reason a figure has no period: an undated article that names a quarter or a month without
# its year ("in the third quarter"). The pattern's own message would not say what to do about it.
UNDATED = ("period unknown: the text names no year for it and the document has no date "
           "(give one in registry.yaml or the file's front matter)")


def _reason(schema_context, column, check, failure_case) -> str:
    """What a quarantined claim's reader is told about one failure case of the schema's."""
    check = str(check)
    if schema_context == "Column" and column is not None:
        if column == "period" and not failure_case:
            return UNDATED
        return f"{column}: {check} (got {failure_case!r})"
    return CHECK_DESCRIPTIONS.get(check) or check


def validate_claims(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split claims into (valid, quarantined); a quarantined row carries all its reasons."""
    if claims.empty:
        return claims.reindex(columns=CLAIM_COLUMNS), pd.DataFrame(columns=QUARANTINE_COLUMNS)
    frame = _numbered(claims)
    checked, failures = validate_lazily(ClaimsSchema, frame)
    if checked is not None:  # every claim valid, the usual case: the frame validated, already coerced
        return _only(checked, CLAIM_COLUMNS), QuarantinedClaimsSchema.validate(pd.DataFrame(columns=QUARANTINE_COLUMNS))
    reasons: dict[int, list[str]] = defaultdict(list)
    # Read off the columns: a check across a row's columns reports a case for each of them, and a row
    # at a time through pandas took 7 s for the 370,000 cases of 17,500 claims.
    cases = zip(*(failures[column].tolist() for column in ("index", "schema_context", "column", "check", "failure_case")))
    for index, *case in cases:
        if index is None or pd.isna(index):
            continue  # a failure of the whole table (a missing column) is a bug, not a bad claim
        reason = _reason(*case)
        if reason not in reasons[int(index)]:
            reasons[int(index)].append(reason)
    bad = frame.index.isin(list(reasons))
    valid = frame.loc[~bad, CLAIM_COLUMNS].reset_index(drop=True)
    quarantined = frame.loc[bad].copy()
    quarantined["reasons"] = [("; ".join(reasons[i])) for i in quarantined.index]
    quarantined = quarantined.reindex(columns=QUARANTINE_COLUMNS).reset_index(drop=True)
    for column in ("entity", "metric", "scope", "period", "unit", "kind", "qualifier", "quote", "surface", "context"):
        quarantined[column] = quarantined[column].where(quarantined[column].astype(str) != "", None)
    return ClaimsSchema.validate(valid), QuarantinedClaimsSchema.validate(quarantined)


# Copying 160,000 claims to renumber them and select their columns took a quarter of validating them.
def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its rows numbered from 0, copied only if they were not."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame
    return frame.reset_index(drop=True)


def _only(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` alone, in their order, copied only if it has others or another order."""
    return frame if list(frame.columns) == columns else frame[columns]
