"""RL208-RL212: secret declarations beyond one value's shape: reserved
names, duplicates within an action, legacy dicts, unknown fields and
non-list keys. Imported by ``secrets.py`` (same family); key collisions
(RL213) are in ``secrets_collision.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.analysis.declared import report_at
from registry_lint.analysis.names import snake_case
from registry_lint.model import ActionSpec, Diagnostic, SecretSpec, Severity, Value
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import CUSTOM_SECRET_FIELDS as CUSTOM_FIELDS
from registry_lint.tracecat import OAUTH_SECRET_SUFFIX
from registry_lint.tracecat import OAUTH_SECRET_FIELDS as OAUTH_FIELDS

from ._declarations import DeclarationRule
from ._secret_examples import py, yml
from ._secretlib import closest, shown, where

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile


class OAuthNameOnStaticSecret(DeclarationRule):
    """## What it does
    Reports a static (custom) secret whose name ends in `_oauth`.

    ## Why is this bad?
    Tracecat reserves `<provider_id>_oauth` for OAuth integrations: its
    `RegistrySecret` validator rejects the name, and `${{ SECRETS.x_oauth.K }}`
    is resolved against OAuth integrations, never the secret store. (A
    keyless mapping named `x_oauth` is Tracecat's legacy OAuth form, not a
    static secret.)

    Severity: error. `RegistrySecret.validate_keys`
    (`tracecat_registry/_internal/models.py`) raises for a name ending in
    `_oauth`.

    ## Example
    ```python
    RegistrySecret(name="slack_oauth", keys=["SLACK_USER_TOKEN"])
    ```

    ## Use instead
    ```python
    RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")
    ```
    """

    code = "RL208"
    name = "oauth-name-on-static-secret"
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme_oauth_app", keys=["CLIENT_ID"])')),
        Valid(yml("    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="slack_oauth", keys=["SLACK_USER_TOKEN"])'), line=3, col=28, message="provider_id='slack'"),
        Invalid(yml("    - name: github_oauth\n      keys: [TOKEN]\n"), filename="t.yml", line=6, col=13, message="type: oauth"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        name = secret.name.text if secret.kind == "custom" and secret.name else None
        if name and name.endswith(OAUTH_SECRET_SUFFIX):
            pid = name[: -len(OAUTH_SECRET_SUFFIX)]
            yield self.diagnostic(
                secret.name.location,
                f"Static secret {name!r} ends in `_oauth`, which Tracecat reserves for OAuth integrations: "
                f"declare RegistryOAuthSecret(provider_id={pid!r}, grant_type=...) (YAML: `type: oauth`) or rename it",
            )


class DuplicateSecret(DeclarationRule):
    """## What it does
    Reports the same secret declared twice for one action, a key repeated
    in `keys`/`optional_keys`, and a key listed in both.

    Static secrets are compared by `name`, OAuth secrets by `provider_id`
    and `grant_type`.

    Two OAuth declarations of one provider with different grant types are
    not duplicates: that is how an action accepts either token.

    ## Why is this bad?
    Tracecat fetches a secret once by name (an OAuth one once per provider
    and grant type), so the copies collapse: the secret is optional if any
    copy says so (`AuthSandbox`), only the first copy's keys are checked
    (the validation service checks each name once), and for OAuth the last
    copy's `optional` wins. A key in both lists is optional (Tracecat
    subtracts `optional_keys` from `keys`), whatever `keys` says.

    Severity: warning. Tracecat accepts every form and the action runs
    (`tracecat/secrets/secrets_manager.py`: `get_action_secrets`;
    `tracecat/validation/service.py`: `validate_single_secret`); the copy
    that does not apply misleads readers.

    ## Example
    ```yaml
    secrets:
      - name: acme
        keys: [API_KEY]
      - name: acme
        keys: [BASE_URL]
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme
        keys: [API_KEY, BASE_URL]
    ```
    """

    code = "RL209"
    name = "duplicate-secret"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=["A"], optional_keys=["B"])')),
        Valid(
            yml(
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: authorization_code, optional: true}\n"
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: client_credentials, optional: true}\n"
            ),
            filename="t.yml",
        ),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="acme", keys=["A", "B"], optional_keys=["A"])'), line=3, col=68, message="both"),
        Invalid(yml("    - name: acme\n      keys: [A]\n    - name: acme\n      keys: [B]\n"), filename="t.yml", line=8, col=7, message="line 6"),
        Invalid(py('acme = RegistrySecret(name="acme", keys=["A"])', secrets="[acme, acme]"), line=6, col=74),
        Invalid(yml("    - name: acme\n      keys: [A, B, A]\n"), filename="t.yml", line=7, col=20),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        seen: dict[str, Value] = {}
        for field_, values in (("keys", secret.key_values()), ("optional_keys", secret.key_values(optional=True))):
            for value in values:
                text = value.text
                if text is None:
                    continue
                first = seen.get(text)
                if first is None:
                    seen[text] = value
                    continue
                msg = (
                    "listed in both keys and optional_keys (Tracecat treats it as optional)"
                    if field_ == "optional_keys" and first not in secret.key_values(optional=True)
                    else f"repeated in {field_}"
                )
                yield self.diagnostic(value.location, f"Key {text!r} is {msg} (first at line {first.location.line})")

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from super().check_action(action, ctx)
        first: dict[tuple[str, ...], SecretSpec] = {}
        for secret in action.secrets:
            ident = _identity(secret)
            if ident is None:
                continue
            if ident not in first:
                first[ident] = secret
                continue
            prior = first[ident]
            loc = report_at(action, secret.location)
            if secret.location == prior.location:
                loc = action.secrets_location or action.location
            label = f"OAuth secret {ident[1]!r} ({ident[2]})" if ident[0] == "oauth" else f"Secret {ident[1]!r}"
            yield self.diagnostic(loc, f"{label} is declared twice for this action (first at {where(prior.location, action.path)}): keep one declaration")


def _identity(secret: SecretSpec) -> tuple[str, ...] | None:
    if secret.kind == "oauth":
        pid = secret.provider_id.text if secret.provider_id else None
        grant = secret.grant_type.text if secret.grant_type else None
        return ("oauth", pid, grant) if pid and grant else None
    name = secret.name.text if secret.name else None
    return ("custom", name) if name else None


class LegacyDictSecret(Rule):
    """## What it does
    Reports a Python `secrets=[{"name": ..., "keys": [...]}]` entry written
    as a plain dict instead of `RegistrySecret(...)`.

    A legacy `{"name": "<provider>_oauth"}` should be `RegistryOAuthSecret(...)`.

    ## Why is this bad?
    `registry.register` stores `[s.model_dump() for s in secrets]` while
    the module is imported: a dict has no `.model_dump()`, so the import
    raises `AttributeError` and the whole repository fails to sync. (The
    backward-compatibility validator that accepts legacy mappings only
    applies to YAML templates and stored data, never to `register()`.)

    Severity: error. Tracecat rejects it at import
    (`tracecat_registry/_internal/registry.py`: `register`).

    ## Example
    ```python
    @registry.register(..., secrets=[{"name": "acme", "keys": ["API_KEY"]}])
    ```

    ## Use instead
    ```python
    @registry.register(..., secrets=[RegistrySecret(name="acme", keys=["API_KEY"])])
    ```

    ## Fix safety
    Safe: the dict becomes the model the legacy validator would build from
    it (a `"<provider>_oauth"` name becomes `provider_id=` the name with
    `_oauth` removed, `grant_type="authorization_code"`, whatever grant the
    dict wrote: Tracecat overwrites it). Nothing resolved before (the module
    could not be imported). When the module does not import the class yet,
    the fix adds `from tracecat_registry import RegistrySecret`. Dicts with
    computed keys or unknown fields are not fixed.
    """

    code = "RL210"
    name = "legacy-dict-secret"
    sources = ("python",)
    fix = "safe"
    VALID = (Valid(py('acme = RegistrySecret(name="acme", keys=["A"])')),)
    INVALID = (
        Invalid(
            py("", secrets='[{"name": "acme", "keys": ["API_KEY"]}]'),
            line=6,
            col=75,
            fixed=py("", secrets='[RegistrySecret(name="acme", keys=["API_KEY"])]'),
        ),
        Invalid(
            """
            from tracecat_registry import registry


            @registry.register(namespace="tools.acme", description="Post", secrets=[{"name": "slack_oauth"}])
                                                                                    ^
            async def post() -> str:
                return "ok"
            """,
            message="RegistryOAuthSecret",
            fixed="from tracecat_registry import registry\n"
            "from tracecat_registry import RegistryOAuthSecret\n\n\n"
            '@registry.register(namespace="tools.acme", description="Post", '
            'secrets=[RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")])\n'
            "async def post() -> str:\n"
            '    return "ok"\n',
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        for action in parsed.actions:
            for secret in action.spec.secrets:
                if not secret.legacy_dict or secret.location.path != parsed.source.path:
                    continue
                cls = "RegistryOAuthSecret" if secret.kind == "oauth" else "RegistrySecret"
                from ._secretlib_fix import legacy_dict_fix  # only when a legacy dict is found

                fix = legacy_dict_fix(parsed, secret, cls)
                yield self.diagnostic(secret.location, f"Legacy dict secret: declare it as {cls}(...) instead", fix=fix)


class UnknownSecretField(DeclarationRule):
    """## What it does
    Reports an argument (Python) or field (YAML) the secret model does not
    have.

    Caught: `key=` for `keys=`, `secretType=`, `provider=`, positional
    arguments, `keys` on an OAuth secret, `provider_id` on a static one.

    ## Why is this bad?
    Tracecat's secret models ignore unknown fields (pydantic's default), so
    the value the author meant (the keys, the type) silently does not apply;
    when that leaves a required field missing, the declaration is rejected
    and the rule for that field reports it (RL204 for `key=`).

    Severity: warning for an unknown field (the declaration loads without
    it: `tracecat_registry/_internal/models.py`, no `extra="forbid"`);
    error for a positional argument (pydantic models take keyword arguments
    only: a `TypeError` at import).

    ## Example
    ```python
    RegistrySecret(name="acme", key=["API_KEY"])
    ```

    ## Use instead
    ```python
    RegistrySecret(name="acme", keys=["API_KEY"])
    ```
    """

    code = "RL211"
    name = "unknown-secret-field"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=["A"], optional=True, secret_type="custom")')),
        Valid(yml("    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n      optional: true\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('acme = RegistrySecret(name="acme", key=["API_KEY"])'),
            line=3,
            col=36,
            message="did you mean `keys`",
            severity=Severity.WARNING,
        ),
        Invalid(py('acme = RegistrySecret("acme", keys=["API_KEY"])'), line=3, col=23, message="TypeError", severity=Severity.ERROR),
        Invalid(
            yml("    - name: acme\n      provider_id: slack\n      keys: [A]\n"),
            filename="t.yml",
            line=7,
            col=7,
            message="type: oauth",
        ),
        Invalid(yml("    - type: oauth\n      provider: slack\n      grant_type: authorization_code\n"), filename="t.yml", line=7, col=7, message="provider_id"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        allowed = OAUTH_FIELDS if secret.kind == "oauth" else CUSTOM_FIELDS
        model = "RegistryOAuthSecret" if secret.kind == "oauth" else "RegistrySecret"
        for field_ in secret.unknown_fields:
            name = str(field_.value)
            if name == "<positional argument>":
                yield self.diagnostic(
                    field_.location,
                    f"{model} takes keyword arguments only ({', '.join(allowed)}): a TypeError at import",
                    severity=Severity.ERROR,
                )
                continue
            if secret.kind == "custom" and name in ("provider_id", "grant_type"):
                hint = "this looks like an OAuth secret: use RegistryOAuthSecret(...) (YAML: add `type: oauth`)"
            elif secret.kind == "oauth" and name in ("name", "keys", "optional_keys", "secret_type"):
                hint = "OAuth secrets have no keys or name: the token key is derived from provider_id and grant_type"
            else:
                guess = closest(snake_case(name), allowed, cutoff=0.5) or closest(name, allowed, cutoff=0.5)
                hint = f"did you mean `{guess}`?" if guess else f"expected one of {', '.join(allowed)}"
            yield self.diagnostic(
                field_.location, f"Unknown field {name!r} for {model} (Tracecat ignores it): {hint}", severity=Severity.WARNING
            )


class KeysNotAList(DeclarationRule):
    """## What it does
    Reports `keys` or `optional_keys` given as a string (or any non-list).

    ## Why is this bad?
    Tracecat expects a list of key names; `keys="API_KEY"` fails validation
    at sync (and, in code that iterates it, would mean `A`, `P`, `I`, ...).
    A tuple or set is accepted (pydantic converts it).

    Severity: error. `RegistrySecret.keys: list[SecretKey] | None` rejects
    a string or a mapping (`tracecat_registry/_internal/models.py`).

    ## Example
    ```python
    RegistrySecret(name="acme", keys="API_KEY")
    ```

    ## Use instead
    ```python
    RegistrySecret(name="acme", keys=["API_KEY"])
    ```
    """

    code = "RL212"
    name = "keys-not-a-list"
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=("A", "B"), optional_keys=None)')),
        Valid(yml("    - name: acme\n      keys:\n        - A\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="acme", keys="API_KEY")'), line=3, col=41, message="['API_KEY']"),
        Invalid(yml("    - name: acme\n      keys: API_KEY\n"), filename="t.yml", line=7, col=13),
        Invalid(yml("    - name: acme\n      keys: [A]\n      optional_keys: {B: 1}\n"), filename="t.yml", line=8, col=22),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for field_, value in (("keys", secret.keys), ("optional_keys", secret.optional_keys)):
            if value is None or not value.known or value.value is None or isinstance(value.value, tuple):
                continue
            example = f"[{value.value!r}]" if isinstance(value.value, str) and shown(value.value) == repr(value.value) else "['KEY_NAME']"
            yield self.diagnostic(value.location, f"`{field_}` must be a list of key names, e.g. {field_}={example}")
