"""Resolve dotted names through a module's own import statements.

A small replacement for LibCST's ``QualifiedNameProvider`` (far too slow
for a pre-commit hook): imports are flow-insensitive, which is what a
registry module needs to spell ``registry.register`` or ``secrets.get``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..tracecat import SDK_REEXPORTS

# Internal modules and the public names they are re-exported under.
_CANONICAL_PREFIXES = (*SDK_REEXPORTS, ("typing_extensions", "typing"))


def canonical(qualname: str) -> str:
    for prefix, public in _CANONICAL_PREFIXES:
        if qualname == prefix or qualname.startswith(prefix + "."):
            return public + qualname[len(prefix) :]
    return qualname


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def module_name(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    return dotted(node) or ""


@dataclass
class ImportTable:
    #: local name -> qualified name it is bound to
    names: dict[str, str] = field(default_factory=dict)
    #: local name -> (relative level, module, imported name) for sibling lookups
    relative: dict[str, tuple[int, str, str]] = field(default_factory=dict)

    def add(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = module_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.names[alias.asname.name.value] = full
                else:
                    top = full.split(".", 1)[0]
                    self.names[top] = top
            return
        if isinstance(node.names, cst.ImportStar):
            return
        level = len(node.relative)
        mod = module_name(node.module)
        for alias in node.names:
            imported = module_name(alias.name)
            local = imported
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            if level:
                self.relative[local] = (level, mod, imported)
                self.names[local] = f"{'.' * level}{mod + '.' if mod else ''}{imported}"
            else:
                self.names[local] = f"{mod}.{imported}" if mod else imported
                self.relative.pop(local, None)

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """Canonical qualified name of an expression, or None for local names."""
        text = dotted(node)
        if text is None:
            return None
        head, _, rest = text.partition(".")
        bound = self.names.get(head)
        if bound is None:
            return None
        return canonical(f"{bound}.{rest}" if rest else bound)
