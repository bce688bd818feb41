"""The pipeline: reading, extraction, validation, reconciliation and the Dagster definitions that wire them."""

from .memory import skip_collection_at_exit

# Every process of the project (the `figures` commands, the runs Dagster starts, the workers) ends
# without the collector walking what it leaves behind.
skip_collection_at_exit()
