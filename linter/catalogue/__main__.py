"""``python -m registry_lint.catalogue /path/to/tracecat``: regenerate every shipped catalogue.

Each module of this package that defines ``DATA_FILE`` and
``generate(tracecat_root) -> dict`` writes ``registry_lint/data/<DATA_FILE>``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path


def catalogue_modules() -> list[object]:
    package = importlib.import_module("registry_lint.catalogue")
    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"registry_lint.catalogue.{info.name}")
        if hasattr(module, "DATA_FILE") and callable(getattr(module, "generate", None)):
            modules.append(module)
    return modules


def dump(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m registry_lint.catalogue /path/to/tracecat", file=sys.stderr)
        return 2
    root = Path(argv[0])
    data_dir = Path(__file__).resolve().parent.parent / "data"
    for module in catalogue_modules():
        data = module.generate(root)
        target = data_dir / module.DATA_FILE
        writer = getattr(module, "dumps", dump)  # a module may choose its file layout
        target.write_text(writer(data), "utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
