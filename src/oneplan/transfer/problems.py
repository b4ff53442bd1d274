"""What an import found: problems (block the import) and notes (shown, do not block), each with
the place in the file a planner can go and fix: sheet, row, column (or paragraph for text)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    paragraph: int | None = None     # text imports point at a paragraph instead of a row

    @property
    def place(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"แผ่นงาน “{self.sheet}”")
        if self.row:
            parts.append(f"แถวที่ {self.row}")
        if self.column:
            parts.append(f"คอลัมน์ {self.column}")
        if self.paragraph:
            parts.append(f"ย่อหน้าที่ {self.paragraph}")
        return " ".join(parts)

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message

    def as_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}


class ImportRefused(Exception):
    """The file cannot be read at all (not Excel, password, corrupt, too large)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(message)


@dataclass
class ImportResult:
    """An interchange dict ready for plans.interchange.load_plan, plus what is wrong with it."""

    data: dict | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    prune: bool = False          # JSON import replaces the plan; Excel/text imports only add and update
    source: str = ""             # "excel" | "text" | "json"
    budget: Callable[[], None] | None = field(default=None, repr=False, compare=False)  # limits.TimeBudget
    checked: bool = False        # services.check has run (its problems and warnings are in the lists)
    exported_at: object = None   # when OnePlan exported the file read (a datetime), if it says so
    # an LAO the header names that the registry does not know (organisations.places.ProposedLao): the
    # commit creates it in the same transaction as the plan
    new_owner: object = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.data is not None

    def error(self, message: str, sheet: str = "", row: int | None = None, column: str = ""):
        self.errors.append(Problem(message, sheet, row, column))

    def warn(self, message: str, sheet: str = "", row: int | None = None, column: str = "",
             paragraph: int | None = None):
        self.warnings.append(Problem(message, sheet, row, column, paragraph))
