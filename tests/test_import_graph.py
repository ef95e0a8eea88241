"""The package's modules import one way: no import cycles, not even through
imports inside functions (they hide a cycle from Python, not from a reader).

The graph is built from the source with ``ast``: every ``import`` and
``from ... import`` anywhere in a module (functions included), relative
imports resolved, ``from package import name`` counted as an import of the
submodule when ``name`` is one. Imports under ``if TYPE_CHECKING:`` never
run and are left out: an annotation may name a type of a module that
imports this one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import registry_lint
import registry_lint.rules

PACKAGES = {"registry_lint": Path(registry_lint.__file__).parent, "registry_lint.rules": Path(registry_lint.rules.__file__).parent}


def modules() -> dict[str, Path]:
    """Every module of the package (``registry_lint.rules`` lives in its own directory)."""
    found: dict[str, Path] = {}
    for package, root in PACKAGES.items():
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            if parts and parts[0] == "rules" and package == "registry_lint":
                continue  # not a module of the package: `rules/` is mapped to registry_lint.rules
            found[".".join([package, *parts])] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
            if name == "TYPE_CHECKING":
                skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_only(tree)
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(name, path, known) for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle (its modules in import order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_covers_the_package() -> None:
    edges = graph()
    assert "registry_lint.engine" in edges and "registry_lint.rules.secrets" in edges
    assert "registry_lint.model" in edges["registry_lint.engine"]
    # Function-local imports count.
    assert any("registry_lint.extract.python" in targets for targets in edges.values())


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


PARSERS = ("libcst", "yaml", "tree_sitter", "tree_sitter_typescript")


def test_the_engine_and_the_run_know_no_syntax() -> None:
    """Only the extractors parse: the per-file engine dispatches by kind, and
    nothing around it (the run, the pool, the cache, the results) imports a parser."""
    mods = modules()
    for name in ("engine", "run", "parallel", "cache", "cache_format", "results"):
        path = mods[f"registry_lint.{name}"]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
        assert not {m for m in imported if m.split(".")[0] in PARSERS}, name


def test_rule_families_import_no_other_family() -> None:
    """A family module holds its rules: it imports helpers (``rules/_*.py``) and
    the linter, never another family (rules are found by walking the package,
    not through imports at the bottom of a family)."""
    edges = graph()
    prefix = "registry_lint.rules."
    wrong = sorted(
        (name, target)
        for name, targets in edges.items()
        if name.startswith(prefix)
        for target in targets
        if target.startswith(prefix) and not target[len(prefix) :].startswith("_")
    )
    assert not wrong, wrong
