"""Print pip constraints pinning every dependency to the lower bound pyproject.toml claims.

Runtime dependencies and every optional extra: `.ci/run` installs the
"lowest" environment with `pip install -c <this output>`, so a lower bound
that no longer works fails CI instead of a user's install.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(.*)$")


def lower_bounds(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    specs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        specs.extend(extra)
    pins: dict[str, str] = {}
    for spec in specs:
        spec = spec.split(";", 1)[0].split("#", 1)[0]
        match = _SPEC.match(spec)
        if match is None:
            raise SystemExit(f"cannot read dependency {spec!r}")
        name, versions = match.group(1).lower(), match.group(2)
        low = re.search(r">=\s*([0-9][A-Za-z0-9.]*)", versions)
        if low is None:
            raise SystemExit(f"dependency {name!r} has no lower bound (>=): CI cannot test its lowest version")
        pins[name] = low.group(1)
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def supported_pythons(pyproject: Path) -> list[str]:
    """The `Programming Language :: Python :: 3.X` classifiers, oldest first."""
    classifiers = tomllib.loads(pyproject.read_text())["project"].get("classifiers", [])
    found = [c.rsplit("::", 1)[1].strip() for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    return sorted(found, key=lambda v: tuple(map(int, v.split("."))))


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if sys.argv[1:] == ["pythons"]:
        print(" ".join(supported_pythons(root)))
    else:
        print("\n".join(lower_bounds(root)))
