"""`python -m summary_audit` is the `summary-audit` command."""

from .cli import run

run()
