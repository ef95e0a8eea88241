"""Loader reach: templates and UDFs Tracecat never registers (RL619)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import UDFS, template

CODES = ("RL619",)


def cases() -> Iterator[Case]:
    text = template()
    for suffix, path in [
        ("ok", "templates/subject.yml"), ("ok_root", "subject.yml"), ("ok_yaml_ext", "templates/subject.yaml"),
        ("dash_dir", "templates/par-ity/subject.yml"), ("space_dir", "templates/par ity/subject.yml"),
        ("digit_dir", "templates/1st/subject.yml"), ("private_dir", "templates/_drafts/subject.yml"),
        ("hidden_dir", "templates/.hidden/subject.yml"), ("schemas_dir", "schemas/subject.yml"),
        ("schemas_nested", "templates/schemas/x/subject.yml"), ("private_file", "templates/_subject.yml"),
        ("hidden_file", "templates/.subject.yml"), ("tests_dir", "tests/subject.yml"), ("build_dir", "templates/build/subject.yml"),
("internal_dir", "_internal/subject.yml"), ("cli_dir", "cli/subject.yml"),
        ("env_dir", "env/subject.yml"), ("dist_dir", "dist/subject.yml"),
    ]:
        yield Case(f"loader-template-{suffix}", {path: text}, CODES, tags=("loader",))
    nested_fn = UDFS.replace("@registry.register(", "def factory():\n    pass\n\n\n@registry.register(", 1)
    in_function = "from typing import Any\n\nfrom tracecat_registry import registry\n\n\ndef make():\n" + "".join(
        "    " + line + "\n" if line else "\n" for line in UDFS.split("\n\n\n", 1)[1].splitlines()
    ) + "    return typed\n"
    in_class = "from typing import Any\n\nfrom tracecat_registry import registry\n\n\nclass Tools:\n" + "".join(
        "    " + line + "\n" if line else "\n" for line in UDFS.split("\n\n\n", 1)[1].splitlines()
    )
    header = UDFS.split("\n\n\n", 1)[0] + "\n\n\n"
    yield Case("loader-udf-ok", {"udfs.py": nested_fn}, CODES, subject="tools.parity.typed", tags=("loader",))
    yield Case("loader-udf-in-function", {"udfs.py": header + in_function.split("\n\n\n", 1)[1]}, CODES, subject="tools.parity.typed", tags=("loader",))
    yield Case("loader-udf-in-class", {"udfs.py": header + in_class.split("\n\n\n", 1)[1]}, CODES, subject="tools.parity.typed", tags=("loader",))
    # Issue 16: Python modules the UDF loader never imports.
    for suffix, path in [("tests_dir", "tests/udfs.py"), ("private_file", "_udfs.py"), ("dash_file", "my-udfs.py"),
                         ("private_dir", "_impl/udfs.py"), ("build_dir", "build/udfs.py")]:
        yield Case(f"loader-udf-{suffix}", {path: UDFS}, CODES, subject="tools.parity.typed", tags=("loader",))
    yield Case("loader-udf-init", {"__init__.py": UDFS}, CODES, subject="tools.parity.typed", tags=("loader",))
    yield Case("loader-udf-reexported", {"_impl.py": UDFS, "udfs.py": "from ._impl import typed\n\n__all__ = [\"typed\"]\n"}, CODES,
               subject="tools.parity.typed", tags=("loader",))
