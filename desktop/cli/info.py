"""``maquette info PATH ...``: what files are (kind, CRS, count, bounds, fields, time range)."""

from __future__ import annotations

import argparse
from time import perf_counter
from typing import Any

from .common import Command, OneLineParser, print_json


def parser() -> OneLineParser:
    info = OneLineParser(
        prog="maquette info",
        description="Say what files are: kind, CRS, feature count, bounds, fields, height field, time range.",
    )
    info.add_argument("paths", nargs="+", metavar="PATH")
    info.add_argument("--crs", help="CRS of files that declare none")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    return info


def run(args: argparse.Namespace) -> int:
    from layers.session.info import describe_path

    results = []
    total = perf_counter()
    for path in args.paths:
        results.append(describe_path(path, crs=args.crs))  # the text as typed: "http://" not folded
    payload = {"command": "info", "files": results, "load_s": round(perf_counter() - total, 4)}
    if args.json:
        print_json(payload, default=str)
    else:
        for result in results:
            print(format_info(result))
    return 0


def format_info(info: dict[str, Any]) -> str:
    """Human-readable ``maquette info`` output: one ``key: value`` per line, nested lists indented."""
    lines = [f"{info.get('path')}"]
    for key, value in info.items():
        if key == "path":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"  {key}:")
            for item in value:
                lines.append("    - " + ", ".join(f"{k}={v}" for k, v in item.items()))
        elif isinstance(value, dict):
            lines.append(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value[:12]) + (
                f", … ({len(value)} in all)" if len(value) > 12 else ""
            )
            lines.append(f"  {key}: {shown}")
        else:
            lines.append(f"  {key}: {value}")
    return "\n".join(lines)


COMMAND = Command("info", parser, run)
