"""RL2xx: secret declarations (Python ``RegistrySecret``/legacy dicts, YAML ``secrets:``).

Shapes Tracecat's ``RegistrySecret``/``RegistryOAuthSecret`` models reject
at registration, plus conventions. Each declaration is checked once, where
it is written (see ``_declarations.py``); set-level checks (duplicates,
collisions) run per action. Values that are not statically known are
skipped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.model import ActionSpec, Diagnostic, Edit, Fix, Location, SecretSpec, Severity, Value
from registry_lint.rule import Invalid, Rule, Valid

from ._declarations import DeclarationRule
from ._secretlib import (
    SECRET_KEY_RE,
    bare,
    SECRET_NAME_RE,
    UPPER_SNAKE_RE,
    closest,
    local,
    plain,
    replace_string,
    report_at,
    short_list,
    shown,
    snake_case,
    where,
)
from ._secretlib_fix import legacy_dict_fix

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile

SECRET_TYPES = ("custom", "ssh_key", "mtls", "ca_cert")
STRUCTURED_KEYS = {
    "ssh_key": ("PRIVATE_KEY",),
    "mtls": ("TLS_CERTIFICATE", "TLS_PRIVATE_KEY"),
    "ca_cert": ("CA_CERTIFICATE",),
}
CUSTOM_FIELDS = ("name", "keys", "optional_keys", "optional", "secret_type")
OAUTH_FIELDS = ("provider_id", "grant_type", "optional")

_PY = "from tracecat_registry import RegistrySecret, registry\n\n"
_YAML_HEAD = """\
type: action
definition:
  name: search
  namespace: tools.acme
  secrets:
