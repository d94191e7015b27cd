"""The one exception summary-audit raises, always with a place in the input."""

from __future__ import annotations

from typing import Optional

#: the command's exit statuses: every row and total holds; something is a mismatch; the input
#: could not be read (or holds no summary).
EXIT_OK, EXIT_MISMATCH, EXIT_UNREADABLE = 0, 1, 2


class SummaryAuditError(Exception):
    """Input that cannot be read, located by 1-based line and column.

    The command line prints it as `path:line:col: message`; the API lets it propagate.
    """

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None,
                 context: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.context = context

    def located(self, source: str = "<input>") -> str:
        """`path:line:col: message`, one line."""
        place = ":".join(str(part) for part in (source, self.line, self.column) if part is not None)
        return f"{place}: {self.message}"
