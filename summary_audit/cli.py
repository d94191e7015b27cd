"""The command line: arguments, exit statuses, `path:line:col: message` errors; nothing else.

Exit status: 0 every row and total holds, 1 something is a mismatch, 2 the input could not
be read (or no summary was found).
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, ContextManager, Optional, Sequence, Tuple

from . import __version__
from .errors import EXIT_MISMATCH, EXIT_OK, EXIT_UNREADABLE, SummaryAuditError
from .speed import paused_gc

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit, Document

#: the reader of standard output went away (`check big.txt | head -1`): the status a shell
#: gives a command SIGPIPE ended (128 + 13), with nothing said.
EXIT_BROKEN_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summary-audit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"summary-audit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse a pasted model.summary() and verify every number")
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="text, markdown, HTML or notebook files, or folders (every file under one that holds "
                            "a summary); '-' for standard input")
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the JSON report (of one file)")
    output.add_argument("--jsonl", action="store_true",
                        help="one JSON report a line, a file each, in the order given (its `source`: the path)")
    output.add_argument("--markdown", action="store_true", help="print a markdown table")
    check.add_argument("--jobs", type=int, default=1, metavar="N", help="check the files in N processes (default 1)")
    check.add_argument("--cross-check", action="store_true",
                       help="also build the model in Keras (the [tensorflow] extra) and compare it with the table")
    check.add_argument("--max-params", type=int, default=100_000_000,
                       help="refuse to build models claiming more parameters (default 100,000,000)")
    check.add_argument("--timeout", type=float, default=300.0, help="seconds the build may take (default 300)")
    codegen = commands.add_parser("codegen", help="print a Keras script that rebuilds the pasted model")
    codegen.add_argument("file", help="a text, markdown, HTML or notebook file; '-' for standard input")
    codegen.add_argument("--keras2", action="store_true", help="write tf_keras (Keras 2) code instead of Keras 3")
    codegen.add_argument("--table", type=int, default=1, help="which summary of the file (1 = the first)")
    compare = commands.add_parser("diff", help="compare two summaries of any generations, layer by layer")
    compare.add_argument("a", help="the stored (before) summary: text, markdown, HTML, notebook, or '-'")
    compare.add_argument("b", help="the new (after) summary")
    compare.add_argument("--strict-names", action="store_true",
                         help="compare generated names too (conv2d_9 is then not conv2d)")
    compare.add_argument("--json", action="store_true", help="print the differences as JSON")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"check": _check, "diff": _diff, "codegen": _codegen}
    try:
        with _collector_pause(args):
            return _flushed(commands[args.command](args))
    except BrokenPipeError:
        return _quiet_after_broken_pipe()
    except SummaryAuditError as error:
        print(error.located(getattr(args, "file", "-")), file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as error:
        print(f"{getattr(args, 'file', '-')}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130


def _flushed(status: int) -> int:
    """The status, once the report is out of Python's buffer: a reader gone away (a broken
    pipe) shows here, inside the command's handling, not at the interpreter's exit."""
    sys.stdout.flush()
    return status


def _quiet_after_broken_pipe() -> int:
    """Nothing more to write, and nothing to blame: the input was read. Standard output is
    pointed at the null device so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _collector_pause(args: argparse.Namespace) -> ContextManager[None]:
    """The collector held while the command reads and reports (`speed.paused_gc`: the
    command's own process, so the library need not touch it), but not while a cross-check
    builds the model in Keras: that makes cycles, and takes seconds the pause cannot save."""
    if getattr(args, "cross_check", False):
        return nullcontext()
    return paused_gc()


