"""RL304-RL305: OAuth token references: the token key a read or a template
reference uses, and the provider it names, against the OAuth secrets the
action (or a template step's action) declares. The declarations themselves
are ``oauth.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from registry_lint.analysis.declared import Declared
from registry_lint.analysis.reads import python_reads
from registry_lint.analysis.refs import token_candidates, token_like, well_formed
from registry_lint.model import ActionSpec, Diagnostic, SecretRef, SecretSpec, Severity
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import OAUTH_SECRET_SUFFIX

from ._declarations import DeclarationRule
from ._secretlib import (
    closest,
    describe_tokens,
    failing_label,
    replace_string,
    replace_tail,
    required_severity as _required_severity,
    short_list,
    shown,
    where,
)
from ._oauth_examples import SLACK_YAML, py, yml

if TYPE_CHECKING:
    from registry_lint.context import FileContext, ProjectContext
    from registry_lint.extract.python import PythonFile


def _token_problem(ref: SecretRef, declared: Declared) -> tuple[str, str | None] | None:
    """(message, replacement key) when a token reference does not resolve."""
    key = ref.key
    if key is None or not well_formed(ref):
        return None
    if any(s.provider_id is None or not s.provider_id.known or (s.provider_id.text or "").endswith(OAUTH_SECRET_SUFFIX) for s in declared.oauth):
        return None  # the declaration, not the reference, is wrong (RL305/RL306)
    if ref.via == "template":
        if not ref.secret or not ref.secret.endswith(OAUTH_SECRET_SUFFIX):
            return None
        specs = [s for s in declared.by_name.get(ref.secret, ()) if s.kind == "oauth"]
        if not specs or any(s.token_name is None for s in specs):
            return None
        tokens = [(s.token_name, s) for s in specs]
        candidates = token_candidates(key, tokens)
    else:
        if key in declared.by_key or not declared.complete:
            return None
        tokens = declared.tokens()
        if not tokens or not (token_like(key) or key.upper() in {t for t, _ in tokens}):
            return None
        candidates = token_candidates(key, tokens)
    if key in {t for t, _ in tokens}:
        return None
    first = candidates[0][1]
    names = {t for t, _ in candidates}
    replacement = next(iter(names)) if len(names) == 1 else None
    return f"expected {describe_tokens(candidates)} (declared at {where(first.location, ref.location.path)})", replacement


class OAuthTokenKeyMismatch(Rule):
    """## What it does
    Reports an OAuth token reference whose key is not the one the declared
    OAuth secret exposes: `<PROVIDER_ID_UPPER>_USER_TOKEN` for
    `authorization_code`, `<PROVIDER_ID_UPPER>_SERVICE_TOKEN` for
    `client_credentials`.

    Wrong suffix for the grant, wrong prefix and wrong case are all caught.
    Applies to `${{ SECRETS.<pid>_oauth.KEY }}` and to
    Python `secrets.get("KEY")` / `get_or_default("KEY")` when the key looks
    like a token key (ends in `_USER_TOKEN`/`_SERVICE_TOKEN`, any case) and
    the action declares an OAuth secret. Keys computed with
    `oauth_secret.token_name` are always right and never reported.

    A legacy mapping (`{name: <provider>_oauth}`) is judged by the grant
    Tracecat gives it (`authorization_code`), not the one it writes.

    ## Why is this bad?
    Tracecat fetches the token of the declared grant only and stores it
    under that exact key: `secrets.get` of any other key raises, and a
    template reference to it renders `None` (the request is sent without
    the credential).

    Severity: error: the read fails (`tracecat/secrets/secrets_manager.py`:
    `get_action_secrets`; `tracecat_registry/_internal/secrets.py`: `get`).
    Warning for `secrets.get_or_default`, which never fails: it returns the
    default every time.

    ## Example
    ```yaml
    secrets:
      - {type: oauth, provider_id: slack, grant_type: authorization_code}
    ...
    Authorization: Bearer ${{ SECRETS.slack_oauth.SLACK_SERVICE_TOKEN }}
    ```

    ## Use instead
    ```yaml
    Authorization: Bearer ${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}
    ```
    or, in Python, `secrets.get(slack_oauth_secret.token_name)`.

    ## Fix safety
    Safe when unambiguous: the key is replaced only when exactly one
    declared token key matches (same provider), and only in a string
    literal or template; the reference cannot resolve as it stands.
    """

    code = "RL304"
    name = "oauth-token-key-mismatch"
    sources = ("python", "yaml")
    fix = "safe"
    mixed_severity = True
    _DECL = 'oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")'
    VALID = (
        Valid(py(_DECL, '    token = secrets.get("SLACK_USER_TOKEN")\n    return "ok"')),
        Valid(py(_DECL, '    token = secrets.get(oauth.token_name)\n    return "ok"')),
        Valid(yml(SLACK_YAML, "${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}"), filename="t.yml"),
        Valid(
            yml(
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: authorization_code, optional: true}\n"
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: client_credentials, optional: true}\n",
                "${{ SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_USER_TOKEN || SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_SERVICE_TOKEN }}",
            ),
            filename="t.yml",
        ),
    )
    INVALID = (
        Invalid(
            py(_DECL, '    token = secrets.get("SLACK_SERVICE_TOKEN")\n    return "ok"'),
            line=8,
            col=25,
            message="expected SLACK_USER_TOKEN for grant_type authorization_code (declared at line 3)",
            fixed=py(_DECL, '    token = secrets.get("SLACK_USER_TOKEN")\n    return "ok"'),
        ),
        Invalid(
            yml(SLACK_YAML, "${{ SECRETS.slack_oauth.slack_user_token }}"),
            filename="t.yml",
            line=14,
            col=37,
            fixed=yml(SLACK_YAML, "${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}"),
        ),
        Invalid(
            yml(
                "    - {type: oauth, provider_id: microsoft_graph, grant_type: authorization_code}\n",
                "${{ SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_USER_TOKEN || SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_SERVICE_TOKEN }}",
            ),
            filename="t.yml",
            line=12,
            col=97,
        ),
        Invalid(
            py(_DECL, '    token = secrets.get_or_default("SLAK_USER_TOKEN")\n    return "ok"'),
            line=8,
            col=36,
            message="SLACK_USER_TOKEN",
            severity=Severity.WARNING,
        ),
        # A legacy mapping's grant is authorization_code whatever it says: its token is the user token.
        Invalid(
            yml("    - name: github_oauth\n      grant_type: client_credentials\n", "${{ SECRETS.github_oauth.GITHUB_SERVICE_TOKEN }}"),
            filename="t.yml",
            line=13,
            col=37,
            severity=Severity.ERROR,
            fixed=yml("    - name: github_oauth\n      grant_type: client_credentials\n", "${{ SECRETS.github_oauth.GITHUB_USER_TOKEN }}"),
        ),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        if action.source != "yaml" or not action.secrets_known:
            return
        declared = Declared.of(action.secrets)
        for ref in action.refs:
            problem = _token_problem(ref, declared)
            if problem is None:
                continue
            message, replacement = problem
            fix = replace_tail(ref.location, len(ref.key or ""), replacement, f"Use {replacement}") if replacement else None
            yield self.diagnostic(ref.location, f"OAuth token key {shown(ref.key or '')} does not resolve: {message}", fix=fix)

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        for ref, scopes in python_reads(parsed):
            failing = [(s, p) for s in scopes if (p := _token_problem(ref, s.declared)) is not None]
            if not failing:
                continue
            message, replacement = failing[0][1]
            if any(p[1] != replacement for _, p in failing):
                replacement = None
            fix = None
            if replacement and not ref.computed and ref.key:
                fix = replace_string(ctx.source, ref.location, ref.key, replacement, f"Use {replacement}")
            label = failing_label(scopes, [s for s, _ in failing])
            yield self.diagnostic(
                ref.location,
                f"OAuth token key {shown(ref.key or '')} does not resolve for {label}: {message}",
                fix=fix,
                severity=Severity.WARNING if ref.via == "get_or_default" else Severity.ERROR,
            )


class OAuthProviderMismatch(DeclarationRule):
    """## What it does
    Reports `${{ SECRETS.<x>_oauth.KEY }}` when no OAuth secret of provider
    `<x>` is declared, and a `provider_id` written with the `_oauth` suffix.

    The first is a typo, wrong case, or a static secret instead of
    `type: oauth`; the suffix is added by Tracecat itself.

    A legacy mapping's `provider_id` is ignored: Tracecat takes the provider
    from the name (`name.replace("_oauth", "")`); a different one is reported.

    A provider the action of one of the template's steps declares is
    fetched too (`collect_action_secrets_from_manifest` walks the steps):
    not reported, as for RL402 (the same lookup: the linted files,
    `extra-actions`, the built-in catalogue; nothing is reported when a
    step's declarations are not known).

    ## Why is this bad?
    `SECRETS.<x>_oauth` is the token of the workspace's `<x>` integration,
    and Tracecat only fetches the integrations an action (or its steps'
    actions) declares: a template's reference to any other provider renders
    `None`.
    `provider_id: slack_oauth` makes Tracecat look for a `slack_oauth`
    integration and name the secret `slack_oauth_oauth`.

    Severity: error for a reference to an undeclared provider (never
    fetched: `tracecat/executor/service.py`) and for a suffixed
    `provider_id` the action requires (no such integration: "Missing
    required OAuth integrations"). Warning for a suffixed `provider_id`
    declared `optional` and for a legacy mapping's ignored `provider_id`
    (the action runs).

    ## Example
    ```yaml
    secrets:
      - {type: oauth, provider_id: slack, grant_type: authorization_code}
    ...
    ${{ SECRETS.github_oauth.GITHUB_USER_TOKEN }}
    ```

    ## Use instead
    Declare the provider you use:
    ```yaml
    secrets:
      - {type: oauth, provider_id: github, grant_type: authorization_code}
    ```
    """

    code = "RL305"
    name = "oauth-provider-mismatch"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(yml(SLACK_YAML, "${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}"), filename="t.yml"),
        Valid(py('oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")')),
        # The step's action (built in: tools.gmail.get_attachment) declares the provider: Tracecat fetches it too.
        Valid(yml("    []\n", "${{ SECRETS.google_gmail_oauth.GOOGLE_GMAIL_USER_TOKEN }}").replace(
            "core.http_request", "tools.gmail.get_attachment"), filename="t.yml"),
    )
    INVALID = (
        Invalid(yml(SLACK_YAML, "${{ SECRETS.github_oauth.GITHUB_USER_TOKEN }}"), filename="t.yml", line=14, col=37, message="slack_oauth"),
        Invalid(
            py('oauth = RegistryOAuthSecret(provider_id="slack_oauth", grant_type="authorization_code")'),
            line=3,
            col=41,
            message="'slack'",
            severity=Severity.ERROR,
        ),
        Invalid(
            yml("    - name: slack_oauth\n      provider_id: slck\n", "${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}"),
            filename="t.yml",
            line=7,
            col=20,
            message="ignored",
            severity=Severity.WARNING,
        ),
        Invalid(
            yml("    - type: oauth\n      provider_id: slack_oauth\n      grant_type: authorization_code\n", "${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}"),
            filename="t.yml",
            line=7,
            col=20,
            also=((14, 37),),
        ),
    )

    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        pid = secret.provider_id.text if secret.kind == "oauth" and secret.provider_id else None
        for ignored in secret.overridden:
            if ignored.value == "provider_id":
                yield self.diagnostic(
                    ignored.location,
                    f"provider_id {shown(ignored.expr or '')} is ignored: Tracecat takes a legacy entry's provider from its "
                    f"name ({pid!r}); declare `type: oauth` to choose it",
                    severity=Severity.WARNING,
                )
        if pid and pid.endswith(OAUTH_SECRET_SUFFIX) and not secret.overridden:
            bare = pid[: -len(OAUTH_SECRET_SUFFIX)]
            yield self.diagnostic(
                secret.provider_id.location,
                f"provider_id {pid!r} includes the `_oauth` suffix: use {bare!r} (Tracecat names the secret {bare}_oauth itself)",
                severity=_required_severity(secret),
            )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterator[Diagnostic]:
        """Template references: a project check, since a step's action (in another
        file, or built in) may declare the provider (Tracecat fetches its secrets too)."""
        for action in actions:
            if action.source != "yaml" or not action.secrets_known or action.unloadable is not None:
                continue
            if not any(r.secret and r.secret.endswith("_oauth") for r in action.refs):
                continue
            # Imported here: a run without template OAuth references never loads the step analysis.
            from registry_lint.analysis.steps import step_declarations

            yield from self._references(action, *step_declarations(action, actions, ctx))

    def _references(self, action: ActionSpec, from_steps: list[SecretSpec], complete: bool) -> Iterator[Diagnostic]:
        declared = Declared.of(action.secrets)
        fetched = {s.secret_name for s in from_steps if s.kind == "oauth"}
        oauth_names = sorted({s.secret_name for s in declared.oauth if s.secret_name})
        if any(s.provider_id is None or not s.provider_id.known for s in declared.oauth):
            return
        # `provider_id: x_oauth` names the secret `x_oauth_oauth`: never suggest that.
        suffixed = {s.provider_id.text for s in declared.oauth if s.provider_id and (s.provider_id.text or "").endswith(OAUTH_SECRET_SUFFIX)}
        oauth_names = [n for n in oauth_names if n[: -len(OAUTH_SECRET_SUFFIX)] not in suffixed]
        for ref in action.refs:
            name = ref.secret
            if not well_formed(ref) or not name or not name.endswith(OAUTH_SECRET_SUFFIX) or name in oauth_names:
                continue
            if name in fetched or not complete:
                continue  # a step's action declares it, or may
            if name in suffixed:
                yield self.diagnostic(
                    ref.location,
                    f"`SECRETS.{name}` does not resolve: the declaration's provider_id {name!r} must drop the `_oauth` suffix",
                )
                continue
            guess = closest(name, oauth_names, cutoff=0.6)
            if guess:
                hint = f"did you mean {guess!r}?"
            elif oauth_names:
                hint = f"declared OAuth secrets: {short_list(oauth_names)}"
            else:
                hint = "the action declares no OAuth secret"
            pid = name[: -len(OAUTH_SECRET_SUFFIX)]
            yield self.diagnostic(
                ref.location,
                f"`SECRETS.{name}` needs an OAuth secret with provider_id {pid!r} in definition.secrets: {hint}",
            )
