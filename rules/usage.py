"""RL401-RL402: secrets and keys an action reads but does not declare.

Model rules check ``SecretRef``s against the declarations of the action
that makes them; Python reads in helpers are checked once per read against
every action that reaches them (``python_reads``). The rest of the family:
declarations nothing reads (RL404, ``usage_unused.py``), reads in Python
code (RL405-RL407, ``usage_python.py``), where values go (RL408, RL410,
``usage_values.py``), template text (RL409, ``usage_templates.py``) and
call shapes (``usage_calls.py``). Nothing is reported when the declarations
or the key are not statically known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from registry_lint.model import ActionSpec, Diagnostic, SecretRef, SecretSpec, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.declared import Declared, keys_known
from registry_lint.analysis.refs import path_key, token_like, well_formed
from registry_lint.tracecat import RUNTIME_KEYS
from ._secretlib import bare, closest, short_list, shown, where
from ._usage_examples import PY_HEAD, py, yml

if TYPE_CHECKING:
    from registry_lint.context import FileContext, ProjectContext
    from registry_lint.extract.python import PythonFile

def _token_owned(key: str, declared: Declared) -> bool:
    """RL304 reports token-looking keys when the action declares OAuth secrets."""
    tokens = {t for t, _ in declared.tokens()}
    return bool(declared.oauth) and (token_like(key) or key.upper() in tokens)


def undeclared_key(ref: SecretRef, declared: Declared) -> str | None:
    """Why a well-formed read's key is not declared (None: it is, or unknown)."""
    key = ref.key
    if key is None or not well_formed(ref) or not declared.complete:
        return None
    if ref.via == "template":
        name = ref.secret or ""
        specs = [s for s in declared.by_name.get(name, ()) if s.kind == "custom"]
        if name.endswith("_oauth") or not specs or not all(keys_known(s) for s in specs):
            return None
        keys = [k for s in specs for k in s.exposed_keys()]
        if key in keys:
            return None
        guess = closest(key, keys, cutoff=0.75)
        hint = f"did you mean {shown(guess)}? " if guess else ""
        return f"{hint}secret {name!r} ({where(specs[0].location, ref.location.path)}) declares {short_list(map(bare, keys)) or 'no keys'}"
    if path_key(key) is not None or key in declared.by_key or key in RUNTIME_KEYS or _token_owned(key, declared):
        return None
    keys = list(declared.by_key)
    guess = closest(key, keys, cutoff=0.75)
    hint = f"did you mean {shown(guess)}? " if guess else ""
    return f"{hint}declared keys: {short_list(map(bare, keys)) or 'none'}"


