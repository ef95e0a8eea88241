"""check-versions.py X.Y [CONSTRAINTS]: fail unless this interpreter is Python X.Y
and every pinned dependency is installed at exactly its pinned version.

Guards .ci/run against testing something other than what it claims (a
constraint pip ignored, a venv built from the wrong interpreter).
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, version



def release(text: str) -> tuple[int, ...]:
    """``6.0`` -> (6, 0, 0): the first three numbers, padded."""
    return tuple(([int(p) for p in re.findall(r"\d+", text)[:3]] + [0, 0, 0])[:3])


want_python = sys.argv[1]
have_python = "%d.%d" % sys.version_info[:2]
problems = [] if have_python == want_python else [f"Python {have_python}, expected {want_python}"]
if len(sys.argv) > 2:
    with open(sys.argv[2]) as pins:
        for line in pins:
            name, _, pinned = line.strip().partition("==")
            try:
                got = version(name)
            except PackageNotFoundError:
                continue  # an extra this environment does not install (bench)
            if release(got) != release(pinned):
                problems.append(f"{name} {got}, expected {pinned}")
if problems:
    sys.exit("check-versions: " + "; ".join(problems))
print(f"check-versions: Python {have_python}" + (f", {sys.argv[2]} pins installed" if len(sys.argv) > 2 else ""))
