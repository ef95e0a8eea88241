"""RL201-RL204: the name and keys of one secret declaration.

Python ``RegistrySecret``/legacy dicts and YAML ``secrets:`` entries, checked
once where they are written (``_declarations.py``). RL205-RL207 (the
``secret_type``) are in ``secrets_types.py``, RL208-RL214 in
``secrets_sets.py``, ``secrets_collision.py`` and ``secrets_malformed.py``.
Values that are not statically known are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.analysis.declared import local
from registry_lint.analysis.names import snake_case
from registry_lint.model import ActionSpec, Diagnostic, Edit, Fix, Location, SecretSpec, Severity
from registry_lint.rule import Invalid, Valid
from registry_lint.tracecat import EXPRESSION_NAME_RE as CNAME_RE
from registry_lint.tracecat import (
    SECRET_KEY_CHARS,
    SECRET_KEY_PATTERN,
    SECRET_KEY_RE,
    SECRET_NAME_CHARS,
    SECRET_NAME_PATTERN,
    SECRET_NAME_RE,
)

from ._declarations import DeclarationRule
from ._secret_examples import py, yml
from ._secretlib import UPPER_SNAKE_RE, plain, replace_string, shown

if TYPE_CHECKING:
    from registry_lint.context import FileContext


class InvalidSecretName(DeclarationRule):
    """## What it does
    Reports a static secret whose `name` does not fullmatch `[a-z0-9_]+`
    (Tracecat's `SecretName`), or that has no `name` at all.

    ## Why is this bad?
    Tracecat declares `SecretName` as `[a-z0-9_]+`, but pydantic *searches*
    the pattern: any name with one lowercase letter, digit or `_` registers
    (`custom-model-provider`, `My-Secret`; the official registry uses the
    first). Python reads the secret's keys with `secrets.get`, which never
    spells the name, so such a name works there. A template can only reach
    a secret through `${{ SECRETS.<name>.<KEY> }}`, whose grammar allows
    letters, digits and `_` (`ATTRIBUTE_PATH: ("." CNAME)+`): a name with a
    `-` cannot be written, so a template that references it fails. Every
    integration, the docs and the secrets UI assume lowercase snake_case.

    Severity: error when Tracecat rejects the name (missing, not a string,
    or no character of `[a-z0-9_]` at all: `RegistrySecret.name` in
    `tracecat_registry/_internal/models.py`) and when a template references
    a name its expression grammar cannot spell
    (`tracecat/expressions/parser/grammar.py`). Warning otherwise: the
    secret registers and resolves.

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
    mixed_severity = True
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme_prod2", keys=["API_KEY"])')),
        Valid(yml("    - name: acme_prod\n      keys: [API_KEY]\n"), filename="t.yml"),
        Valid(py("acme = RegistrySecret(name=NAME, keys=['API_KEY'])")),
    )
    INVALID = (
        Invalid(
            py('acme = RegistrySecret(name="My-Secret", keys=["API_KEY"])'),
            line=3,
            col=28,
            message="expected 'my_secret'",
            fixed=py('acme = RegistrySecret(name="my_secret", keys=["API_KEY"])'),
            severity=Severity.WARNING,
        ),
        Invalid(
            yml("    - name: AcmeProd\n      keys: [API_KEY]\n  steps:\n    - args: {k: '${{ SECRETS.AcmeProd.API_KEY }}'}\n"),
            filename="t.yml",
            line=6,
            col=13,
            fixed=yml("    - name: acme_prod\n      keys: [API_KEY]\n  steps:\n    - args: {k: '${{ SECRETS.acme_prod.API_KEY }}'}\n"),
            severity=Severity.WARNING,
        ),
        Invalid(
            yml("    - name: acme-prod\n      keys: [API_KEY]\n  steps:\n    - args: {k: '${{ SECRETS.acme-prod.API_KEY }}'}\n"),
            filename="t.yml",
            line=6,
            col=13,
            message="cannot be written",
            severity=Severity.ERROR,
        ),
        Invalid(py('acme = RegistrySecret(keys=["API_KEY"])'), line=3, col=8, message="no `name`", severity=Severity.ERROR),
        Invalid(py('acme = RegistrySecret(name="ACME-PROD", keys=["API_KEY"])'), line=3, col=28, message="rejects", severity=Severity.ERROR),
        Invalid(py('acme = RegistrySecret(name="Shared", keys=["K"])', action=False), line=3, col=28, severity=Severity.WARNING),
    )

    def _diag(
        self, secret: SecretSpec, ctx: FileContext, template: bool = False
    ) -> tuple[Diagnostic, str | None, str | None] | None:
        if secret.kind != "custom":
            return None
        name = secret.name
        if name is None:
            return self.diagnostic(secret.location, "Secret has no `name`: Tracecat requires one (lowercase snake_case, e.g. `acme_api`)"), None, None
        if not name.known:
            return None
        if not isinstance(name.value, str):
            return self.diagnostic(name.location, f"Secret name must be a string of {SECRET_NAME_CHARS}, got {plain(name)}"), None, None
        if SECRET_NAME_RE.fullmatch(name.value):
            return None
        if not SECRET_NAME_RE.search(name.value):
            return self.diagnostic(name.location, f"Secret name {shown(name.value)} has no character of {SECRET_NAME_CHARS}: Tracecat rejects it"), None, None
        unwritable = not CNAME_RE.fullmatch(name.value)
        if unwritable and template and _written(ctx.source.text, name.value):
            severity, why = Severity.ERROR, ": a template expression cannot be written with it, so `SECRETS." + "<name>` fails here"
        else:
            severity, why = Severity.WARNING, ""
        suggestion = snake_case(name.value)
        if not SECRET_NAME_RE.fullmatch(suggestion) or shown(name.value) != repr(name.value):
            return self.diagnostic(name.location, f"Secret name {shown(name.value)} must match {SECRET_NAME_PATTERN}{why}", severity=severity), None, None
        fix = replace_string(ctx.source, name.location, name.value, suggestion, f"Rename secret to {suggestion!r}")
        if fix is not None:
            fix = Fix(fix.message, fix.edits, applicability="unsafe")
        message = f"Secret name {name.value!r} must match {SECRET_NAME_PATTERN} (lowercase snake_case): expected {suggestion!r}{why}"
        return self.diagnostic(name.location, message, fix=fix, severity=severity), name.value, suggestion

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        found = self._diag(secret, ctx)
        if found is not None:
            yield found[0]

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        for secret in action.secrets:
            if not local(action, secret):
                continue
            found = self._diag(secret, ctx, template=action.source == "yaml")
            if found is None:
                continue
            diag, old, new = found
            if diag.fix is not None and old and new and action.source == "yaml":
                edits = list(diag.fix.edits) + _template_name_edits(action, old, new)
                diag = self.diagnostic(
                    diag.location, diag.message, fix=Fix(diag.fix.message, tuple(edits), applicability="unsafe"), severity=diag.severity
                )
            yield diag


