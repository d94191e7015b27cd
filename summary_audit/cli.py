"""The command line: arguments, exit statuses, `path:line:col: message` errors; nothing else.

Exit status: 0 every row and total holds, 1 something is a mismatch, 2 the input could not
be read (or no summary was found).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Optional, Sequence

from . import __version__
from .errors import SummaryAuditError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit, Document

EXIT_OK, EXIT_MISMATCH, EXIT_UNREADABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summary-audit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"summary-audit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse a pasted model.summary() and verify every number")
    check.add_argument("file", help="a text, markdown, HTML or notebook file; '-' for standard input")
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the JSON report")
    output.add_argument("--markdown", action="store_true", help="print a markdown table")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _check(args)
    except SummaryAuditError as error:
        print(error.located(args.file), file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as error:
        print(f"{args.file}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130


def _check(args: argparse.Namespace) -> int:
    from .report import renderer
    from .rows import parse
    from .verify import audit

    data = sys.stdin.buffer.read() if args.file == "-" else _read(args.file)
    source = "-" if args.file == "-" else args.file
    try:
        document = parse(data, source)
    except SummaryAuditError as error:
        from .model import Document, ReadError

        document = Document(source, (), (ReadError(error.line, error.column, error.message),))
    audits = [audit(summary) for summary in document.summaries]
    render = renderer("json" if args.json else "markdown" if args.markdown else "table")
    print(render(document, audits))
    if not args.json:
        for error in document.errors:
            place = ":".join(str(p) for p in (source, error.line, error.column) if p is not None)
            print(f"{place}: {error.message}", file=sys.stderr)
    return _status(document, audits)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _status(document: "Document", audits: Sequence["Audit"]) -> int:
    if not audits:
        return EXIT_UNREADABLE
    if any(a.status == "mismatch" for a in audits):
        return EXIT_MISMATCH
    return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
