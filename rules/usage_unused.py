"""RL404: a declared secret or key no code of the action reads (Python reads
the action reaches, template references, what built-in step actions read).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.declared import keys_known, local
from ._usage_examples import PY_HEAD, py, yml

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile


class UnusedSecret(Rule):
    """## What it does
    *Opt-in.* Reports a declared secret (or a key of one) that the action
    never reads.

    YAML: no `${{ SECRETS.name.KEY }}` names it. Python: no
    `secrets.get`/`get_or_default` in the action or the module functions it
    calls reads any of its keys.

    Skipped when a read's key is computed, when the action's secrets are not
    statically known, for Python actions that call code imported from the
    linted tree (helpers there may read the secret; an action of the same
    module that calls none is still checked), and for templates with a step
    that calls a UDF (`tools.*`, most `core.*`): Tracecat hands the
    template's secrets to its steps, which read them with `secrets.get`.
    `core.http_request`/`core.http_poll` steps count as reading the mTLS/CA
    keys (`TLS_CERTIFICATE`, `TLS_PRIVATE_KEY`, `CA_CERTIFICATE`).

    ## Why is this bad?
    Tracecat fetches every declared secret before the action runs; a
    required one that is never used still makes the action fail when it is
    missing, and users configure credentials that do nothing.

    Severity: warning. Tracecat fetches it and the action runs.

    ## Example
    ```yaml
    secrets:
      - name: acme
        keys: [ACME_API_KEY]
      - name: legacy
        keys: [OLD_TOKEN]
    ```

    ## Use instead
    Remove `legacy` (or the unused key) from the declaration.
    """

    code = "RL404"
    name = "unused-secret"
    severity = Severity.WARNING
    opt_in = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('    return str(bool(secrets.get("ACME_API_KEY") and secrets.get_or_default("ACME_REGION")))')),
        Valid(yml("{X-Key: '${{ SECRETS.acme.ACME_API_KEY }}'}"), filename="t.yml"),
        # It calls imported code of the tree, which may read the secret.
        Valid(py("    return make()", head="from client import make\n" + PY_HEAD), files={"client.py": "def make() -> str:\n    return ''\n"}),
    )
    INVALID = (
        Invalid(py('    return "ok"'), line=3, col=8, message="never read"),
        # The module imports code of the tree, but this action calls none of it.
        Invalid(
            py('    return "ok"', head="from client import make\n" + PY_HEAD),
            files={"client.py": "def make() -> str:\n    return ''\n"},
            line=4,
            col=8,
        ),
        Invalid(py('    return secrets.get("ACME_API_KEY")'), line=3, col=74, message="ACME_REGION"),
        Invalid(
            yml("{X-Key: '${{ SECRETS.acme.ACME_API_KEY }}'}", secrets="    - name: acme\n      keys: [ACME_API_KEY]\n    - name: legacy\n      keys: [OLD]\n"),
            filename="t.yml",
            line=8,
            col=7,
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        imported = _local_import_names(parsed, ctx)
        for action in parsed.actions:
            if not imported or not _calls_any(parsed, action.scope_name, imported):
                yield from self._unused(action.spec, frozenset())

    def check_yaml(self, parsed: object, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.extract.yamlnodes import YamlFile

        assert isinstance(parsed, YamlFile)
        if parsed.spec is None:
            return
        implicit = _step_reads(parsed)
        if implicit is not None:
            yield from self._unused(parsed.spec, implicit)

    def _unused(self, action: ActionSpec, implicit: frozenset[str]) -> Iterator[Diagnostic]:
        if not action.secrets_known or any(r.key is None for r in action.refs):
            return
        template = action.source == "yaml"
        used_names = {r.secret for r in action.refs if r.secret}
        used_keys = {(r.secret if template else None, r.key) for r in action.refs}
        for secret in action.secrets:
            name = secret.secret_name
            if name is None or not keys_known(secret):
                continue
            at = secret.location if local(action, secret) else (action.secrets_location or action.location)
            scope = name if template else None
            exposed = secret.exposed_keys()
            read = {k for k in exposed if (scope, k) in used_keys or k in implicit}
            if not read and not (template and name in used_names and not exposed):
                label = f"OAuth secret {name!r} ({secret.grant_type.text if secret.grant_type else '?'})" if secret.kind == "oauth" else f"Secret {name!r}"
                yield self.diagnostic(at, f"{label} is declared but never read by action `{action.name.text if action.name else '?'}`")
                continue
            if secret.kind == "custom" and local(action, secret):
                for value in (*secret.key_values(), *secret.key_values(optional=True)):
                    if value.text and value.text not in read:
                        yield self.diagnostic(value.location, f"Key {value.text!r} of secret {name!r} is declared but never read")


def _step_reads(parsed: object) -> frozenset[str] | None:
    """Keys the template's steps read implicitly; None when a step may read any
    (a UDF step gets the template's secrets as its own)."""
    import yaml

    from registry_lint.extract.yamlnodes import get
    from registry_lint.tracecat import BUILTIN_NO_READS_PREFIX, BUILTIN_STEP_READS

    steps = get(parsed.definition, "steps")
    if not isinstance(steps, yaml.SequenceNode):
        return frozenset()
    keys: set[str] = set()
    for step in steps.value:
        action = get(step, "action")
        name = action.value if isinstance(action, yaml.ScalarNode) else None
        if not isinstance(name, str):
            return None
        if name.startswith(BUILTIN_NO_READS_PREFIX):
            continue
        if name not in BUILTIN_STEP_READS:
            return None
        keys |= BUILTIN_STEP_READS[name]
    return frozenset(keys)


def _local_import_names(parsed: PythonFile, ctx: FileContext) -> set[str]:
    """Names the module binds to code of the linted tree (relative imports, or
    modules found next to it): helpers there may read secrets.

    Whether such a module exists is a file-system fact: every path looked at
    goes into ``ctx.deps``, so the cached result changes when one appears or
    goes away. Once per file (the probes are the cost)."""
    from registry_lint.extract.siblings import is_module_file, module_bases, module_files
    from registry_lint.tracecat import is_sdk_api

    imports = parsed.scope.imports
    out = set(imports.relative)
    for name, qual in imports.names.items():
        if name in out or is_sdk_api(qual):
            continue
        # `from pkg.mod import name`: the module is `pkg.mod` (or `pkg.mod.name`).
        for module in (qual, qual.rpartition(".")[0]):
            if module and any(
                is_module_file(path, ctx.deps) for base in module_bases(ctx.source.path, module, absolute=True) for path in module_files(base)
            ):
                out.add(name)
                break
    return out


def _calls_any(parsed: PythonFile, entry: str, names: set[str]) -> bool:
    """Whether ``entry`` or a module function it reaches calls one of ``names``."""
    import libcst as cst

    from registry_lint.extract.pyimports import dotted

    from registry_lint.analysis.pytaint import select

    for fname in parsed.reachable(entry):
        for call in select(parsed.functions[fname].node, frozenset({cst.Call})):
            head = (dotted(call.func) or "").partition(".")[0]
            if head in names:
                return True
    return False