_REF_HEAD = re.compile(r"SECRETS\s*\.\s*")


def _written(text: str, name: str, key: str | None = None) -> bool:
    """Whether the template's text writes ``SECRETS.<name>[.<key>]``: an expression
    Tracecat cannot parse has no extracted references, so the text decides."""
    path = re.escape(name) if key is None else re.escape(name) + r"\s*\.\s*" + re.escape(key)
    return re.search(rf"SECRETS\s*\.\s*{path}(?![\w-])", text) is not None


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
    Tracecat declares `SecretKey` as `[A-Za-z0-9_]+`, but pydantic searches
    the pattern, so `API-KEY` registers and Python reads it with
    `secrets.get("API-KEY")`. A template cannot: `${{ SECRETS.name.KEY }}`
    only spells letters, digits and `_`, so the expression stops at the `-`
    or reads a `.` as another path segment.

    Severity: error when Tracecat rejects the key (not a string, or no
    character of `[A-Za-z0-9_]`: `tracecat_registry/_internal/models.py`)
    and when the template references a key its expression grammar cannot
    spell (`tracecat/expressions/parser/grammar.py`). Warning otherwise.

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
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=["API_KEY"], optional_keys=["Region2"])')),
        Valid(yml("    - name: acme\n      keys: [API_KEY, BASE_URL]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="acme", keys=["API-KEY", "OK"])'), line=3, col=42, message="'API_KEY'", severity=Severity.WARNING),
        Invalid(yml("    - name: acme\n      keys: [API_KEY]\n      optional_keys: [acme.url]\n"), filename="t.yml", line=8, col=23, severity=Severity.WARNING),
        Invalid(
            yml("    - name: acme\n      keys: [API-KEY]\n  steps:\n    - args: {k: '${{ SECRETS.acme.API-KEY }}'}\n"),
            filename="t.yml",
            line=7,
            col=14,
            message="cannot be written",
            severity=Severity.ERROR,
        ),
        Invalid(py('acme = RegistrySecret(name="acme", keys=["--"])'), line=3, col=42, message="rejects", severity=Severity.ERROR),
    )

    def _check(self, secret: SecretSpec, template_text: str | None) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for key in secret.all_key_values():
            if not key.known:
                continue
            if not isinstance(key.value, str):
                yield self.diagnostic(key.location, f"Secret key must be a string of {SECRET_KEY_CHARS}, got {plain(key)}")
                continue
            if SECRET_KEY_RE.fullmatch(key.value):
                continue
            if not SECRET_KEY_RE.search(key.value):
                yield self.diagnostic(key.location, f"Secret key {shown(key.value)} has no character of {SECRET_KEY_CHARS}: Tracecat rejects it")
                continue
            hint = re.sub(r"[^A-Za-z0-9_]+", "_", key.value).strip("_").upper()
            tail = f": use {hint!r}" if hint and shown(key.value) == repr(key.value) else ""
            if template_text is not None and _written(template_text, secret.secret_name or "", key.value):
                yield self.diagnostic(
                    key.location,
                    f"Secret key {shown(key.value)} cannot be written in the template's `${{{{ SECRETS... }}}}` reference{tail}",
                )
            else:
                yield self.diagnostic(key.location, f"Secret key {shown(key.value)} should match {SECRET_KEY_PATTERN}{tail}", severity=Severity.WARNING)

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from self._check(secret, None)

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        for secret in action.secrets:
            if not local(action, secret):
                continue
            yield from self._check(secret, ctx.source.text if action.source == "yaml" else None)


class KeyNotUpperSnake(DeclarationRule):
    """## What it does
    Reports a secret key that is valid but not UPPER_SNAKE_CASE.

    ## Why is this bad?
    Tracecat accepts it, but every key in the official registry and in the
    docs is UPPER_SNAKE_CASE (`API_KEY`, `SLACK_BOT_TOKEN`). Keys are looked up
    case-sensitively, so a mixed convention invites `secrets.get("API_KEY")`
    against a declared `api_key` (RL401).

    Severity: warning. `SecretKey` accepts any case
    (`tracecat_registry/_internal/models.py`).

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
        Valid(py('acme = RegistrySecret(name="acme", keys=["ACME_API_KEY", "V2"])')),
        Valid(yml("    - name: acme\n      keys: [ACME_API_KEY]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="acme", keys=["apiKey"])'), line=3, col=42, message="'API_KEY'"),
        Invalid(yml("    - name: acme\n      optional_keys: [region]\n"), filename="t.yml", line=7, col=23),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        for key in secret.all_key_values():
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

    Severity: error. `RegistrySecret.validate_keys`
    (`tracecat_registry/_internal/models.py`) raises at import or sync.

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
        Valid(py('acme = RegistrySecret(name="acme", optional_keys=["ACME_REGION"])')),
        Valid(yml("    - name: acme\n      keys: [API_KEY]\n    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('acme = RegistrySecret(name="acme", keys=None)'), line=3, col=8, message="keys"),
        Invalid(yml("    - name: acme\n      optional: true\n"), filename="t.yml", line=6, col=7),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "custom":
            return
        if all(v is None or (v.known and v.value is None) for v in (secret.keys, secret.optional_keys)):
            name = secret.name.text if secret.name else None
            label = f"Secret {name!r}" if name else "Secret"
            yield self.diagnostic(secret.location, f"{label} declares neither `keys` nor `optional_keys`: Tracecat rejects it; list the keys it holds")


