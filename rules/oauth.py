"""RL301-RL303, RL306: OAuth declarations (token references are
``oauth_references.py``).

Provider ids and grant types come from the catalogue built from Tracecat's
``tracecat/integrations/providers`` (``linter/data/oauth_providers.json``)
plus config ``extra-oauth-providers``. Token keys follow
``RegistryOAuthSecret.token_name``: ``<PROVIDER_ID>_USER_TOKEN`` for
``authorization_code``, ``<PROVIDER_ID>_SERVICE_TOKEN`` for ``client_credentials``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint import oauth_catalog
from registry_lint.model import Diagnostic, SecretSpec, Severity
from registry_lint.rule import Invalid, Valid
from registry_lint.tracecat import GRANT_TYPES, LEGACY_OAUTH_GRANT, OAUTH_SECRET_SUFFIX, TOKEN_SUFFIX

from ._declarations import DeclarationRule
from ._oauth_examples import SLACK_YAML, py, yml
from ._secretlib import closest, plain, required_severity as _required_severity, shown

if TYPE_CHECKING:
    from registry_lint.context import FileContext


class UnknownOAuthProvider(DeclarationRule):
    """## What it does
    Reports an OAuth declaration whose `provider_id` is neither a built-in
    Tracecat provider nor listed in `extra-oauth-providers`.

    The catalogue was read from Tracecat's `tracecat/integrations/providers`
    at commit 4209a655; the message suggests the closest id.

    ## Why is this bad?
    A typo (`slck`, `microsoft-graph`) makes the token lookup fail at run
    time with "integration not configured". Workspaces can define custom
    providers: add yours to `extra-oauth-providers`.

    Severity: warning. Tracecat accepts any `provider_id`
    (`RegistryOAuthSecret.provider_id: str`); whether the integration exists
    is the workspace's business.

    ## Example
    ```python
    RegistryOAuthSecret(provider_id="ms_graph", grant_type="client_credentials")
    ```

    ## Use instead
    ```python
    RegistryOAuthSecret(provider_id="microsoft_graph", grant_type="client_credentials")
    ```
    or, for a workspace-defined provider:
    ```toml
    [tool.registry-lint]
    extra-oauth-providers = { acme_idp = ["client_credentials"] }
    ```
    """

    code = "RL301"
    name = "unknown-oauth-provider"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(py('oauth = RegistryOAuthSecret(provider_id="microsoft_graph", grant_type="client_credentials")')),
        Valid(yml("    - {type: oauth, provider_id: acme_idp, grant_type: client_credentials}\n"), filename="t.yml", config={"extra-oauth-providers": {"acme_idp": ["client_credentials"]}}),
    )
    INVALID = (
        Invalid(py('oauth = RegistryOAuthSecret(provider_id="ms_graph", grant_type="client_credentials")'), line=3, col=41, message="extra-oauth-providers"),
        Invalid(yml("    - type: oauth\n      provider_id: slck\n      grant_type: authorization_code\n"), filename="t.yml", line=7, col=20, message="did you mean 'slack'"),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        pid = secret.provider_id.text if secret.kind == "oauth" and secret.provider_id else None
        if not pid or pid.endswith(OAUTH_SECRET_SUFFIX):  # RL305 owns the suffix
            return
        catalogue = oauth_catalog.providers(ctx.config)
        if pid in catalogue:
            return
        guess = closest(pid.replace("-", "_"), catalogue, cutoff=0.6)
        hint = f"did you mean {guess!r}? " if guess else ""
        yield self.diagnostic(
            secret.provider_id.location,
            f"Unknown OAuth provider {pid!r}: {hint}If it is a custom provider of your workspace, "
            f"add it to `extra-oauth-providers` in the registry-lint config",
        )


class InvalidGrantType(DeclarationRule):
    """## What it does
    Reports an OAuth declaration whose `grant_type` is absent or not
    `authorization_code` / `client_credentials`.

    A legacy mapping (`{name: <provider>_oauth}` without `type` or keys)
    always gets `authorization_code`: Tracecat overwrites whatever
    `grant_type` it writes, and a different one is reported as ignored.

    ## Why is this bad?
    `RegistryOAuthSecret.grant_type` is required and has exactly these two
    values; anything else fails validation and the action does not load. A
    legacy mapping's `grant_type` is silently replaced, so the token key is
    `<PROVIDER>_USER_TOKEN` whatever it says.

    Severity: error for a missing or invalid grant (`Literal` in
    `tracecat_registry/_internal/models.py`). Warning for a legacy
    mapping's ignored grant (`_validate_registry_secret_type` overwrites it;
    the declaration loads).

    ## Example
    ```yaml
    - type: oauth
      provider_id: microsoft_graph
      grant_type: client-credentials
    ```

    ## Use instead
    ```yaml
    - type: oauth
      provider_id: microsoft_graph
      grant_type: client_credentials
    ```
    """

    code = "RL302"
    name = "invalid-grant-type"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")')),
        Valid(yml(SLACK_YAML), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('oauth = RegistryOAuthSecret(provider_id="slack")'), line=3, col=9, message="no grant_type"),
        Invalid(
            yml("    - type: oauth\n      provider_id: microsoft_graph\n      grant_type: client-credentials\n"),
            filename="t.yml",
            line=8,
            col=19,
            message="'client_credentials'",
            severity=Severity.ERROR,
        ),
        Invalid(
            yml("    - name: github_oauth\n      grant_type: client_credentials\n", "${{ SECRETS.github_oauth.GITHUB_USER_TOKEN }}"),
            filename="t.yml",
            line=7,
            col=19,
            message="ignored",
            severity=Severity.WARNING,
        ),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "oauth":
            return
        for ignored in secret.overridden:
            if ignored.value == "grant_type":
                yield self.diagnostic(
                    ignored.location,
                    f"grant_type {shown(ignored.expr or '')} is ignored: Tracecat gives a legacy `{secret.secret_name}` "
                    f"entry {LEGACY_OAUTH_GRANT} (its token is the {TOKEN_SUFFIX[LEGACY_OAUTH_GRANT]}); "
                    "declare `type: oauth` to choose the grant",
                    severity=Severity.WARNING,
                )
        grant = secret.grant_type
        allowed = " or ".join(GRANT_TYPES)
        if grant is None:
            yield self.diagnostic(secret.location, f"OAuth secret has no grant_type: add grant_type={allowed}")
            return
        if not grant.known or grant.value in GRANT_TYPES:
            return
        if not isinstance(grant.value, str):
            yield self.diagnostic(grant.location, f"grant_type must be {allowed}, got {plain(grant)}")
            return
        guess = closest(str(grant.value).replace("-", "_").lower(), GRANT_TYPES, cutoff=0.5)
        hint = f"use {guess!r}" if guess else f"expected {allowed}"
        yield self.diagnostic(grant.location, f"Invalid grant_type {plain(grant)}: {hint}")


class GrantTypeUnsupported(DeclarationRule):
    """## What it does
    Reports an OAuth declaration for a known provider with a grant type the
    provider does not offer (e.g. `slack` with `client_credentials`).

    ## Why is this bad?
    Tracecat looks the integration up by provider id *and* grant type; no
    such integration can be configured, so the token never resolves.

    Severity: error when the declaration is required: the action always
    fails with "Missing required OAuth integrations"
    (`tracecat/secrets/secrets_manager.py`: `get_action_secrets`). Warning
    when it is `optional`: the action runs, the token is never there.

    ## Example
    ```python
    RegistryOAuthSecret(provider_id="slack", grant_type="client_credentials")
    ```

    ## Use instead
    ```python
    RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")
    ```
    """

    code = "RL303"
    name = "grant-type-unsupported"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('oauth = RegistryOAuthSecret(provider_id="jamf", grant_type="client_credentials")')),
        Valid(yml("    - {type: oauth, provider_id: acme_idp, grant_type: client_credentials}\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py('oauth = RegistryOAuthSecret(provider_id="slack", grant_type="client_credentials")'),
            line=3,
            col=61,
            message="only authorization_code",
            severity=Severity.ERROR,
        ),
        Invalid(
            py('oauth = RegistryOAuthSecret(provider_id="slack", grant_type="client_credentials", optional=True)'),
            line=3,
            col=61,
            severity=Severity.WARNING,
        ),
        Invalid(
            yml("    - type: oauth\n      provider_id: jamf\n      grant_type: authorization_code\n"),
            filename="t.yml",
            line=8,
            col=19,
        ),
        Invalid(
            yml("    - {type: oauth, provider_id: acme_idp, grant_type: authorization_code}\n"),
            filename="t.yml",
            line=6,
            col=56,
            config={"extra-oauth-providers": {"acme_idp": ["client_credentials"]}},
        ),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        pid = secret.provider_id.text if secret.kind == "oauth" and secret.provider_id else None
        grant = secret.grant_type.text if secret.grant_type else None
        if not pid or grant not in GRANT_TYPES:
            return
        grants = oauth_catalog.providers(ctx.config).get(pid)
        if grants is None or grant in grants:
            return
        offered = " and ".join(sorted(grants))
        yield self.diagnostic(
            secret.grant_type.location,
            f"OAuth provider {pid!r} does not offer grant_type {grant!r}: it supports only {offered}",
            severity=_required_severity(secret),
        )


class MissingProviderId(DeclarationRule):
    """## What it does
    Reports an OAuth declaration without `provider_id` (or with an empty
    one).

    ## Why is this bad?
    `provider_id` is required: it names the integration and the token key
    (`<PROVIDER_ID>_USER_TOKEN`). Tracecat rejects the declaration.

    Severity: error without `provider_id` (`RegistryOAuthSecret.provider_id`
    is required: `tracecat_registry/_internal/models.py`). An empty one is
    accepted by the model but names no integration: an error when the
    action requires it ("Missing required OAuth integrations"), a warning
    when it is `optional`.

    ## Example
    ```yaml
    - type: oauth
      grant_type: authorization_code
    ```

    ## Use instead
    ```yaml
    - type: oauth
      provider_id: slack
      grant_type: authorization_code
    ```
    """

    code = "RL306"
    name = "missing-provider-id"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")')),
        Valid(yml(SLACK_YAML), filename="t.yml"),
    )
    INVALID = (
        Invalid(py('oauth = RegistryOAuthSecret(grant_type="authorization_code")'), line=3, col=9, severity=Severity.ERROR),
        Invalid(
            yml("    - {type: oauth, provider_id: '', grant_type: client_credentials, optional: true}\n"),
            filename="t.yml",
            line=6,
            col=34,
            severity=Severity.WARNING,
        ),
        Invalid(yml("    - type: oauth\n      grant_type: authorization_code\n"), filename="t.yml", line=6, col=7),
        Invalid(yml("    - {type: oauth, provider_id: '', grant_type: client_credentials}\n"), filename="t.yml", line=6, col=34),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if secret.kind != "oauth":
            return
        pid = secret.provider_id
        if pid is None:
            yield self.diagnostic(secret.location, "OAuth secret has no provider_id: add the integration's id (e.g. provider_id: slack)")
        elif pid.known and (pid.value is None or pid.value == ""):
            yield self.diagnostic(
                pid.location,
                "OAuth secret has an empty provider_id: give the integration's id (e.g. slack)",
                severity=_required_severity(secret),
            )
