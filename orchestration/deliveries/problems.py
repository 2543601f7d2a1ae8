"""A problem found in a delivery, located by file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a delivery, located as precisely as it can be."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # Excel letter and header, e.g. "C (地区生产总值/第一产业)"

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DeliveryError(Exception):
    """A delivery broke its contract or its expectation suite; nothing of it was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(
            f"{len(problems)} problem(s) in the delivery; nothing was loaded:\n{shown}{more}"
        )
