"""Deliveries: contracts, reading and checking a delivered file, and what lies under raw/.

contract   the YAML contract of a delivered table (contracts/<source>/<dataset>.yml)
provenance the metadata file beside a delivery
grid/parse/cells  the file as cells, the table in it, each column typed and checked
sheet_scan an xlsx sheet's first cell and its error and formula cells (openpyxl only where they may be)
checks     whole-table checks: duplicates, regions and years, counties vs city
reader     read_delivery: one file -> a tidy frame with lineage, or DeliveryError
inventory  every entry of raw/: delivery, provenance, documentation or unknown
loading    what an ingestion step reads (imported on its own: it needs great-expectations)
"""

from orchestration.deliveries.cells import unit_factors
from orchestration.deliveries.contract import (
    DEFAULT_MISSING,
    ColumnSpec,
    Contract,
    Unpivot,
    contracts_reading,
    load_contracts,
)
from orchestration.deliveries.inventory import delivery_problems, refusal, unknown_files
from orchestration.deliveries.problems import DeliveryError, Problem
from orchestration.deliveries.provenance import STATUSES, Provenance, provenance_path, read_provenance, sha256_of
from orchestration.deliveries.reader import LINEAGE_COLUMNS, display_name, read_delivery
from orchestration.deliveries.regions import load_region_tree, region_aliases

__all__ = [
    "DEFAULT_MISSING", "LINEAGE_COLUMNS", "STATUSES", "ColumnSpec", "Contract", "DeliveryError", "Problem",
    "Provenance", "Unpivot", "contracts_reading", "delivery_problems", "display_name", "load_contracts",
    "load_region_tree", "provenance_path", "read_delivery", "read_provenance", "refusal", "region_aliases",
    "sha256_of", "unit_factors", "unknown_files",
]
