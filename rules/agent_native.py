"""RL7xx: agent-native's secrets registry (TypeScript / JavaScript).

Files that import ``@agent-native/core`` and use the secrets API are parsed
with tree-sitter (the ``typescript`` extra) into registrations and reads
(``registry_lint.appmodel``). Every fact comes from agent-native's own
source at commit c31e9b58 (``registry_lint.agent_native``); where the public
skill docs (``.agents/skills/secrets/SKILL.md``) say otherwise, the source
wins and the rule's docs say so. Severity follows the same policy as for
Tracecat: an error where ``registerRequiredSecret`` throws at module load,
TypeScript rejects the code, or the app misbehaves at run time (a read that
can never see the stored value, a credential shared by every user, a value
in a log); a warning otherwise.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from registry_lint import agent_native as an
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.appsecrets import knowledge, where
from ._appsecrets import rename_fix, upper_snake

if TYPE_CHECKING:
    from registry_lint.appmodel import AppSecretRegistration
    from registry_lint.context import FileContext, ProjectContext
    from registry_lint.extract.typescript import TsFile

_IMPORT = 'import { registerRequiredSecret } from "@agent-native/core/secrets";\n\n'
_READ_IMPORT = 'import { readAppSecret } from "@agent-native/core/secrets";\n\n'


def _reg(fields: str, head: str = _IMPORT) -> str:
    """A registration: the call is on line 3, its fields from line 4."""
    return head + "registerRequiredSecret({\n" + fields + "});\n"


_OPENAI = (
    '  key: "OPENAI_API_KEY",\n  label: "OpenAI API key",\n'
    '  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'
)
_PLUGIN = {"server/register-secrets.ts": _reg(_OPENAI), "package.json": "{}\n"}


def _route(key: str = '"OPENAI_API_KEY"', scope: str = '"user"', body: str = "  return stored?.value;\n") -> str:
    """A read: `readAppSecret` on line 4, the key at 4:45."""
    return (
        _READ_IMPORT
        + "export async function apiKey(email: string) {\n"
        + f"  const stored = await readAppSecret({{ key: {key}, scope: {scope}, scopeId: email }});\n"
        + body
        + "}\n"
    )


class _RegistrationRule(Rule):
    sources = ("typescript",)

    def check_typescript(self, parsed: TsFile, ctx: FileContext) -> Iterable[Diagnostic]:
        for reg in parsed.model.registrations:
            yield from self.check_registration(reg, ctx)

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()


class InvalidAppSecretKey(_RegistrationRule):
    """## What it does
    Reports a `registerRequiredSecret({ key })` whose key is empty, cannot be
    addressed by the rest of agent-native, or is not an env-var style
    UPPER_SNAKE name (`OPENAI_API_KEY`).

    ## Why is this bad?
    The key is the storage key of the value and the name everything else uses
    (agent-native c31e9b58, `packages/core/src/secrets/`):
    - an empty key makes `registerRequiredSecret` throw when the plugin
      module loads (an error);
    - a key with characters outside `[A-Za-z0-9_-]` cannot be written through
      `POST /_agent-native/secrets/:key` (one path segment) nor referenced as
      `${keys.NAME}` (an error);
    - any other non-UPPER_SNAKE key works but breaks the documented
      convention the deploy-level env fallback and the docs rely on (a
      warning).

    ## Example
    ```ts
    registerRequiredSecret({ key: "openaiApiKey", label: "OpenAI", scope: "user", kind: "api-key" });
    ```

    ## Use instead
    ```ts
    registerRequiredSecret({ key: "OPENAI_API_KEY", label: "OpenAI", scope: "user", kind: "api-key" });
    ```

    ## Fix safety
    When the words are unambiguous (`openai-api-key`, `openaiApiKey`), the fix
    rewrites the key literal in UPPER_SNAKE. It is unsafe: the key is where
    the value is stored, so values users already saved under the old key are
    no longer found, and every read of the old key (in this or any other
    file) must be renamed with it. A key given through a constant is not
    rewritten.
    """

    code = "RL701"
    name = "invalid-app-secret-key"
    fix = "unsafe"
    VALID = (
        Valid(_reg(_OPENAI), filename="x.ts"),
        Valid(_reg('  key: KEY,\n  label: "Key",\n  scope: "user",\n  kind: "api-key",\n', head=_IMPORT + 'const KEY = "GROQ_API_KEY";\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(
            _reg('  key: "openai-api-key",\n  label: "OpenAI",\n  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'),
            filename="x.ts", line=4, col=8, message="`OPENAI_API_KEY`",
            fixed=_reg('  key: "OPENAI_API_KEY",\n  label: "OpenAI",\n  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'),
        ),
        Invalid(_reg('  key: "",\n  label: "Empty",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=4, col=8, message="throws"),
        Invalid(_reg('  key: "openai/key",\n  label: "Slash",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=4, col=8, message="[A-Za-z0-9_-]"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        key = reg.key
        if key is None or not isinstance(key.value, str):
            return
        text = key.value
        if not text:
            yield self.diagnostic(key.location, "Secret key is empty: `registerRequiredSecret` throws when the module loads")
        elif not an.KEY_ADDRESSABLE_RE.match(text):
            yield self.diagnostic(
                key.location,
                f"Secret key {text!r} has characters outside [A-Za-z0-9_-]: the settings route "
                "(`/_agent-native/secrets/:key`) and `${keys.NAME}` cannot address it",
            )
        elif not an.KEY_STYLE_RE.match(text):
            new = upper_snake(text)
            fix = rename_fix(key, ctx.source, new) if new else None
            hint = f"; use `{new}`" if new else ""
            yield self.diagnostic(
                key.location,
                f"Secret key {text!r} is not an env-var style UPPER_SNAKE name{hint}",
                severity=Severity.WARNING,
                fix=fix,
            )


class MissingAppSecretField(_RegistrationRule):
    """## What it does
    Reports a registration without `key`, `label`, `scope` or `kind`, or with
    an empty `label`, `scope` or `kind` (an empty `key` is RL701).

    ## Why is this bad?
    `registerRequiredSecret` throws at module load when `key`, `scope` or
    `kind` is missing (`register.ts`), which takes the whole server plugin
    down; `label` is required by the `RegisteredSecret` type, so TypeScript
    rejects the call. An empty `label` is accepted but renders a nameless card
    in the settings UI (a warning). A registration built with a spread
    (`{ ...base, key }`) or from a variable is not checked for absent fields.

    ## Example
    ```ts
    registerRequiredSecret({ key: "OPENAI_API_KEY", label: "OpenAI API key", scope: "user" });
    ```

    ## Use instead
    ```ts
    registerRequiredSecret({ key: "OPENAI_API_KEY", label: "OpenAI API key", scope: "user", kind: "api-key" });
    ```
    """

    code = "RL702"
    name = "missing-app-secret-field"
    VALID = (
        Valid(_reg(_OPENAI), filename="x.ts"),
        Valid(_reg('  ...base,\n  key: "GROQ_API_KEY",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(_reg('  key: "OPENAI_API_KEY",\n  label: "OpenAI API key",\n  scope: "user",\n'), filename="x.ts", line=3, col=1, message="`kind`"),
        Invalid(_reg('  key: "OPENAI_API_KEY",\n  label: "",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=5, col=10, message="empty"),
        Invalid(_reg('  label: "OpenAI",\n  scope: "",\n  kind: "api-key",\n'), filename="x.ts", line=3, col=1, also=((5, 10),)),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        for field_name, value in (("key", reg.key), ("label", reg.label), ("scope", reg.scope), ("kind", reg.kind)):
            if value is None:
                if not reg.complete:
                    continue
                why = "`registerRequiredSecret` throws when the module loads" if field_name in an.THROWING_FIELDS else "`RegisteredSecret` requires it"
                yield self.diagnostic(reg.location, f"Secret registration has no `{field_name}`: {why}")
            elif value.value == "" and field_name != "key":
                if field_name == "label":
                    yield self.diagnostic(value.location, "Secret `label` is empty: the settings card has no title", severity=Severity.WARNING)
                else:
                    yield self.diagnostic(value.location, f"Secret `{field_name}` is empty: `registerRequiredSecret` throws when the module loads")


class InvalidAppSecretOption(_RegistrationRule):
    """## What it does
    Reports a registration option the registry does not accept: a `scope`
    other than `user`, `workspace` or `org`, a `kind` other than `api-key` or
    `oauth`, a `required` that is not a boolean, a `docsUrl` that is not an
    absolute `https://` URL, or a property `RegisteredSecret` does not have.

    ## Why is this bad?
    `registerRequiredSecret` throws at module load for any other scope or
    kind (`register.ts`). The skill docs list only `user` and `workspace`;
    the source also accepts `org` (owner/admin-only writes, no solo fallback),
    so `org` is valid here. `required: "false"` is a TypeScript error and, in
    JavaScript, truthy: it injects a required onboarding step. A relative or
    `http://` `docsUrl` is accepted but renders a broken or insecure "Get key"
    link (a warning), and an unknown property (`docUrl`) is dropped
    silently at run time (a warning; TypeScript's excess-property check
    rejects it in an object literal).

    ## Example
    ```ts
    registerRequiredSecret({ key: "SLACK_BOT_TOKEN", label: "Slack bot token", scope: "team", kind: "token" });
    ```

    ## Use instead
    ```ts
    registerRequiredSecret({ key: "SLACK_BOT_TOKEN", label: "Slack bot token", scope: "workspace", kind: "api-key" });
    ```
    """

    code = "RL703"
    name = "invalid-app-secret-option"
    VALID = (
        Valid(_reg(_OPENAI), filename="x.ts"),
        Valid(_reg('  key: "VAULT_TOKEN",\n  label: "Vault",\n  scope: "org",\n  kind: "api-key",\n  docsUrl: "https://example.com/vault",\n  required: true,\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(_reg('  key: "SLACK_BOT_TOKEN",\n  label: "Slack",\n  scope: "team",\n  kind: "token",\n'), filename="x.ts", line=6, col=10, also=((7, 9),), message="`team`"),
        Invalid(_reg(_OPENAI + '  required: "false",\n'), filename="x.ts", line=9, col=13, message="boolean"),
        Invalid(_reg('  key: "GROQ_API_KEY",\n  label: "Groq",\n  docUrl: "https://console.groq.com/keys",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=6, col=3, message="`docsUrl`"),
        Invalid(_reg('  key: "GROQ_API_KEY",\n  label: "Groq",\n  docsUrl: "http://console.groq.com/keys",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=6, col=12, message="https://"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        for field_name, value, allowed in (("scope", reg.scope, an.SCOPES), ("kind", reg.kind, an.KINDS)):
            if value is not None and isinstance(value.value, str) and value.value and value.value not in allowed:
                yield self.diagnostic(
                    value.location,
                    f"Secret `{field_name}` `{value.value}` is not one of {', '.join(allowed)}: "
                    "`registerRequiredSecret` throws when the module loads",
                )
        required = reg.required
        if required is not None and required.known and not isinstance(required.value, bool):
            yield self.diagnostic(required.location, "Secret `required` must be a boolean (a string is truthy: the onboarding step is always required)")
        docs = reg.docs_url
        if docs is not None and isinstance(docs.value, str) and not docs.value.startswith("https://"):
            yield self.diagnostic(docs.location, "`docsUrl` is not an absolute https:// URL: the card's \"Get key\" link is broken or insecure", severity=Severity.WARNING)
        for unknown in reg.unknown_fields:
            close = difflib.get_close_matches(str(unknown.value), an.REGISTRATION_FIELDS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            yield self.diagnostic(unknown.location, f"`{unknown.value}` is not a `RegisteredSecret` option{hint}: it is dropped", severity=Severity.WARNING)


class OAuthFieldMismatch(_RegistrationRule):
    """## What it does
    Reports a `kind: "oauth"` registration without `oauthProvider`, and
    `oauthProvider`/`oauthConnectUrl` on a registration whose kind is not
    `oauth`.

    ## Why is this bad?
    An OAuth registration's status comes from the oauth-tokens store of its
    `oauthProvider` (`routes.ts`, `onboarding.ts`); without one it is always
    "unset" and a `required` onboarding step never completes (an error). On an
    `api-key` registration the two fields are ignored, which usually means the
    kind is wrong (a warning).

    ## Example
    ```ts
    registerRequiredSecret({ key: "GOOGLE_CONNECTED", label: "Google", scope: "user", kind: "oauth" });
    ```

    ## Use instead
    ```ts
    registerRequiredSecret({ key: "GOOGLE_CONNECTED", label: "Google", scope: "user", kind: "oauth", oauthProvider: "google" });
    ```
    """

    code = "RL704"
    name = "oauth-field-mismatch"
    VALID = (
        Valid(_reg('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n  oauthProvider: "google",\n  oauthConnectUrl: "/_agent-native/google/auth-url",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(_reg('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n'), filename="x.ts", line=7, col=9, message="oauthProvider"),
        Invalid(_reg(_OPENAI + '  oauthProvider: "openai",\n'), filename="x.ts", line=9, col=18, message="ignored"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        kind = reg.kind.value if reg.kind is not None else None
        if kind == "oauth":
            provider = reg.oauth_provider
            if (provider is None and reg.complete) or (provider is not None and provider.value == ""):
                at = provider.location if provider is not None else reg.kind.location  # type: ignore[union-attr]
                yield self.diagnostic(at, "`kind: \"oauth\"` secret without `oauthProvider`: its status is never \"set\"")
        elif isinstance(kind, str):
            for field_name, value in (("oauthProvider", reg.oauth_provider), ("oauthConnectUrl", reg.oauth_connect_url)):
                if value is not None:
                    yield self.diagnostic(
                        value.location, f"`{field_name}` is ignored for `kind: \"{kind}\"` (only `oauth` secrets use it)", severity=Severity.WARNING
                    )


class DuplicateAppSecret(Rule):
    """## What it does
    Reports a key registered more than once in the same app (files under the
    same nearest `package.json`) of the linted set.

    ## Why is this bad?
    The registry is a map: a second `registerRequiredSecret` with the same
    key replaces the first (`register.ts`: "Subsequent registrations with the
    same key replace the previous definition"), so which label, scope and
    validator win depends on module load order. That is by design for
    overriding framework defaults, hence a warning. The framework's own
    registrations (`register-framework-secrets.ts`) only apply when no
    template registered the key, so a template registering e.g.
    `OPENAI_API_KEY` is not a duplicate; two apps registering the same key
    are separate processes and are not either.

    ## Example
    ```ts
    // server/plugins/a.ts
    registerRequiredSecret({ key: "GEMINI_API_KEY", label: "Gemini", scope: "user", kind: "api-key" });
    // server/plugins/b.ts
    registerRequiredSecret({ key: "GEMINI_API_KEY", label: "Gemini", scope: "workspace", kind: "api-key" });
    ```

    ## Use instead
    Register each key once, in one plugin.
    """

    code = "RL705"
    name = "duplicate-app-secret"
    severity = Severity.WARNING
    sources = ("typescript",)
    VALID = (
        Valid(_reg(_OPENAI), filename="a/x.ts", files={"a/package.json": "{}\n", "b/package.json": "{}\n", "b/y.ts": _reg(_OPENAI)}),
    )
    INVALID = (
        Invalid(_reg(_OPENAI), filename="x.ts", files={"y.ts": _reg(_OPENAI), "package.json": "{}\n"}, path="y.ts", line=4, col=8, message="x.ts:3"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        for index in knowledge(ctx).apps.values():
            for key, regs in index.registrations.items():
                first = regs[0]
                for again in regs[1:]:
                    yield self.diagnostic(
                        again.key.location,  # type: ignore[union-attr]
                        f"Secret `{key}` is also registered at {where(first.location)}; whichever registers last replaces the other",
                        related=(first.location,),
                    )


class UnregisteredAppSecret(Rule):
    """## What it does
    Reports `readAppSecret({ key })` (and `readAppSecretMeta`,
    `getAppSecretMeta`) of a literal key that no `registerRequiredSecret` in
    the same app registers, nor config `extra-app-secrets`, nor agent-native's
    framework (`register-framework-secrets.ts`).

    ## Why is this bad?
    Only registered keys get a settings card and an onboarding step, and the
    write route refuses unregistered keys (`routes.ts`: "is not registered").
    Nobody is ever asked for the value, so the read returns `null` for every
    user who has not hand-created an ad-hoc key of exactly that name.

    Keys computed at run time (per-user OAuth token rows such as
    `account.refreshTokenSecretRef`) are not checked. When the linted set
    holds no registration of the app at all and `extra-app-secrets` is empty
    (an editor buffer, one changed route file), the rule cannot tell an
    unregistered key from one registered in a file it did not see, and stays
    silent: lint the whole app (the `registry-lint-agent-native` pre-commit
    hook does), or list keys registered in other packages in
    `extra-app-secrets = { KEY = "workspace" }`.

    ## Example
    ```ts
    const stored = await readAppSecret({ key: "OPENAI_KEY", scope: "user", scopeId: email });
    ```

    ## Use instead
    Read the key the plugin registers (`OPENAI_API_KEY`), or register it.
    """

    code = "RL706"
    name = "unregistered-app-secret"
    sources = ("typescript",)
    VALID = (
        Valid(_route(), filename="server/route.ts", files=_PLUGIN),
        Valid(_route('"ANTHROPIC_API_KEY"'), filename="server/route.ts", files=_PLUGIN),
        Valid(_route('"SHARED_KEY"', '"workspace"'), filename="route.ts", files=_PLUGIN, config={"extra-app-secrets": {"SHARED_KEY": "workspace"}}),
        Valid(_route('"GEMINI_API_KEY"'), filename="route.ts"),
        Valid(_route("account.tokenRef"), filename="server/route.ts", files=_PLUGIN),
    )
    INVALID = (
        Invalid(_route('"OPENAI_KEY"'), filename="server/route.ts", files=_PLUGIN, line=4, col=45, message="OPENAI_KEY"),
        Invalid(
            _route('"GEMINI_API_KEY"'), filename="slides/route.ts",
            files={"slides/package.json": "{}\n", "clips/package.json": "{}\n", "clips/plugin.ts": _reg(_OPENAI.replace("OPENAI", "GEMINI")), "slides/plugin.ts": _reg(_OPENAI)},
            line=4, col=45,
        ),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        known = knowledge(ctx)
        for file in sorted(ctx.app_files, key=lambda f: f.path):
            if not known.can_judge(file.app):
                continue
            for read in file.reads:
                key = read.key_text
                if read.api not in an.STORE_READS or not key or known.registered(file.app, key):
                    continue
                yield self.diagnostic(
                    read.key.location,  # type: ignore[union-attr]
                    f"`{read.api}` reads `{key}`, which no `registerRequiredSecret` of this app registers "
                    "(nor `extra-app-secrets`, nor the framework): nobody is asked for it, so the read returns null",
                )


class AppSecretScopeMismatch(Rule):
    """## What it does
    Reports `readAppSecret({ key, scope })` (and the other store reads) whose
    literal scope differs from the scope the key is registered with.

    ## Why is this bad?
    The settings UI stores a registered secret at its registered scope, and
    `readAppSecret` matches `(scope, scopeId, key)` exactly, with no fallback
    (`storage.ts`; the skill docs' "Scope matches the registration"). A
    `workspace` read of a `user` secret never sees the value users saved.
    One exception, from `resolveSecret` (`server/credential-provider.ts`):
    Dispatch's vault sync writes shared keys in the `org` scope, so an `org`
    read of a `workspace`-registered key is not reported. Reads whose scope
    is computed are not checked, and a key only the framework registers is
    checked only when the linted set holds the app's own registrations (a
    template's registration of the same key replaces the framework's).

    ## Example
    ```ts
    registerRequiredSecret({ key: "OPENAI_API_KEY", label: "OpenAI", scope: "user", kind: "api-key" });
    await readAppSecret({ key: "OPENAI_API_KEY", scope: "workspace", scopeId: orgId });
    ```

    ## Use instead
    ```ts
    await readAppSecret({ key: "OPENAI_API_KEY", scope: "user", scopeId: email });
    ```
    """

    code = "RL707"
    name = "app-secret-scope-mismatch"
    sources = ("typescript",)
    VALID = (
        # The framework's scope is not trusted without the app's own registrations: it may override it.
        Valid(_route('"ANTHROPIC_API_KEY"', '"workspace"'), filename="route.ts"),
        Valid(_route(), filename="server/route.ts", files=_PLUGIN),
        Valid(_route(scope="kind"), filename="server/route.ts", files=_PLUGIN),
        Valid(_route('"POSTHOG_API_KEY"', '"org"'), filename="route.ts", files=_PLUGIN),
    )
    INVALID = (
        Invalid(_route(scope='"workspace"'), filename="server/route.ts", files=_PLUGIN, line=4, col=70, message="`user`"),
        Invalid(_route('"ANTHROPIC_API_KEY"', '"workspace"'), filename="route.ts", files=_PLUGIN, line=4, col=73, message="framework"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        known = knowledge(ctx)
        for file in sorted(ctx.app_files, key=lambda f: f.path):
            for read in file.reads:
                key, scope = read.key_text, read.scope_text
                if read.api not in an.STORE_READS or not key or not scope:
                    continue
                found = known.registered_scopes(file.app, key)
                if found is None or not found[0] or scope in found[0]:
                    continue
                if scope == "org" and "workspace" in found[0]:
                    continue  # Dispatch's vault sync writes shared keys at org scope
                registered = " or ".join(f"`{s}`" for s in found[0])
                yield self.diagnostic(
                    read.scope.location,  # type: ignore[union-attr]
                    f"`{read.api}` reads `{key}` at scope `{scope}`, but it is registered with scope {registered} "
                    f"({found[1]}): the read never sees the value the settings UI stores",
                )


class AppSecretEnvFallback(Rule):
    """## What it does
    Reports `process.env.X` used as the fallback of a stored app secret:
    `stored?.value ?? process.env.X` (also `||` and ternaries) where the value
    comes from `readAppSecret`, the same with `resolveSecret("K")` of a
    registered key, and `process.env.K` as a parameter default where `K` is a
    registered key.

    ## Why is this bad?
    Registered secrets are per user, per workspace or per org. A
    `process.env` fallback makes every user without their own value silently
    use one deployment's key (billing, data access, rate limits), and splits
    the app's mind: the settings UI says "unset" while calls succeed, or the
    other way round (the skill docs: "Do not add a `process.env` fallback
    that makes every user inherit one deployment's key"; agent-native's own
    guard `no-env-credentials` flags such reads). `resolveSecret` already
    falls back to `process.env` when the deployment's policy allows it; an
    extra fallback bypasses that policy. Only fallbacks in files that use the
    secrets API are found, and a value is not followed into other functions.

    ## Example
    ```ts
    const stored = await readAppSecret({ key: "OPENAI_API_KEY", scope: "user", scopeId: email });
    const apiKey = stored?.value ?? process.env.OPENAI_API_KEY;
    ```

    ## Use instead
    ```ts
    const apiKey = stored?.value;
    if (!apiKey) throw new Error("Set OPENAI_API_KEY in Settings");
    ```
    """

    code = "RL708"
    name = "app-secret-env-fallback"
    sources = ("typescript",)
    VALID = (
        Valid(_route(body="  return stored?.value ?? null;\n"), filename="x.ts"),
        Valid(_route(body="  const region = process.env.REGION ?? \"us\";\n  return stored?.value;\n"), filename="x.ts"),
        Valid(_READ_IMPORT + "export function client(apiKey = process.env.MY_DEPLOY_KEY) {\n  return apiKey;\n}\n", filename="x.ts", files=_PLUGIN),
    )
    INVALID = (
        Invalid(_route(body="  return stored?.value ?? process.env.OPENAI_API_KEY;\n"), filename="x.ts", line=5, col=27, message="`user`-scoped"),
        Invalid(_route(body="  const { value } = stored ?? {};\n  return value ? value : process.env.OPENAI_API_KEY;\n"), filename="x.ts", line=6, col=26),
        Invalid(
            _READ_IMPORT + "export function client(apiKey = process.env.OPENAI_API_KEY) {\n  return apiKey;\n}\n",
            filename="x.ts", files=_PLUGIN, line=3, col=33, message="parameter default",
        ),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        known = knowledge(ctx)
        for file in sorted(ctx.app_files, key=lambda f: f.path):
            for fallback in file.env_fallbacks:
                env = f"process.env.{fallback.env_key}" if fallback.env_key else "process.env[...]"
                read = fallback.read
                if read is None:
                    if fallback.via == "default" and fallback.env_key and known.registered(file.app, fallback.env_key):
                        yield self.diagnostic(
                            fallback.location,
                            f"`{env}` is the parameter default for `{fallback.env_key}`, {_what(known, file.app, fallback.env_key)}: "
                            "every caller that passes none uses the deployment's key",
                        )
                    continue
                key = read.key_text
                if read.api in an.RESOLVE_SECRET and not (key and known.registered(file.app, key)):
                    continue  # resolveSecret of a deploy-level key: process.env is its home
                found = known.registered_scopes(file.app, key) if key else None
                scope = read.scope_text or ("/".join(found[0]) if found and found[0] else None)
                what = f"a `{scope}`-scoped app secret" if scope else "a stored app secret"
                yield self.diagnostic(
                    fallback.location,
                    f"`{env}` is the fallback of {what} read with `{read.api}`"
                    + (f" (`{key}`)" if key else "")
                    + ": every user without their own value silently uses the deployment's key",
                )


def _what(known: object, app: str, key: str) -> str:
    found = known.registered_scopes(app, key)  # type: ignore[attr-defined]
    return f"a `{'/'.join(found[0])}`-scoped app secret" if found and found[0] else "a registered app secret"


_SINKS = {
    "error": "an `Error` message (thrown errors reach logs and 500 responses)",
    "response": "a response body",
    "return": "the return value of an event handler or action (the response; for an action, the agent's context)",
}


class AppSecretValueLogged(Rule):
    """## What it does
    Reports a secret value reaching `console.*` or a logger (`logger.info`,
    `this.log.warn`, ...), an `Error` message, a response body (`send`,
    `res.json`, `new Response`) or the return value of an event handler or
    action. Secret values are a validator's `value` argument and what
    `readAppSecret(...)` (its `.value`) and `resolveSecret(...)` return,
    followed through variables, destructuring, `??`/`||`, ternaries, `+`,
    template literals, string methods, `String()`, `JSON.stringify()` and
    `encodeURIComponent()` within one function.

    ## Why is this bad?
    Logs are shared, shipped to third parties and kept; error messages end
    up in logs and in 500 responses; an action's return value goes into the
    agent's context. `register.ts` says it for validators ("Never log the
    value from inside the validator"), `storage.ts` for reads ("The caller is
    responsible for never logging the returned value"). A validator's error
    and thrown messages are not reported: `routes.ts` redacts the value from
    them before they reach the client.

    ## Example
    ```ts
    validator: async (value) => {
      console.log("checking key", value);
      ...
    }
    ```

    ## Use instead
    Log the outcome (`res.status`), never the value.
    """

    code = "RL709"
    name = "app-secret-value-logged"
    sources = ("typescript",)
    VALID = (
        Valid(_reg(_OPENAI + '  validator: async (value) => {\n    const res = await fetch("https://api.openai.com/v1/models", { headers: { Authorization: `Bearer ${value}` } });\n    console.log("status", res.status);\n    return res.ok;\n  },\n'), filename="x.ts"),
        Valid(_route(body="  if (!stored?.value) throw new Error(\"OPENAI_API_KEY is not set\");\n  console.info(\"key length\", stored.value.length);\n  return stored.value;\n"), filename="x.ts"),
    )
    INVALID = (
        Invalid(_reg(_OPENAI + '  validator: async (value) => {\n    console.log("checking", value);\n    return true;\n  },\n'), filename="x.ts", line=10, col=29, message="console.log"),
        Invalid(_route(body="  const key = stored?.value;\n  logger.warn(`using ${key.slice(0, 8)}`);\n  throw new Error(\"rejected: \" + key);\n"), filename="x.ts", line=6, col=15, also=((7, 19),)),
        Invalid(
            'import { defineEventHandler } from "h3";\nimport { resolveSecret } from "@agent-native/core/server";\n\n'
            'export default defineEventHandler(async () => {\n  const token = await resolveSecret("GITHUB_TOKEN");\n  return { token };\n});\n',
            filename="x.ts", line=6, col=10, message="event handler",
        ),
    )

    def check_typescript(self, parsed: TsFile, ctx: FileContext) -> Iterable[Diagnostic]:
        for location, sink, api, key in parsed.leaks:
            source = "a validator's value" if api == "validator" else f"the value `{api}` returns" + (f" for `{key.value}`" if key is not None and key.text else "")
            target = _SINKS.get(sink, f"`{sink}`")
            yield self.diagnostic(location, f"Secret value ({source}) reaches {target}: never log or return a secret")


class AppSecretWithoutDocsUrl(_RegistrationRule):
    """## What it does
    Reports an `api-key` registration without `docsUrl`.

    ## Why is this bad?
    `docsUrl` is the settings card's "Get key" link (SKILL.md, "Registered
    options"); without it users have to find out on their own where the key
    comes from. The registry accepts it, so this is a warning.

    ## Example
    ```ts
    registerRequiredSecret({ key: "GROQ_API_KEY", label: "Groq API key", scope: "user", kind: "api-key" });
    ```

    ## Use instead
    ```ts
    registerRequiredSecret({ key: "GROQ_API_KEY", label: "Groq API key", scope: "user", kind: "api-key", docsUrl: "https://console.groq.com/keys" });
    ```
    """

    code = "RL710"
    name = "app-secret-without-docs-url"
    severity = Severity.WARNING
    VALID = (
        Valid(_reg(_OPENAI), filename="x.ts"),
        Valid(_reg('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n  oauthProvider: "google",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(_reg('  key: "GROQ_API_KEY",\n  label: "Groq API key",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=3, col=1, message="docsUrl"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        if reg.docs_url is None and reg.complete and reg.kind is not None and reg.kind.value == "api-key":
            name = f" `{reg.key_text}`" if reg.key_text else ""
            yield self.diagnostic(reg.location, f"API key{name} has no `docsUrl`: the settings card has no \"Get key\" link")
