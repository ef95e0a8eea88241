"""The RL210 fix: a legacy ``{"name": ..., "keys": [...]}`` dict -> model call.

Kept apart from ``_secretlib`` because it needs libcst (imported inside the
function, so YAML-only runs never load it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry_lint.model import Edit, Fix, Location, SecretSpec
from registry_lint.tracecat import CUSTOM_SECRET_FIELDS as _CUSTOM
from registry_lint.tracecat import OAUTH_SECRET_FIELDS as _OAUTH

if TYPE_CHECKING:
    from registry_lint.extract.python import PythonFile



def legacy_dict_fix(parsed: PythonFile, secret: SecretSpec, cls: str) -> Fix | None:
    import libcst as cst

    source, loc = parsed.source, secret.location
    text = source.text[source.offset(loc.line, loc.col) : source.offset(loc.end_line, loc.end_col)]
    try:
        node = cst.parse_expression(text)
    except Exception:  # anything odd: no fix
        return None
    if not isinstance(node, cst.Dict):
        return None
    fields: dict[str, str] = {}
    module = cst.Module([])
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        try:
            key = element.key.evaluated_value
        except (SyntaxError, ValueError):
            return None
        if not isinstance(key, str) or key in fields:
            return None
        fields[key] = module.code_for_node(element.value)
    fields.pop("type", None)
    if cls == "RegistryOAuthSecret":
        args = _oauth_args(fields, secret)
    else:
        args = fields if set(fields) <= set(_CUSTOM) else None
    if args is None:
        return None
    prefix, import_edit = _class_name(parsed, cls)
    if prefix is None:
        return None
    call = f"{prefix}(" + ", ".join(f"{k}={v}" for k, v in args.items()) + ")"
    edits = [Edit(loc, call)]
    if import_edit is not None:
        edits.append(import_edit)
    return Fix(f"Use {cls}(...)", tuple(edits))


def _oauth_args(fields: dict[str, str], secret: SecretSpec) -> dict[str, str] | None:
    """The legacy validator's normalisation (the extractor applied it to ``secret``):
    provider and grant come from the name, whatever the dict wrote."""
    if set(fields) - {"name", *_OAUTH}:
        return None
    pid = secret.provider_id.text if secret.provider_id else None
    grant = secret.grant_type.text if secret.grant_type else None
    if not pid or not grant or '"' in pid or "\\" in pid:
        return None
    args = {"provider_id": f'"{pid}"', "grant_type": f'"{grant}"'}
    if "optional" in fields:
        args["optional"] = fields["optional"]
    return args


def _class_name(parsed: PythonFile, cls: str) -> tuple[str | None, Edit | None]:
    """How the module can spell ``cls``, and an import edit when it cannot yet."""
    import libcst as cst

    from registry_lint.extract.pyimports import canonical

    target = f"tracecat_registry.{cls}"
    for local, qual in sorted(parsed.scope.imports.names.items()):
        if canonical(qual) == target:
            return local, None
    for local, qual in sorted(parsed.scope.imports.names.items()):
        if canonical(qual) == "tracecat_registry":
            return f"{local}.{cls}", None
    for stmt in parsed.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and parsed.scope.code(small.module or cst.Name("x")).startswith("tracecat_registry"):
                end = parsed.loc(small)
                line = f"from tracecat_registry import {cls}"
                if cls == "RegistrySecret":
                    # After the import on its own line (distinct from the OAuth
                    # insertion point, so both survive when a file needs both).
                    return cls, Edit(Location(end.path, end.end_line, end.end_col, end.end_line, end.end_col), "\n" + line)
                nxt = end.end_line + 1
                return cls, Edit(Location(end.path, nxt, 1, nxt, 1), line + "\n")
    return None, None