"""


def _py(decl: str, *, action: bool = True, secrets: str = "[acme]") -> str:
    body = _PY + decl + "\n"
    if action:
        body += (
            f'\n\n@registry.register(namespace="tools.acme", description="Search", secrets={secrets})\n'
            "async def search() -> str:\n"
            '    return "ok"\n'
        )
    return body


def _yaml(entries: str) -> str:
    return _YAML_HEAD + entries


def _keys(spec: SecretSpec) -> list[Value]:
    return [*spec.key_values(), *spec.key_values(optional=True)]


def _string_list(value: Value | None) -> tuple[str, ...] | None:
    """The strings of a literal list, None when absent/None, ``()`` sentinel avoided."""
    if value is None or value.value is None:
        return None
    items = value.items()
    return tuple(v.value for v in items)  # type: ignore[misc]


class InvalidSecretName(DeclarationRule):
    """## What it does
    Reports a static secret whose `name` does not fullmatch `[a-z0-9_]+`
    (Tracecat's `SecretName`), or that has no `name` at all.

    ## Why is this bad?
    Tracecat declares `SecretName` as `[a-z0-9_]+`. Pydantic checks that
    pattern unanchored, so `My-Secret` may still register, but the name
    cannot be written in a template expression (`${{ SECRETS.My-Secret.K }}`
    does not parse), and every integration, the docs and the secrets UI
    assume lowercase snake_case. A missing name is rejected at sync.

    ## Example
    ```python
    RegistrySecret(name="My-Secret", keys=["API_KEY"])
    ```

    ## Use instead
    ```python
    RegistrySecret(name="my_secret", keys=["API_KEY"])
    ```

    ## Fix safety
    Unsafe (`--unsafe-fixes`): the fix rewrites the name to its snake_case
    form (`My-Secret` -> `my_secret`) and, in a YAML template, the
    `${{ SECRETS.<name>... }}` references that used the old name. Renaming
    changes which workspace secret Tracecat fetches, so a workspace that
    stored the secret under the old name must rename it too. Names given
    through a constant defined elsewhere are not fixed.
    """

    code = "RL201"
    name = "invalid-secret-name"
    sources = ("python", "yaml")
    fix = "unsafe"
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme_prod2", keys=["API_KEY"])')),
        Valid(_yaml("    - name: acme_prod\n      keys: [API_KEY]\n"), filename="t.yml"),
        Valid(_py("acme = RegistrySecret(name=NAME, keys=['API_KEY'])")),
    )
    INVALID = (
        Invalid(
            _py('acme = RegistrySecret(name="My-Secret", keys=["API_KEY"])'),
            line=3,
            col=28,
            message="expected 'my_secret'",
            fixed=_py('acme = RegistrySecret(name="my_secret", keys=["API_KEY"])'),
        ),
        Invalid(
            _yaml("    - name: AcmeProd\n      keys: [API_KEY]\n  steps:\n    - args: {k: '${{ SECRETS.AcmeProd.API_KEY }}'}\n"),
            filename="t.yml",
            line=6,
            col=13,
            fixed=_yaml("    - name: acme_prod\n      keys: [API_KEY]\n  steps:\n    - args: {k: '${{ SECRETS.acme_prod.API_KEY }}'}\n"),
        ),
        Invalid(_py('acme = RegistrySecret(keys=["API_KEY"])'), line=3, col=8, message="no `name`"),
        Invalid(_py('acme = RegistrySecret(name="Shared", keys=["K"])', action=False), line=3, col=28),
    )

    def _diag(self, secret: SecretSpec, ctx: FileContext) -> tuple[Diagnostic, str | None, str | None] | None:
        if secret.kind != "custom":
            return None
        name = secret.name
        if name is None:
            return self.diagnostic(secret.location, "Secret has no `name`: Tracecat requires one (lowercase snake_case, e.g. `acme_api`)"), None, None
        if not name.known:
            return None
        if not isinstance(name.value, str):
            return self.diagnostic(name.location, f"Secret name must be a string of [a-z0-9_], got {plain(name)}"), None, None
        if SECRET_NAME_RE.fullmatch(name.value):
            return None
        suggestion = snake_case(name.value)
        if not SECRET_NAME_RE.fullmatch(suggestion):
            return self.diagnostic(name.location, f"Secret name {shown(name.value)} must match [a-z0-9_]+"), None, None
        fix = replace_string(ctx.source, name.location, name.value, suggestion, f"Rename secret to {suggestion!r}")
        if fix is not None:
            fix = Fix(fix.message, fix.edits, applicability="unsafe")
        if shown(name.value) != repr(name.value):
            return self.diagnostic(name.location, f"Secret name {shown(name.value)} must match [a-z0-9_]+"), None, None
        message = f"Secret name {name.value!r} must match [a-z0-9_]+ (lowercase snake_case): expected {suggestion!r}"
        return self.diagnostic(name.location, message, fix=fix), name.value, suggestion

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        found = self._diag(secret, ctx)
        if found is not None:
            yield found[0]

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        for secret in action.secrets:
            if not local(action, secret):
                continue
            found = self._diag(secret, ctx)
            if found is None:
                continue
            diag, old, new = found
            if diag.fix is not None and old and new and action.source == "yaml":
                edits = list(diag.fix.edits) + _template_name_edits(action, old, new)
                diag = self.diagnostic(diag.location, diag.message, fix=Fix(diag.fix.message, tuple(edits), applicability="unsafe"))
            yield diag


_REF_HEAD = re.compile(r"SECRETS\s*\.\s*")


def _template_name_edits(action: ActionSpec, old: str, new: str) -> list[Edit]:
    edits = []
    for ref in action.refs:
        if ref.via != "template" or ref.secret != old or ref.location.line != ref.location.end_line:
            continue
        head = _REF_HEAD.match(ref.raw)
        if head is None:
            continue
        col = ref.location.col + head.end()
        edits.append(Edit(Location(ref.location.path, ref.location.line, col, ref.location.line, col + len(old)), new))
    return edits


class InvalidSecretKey(DeclarationRule):
    """## What it does
    Reports a key in `keys` or `optional_keys` that does not fullmatch
    `[A-Za-z0-9_]+` (Tracecat's `SecretKey`).

    ## Why is this bad?
    Tracecat declares `SecretKey` as `[A-Za-z0-9_]+` (pydantic checks it
    unanchored, so `API-KEY` may still register), but such a key cannot be
    written in `${{ SECRETS.name.KEY }}`: the expression grammar stops at
    the `-` or reads the `.` as another path segment.

    ## Example
    ```yaml
    secrets:
      - name: acme
        keys: [API-KEY]
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme
        keys: [API_KEY]
    ```
    """

    code = "RL202"
    name = "invalid-secret-key"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["API_KEY"], optional_keys=["Region2"])')),
        Valid(_yaml("    - name: acme\n      keys: [API_KEY, BASE_URL]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", keys=["API-KEY", "OK"])'), line=3, col=42, message="'API_KEY'"),
        Invalid(_yaml("    - name: acme\n      keys: [API_KEY]\n      optional_keys: [acme.url]\n"), filename="t.yml", line=8, col=23),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for key in _keys(secret):
            if not key.known:
                continue
            if not isinstance(key.value, str):
                yield self.diagnostic(key.location, f"Secret key must be a string of [A-Za-z0-9_], got {plain(key)}")
            elif not SECRET_KEY_RE.fullmatch(key.value):
                hint = re.sub(r"[^A-Za-z0-9_]+", "_", key.value).strip("_").upper()
                tail = f": use {hint!r}" if hint and shown(key.value) == repr(key.value) else ""
                yield self.diagnostic(key.location, f"Secret key {shown(key.value)} must match [A-Za-z0-9_]+{tail}")


class KeyNotUpperSnake(DeclarationRule):
    """## What it does
    Reports a secret key that is valid but not UPPER_SNAKE_CASE.

    ## Why is this bad?
    Tracecat accepts it, but every key in the official registry and in the
    docs is UPPER_SNAKE_CASE (`API_KEY`, `SLACK_BOT_TOKEN`). Keys are looked up
    case-sensitively, so a mixed convention invites `secrets.get("API_KEY")`
    against a declared `api_key` (RL401).

    ## Example
    ```python
    RegistrySecret(name="acme", keys=["apiKey"])
    ```

    ## Use instead
    ```python
    RegistrySecret(name="acme", keys=["ACME_API_KEY"])
    ```
    """

    code = "RL203"
    name = "key-not-upper-snake"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["ACME_API_KEY", "V2"])')),
        Valid(_yaml("    - name: acme\n      keys: [ACME_API_KEY]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", keys=["apiKey"])'), line=3, col=42, message="'API_KEY'"),
        Invalid(_yaml("    - name: acme\n      optional_keys: [region]\n"), filename="t.yml", line=7, col=23),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for key in _keys(secret):
            text = key.text
            if text is None or not SECRET_KEY_RE.fullmatch(text) or UPPER_SNAKE_RE.fullmatch(text) or shown(text) != repr(text):
                continue
            yield self.diagnostic(key.location, f"Secret key {text!r} is not UPPER_SNAKE_CASE: use {snake_case(text).upper()!r}")


class SecretWithoutKeys(DeclarationRule):
    """## What it does
    Reports a static secret with neither `keys` nor `optional_keys`.

    ## Why is this bad?
    Tracecat's `RegistrySecret` validator rejects it ("At least one of 'keys'
    or 'optional_keys' must be specified"), so the action does not load.
    An explicit empty list (`keys=[]`) passes Tracecat's check and is not
    reported here.

    ## Example
    ```yaml
    secrets:
      - name: acme
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme
        keys: [ACME_API_KEY]
    ```
    """

    code = "RL204"
    name = "secret-without-keys"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", optional_keys=["ACME_REGION"])')),
        Valid(_yaml("    - name: acme\n      keys: [API_KEY]\n    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", keys=None)'), line=3, col=8, message="keys"),
        Invalid(_yaml("    - name: acme\n      optional: true\n"), filename="t.yml", line=6, col=7),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        if all(v is None or (v.known and v.value is None) for v in (secret.keys, secret.optional_keys)):
            name = secret.name.text if secret.name else None
            label = f"Secret {name!r}" if name else "Secret"
            yield self.diagnostic(secret.location, f"{label} declares neither `keys` nor `optional_keys`: Tracecat rejects it; list the keys it holds")


class SecretTypeKeysMismatch(DeclarationRule):
    """## What it does
    Reports a structured secret whose `keys` are not the fixed shape its
    `secret_type` requires: `ssh_key` -> `[PRIVATE_KEY]`, `mtls` ->
    `{TLS_CERTIFICATE, TLS_PRIVATE_KEY}` (any order), `ca_cert` ->
    `[CA_CERTIFICATE]`.

    ## Why is this bad?
    Tracecat's validator rejects any other shape, so the action never loads.

    ## Example
    ```python
    RegistrySecret(name="ssh", keys=["SSH_KEY"], secret_type="ssh_key")
    ```

    ## Use instead
    ```python
    RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], secret_type="ssh_key")
    ```
    """

    code = "RL205"
    name = "secret-type-keys-mismatch"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["TLS_PRIVATE_KEY", "TLS_CERTIFICATE"], secret_type="mtls")')),
        Valid(_yaml("    - name: ssh\n      keys: [PRIVATE_KEY]\n      secret_type: ssh_key\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            _py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY", "PASSPHRASE"], secret_type="ssh_key")'),
            line=3,
            col=40,
            message="expected keys ['PRIVATE_KEY']",
        ),
        Invalid(_yaml("    - name: ca\n      secret_type: ca_cert\n"), filename="t.yml", line=7, col=20, message="CA_CERTIFICATE"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        stype = secret.secret_type.text if secret.kind == "custom" and secret.secret_type else None
        expected = STRUCTURED_KEYS.get(stype or "")
        if expected is None or (secret.keys is not None and not secret.keys.known):
            return
        if secret.keys is not None and secret.keys.value is not None and not isinstance(secret.keys.value, tuple):
            return  # RL212
        keys = _string_list(secret.keys)
        if keys is not None and any(not isinstance(k, str) for k in keys):
            return
        same = keys is not None and (sorted(keys) == sorted(expected) if stype == "mtls" else keys == expected)
        if same:
            return
        where_ = secret.keys.location if secret.keys is not None else secret.secret_type.location  # type: ignore[union-attr]
        got = list(keys) if keys is not None else None
        yield self.diagnostic(where_, f"secret_type {stype!r} requires fixed keys: expected keys {list(expected)}, got {got}")


class StructuredSecretOptionalKeys(DeclarationRule):
    """## What it does
    Reports `optional_keys` on an `ssh_key`, `mtls` or `ca_cert` secret.

    ## Why is this bad?
    Structured secrets have a fixed shape; Tracecat rejects optional keys on
    them at sync.

    ## Example
    ```yaml
    - name: ssh
      secret_type: ssh_key
      keys: [PRIVATE_KEY]
      optional_keys: [PASSPHRASE]
    ```

    ## Use instead
    Declare a second, custom secret for the extra value:
    ```yaml
    - name: ssh
      secret_type: ssh_key
      keys: [PRIVATE_KEY]
    - name: ssh_passphrase
      optional_keys: [SSH_PASSPHRASE]
    ```
    """

    code = "RL206"
    name = "structured-secret-optional-keys"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], optional_keys=[], secret_type="ssh_key")')),
        Valid(_yaml("    - name: acme\n      keys: [K]\n      optional_keys: [P]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            _py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], optional_keys=["PASSPHRASE"], secret_type="ssh_key")'),
            line=3,
            col=71,
        ),
        Invalid(
            _yaml("    - name: ca\n      keys: [CA_CERTIFICATE]\n      optional_keys: [CA_BUNDLE]\n      secret_type: ca_cert\n"),
            filename="t.yml",
            line=8,
            col=22,
        ),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        stype = secret.secret_type.text if secret.kind == "custom" and secret.secret_type else None
        opt = secret.optional_keys
        if stype in STRUCTURED_KEYS and opt is not None and opt.known and opt.value:
            yield self.diagnostic(opt.location, f"secret_type {stype!r} cannot have optional_keys: declare extra values in a separate custom secret")


def _type_suggestion(value: str) -> str | None:
    squashed = re.sub(r"[^a-z0-9]", "", value.lower())
    return {t.replace("_", ""): t for t in SECRET_TYPES}.get(squashed)


class UnknownSecretType(DeclarationRule):
    """## What it does
    Reports a `secret_type` other than `custom`, `ssh_key`, `mtls` or
    `ca_cert` (snake_case, exactly), and suggests the intended spelling for
    `SSH_KEY`, `ssh-key`, `sshKey`, `mTLS`, `ca-cert` and the like.

    ## Why is this bad?
    Tracecat validates `secret_type` as a literal; any other spelling makes
    the declaration invalid and the action does not load.

    ## Example
    ```yaml
    - name: ssh
      keys: [PRIVATE_KEY]
      secret_type: SSH_KEY
    ```

    ## Use instead
    ```yaml
    - name: ssh
      keys: [PRIVATE_KEY]
      secret_type: ssh_key
    ```

    ## Fix safety
    Safe: only a spelling that normalises to exactly one valid type (case,
    dashes, underscores removed) is rewritten; the declaration cannot load
    as it stands.
    """

    code = "RL207"
    name = "unknown-secret-type"
    sources = ("python", "yaml")
    fix = "safe"
    VALID = (
        Valid(_py('acme = RegistrySecret(name="ca", keys=["CA_CERTIFICATE"], secret_type="ca_cert")')),
        Valid(_yaml("    - name: acme\n      keys: [K]\n      secret_type: custom\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            _py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], secret_type="ssh-key")'),
            line=3,
            col=69,
            message="'ssh_key'",
            fixed=_py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], secret_type="ssh_key")'),
        ),
        Invalid(
            _yaml("    - name: tls\n      keys: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n      secret_type: mTLS\n"),
            filename="t.yml",
            line=8,
            col=20,
            fixed=_yaml("    - name: tls\n      keys: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n      secret_type: mtls\n"),
        ),
        Invalid(_yaml("    - name: x\n      keys: [K]\n      secret_type: password\n"), filename="t.yml", line=8, col=20, message="one of"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        stype = secret.secret_type
        if secret.kind != "custom" or stype is None or not stype.known or stype.value in SECRET_TYPES:
            return
        allowed = ", ".join(SECRET_TYPES)
        if not isinstance(stype.value, str):
            yield self.diagnostic(stype.location, f"secret_type must be one of {allowed}, got {plain(stype)}")
            return
        suggestion = _type_suggestion(stype.value)
        if suggestion is None:
            yield self.diagnostic(stype.location, f"Unknown secret_type {stype.value!r}: expected one of {allowed}")
            return
        fix = replace_string(ctx.source, stype.location, stype.value, suggestion, f"Use secret_type {suggestion!r}")
        yield self.diagnostic(stype.location, f"Unknown secret_type {stype.value!r}: use {suggestion!r} (snake_case)", fix=fix)


class OAuthNameOnStaticSecret(DeclarationRule):
    """## What it does
    Reports a static (custom) secret whose name ends in `_oauth`.

    ## Why is this bad?
    Tracecat reserves `<provider_id>_oauth` for OAuth integrations: its
    `RegistrySecret` validator rejects the name, and `${{ SECRETS.x_oauth.K }}`
    is resolved against OAuth integrations, never the secret store.

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
        Valid(_py('acme = RegistrySecret(name="acme_oauth_app", keys=["CLIENT_ID"])')),
        Valid(_yaml("    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="slack_oauth", keys=["SLACK_USER_TOKEN"])'), line=3, col=28, message="provider_id='slack'"),
        Invalid(_yaml("    - name: github_oauth\n      keys: [TOKEN]\n"), filename="t.yml", line=6, col=13, message="type: oauth"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        name = secret.name.text if secret.kind == "custom" and secret.name else None
        if name and name.endswith("_oauth"):
            pid = name[: -len("_oauth")]
            yield self.diagnostic(
                secret.name.location,  # type: ignore[union-attr]
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
    Tracecat keeps one of the copies; which one wins (required or optional,
    which keys) is an accident of ordering, and a key in both lists is both
    required and optional at once.

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
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["A"], optional_keys=["B"])')),
        Valid(
            _yaml(
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: authorization_code, optional: true}\n"
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: client_credentials, optional: true}\n"
            ),
            filename="t.yml",
        ),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", keys=["A", "B"], optional_keys=["A"])'), line=3, col=68, message="both"),
        Invalid(_yaml("    - name: acme\n      keys: [A]\n    - name: acme\n      keys: [B]\n"), filename="t.yml", line=8, col=7, message="line 6"),
        Invalid(_py('acme = RegistrySecret(name="acme", keys=["A"])', secrets="[acme, acme]"), line=6, col=74),
        Invalid(_yaml("    - name: acme\n      keys: [A, B, A]\n"), filename="t.yml", line=7, col=20),
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
                msg = "listed in both keys and optional_keys" if field_ == "optional_keys" and first not in secret.key_values(optional=True) else f"repeated in {field_}"
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
    Tracecat still converts the dicts, through a backward-compatibility
    validator, but they get no type checking or editor help, and a dict
    that fits neither legacy shape fails at sync with an opaque error.

    ## Example
    ```python
    @registry.register(..., secrets=[{"name": "acme", "keys": ["API_KEY"]}])
    ```

    ## Use instead
    ```python
    @registry.register(..., secrets=[RegistrySecret(name="acme", keys=["API_KEY"])])
    ```

    ## Fix safety
    Safe: the dict becomes the model Tracecat would have built from it (a
    legacy `"<provider>_oauth"` name becomes `provider_id="<provider>"`,
    `grant_type="authorization_code"`, Tracecat's default). When the module
    does not import the class yet, the fix adds
    `from tracecat_registry import RegistrySecret`. Dicts with computed
    keys or unknown fields are not fixed.
    """

    code = "RL210"
    name = "legacy-dict-secret"
    severity = Severity.WARNING
    sources = ("python",)
    fix = "safe"
    VALID = (Valid(_py('acme = RegistrySecret(name="acme", keys=["A"])')),)
    INVALID = (
        Invalid(
            _py("", secrets='[{"name": "acme", "keys": ["API_KEY"]}]'),
            line=6,
            col=75,
            fixed=_py("", secrets='[RegistrySecret(name="acme", keys=["API_KEY"])]'),
        ),
        Invalid(
            "from tracecat_registry import registry\n\n\n"
            '@registry.register(namespace="tools.acme", description="Post", secrets=[{"name": "slack_oauth"}])\n'
            "async def post() -> str:\n"
            '    return "ok"\n',
            line=4,
            col=73,
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
                fix = legacy_dict_fix(parsed, secret, cls)
                yield self.diagnostic(secret.location, f"Legacy dict secret: declare it as {cls}(...) instead", fix=fix)


class UnknownSecretField(DeclarationRule):
    """## What it does
    Reports an argument (Python) or field (YAML) the secret model does not
    have.

    Caught: `key=` for `keys=`, `secretType=`, `provider=`, positional
    arguments, `keys` on an OAuth secret, `provider_id` on a static one.

    ## Why is this bad?
    Tracecat's models ignore or reject unknown fields; either way the value
    the author meant (the keys, the type) is not applied.

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
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["A"], optional=True, secret_type="custom")')),
        Valid(_yaml("    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n      optional: true\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", key=["API_KEY"])'), line=3, col=36, message="did you mean `keys`"),
        Invalid(
            _yaml("    - name: acme\n      provider_id: slack\n      keys: [A]\n"),
            filename="t.yml",
            line=7,
            col=7,
            message="type: oauth",
        ),
        Invalid(_yaml("    - type: oauth\n      provider: slack\n      grant_type: authorization_code\n"), filename="t.yml", line=7, col=7, message="provider_id"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        allowed = OAUTH_FIELDS if secret.kind == "oauth" else CUSTOM_FIELDS
        model = "RegistryOAuthSecret" if secret.kind == "oauth" else "RegistrySecret"
        for field_ in secret.unknown_fields:
            name = str(field_.value)
            if name == "<positional argument>":
                yield self.diagnostic(field_.location, f"{model} takes keyword arguments only ({', '.join(allowed)})")
                continue
            if secret.kind == "custom" and name in ("provider_id", "grant_type"):
                hint = "this looks like an OAuth secret: use RegistryOAuthSecret(...) (YAML: add `type: oauth`)"
            elif secret.kind == "oauth" and name in ("name", "keys", "optional_keys", "secret_type"):
                hint = "OAuth secrets have no keys or name: the token key is derived from provider_id and grant_type"
            else:
                guess = closest(snake_case(name), allowed, cutoff=0.5) or closest(name, allowed, cutoff=0.5)
                hint = f"did you mean `{guess}`?" if guess else f"expected one of {', '.join(allowed)}"
            yield self.diagnostic(field_.location, f"Unknown field {name!r} for {model}: {hint}")


class KeysNotAList(DeclarationRule):
    """## What it does
    Reports `keys` or `optional_keys` given as a string (or any non-list).

    ## Why is this bad?
    Tracecat expects a list of key names; `keys="API_KEY"` fails validation
    at sync (and, in code that iterates it, would mean `A`, `P`, `I`, ...).

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
        Valid(_py('acme = RegistrySecret(name="acme", keys=("A", "B"), optional_keys=None)')),
        Valid(_yaml("    - name: acme\n      keys:\n        - A\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(_py('acme = RegistrySecret(name="acme", keys="API_KEY")'), line=3, col=41, message="['API_KEY']"),
        Invalid(_yaml("    - name: acme\n      keys: API_KEY\n"), filename="t.yml", line=7, col=13),
        Invalid(_yaml("    - name: acme\n      keys: [A]\n      optional_keys: {B: 1}\n"), filename="t.yml", line=8, col=22),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for field_, value in (("keys", secret.keys), ("optional_keys", secret.optional_keys)):
            if value is None or not value.known or value.value is None or isinstance(value.value, tuple):
                continue
            example = f"[{value.value!r}]" if isinstance(value.value, str) and shown(value.value) == repr(value.value) else "['KEY_NAME']"
            yield self.diagnostic(value.location, f"`{field_}` must be a list of key names, e.g. {field_}={example}")


class KeyCollision(Rule):
    """## What it does
    Reports two different secrets of one action that expose the same key,
    including an OAuth token key (`<PROVIDER>_USER_TOKEN`) that a static
    secret also lists.

    ## Why is this bad?
    Tracecat flattens every secret's keys into one mapping for
    `secrets.get("KEY")`; when two secrets hold the same key it raises
    "Key ... is duplicated" and the action fails at run time. Optional keys
    count too: the run fails as soon as both are set.

    ## Example
    ```yaml
    secrets:
      - name: acme_prod
        keys: [API_KEY]
      - name: acme_dev
        keys: [API_KEY]
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme_prod
        keys: [ACME_PROD_API_KEY]
      - name: acme_dev
        keys: [ACME_DEV_API_KEY]
    ```
    """

    code = "RL213"
    name = "key-collision"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py('acme = RegistrySecret(name="acme", keys=["A"])\nother = RegistrySecret(name="other", keys=["B"])', secrets="[acme, other]")),
        Valid(_yaml("    - name: a\n      keys: [A]\n    - name: b\n      keys: [B]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            _py(
                'acme = RegistrySecret(name="acme", optional_keys=["SLACK_USER_TOKEN"])\n'
                "from tracecat_registry import RegistryOAuthSecret\n"
                'slack = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")',
                secrets="[acme, slack]",
            ),
            line=5,
            col=9,
            message="'acme' (line 3)",
        ),
        Invalid(_yaml("    - name: a\n      keys: [API_KEY]\n    - name: b\n      keys: [X, API_KEY]\n"), filename="t.yml", line=9, col=17),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        owner: dict[str, tuple[str, Location]] = {}
        # (earlier secret, later secret) -> [(key, location in later, location in earlier)]
        pairs: dict[tuple[str, str], list[tuple[str, Location, Location]]] = {}
        for secret in action.secrets:
            name = secret.secret_name
            if name is None:
                continue
            for key, loc in _exposed_with_locations(secret):
                prior = owner.get(key)
                if prior is None:
                    owner[key] = (name, loc)
                elif prior[0] != name:
                    pairs.setdefault((prior[0], name), []).append((key, loc, prior[1]))
        for (first, second), clashes in pairs.items():
            keys = short_list([bare(k) for k, _, _ in clashes])
            noun = "key" if len(clashes) == 1 else "keys"
            yield self.diagnostic(
                report_at(action, clashes[0][1]),
                f"Secrets {first!r} ({where(clashes[0][2], action.path)}) and {second!r} both expose {noun} {keys}: "
                "Tracecat flattens keys for secrets.get and fails at run time when both are set; rename one",
            )


def _exposed_with_locations(secret: SecretSpec) -> Iterable[tuple[str, Location]]:
    if secret.kind == "oauth":
        token = secret.token_name
        if token:
            yield token, secret.location
        return
    for value in _keys(secret):
        if value.text is not None:
            yield value.text, value.location
