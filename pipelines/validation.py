"""Validating claims with the Pandera schema: valid ones go on, the others are quarantined with every
reason they failed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pandas as pd

from schemas import ClaimsSchema, QuarantinedClaimsSchema, validate_lazily

from .claim_table import CLAIM_COLUMNS, FAILURE_COLUMNS, claim_batches

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


# About 1,250 news articles: two seconds of extraction on two cores, a sixth of a second of validation.
CLAIMS_PER_BATCH = 20_000


def extract_and_validate(
    documents: pd.DataFrame, on_documents: Callable[[int], None] | None = None, parallel: bool = False,
    claims_per_batch: int = CLAIMS_PER_BATCH,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(valid, quarantined, failures): the claims of the loaded documents split as ``validate_claims``
    splits them, and the documents the extractor failed on (see claim_table.extract_all). The claims are
    validated a batch of documents at a time, as the extractor finishes them: on every core, this process
    validates one batch while the workers extract the next, instead of validating every claim once they
    are done. A claim's id names its document, so no id repeats across batches unless a document is
    given twice: those are validated in one batch, as the schema's uniqueness rule needs."""
    per_batch = None if documents["document_id"].duplicated().any() else claims_per_batch
    valid, quarantined, failures = [], [], []
    for claims, failed in claim_batches(documents, on_documents, parallel, claims_per_batch=per_batch):
        good, bad = validate_claims(claims)
        valid.append(good)
        quarantined.append(bad)
        failures += failed
    return _together(valid), _together(quarantined), pd.DataFrame(failures, columns=FAILURE_COLUMNS)


def _together(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of the batches' rows, in their order, with the dtypes each batch was validated to."""
    kept = [frame for frame in frames if len(frame)] or frames[:1]
    return kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)
