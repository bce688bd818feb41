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


def _reason(row) -> str:
    check = str(row["check"])
    column = row["column"]
    if row["schema_context"] == "Column" and column is not None:
        if column == "period" and not row["failure_case"]:
            return UNDATED
        return f"{column}: {check} (got {row['failure_case']!r})"
    return CHECK_DESCRIPTIONS.get(check) or check


def validate_claims(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split claims into (valid, quarantined); a quarantined row carries all its reasons."""
    if claims.empty:
        return claims.reindex(columns=CLAIM_COLUMNS), pd.DataFrame(columns=QUARANTINE_COLUMNS)
    frame = claims.reset_index(drop=True)
    checked, failures = validate_lazily(ClaimsSchema, frame)
    reasons: dict[int, list[str]] = defaultdict(list)
    for _, failure in failures.iterrows():
        index = failure["index"]
        if index is None or pd.isna(index):
            continue  # a failure of the whole table (a missing column) is a bug, not a bad claim
        reason = _reason(failure)
        if reason not in reasons[int(index)]:
            reasons[int(index)].append(reason)
    bad = frame.index.isin(list(reasons))
    valid = frame.loc[~bad, CLAIM_COLUMNS].reset_index(drop=True)
    quarantined = frame.loc[bad].copy()
    quarantined["reasons"] = [("; ".join(reasons[i])) for i in quarantined.index]
    quarantined = quarantined.reindex(columns=QUARANTINE_COLUMNS).reset_index(drop=True)
    for column in ("entity", "metric", "scope", "period", "unit", "kind", "qualifier", "quote", "surface", "context"):
        quarantined[column] = quarantined[column].where(quarantined[column].astype(str) != "", None)
    # Every claim valid (the usual case): the frame validated above, already coerced, is the answer.
    valid = checked[CLAIM_COLUMNS].reset_index(drop=True) if checked is not None else ClaimsSchema.validate(valid)
    return valid, QuarantinedClaimsSchema.validate(quarantined)
