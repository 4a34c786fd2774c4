"""The refusal of a bad input file (:class:`InputError`) and the notice of a doubtful one.

An :class:`InputError` is one line: file, column, problem, number of rows
affected and the first of them (1-based, header = row 1), and the fix.
:class:`Problems` collects the refusals of one load, so that the first one raised
can name the others.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["InputError", "InputWarning", "Problems", "SHOWN_ROWS"]

#: How many offending row numbers a message lists.
SHOWN_ROWS = 5


class InputError(ValueError):
    """A bad input file, described in one line.

    The message names the file, the column (if one is at fault), the problem,
    how many rows are affected and the first of them (1-based, header = row 1),
    and the fix. The parts are also attributes, for tests and callers.

    >>> str(InputError("register.csv", "unknown role 'x'", column="role", rows=[3], count=1,
    ...                fix="use suspect or victim"))
    "register.csv: column 'role': unknown role 'x'; 1 row affected, first rows: 3. Fix: use suspect or victim."
    """

    def __init__(self, file, problem: str, *, fix: str, column: str | None = None,
                 rows: Sequence[int] = (), count: int | None = None, more: Sequence[str] = ()):
        self.file = str(file)
        self.problem = problem
        self.fix = fix
        self.column = column
        self.rows = tuple(int(r) for r in list(rows)[:SHOWN_ROWS])
        self.count = count
        self.more = tuple(more)
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.file}: "
        if self.column:
            text += f"column{'s' if ',' in self.column else ''} {_quote_columns(self.column)}: "
        text += self.problem
        if self.count is not None:
            text += f"; {self.count} row{'' if self.count == 1 else 's'} affected"
            if self.rows:
                text += ", first rows: " + ", ".join(map(str, self.rows))
        text += f". Fix: {self.fix.rstrip('.')}."
        if self.more:
            text += f" ({len(self.more)} more problem{'' if len(self.more) == 1 else 's'}: {'; '.join(self.more)}.)"
        return " ".join(text.split())  # always one line

    def with_more(self, others: Sequence[InputError]) -> InputError:
        """The same error, noting the other problems found in the same file."""
        more = [f"column {_quote_columns(e.column)}" if e.column else e.problem for e in others]
        return InputError(self.file, self.problem, fix=self.fix, column=self.column, rows=self.rows,
                          count=self.count, more=more)


class InputWarning(UserWarning):
    """Something in an input file the analyst should know about; the load goes on."""


def _quote_columns(column: str) -> str:
    return ", ".join(f"'{c.strip()}'" for c in column.split(","))


class Problems:
    """Collects the refusals of one load so the first can name the others."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[InputError] = []

    def add(self, problem: str, *, fix: str, column: str | None = None, rows=None, count: int | None = None,
            mask: np.ndarray | None = None, row_numbers: np.ndarray | None = None) -> None:
        if mask is not None:
            hits = np.flatnonzero(mask)
            count = len(hits)
            rows = row_numbers[hits[:SHOWN_ROWS]]
        self.errors.append(InputError(self.file, problem, fix=fix, column=column,
                                      rows=() if rows is None else rows, count=count))

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.errors[0].with_more(self.errors[1:])
