"""The pipeline: reading, extraction, validation, reconciliation and the Dagster definitions that wire them."""

from .compiled_modules import RECONCILIATION_RULES
from .memory import skip_collection_at_exit

# The reconciliation rules compiled with mypyc, when built from exactly these sources, come before them.
RECONCILIATION_RULES.put_before_sources(__path__)

# Every process of the project (the `figures` commands, the runs Dagster starts, the workers) ends
# without the collector walking what it leaves behind.
skip_collection_at_exit()
