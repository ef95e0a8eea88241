"""RL214: a ``secrets`` declaration Tracecat cannot even read.

Imported by ``secrets.py`` (same family). The extractors record the shapes
Tracecat rejects before any entry is validated (``ActionSpec.malformed_secrets``);
per-entry values (``optional``, ``type``) are checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import ActionSpec, Diagnostic, SecretSpec
from registry_lint.rule import Invalid, Valid
from registry_lint.tracecat import SECRET_KINDS, lax_bool

from ._declarations import DeclarationRule
from ._secret_examples import py, yml
from ._secretlib import plain

if TYPE_CHECKING:
    from registry_lint.context import FileContext


class MalformedSecrets(DeclarationRule):
    """## What it does
    Reports a `secrets` declaration Tracecat cannot read (`secrets:` as a
    mapping, a bare string entry, `optional: maybe`).

    Caught: `secrets` that is not a list (a YAML mapping, a Python string,
    dict or single `RegistrySecret(...)`), an entry that is not a secret (a
    bare string, `None`, a nested list), an `optional` that is not a
    boolean, and a `type` other than `custom` or `oauth`.

    `optional` accepts what pydantic's lax `bool` accepts: `true`/`false`,
    `yes`/`no`, `on`/`off`, `1`/`0` (any case, as strings too); not
    `maybe`, not an empty value. A Python `secrets=` tuple or set is fine,
    and so is anything falsy (`register()` stores no secrets then).

    ## Why is this bad?
    Python: `registry.register` runs `[s.model_dump() for s in secrets]`
    while the module is imported, so anything that does not iterate to
    secret models raises and the repository fails to sync (a single
    `RegistrySecret` iterates its fields). YAML: `definition.secrets` is
    `list[RegistrySecretType] | None`, so Tracecat skips the whole template
    ("Could not parse ... as template action, skipped").

    Severity: error. Tracecat rejects it at import
    (`tracecat_registry/_internal/registry.py`: `register`) or at sync
    (`tracecat/registry/actions/schemas.py`: `TemplateActionDefinition`;
    `tracecat_registry/_internal/models.py`: `RegistrySecret.optional: bool`).

    ## Example
    ```yaml
    secrets:
      acme:
        keys: [ACME_API_KEY]
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme
        keys: [ACME_API_KEY]
    ```
    """

    code = "RL214"
    name = "malformed-secrets"
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=["A"], optional="yes")', secrets="(acme,)")),
        Valid(py("", action=True, secrets='""')),
        Valid(yml("    - name: acme\n      keys: [A]\n      optional: on\n    - type: custom\n      name: b\n      keys: [B]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(yml("    acme:\n      keys: [A]\n"), filename="t.yml", line=6, col=5, message="a mapping"),
        Invalid(yml("    - acme\n    - name: b\n      keys: [B]\n"), filename="t.yml", line=6, col=7, message="bare string"),
        Invalid(yml("    - name: acme\n      keys: [A]\n      optional: maybe\n"), filename="t.yml", line=8, col=17, message="boolean"),
        Invalid(yml("    - type: static\n      name: acme\n      keys: [A]\n"), filename="t.yml", line=6, col=13, message="`type`"),
        Invalid(py('acme = RegistrySecret(name="acme", keys=["A"])', secrets="acme"), line=6, col=74, message="single secret"),
        Invalid(py("", secrets='"acme"'), line=6, col=74, message="a string"),
        Invalid(py('acme = RegistrySecret(name="acme", keys=["A"])', secrets='[acme, "other"]'), line=6, col=81),
        Invalid(py('acme = RegistrySecret(name="acme", keys=["A"], optional=None)'), line=3, col=57),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        kind = secret.declared_type
        if kind is not None and kind.known and kind.value not in SECRET_KINDS:
            either = " nor ".join(f"`{k}`" for k in SECRET_KINDS)
            yield self.diagnostic(kind.location, f"Secret `type` {plain(kind)} is neither {either}: Tracecat rejects the entry")
        optional = secret.optional
        if optional is not None and optional.known and lax_bool(optional.value) is None:
            yield self.diagnostic(
                optional.location,
                f"`optional` must be a boolean (true/false), got {plain(optional)}: Tracecat rejects the declaration",
            )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from super().check_action(action, ctx)
        for where, what in action.malformed_secrets:
            if where.path == action.path:
                yield self.diagnostic(where, f"{what[0].upper()}{what[1:]}: Tracecat cannot register this action")
