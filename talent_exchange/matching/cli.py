"""``python -m talent_exchange.matching INPUT.json --mode stable|optimal [--output OUT.json]``.

Exit status: 0 when matched (``stable`` or ``optimal``), 1 when the request is
``infeasible``, 2 when the input is ``invalid`` (or unreadable, or the command line is
wrong), 3 on an internal error.  The result is always written as JSON, except on a command
line error or an internal error, which print one line to standard error and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .engine import MODES, gc_paused, make_result, solve
from .jsonio import JSONError, dumps, loads

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3
EXIT_BY_STATUS = {"stable": EXIT_OK, "optimal": EXIT_OK, "infeasible": EXIT_INFEASIBLE}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m talent_exchange.matching",
        description="Match participants to assignment slots (stable or optimal mode).",
    )
    parser.add_argument("input", help="the market, a JSON file ('-' for standard input)")
    parser.add_argument("--mode", choices=MODES, default="stable", help="default: stable")
    parser.add_argument("--output", "-o", help="write the result here (default: standard output)")
    parser.add_argument("--seed", type=int, help="lottery seed (overrides rules.seed)")
    parser.add_argument("--compact", action="store_true", help="no indentation in the output")
    return parser


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def _summary(result: dict[str, Any]) -> str:
    metrics = result["metrics"]
    if result["status"] in ("invalid", "infeasible"):
        return f"{result['status']}: {len(result['problems'])} problem(s)"
    return (
        f"{result['status']}: {metrics['matched']} of {metrics['participants']} matched, "
        f"total weight {metrics['total_weight']}, {metrics['blocking_pairs']} blocking pairs, "
        f"largest imbalance {metrics['max_imbalance']}"
    )


def run(args: argparse.Namespace) -> int:
    with gc_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        raw = _read(args.input)
    except OSError as error:
        result = make_result(
            args.mode,
            "invalid",
            problems=[{"path": "", "message": f"cannot read {args.input}: {error.strerror}"}],
        )
    else:
        try:
            data = loads(raw)
        except JSONError as error:
            result = make_result(
                args.mode, "invalid", problems=[{"path": "", "message": f"not JSON: {error}"}]
            )
        else:
            del raw
            result = solve(data, args.mode, seed=args.seed)
            del data
    payload = dumps(result, indent=not args.compact)
    if args.output:
        try:
            Path(args.output).write_bytes(payload)
        except OSError as error:
            print(f"error: cannot write {args.output}: {error.strerror}", file=sys.stderr)
            return EXIT_INVALID
        print(_summary(result), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return EXIT_BY_STATUS.get(result["status"], EXIT_INVALID)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a wrong command line (argparse printed why)
        return int(stop.code or 0)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # promised: never a traceback
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_INTERNAL
