"""One partition per source file, named by its path in the sources folder (see folder_state)."""

from dagster import DynamicPartitionsDefinition

source_files = DynamicPartitionsDefinition(name="source_files")
