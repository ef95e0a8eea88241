"""RL405-RL408 and RL410: secret usage rules that need Python code (and, for
RL410, YAML ``expects``). Imported by ``usage.py``; same family, same codes.

libcst is imported inside the hooks (through ``analysis.pyflow``), never at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Location, SecretRef, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.declared import Declared
from registry_lint.analysis.names import credential_name, non_text_type
from registry_lint.analysis.reads import python_reads
from ._secretlib import failing_label, where
from ._usage_examples import PY_HEAD, py, yml

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
    from registry_lint.extract.python import module_declarations

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


class SecretValueLogged(Rule):
    """## What it does
    Reports a value obtained from `secrets.get` / `secrets.get_or_default`
    that reaches a log call, `print()`, an exception message or the
    action's return value.

    Sinks: `print()`, `logging.*` / `logger.*` calls, an exception message
    (`raise X(f"... {token}")`) and, in the registered function itself, the
    action's return value. The value is followed through assignments,
    f-strings, concatenation, `%`, `.format()`, `str()`, `base64`
    encoders, methods of the value (`token.strip()`) and dict/list/tuple
    literals, within one function. Values passed through other calls
    (`len(token)`, `httpx.Client(headers=...)`) are not followed.

    ## Why is this bad?
    Logs, error messages and action results are stored in the workflow run
    history and shown in the UI: the credential leaks to everyone who can
    see the run.

    Severity: error when the credential leaks: a log call (loggers may
    write to a stream the executor does not capture and mask), or a value
    changed on the way (base64, `.encode()`, `.upper()`...) that Tracecat's
    masks cannot recognise. Warning when the value reaches the action's
    result, an exception message or `print()` as fetched (inside a longer
    string too): Tracecat replaces every fetched secret value there with
    `***` (`apply_masks_object` in `tracecat/executor/service.py` and
    `action_runner.py`; captured output in `minimal_runner.py`), unless
    masking is switched off (`TRACECAT__UNSAFE_DISABLE_SM_MASKING`).

    ## Example
    ```python
    token = secrets.get("ACME_API_KEY")
    logger.info(f"Calling Acme with {token}")
    ```

    ## Use instead
    ```python
    logger.info("Calling Acme")
    ```
    """

    code = "RL408"
    name = "secret-value-logged"
    mixed_severity = True
    sources = ("python",)
    VALID = (
        Valid(py('    token = secrets.get("ACME_API_KEY")\n    print(len(token))\n    token = "redacted"\n    print(token)\n    return "ok"')),
        Valid(py('    headers = {"Authorization": f"Bearer {secrets.get(\'ACME_API_KEY\')}"}\n    return str(len(headers))')),
    )
    INVALID = (
        Invalid(
            py('    token = secrets.get("ACME_API_KEY")\n    auth = "Bearer " + token\n    logger.info(f"auth={auth}")\n    return "ok"', head="import logging\n\nlogger = logging.getLogger(__name__)\n" + PY_HEAD),
            line=13,
            col=17,
            message="logger.info()",
            severity=Severity.ERROR,
        ),
        Invalid(py('    key = secrets.get("ACME_API_KEY")\n    return {"key": key}'), line=9, col=12, message="masks", severity=Severity.WARNING),
        Invalid(
            py('    key = secrets.get("ACME_API_KEY")\n    raise ValueError("bad key {}".format(key))'),
            line=9,
            col=22,
            message="(line 8)",
            severity=Severity.WARNING,
        ),
        Invalid(
            py('    key = secrets.get("ACME_API_KEY")\n    return base64.b64encode(key.encode()).decode()', head="import base64\n" + PY_HEAD),
            line=10,
            col=12,
            message="escapes",
            severity=Severity.ERROR,
        ),
        Invalid(
            py('    return _debug()\n\n\ndef _debug() -> str:\n    print(secrets.get_or_default("ACME_REGION"))\n    return ""'),
            line=12,
            col=11,
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.analysis.pyflow import analyze

        for leak in analyze(parsed).leaks:
            masked = leak.exact and leak.masked_sink
            why = (
                "Tracecat masks the value there, but do not rely on it"
                if masked
                else "logs, errors and results are stored in the run history"
                + ("" if leak.exact else ", and a transformed value escapes Tracecat's masking")
            )
            yield self.diagnostic(
                leak.location,
                f"Secret value from secrets.get({leak.key}) (line {leak.source_line}) reaches {leak.sink}: {why}; "
                "never log, raise or return credentials",
                severity=Severity.WARNING if masked else Severity.ERROR,
            )


class CredentialAsInput(Rule):
    """## What it does
    Reports an action parameter (Python) or `expects` field (YAML) whose
    name says it takes a credential.

    Names: `password`, `api_key`, `token`, `client_secret`, `private_key`,
    `webhook_secret`, `access_token`, ...
    Judged by the last word(s) of the name, so `page_token`, `next_token`,
    `token_type`, `secret_type`, `secret_name` and `max_tokens` are fine.
    Decisions: a `bool`/`int`/`float` input is a flag, not a credential
    (`hide_secret: bool`); a hash of a credential (`sha256_hashed_password`)
    is lookup data; Slack's event-scoped `action_token` arrives with each
    event and cannot be a stored secret; `credentials` (plural) is too
    often a list of references (Tenable credential ids) to flag. Other
    plurals count like their singular (`passwords`, `api_keys`, `tokens`).

    ## Why is this bad?
    Workflow inputs are stored in plain text in workflow definitions, run
    histories and logs. Credentials belong in declared secrets, which
    Tracecat encrypts, scopes per workspace/environment and masks.

    Severity: warning. Tracecat accepts any parameter and the action works;
    it is a convention for where credentials live.

    ## Example
    ```python
    async def search(query: str, api_key: str) -> dict: ...
    ```

    ## Use instead
    ```python
    @registry.register(..., secrets=[RegistrySecret(name="acme", keys=["ACME_API_KEY"])])
    async def search(query: str) -> dict:
        api_key = secrets.get("ACME_API_KEY")
    ```
    """

    code = "RL410"
    name = "credential-as-input"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(py('    return ""', params="page_token: str, token_type: str, secret_name: str, max_tokens: int")),
        Valid(yml("{}", expects="  expects:\n    next_page_token:\n      type: str\n    hide_secret:\n      type: bool | None\n"), filename="t.yml"),
        Valid(py('    return ""', params="include_token: Annotated[bool, Doc('x')] = False, password_hash: str = ''")),
    )
    INVALID = (
        Invalid(py('    return ""', params="query: str, apiKey: str"), line=7, col=30, message="'apiKey'"),
        Invalid(yml("{}", expects="  expects:\n    client_secret:\n      type: str\n"), filename="t.yml", line=9, col=5),
        Invalid(py('    return ""', params="host: str, passwords: list[str]"), line=7, col=29, message="'passwords'"),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.extract.python import iter_parameters

        for action in parsed.actions:
            for param in iter_parameters(action.func):
                name = param.name.value
                if name in ("self", "cls") or not credential_name(name) or non_text_type(_base_annotation(parsed, param)):
                    continue
                yield self.diagnostic(
                    parsed.loc(param.name),
                    f"Parameter {name!r} takes a credential as a workflow input (stored in plain text in workflows "
                    "and run history): declare a secret and read it with secrets.get",
                )

    def check_yaml(self, parsed: object, ctx: FileContext) -> Iterator[Diagnostic]:
        import yaml

        from registry_lint.extract.yamlnodes import YamlFile, get

        assert isinstance(parsed, YamlFile)
        expects = get(parsed.definition, "expects") if parsed.is_template else None
        if not isinstance(expects, yaml.MappingNode):
            return
        for key, field_ in expects.value:
            type_node = get(field_, "type")
            type_text = type_node.value if isinstance(type_node, yaml.ScalarNode) else None
            if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str) and credential_name(key.value) and not non_text_type(type_text):
                yield self.diagnostic(
                    parsed.loc(key),
                    f"Input {key.value!r} takes a credential as a workflow input (stored in plain text in workflows and "
                    "run history): declare it in definition.secrets and use ${{ SECRETS.<name>.<KEY> }}",
                )


def _base_annotation(parsed: PythonFile, param: object) -> str | None:
    """The annotation's code, with ``Annotated[T, ...]`` reduced to ``T``."""
    import libcst as cst

    annotation = getattr(param, "annotation", None)
    if annotation is None:
        return None
    node = annotation.annotation
    if isinstance(node, cst.Subscript) and (parsed.qualify(node.value) or parsed.scope.code(node.value)).endswith("Annotated") and node.slice:
        first = node.slice[0].slice
        if isinstance(first, cst.Index):
            node = first.value
    return parsed.scope.code(node)