class UndeclaredSecretKey(Rule):
    """## What it does
    Reports a read of a key that the action does not declare.

    Python: `secrets.get("K")` / `secrets.get_or_default("K", ...)` where no
    declared secret of the action (OAuth token keys included) has `K`. YAML:
    `${{ SECRETS.name.K }}` where the declared secret `name` has no key `K`.

    A read in a helper is checked against every action that reaches it and
    reported at the call in each such action that leads to the helper (the
    action is what declares too little); a read in a helper no action of
    the module reaches is checked against all declarations of the module,
    at the read. OAuth token keys are RL304's job.

    ## Why is this bad?
    Tracecat fetches the declared secrets and flattens every key the
    workspace stored in them for `secrets.get`. A key the action does not
    declare is there only if some workspace happens to store it in one of
    those secrets: in a workspace configured as the action declares,
    `secrets.get` raises `SecretNotFoundError` (`get_or_default` returns
    the default) and a template reference renders `None`.

    Severity: error for `secrets.get` and template references: the read
    fails in a workspace set up as declared
    (`tracecat_registry/_internal/secrets.py`: `get`;
    `tracecat/secrets/secrets_manager.py`: `flatten_secrets`). Warning for
    `secrets.get_or_default`, which never fails.

    ## Example
    ```python
    @registry.register(..., secrets=[RegistrySecret(name="acme", keys=["ACME_API_KEY"])])
    async def search() -> str:
        key = secrets.get("ACME_TOKEN")
    ```

    ## Use instead
    Declare the key (`keys=["ACME_API_KEY", "ACME_TOKEN"]`) or read the
    declared one.
    """

    code = "RL401"
    name = "undeclared-secret-key"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('    key = secrets.get("ACME_API_KEY")\n    region = secrets.get_or_default("ACME_REGION", "us")\n    return "ok"')),
        Valid(py('    key = secrets.get("ACME_TOKEN")\n    return "ok"', secrets="SECRETS")),
        Valid(yml("{X-Key: '${{ SECRETS.acme.ACME_API_KEY }}'}"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('    key = secrets.get("ACME_TOKEN")\n    return "ok"'),
            line=8,
            col=23,
            message="declared keys: ACME_API_KEY, ACME_REGION",
            severity=Severity.ERROR,
        ),
        # A helper's read is reported at the action's call that reaches it.
        Invalid(
            py('    return _client()\n\n\ndef _client() -> str:\n    return secrets.get_or_default("ACME_APIKEY", "")'),
            line=8,
            col=12,
            message="did you mean 'ACME_API_KEY'",
            severity=Severity.WARNING,
        ),
        # Not reached by any action: checked against the module's declarations, at the read.
        Invalid(py('    return ""\n\n\ndef _unused() -> str:\n    return secrets.get("ACME_TOKEN")'), line=12, col=24, message="any action"),
        Invalid(yml("{X-Key: '${{ SECRETS.acme.API_KEY }}'}"), filename="t.yml", line=12, col=31, message="declares ACME_API_KEY"),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if action.source != "yaml" or not action.secrets_known:
            return
        declared = Declared.of(action.secrets)
        for ref in action.refs:
            why = undeclared_key(ref, declared)
            if why is not None:
                yield self.diagnostic(ref.location, f"Key {shown(ref.key or '')} is not declared by secret {ref.secret!r}: {why}")

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        for action in parsed.actions:
            spec = action.spec
            declared = Declared.of(spec.secrets, spec.secrets_known)
            name = spec.name.text if spec.name else "?"
            # Helper reads, grouped by the call in the action that reaches them: one finding per call.
            via_call: dict[tuple[str, str], list[tuple[SecretRef, str]]] = {}
            for fname in parsed.reachable(action.scope_name):
                for ref in parsed.functions[fname].refs:
                    why = undeclared_key(ref, declared)
                    if why is None:
                        continue
                    if fname == action.scope_name:
                        yield self.diagnostic(
                            ref.location,
                            f"Key {shown(ref.key or '')} read with secrets.{ref.via}() is not declared by action `{name}`: {why}",
                            severity=_read_severity(ref),
                        )
                    else:
                        via_call.setdefault((fname, ref.via), []).append((ref, why))
            sites = parsed.entry_calls(action.scope_name) if via_call else {}
            for (fname, via), found in via_call.items():
                site = sites.get(fname)
                at = parsed.loc(site) if site is not None else found[0][0].location
                keys = short_list([shown(ref.key or "") for ref, _ in found], limit=4)
                lines = short_list([where(ref.location, parsed.source.path) for ref, _ in found], limit=4)
                noun = "Key" if len(found) == 1 else "Keys"
                verb = "is" if len(found) == 1 else "are"
                yield self.diagnostic(
                    at,
                    f"{noun} {keys}, read with secrets.{via}() in `{fname}` ({lines}), {verb} not declared by action "
                    f"`{name}`: {found[0][1]}",
                    severity=_read_severity(found[0][0]),
                )
        union = _module_union(parsed)
        for ref in parsed.module_refs if union is not None else ():
            why = undeclared_key(ref, union)
            if why is not None:
                yield self.diagnostic(
                    ref.location,
                    f"Key {shown(ref.key or '')} read with secrets.{ref.via}() is not declared by any action of this module: {why}",
                    severity=_read_severity(ref),
                )


def _read_severity(ref: SecretRef) -> Severity:
    """``secrets.get`` raises for a missing key; ``get_or_default`` never does."""
    return Severity.WARNING if ref.via == "get_or_default" else Severity.ERROR


def _module_union(parsed: PythonFile) -> Declared | None:
    """Every declaration of the module, for reads in helpers no action reaches."""
    from registry_lint.extract.pydecls import module_declarations

    every = [s for a in parsed.actions for s in a.spec.secrets] + module_declarations(parsed)
    if not every:
        return None
    return Declared.of(every, all(a.spec.secrets_known for a in parsed.actions))


class UndeclaredSecret(Rule):
    """## What it does
    Reports `${{ SECRETS.name.KEY }}` in a template whose secret `name` is
    not declared in `definition.secrets` nor by the action of one of its
    steps (`<x>_oauth` names are RL305's).

    Tracecat fetches the secrets of a template's step actions too, so a
    name a step's action declares resolves: `SECRETS.mtls.TLS_CERTIFICATE`
    in a template whose step calls `core.http_request` (which declares the
    optional `mtls` and `ca_cert` secrets), or a secret a UDF of the linted
    files declares when a step calls it. Step actions are looked up like
    RL615 does (the linted files, `extra-actions`, the built-in catalogue,
    which records the built-in actions' declarations), through nested
    templates too. When a step's action is not found, or its declarations
    are not statically known (an `extra-actions` entry, a `secrets=` the
    linter cannot evaluate), nothing is reported: that action may declare
    the name.

    ## Why is this bad?
    Tracecat fetches the secrets a template and its step actions declare;
    it never scans the template's own expressions for more (only a
    workflow's arguments are scanned), so `SECRETS.name.KEY` of a secret
    nothing declares renders `None` and the request is sent without the
    credential, whatever the workspace has. It is usually a typo of a
    declared name.

    Severity: error. The reference never resolves
    (`tracecat/executor/service.py`: `prepare_resolved_context` fetches
    `collect_action_secrets_from_manifest`, which walks the template's
    steps recursively (`tracecat/executor/registry_resolver.py`), plus the
    workflow arguments' expressions; `_execute_template_action` renders
    the steps against that one context).

    ## Example
    ```yaml
    secrets:
      - name: acme
        keys: [ACME_API_KEY]
    ...
    X-Key: ${{ SECRETS.acme_prod.ACME_API_KEY }}
    ```

    ## Use instead
    ```yaml
    X-Key: ${{ SECRETS.acme.ACME_API_KEY }}
    ```
    """

    code = "RL402"
    name = "undeclared-secret"
    sources = ("yaml",)
    VALID = (
        Valid(yml("{X-Key: '${{ SECRETS.acme.ACME_API_KEY }}'}"), filename="t.yml"),
        Valid(yml("{X-Key: '${{ SECRETS.other.K }}'}", secrets="    - ${{ inputs.secret }}\n"), filename="t.yml"),
        # Declared by the step's action: core.http_request declares `mtls` (built-in catalogue).
        Valid(yml("{X-Cert: '${{ SECRETS.mtls.TLS_CERTIFICATE }}'}"), filename="t.yml"),
        # Declared by a UDF of the linted files that a step calls.
        Valid(
            yml("{X-Key: '${{ SECRETS.acme.K }}'}", secrets="    []\n").replace("core.http_request", "tools.acme.lookup"),
            filename="t.yml",
            files={"acme.py": PY_HEAD.replace("acme = ", "ACME = ") + '@registry.register(namespace="tools.acme", '
                   'description="d", secrets=[ACME])\nasync def lookup(headers: dict) -> str:\n    return ""\n'},
        ),
    )
    INVALID = (
        Invalid(yml("{X-Key: '${{ SECRETS.acme_prod.ACME_API_KEY }}'}"), filename="t.yml", line=12, col=31, message="did you mean 'acme'"),
        Invalid(yml("'${{ SECRETS.acme.ACME_API_KEY }}'", secrets="    []\n"), filename="t.yml", line=11, col=23, message="declares no secrets"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterator[Diagnostic]:
        for action in actions:
            if action.source != "yaml" or not action.secrets_known or action.unloadable is not None or not action.refs:
                continue
            if any(s.kind == "custom" and (s.name is None or not s.name.known) for s in action.secrets):
                continue
            # Imported here: a run without template references never loads the step analysis.
            from registry_lint.analysis.steps import step_declarations

            yield from self._undeclared(action, *step_declarations(action, actions, ctx))

    def _undeclared(self, action: ActionSpec, from_steps: list[SecretSpec], complete: bool) -> Iterator[Diagnostic]:
        declared = Declared.of(action.secrets)
        names = sorted(n for n, specs in declared.by_name.items() if any(s.kind == "custom" for s in specs))
        fetched = {s.secret_name for s in from_steps}
        for ref in action.refs:
            name = ref.secret
            if not well_formed(ref) or not name or name.endswith("_oauth") or name in names or name in fetched:
                continue
            if not complete:
                continue  # a step action whose declarations are not known may declare it
            if f"{name}_oauth" in declared.by_name:
                hint = f"the OAuth secret of provider {name!r} is `SECRETS.{name}_oauth`"
            elif guess := closest(name, names):
                hint = f"did you mean {guess!r}?"
            else:
                hint = f"declared: {short_list(names)}" if names else "the action declares no secrets"
            yield self.diagnostic(
                ref.location, f"Secret {name!r} is declared neither in definition.secrets nor by a step's action: {hint}"
            )


