"""RL205-RL207: a secret's ``secret_type``: a type Tracecat knows, and the
fixed keys (without ``optional_keys``) its structured types require. Names
and keys of a declaration are ``secrets.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, SecretSpec, Value
from registry_lint.rule import Invalid, Valid
from registry_lint.tracecat import SECRET_TYPES, STRUCTURED_KEYS, structured_keys_ok

from ._declarations import DeclarationRule
from ._secret_examples import py, yml
from ._secretlib import plain, replace_string

if TYPE_CHECKING:
    from registry_lint.context import FileContext


def _string_list(value: Value | None) -> tuple[str, ...] | None:
    """The strings of a literal list, None when absent/None, ``()`` sentinel avoided."""
    if value is None or value.value is None:
        return None
    items = value.items()
    return tuple(v.value for v in items)


class SecretTypeKeysMismatch(DeclarationRule):
    """## What it does
    Reports a structured secret whose `keys` are not the fixed shape its
    `secret_type` requires: `ssh_key` -> `[PRIVATE_KEY]`, `mtls` ->
    `{TLS_CERTIFICATE, TLS_PRIVATE_KEY}` (any order), `ca_cert` ->
    `[CA_CERTIFICATE]`.

    ## Why is this bad?
    Tracecat's validator rejects any other shape, so the action never loads.

    Severity: error. `RegistrySecret.validate_keys`
    (`tracecat_registry/_internal/models.py`) raises at import or sync.

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
        Valid(py('acme = RegistrySecret(name="acme", keys=["TLS_PRIVATE_KEY", "TLS_CERTIFICATE"], secret_type="mtls")')),
        Valid(yml("    - name: ssh\n      keys: [PRIVATE_KEY]\n      secret_type: ssh_key\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY", "PASSPHRASE"], secret_type="ssh_key")'),
            line=3,
            col=40,
            message="expected keys ['PRIVATE_KEY']",
        ),
        Invalid(yml("    - name: ca\n      secret_type: ca_cert\n"), filename="t.yml", line=7, col=20, message="CA_CERTIFICATE"),
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
        if keys is not None and structured_keys_ok(stype, keys):
            return
        where_ = secret.keys.location if secret.keys is not None else secret.secret_type.location
        got = list(keys) if keys is not None else None
        yield self.diagnostic(where_, f"secret_type {stype!r} requires fixed keys: expected keys {list(expected)}, got {got}")


class StructuredSecretOptionalKeys(DeclarationRule):
    """## What it does
    Reports `optional_keys` on an `ssh_key`, `mtls` or `ca_cert` secret.

    ## Why is this bad?
    Structured secrets have a fixed shape; Tracecat rejects optional keys on
    them at sync. (An empty list is accepted.)

    Severity: error. `RegistrySecret.validate_keys`
    (`tracecat_registry/_internal/models.py`) raises at import or sync.

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
        Valid(py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], optional_keys=[], secret_type="ssh_key")')),
        Valid(yml("    - name: acme\n      keys: [K]\n      optional_keys: [P]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], optional_keys=["PASSPHRASE"], secret_type="ssh_key")'),
            line=3,
            col=71,
        ),
        Invalid(
            yml("    - name: ca\n      keys: [CA_CERTIFICATE]\n      optional_keys: [CA_BUNDLE]\n      secret_type: ca_cert\n"),
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

    Severity: error. `RegistrySecret.secret_type` is a `Literal`
    (`tracecat_registry/_internal/models.py`).

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
        Valid(py('acme = RegistrySecret(name="ca", keys=["CA_CERTIFICATE"], secret_type="ca_cert")')),
        Valid(yml("    - name: acme\n      keys: [K]\n      secret_type: custom\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], secret_type="ssh-key")'),
            line=3,
            col=69,
            message="'ssh_key'",
            fixed=py('acme = RegistrySecret(name="ssh", keys=["PRIVATE_KEY"], secret_type="ssh_key")'),
        ),
        Invalid(
            yml("    - name: tls\n      keys: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n      secret_type: mTLS\n"),
            filename="t.yml",
            line=8,
            col=20,
            fixed=yml("    - name: tls\n      keys: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n      secret_type: mtls\n"),
        ),
        Invalid(yml("    - name: x\n      keys: [K]\n      secret_type: password\n"), filename="t.yml", line=8, col=20, message="one of"),
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
