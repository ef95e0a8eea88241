"""RL405-RL407: secret reads in Python code: ``secrets.get`` of an optional
key without a guard, credentials read from the environment, environment
fallbacks for a secret. RL408 and RL410 are ``usage_values.py``.

libcst is imported inside the hooks (through ``analysis.pyflow``), never at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Location, SecretRef, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.declared import Declared
from registry_lint.analysis.names import credential_name
from registry_lint.analysis.reads import python_reads
from ._secretlib import failing_label, where
from ._usage_examples import PY_HEAD, py

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile

_OS = "import os\n\n" + PY_HEAD


def _optional_only(ref: SecretRef, declared: Declared) -> str | None:
    """Why ``secrets.get(K)`` may raise: K is only optional in ``declared``."""
    key = ref.key
    if ref.via != "get" or key is None or not declared.complete or key not in declared.by_key:
        return None
    if declared.required(key) is not False:
        return None
    spec = declared.by_key[key][0]
    name = spec.secret_name or "?"
    if spec.is_optional:
        why = f"its secret {name!r} is optional=True"
    else:
        why = f"it is only in optional_keys of secret {name!r}"
    return f"{why} ({where(spec.location, ref.location.path)})"


class RequiredGetOnOptional(Rule):
    """## What it does
    Reports `secrets.get("K")` where `K` is only an optional key
    (`optional_keys`), or belongs only to secrets declared `optional=True`.

    A key listed in both `keys` and `optional_keys` counts as optional
    (Tracecat subtracts the optional keys).

    Not reported when the read is guarded within its function (`_guards.py`):
    it runs only after the code checked that K is present
    (`if secrets.get_or_default("K"):`, a name assigned from that, an early
    `return`/`raise` when it is absent), or inside an explicit auth-mode
    branch (a `case` of a `match`, an `if mode == "..."` branch). Guards in
    a caller are not followed.

    ## Why is this bad?
    Tracecat does not require optional keys or optional secrets to be set,
    so `secrets.get` raises `SecretNotFoundError` in exactly the setups the
    declaration says are fine.

    Severity: warning. The action fails only in the setups that leave the
    key out (`tracecat_registry/_internal/secrets.py`: `get` raises;
    `tracecat/validation/service.py` does not require optional keys).

    ## Example
    ```python
    region = secrets.get("ACME_REGION")  # ACME_REGION is in optional_keys
    ```

    ## Use instead
    ```python
    region = secrets.get_or_default("ACME_REGION", "us-east-1")
    ```
    """

    code = "RL405"
    name = "required-get-on-optional"
    severity = Severity.WARNING
    sources = ("python",)
    VALID = (
        Valid(py('    return secrets.get("ACME_API_KEY") + (secrets.get_or_default("ACME_REGION") or "")')),
        Valid(py('    if secrets.get_or_default("ACME_REGION"):\n        return secrets.get("ACME_REGION")\n    return "us"')),
        Valid(py('    region = secrets.get_or_default("ACME_REGION")\n    if not region:\n        return "us"\n    return secrets.get("ACME_REGION")')),
        Valid(py('    match mode:\n        case "regional":\n            return secrets.get("ACME_REGION")\n    return ""', params="mode: str")),
        Valid(py('    if mode == "regional":\n        return secrets.get("ACME_REGION")\n    return ""', params="mode: str")),
    )
    INVALID = (
        Invalid(py('    region = secrets.get("ACME_REGION")\n    return "ok"'), line=8, col=26, message="optional_keys of secret 'acme' (line 3)"),
        Invalid(
            py(
                '    token = secrets.get("OKTA_TOKEN")\n    return "ok"',
                head=PY_HEAD + 'okta = RegistrySecret(name="okta", keys=["OKTA_TOKEN"], optional=True)\n\n\n',
                secrets="[acme, okta]",
            ),
            line=11,
            col=25,
            message="optional=True",
        ),
        # A condition on something else is no guard.
        Invalid(py('    if retries > 1:\n        return secrets.get("ACME_REGION")\n    return ""', params="retries: int"), line=9, col=28),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.analysis.guards import guarded_reads

        guarded: set[Location] | None = None  # the guard walk only when a read is in question
        for ref, scopes in python_reads(parsed):
            failing = [(s, why) for s in scopes if (why := _optional_only(ref, s.declared)) is not None]
            if failing:
                guarded = guarded_reads(parsed) if guarded is None else guarded
                if ref.location in guarded:
                    continue
                label = failing_label(scopes, [s for s, _ in failing])
                yield self.diagnostic(
                    ref.location,
                    f"secrets.get({ref.key!r}) raises when the key is absent, and for {label} {failing[0][1]}: "
                    f"use secrets.get_or_default({ref.key!r}, ...)",
                )


def _declared_keys(parsed: PythonFile) -> dict[str, str]:
    from registry_lint.extract.pydecls import module_declarations

    out: dict[str, str] = {}
    for spec in [s for a in parsed.actions for s in a.spec.secrets] + module_declarations(parsed):
        for key in spec.exposed_keys():
            out.setdefault(key, spec.secret_name or "?")
    return out


class CredentialFromEnvironment(Rule):
    """## What it does
    Reports `os.environ[...]`, `os.environ.get(...)` and `os.getenv(...)`
    (any import spelling) reading a credential in a module that registers
    actions.

    A credential is a key one of the module's secrets declares, or a name that
    says it is a credential (`*_API_KEY`, `*_TOKEN`, `*_SECRET`,
    `*_PASSWORD`, `*_PRIVATE_KEY`; not `*_TOKEN_URL`, `PAGE_TOKEN`).
    Environment reads used as a fallback for a secret are RL407.

    A read in the registered function's own code is RL157's (Tracecat
    refuses to register the function at all); this rule covers the helpers
    such a check does not look into.

    ## Why is this bad?
    The executor's environment belongs to the Tracecat deployment, not to
    the workspace running the action: the value is shared by every
    workspace, is not in the secret store (no rotation, no per-environment
    values, no masking) and is invisible to the workflow's validation.

    Severity: error. The action runs, but it leaks a credential: one
    deployment's key is used for every workspace (a leaked credential is an
    error, like a hardcoded one). Tracecat's own check
    (`_enforce_restrictions`) only looks at the registered function itself.

    ## Example
    ```python
    api_key = os.environ["ACME_API_KEY"]
    ```

    ## Use instead
    ```python
    api_key = secrets.get("ACME_API_KEY")  # with secrets=[RegistrySecret(name="acme", keys=["ACME_API_KEY"])]
    ```
    """

    code = "RL406"
    name = "credential-from-environment"
    sources = ("python",)
    VALID = (
        Valid(py('    return os.getenv("ACME_BASE_URL", "https://acme.test")', head=_OS)),
        Valid("import os\n\nfrom tracecat_registry import secrets\n\nTOKEN = os.getenv('ACME_TOKEN')\n"),
    )
    INVALID = (
        Invalid(py('    return _key()\n\n\ndef _key() -> str:\n    return os.environ["ACME_API_KEY"]', head=_OS), line=14, col=12, message="declared by secret 'acme'"),
        Invalid(
            py("    return getenv('GITHUB_TOKEN') or ''", head="from os import getenv\n\n" + PY_HEAD),
            line=10,
            col=12,
            message="secrets.get('GITHUB_TOKEN')",
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        if not parsed.actions:
            return
        from registry_lint.analysis.pyflow import analyze

        flow = analyze(parsed)
        declared = _declared_keys(parsed)
        refused = _refused_ranges(parsed)
        for read in flow.env_reads:
            key = read.key
            if key is None or id(read.node) in flow.fallbacks or _inside(read.location, refused):
                continue
            if key in declared:
                why = f"{key!r} is declared by secret {declared[key]!r}"
            elif credential_name(key):
                why = f"{key!r} is a credential"
            else:
                continue
            yield self.diagnostic(
                read.location,
                f"{read.spelling} reads a credential from the process environment ({why}): the executor's environment is "
                f"shared by every workspace; declare it in secrets= and use secrets.get({key!r})",
            )


def _refused_ranges(parsed: PythonFile) -> list[Location]:
    """Registered functions Tracecat refuses for their environment reads:
    RL157 reports them once (one mistake, one finding)."""
    from registry_lint.analysis.conames import restricted

    return [parsed.loc(action.func) for action, _, _ in restricted(parsed)]


def _inside(loc: Location, ranges: list[Location]) -> bool:
    return any((r.line, r.col) <= (loc.line, loc.col) and (loc.end_line, loc.end_col) <= (r.end_line, r.end_col) for r in ranges)


class EnvironmentFallback(Rule):
    """## What it does
    Reports an environment read used as a fallback for a secret.

    Caught: `secrets.get_or_default("K") or os.getenv("K")`, an env read as the
    default of `get_or_default`, a secret read as the default of
    `os.getenv`, and a variable assigned from a secret read and, in the same
    function, from an env read (`if not key: key = os.environ.get(...)`).

    A fallback in the registered function's own code is RL157's (Tracecat
    refuses to register it).

    ## Why is this bad?
    When a workspace has not configured the secret, the action silently
    uses whatever credential the Tracecat deployment's environment holds:
    one deployment's key leaks to every user and workspace.

    Severity: error. It leaks a credential across workspaces (a leaked
    credential is an error, like a hardcoded one), although the action runs.

    ## Example
    ```python
    token = secrets.get_or_default("ACME_API_KEY") or os.getenv("ACME_API_KEY")
    ```

    ## Use instead
    ```python
    token = secrets.get("ACME_API_KEY")
    ```
    """

    code = "RL407"
    name = "environment-fallback"
    sources = ("python",)
    VALID = (Valid(py('    region = secrets.get_or_default("ACME_REGION") or "us"\n    return os.getenv("ACME_BASE_URL") or region', head=_OS)),)
    INVALID = (
        Invalid(py('    return _key()\n\n\ndef _key() -> str:\n    return secrets.get_or_default("ACME_API_KEY") or os.getenv("ACME_API_KEY")', head=_OS), line=14, col=54),
        Invalid(py('    return _key()\n\n\ndef _key() -> str:\n    return secrets.get_or_default("ACME_API_KEY", os.environ.get("ACME_KEY"))', head=_OS), line=14, col=51),
        Invalid(
            py('    return _key()\n\n\ndef _key() -> str:\n    key = secrets.get_or_default("ACME_API_KEY")\n    if not key:\n        key = os.environ["ACME_API_KEY"]\n    return "ok"', head=_OS),
            line=16,
            col=15,
            message="'ACME_API_KEY'",
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.analysis.pyflow import analyze

        flow = analyze(parsed)
        refused = _refused_ranges(parsed)
        for read in flow.env_reads:
            secret_key = flow.fallbacks.get(id(read.node))
            if secret_key is None or _inside(read.location, refused):
                continue
            yield self.diagnostic(
                read.location,
                f"{read.spelling} is a fallback for secrets.get({secret_key}): when a workspace has not set the secret, "
                "the deployment's environment value is used for every user; read the secret only",
            )