def _check(args: argparse.Namespace) -> int:
    from .corpus import read_bytes, status
    from .report import renderer
    from .rows import parse
    from .verify import audit

    if args.jsonl or len(args.files) > 1 or os.path.isdir(args.files[0]):
        from .many import check_many

        return check_many(args)
    source = args.file = args.files[0]
    data = read_bytes(source)
    try:
        document = parse(data, source)
    except SummaryAuditError as error:
        from .model import Document, ReadError

        document = Document(source, (), (ReadError(error.line, error.column, error.message),))
    audits = [audit(summary) for summary in document.summaries]
    checks = _cross_checks(audits, args) if args.cross_check and audits else None
    if args.json:
        from .report.crosscheck import as_json
        from .report.json import write

        write(document, audits, sys.stdout, [{"cross_check": as_json(c)} for c in checks] if checks else None)
        print()
    elif checks is None and not args.markdown:
        from .report.table import write as write_table

        write_table(document, audits, sys.stdout)  # (a summary at a time)
        print()
        _print_errors(document, source)
    else:
        text = renderer("markdown" if args.markdown else "table")(document, audits)
        if checks is not None:
            from .report.crosscheck import attach

            text = attach(text, checks)
        print(text)
        _print_errors(document, source)
    return max(status(audits), _cross_check_status(checks or []))


def _print_errors(document: "Document", source: str) -> None:
    for error in document.errors:
        place = ":".join(str(p) for p in (source, error.line, error.column) if p is not None)
        print(f"{place}: {error.message}", file=sys.stderr)


def _cross_check_status(checks: Sequence[object]) -> int:
    """A table that could not be built is unreadable for the cross-check; a built one that
    differs from its table is a mismatch."""
    if any(isinstance(check, str) for check in checks):
        return EXIT_UNREADABLE
    return EXIT_MISMATCH if any(not check.equal for check in checks) else EXIT_OK  # type: ignore[attr-defined]


def _cross_checks(audits: Sequence["Audit"], args: argparse.Namespace) -> list:
    """One CrossCheck per table, or the one-line reason it could not be built."""
    from .crosscheck import CrossCheckUnavailable, cross_check, library_for

    try:
        library_for(audits[0].summary)
    except CrossCheckUnavailable as error:
        raise SummaryAuditError(error.message) from None
    found: list = []
    for item in audits:
        try:
            found.append(cross_check(item, args.max_params, args.timeout))
        except SummaryAuditError as error:
            found.append(error.located(f"line {item.summary.start_line}") if error.line else error.message)
    return found


def _codegen(args: argparse.Namespace) -> int:
    """Print the script; exit 2 when the table cannot be rebuilt (and say which row)."""
    from .codegen import generate
    from .plan import plan_model
    from .verify import audit

    document, problem = _parse_one(args.file)
    if problem or document is None:
        print(problem, file=sys.stderr)
        return EXIT_UNREADABLE
    if not 1 <= args.table <= len(document.summaries):
        raise SummaryAuditError(f"--table {args.table}: the file holds {len(document.summaries)} summaries")
    summary = document.summaries[args.table - 1]
    library = "tf_keras" if args.keras2 else "keras"
    print(generate(plan_model(audit(summary), library), library, source=args.file), end="")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    """Exit 0 when both files hold the same architecture, 1 when they differ, 2 when one is unreadable."""
    import json

    from .diff import diff, render_json, render_text

    documents = []
    for path in (args.a, args.b):
        document, problem = _parse_one(path)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_UNREADABLE
        documents.append(document)
    first, second = (d.summaries for d in documents)
    results = [diff(a, b, strict_names=args.strict_names) for a, b in zip(first, second)]
    same = len(first) == len(second) and all(result.equal for result in results)
    counts = f"{args.a} has {len(first)} summaries, {args.b} has {len(second)}"
    if args.json:
        print(json.dumps({"equal": same, "a": args.a, "b": args.b, "summary_counts": [len(first), len(second)],
                          "summaries": [render_json(result) for result in results]}, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(render_text(result, (args.a, args.b)) for result in results))
        if len(first) != len(second):
            print(counts)
    return EXIT_OK if same else EXIT_MISMATCH


def _parse_one(path: str) -> Tuple[Optional["Document"], Optional[str]]:
    """A document with at least one summary, or the one-line `path:line:col: message` why not."""
    from .corpus import read_bytes
    from .rows import parse

    try:
        document = parse(read_bytes(path), path)
    except SummaryAuditError as error:
        return None, error.located(path)
    except OSError as error:
        return None, f"{path}: {error.strerror or error}"
    if not document.summaries:
        error = document.errors[0] if document.errors else None
        place = ":".join(str(p) for p in (path, error and error.line, error and error.column) if p is not None)
        return None, f"{place}: {error.message if error else 'no model summary found'}"
    return document, None


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
