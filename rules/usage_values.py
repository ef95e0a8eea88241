"""RL408, RL410: where secret values go in Python code: into a log, an
exception or a return value (RL408), and credentials taken as an action's
input instead of declared secrets (RL410, Python and YAML ``expects``).

libcst is imported inside the hooks (through ``analysis.pyflow``), never at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.names import credential_name, non_text_type
from ._usage_examples import PY_HEAD, py, yml

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile


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
