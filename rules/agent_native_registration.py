"""RL701-RL705, RL710: agent-native's secrets registrations (TypeScript /
JavaScript); how apps read them is ``agent_native_reads.py``.

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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from registry_lint import agent_native as an
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from ._app_examples import OPENAI, REG_IMPORT, reg_call
from ._appsecrets import rename_fix, upper_snake

if TYPE_CHECKING:
    from registry_lint.appmodel import AppSecretRegistration
    from registry_lint.context import FileContext, ProjectContext
    from registry_lint.extract.typescript import TsFile


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
        Valid(reg_call(OPENAI), filename="x.ts"),
        Valid(reg_call('  key: KEY,\n  label: "Key",\n  scope: "user",\n  kind: "api-key",\n', head=REG_IMPORT + 'const KEY = "GROQ_API_KEY";\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(
            reg_call('  key: "openai-api-key",\n  label: "OpenAI",\n  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'),
            filename="x.ts", line=4, col=8, message="`OPENAI_API_KEY`",
            fixed=reg_call('  key: "OPENAI_API_KEY",\n  label: "OpenAI",\n  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'),
        ),
        Invalid(reg_call('  key: "",\n  label: "Empty",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=4, col=8, message="throws"),
        Invalid(reg_call('  key: "openai/key",\n  label: "Slash",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=4, col=8, message="[A-Za-z0-9_-]"),
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
        Valid(reg_call(OPENAI), filename="x.ts"),
        Valid(reg_call('  ...base,\n  key: "GROQ_API_KEY",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(reg_call('  key: "OPENAI_API_KEY",\n  label: "OpenAI API key",\n  scope: "user",\n'), filename="x.ts", line=3, col=1, message="`kind`"),
        Invalid(reg_call('  key: "OPENAI_API_KEY",\n  label: "",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=5, col=10, message="empty"),
        Invalid(reg_call('  label: "OpenAI",\n  scope: "",\n  kind: "api-key",\n'), filename="x.ts", line=3, col=1, also=((5, 10),)),
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
        Valid(reg_call(OPENAI), filename="x.ts"),
        Valid(reg_call('  key: "VAULT_TOKEN",\n  label: "Vault",\n  scope: "org",\n  kind: "api-key",\n  docsUrl: "https://example.com/vault",\n  required: true,\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(reg_call('  key: "SLACK_BOT_TOKEN",\n  label: "Slack",\n  scope: "team",\n  kind: "token",\n'), filename="x.ts", line=6, col=10, also=((7, 9),), message="`team`"),
        Invalid(reg_call(OPENAI + '  required: "false",\n'), filename="x.ts", line=9, col=13, message="boolean"),
        Invalid(reg_call('  key: "GROQ_API_KEY",\n  label: "Groq",\n  docUrl: "https://console.groq.com/keys",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=6, col=3, message="`docsUrl`"),
        Invalid(reg_call('  key: "GROQ_API_KEY",\n  label: "Groq",\n  docsUrl: "http://console.groq.com/keys",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=6, col=12, message="https://"),
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
            import difflib  # only for a misspelt option

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
        Valid(reg_call('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n  oauthProvider: "google",\n  oauthConnectUrl: "/_agent-native/google/auth-url",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(reg_call('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n'), filename="x.ts", line=7, col=9, message="oauthProvider"),
        Invalid(reg_call(OPENAI + '  oauthProvider: "openai",\n'), filename="x.ts", line=9, col=18, message="ignored"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        kind = reg.kind.value if reg.kind is not None else None
        if kind == "oauth":
            provider = reg.oauth_provider
            if (provider is None and reg.complete) or (provider is not None and provider.value == ""):
                at = provider.location if provider is not None else reg.kind.location
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
        Valid(reg_call(OPENAI), filename="a/x.ts", files={"a/package.json": "{}\n", "b/package.json": "{}\n", "b/y.ts": reg_call(OPENAI)}),
    )
    INVALID = (
        Invalid(reg_call(OPENAI), filename="x.ts", files={"y.ts": reg_call(OPENAI), "package.json": "{}\n"}, path="y.ts", line=4, col=8, message="x.ts:3"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        if not ctx.app_files:
            return
        # Imported here: a run without agent-native files never loads the app analysis.
        from registry_lint.analysis.appsecrets import knowledge, where

        for index in knowledge(ctx).apps.values():
            for key, regs in index.registrations.items():
                first = regs[0]
                for again in regs[1:]:
                    yield self.diagnostic(
                        again.key.location,
                        f"Secret `{key}` is also registered at {where(first.location)}; whichever registers last replaces the other",
                        related=(first.location,),
                    )


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
        Valid(reg_call(OPENAI), filename="x.ts"),
        Valid(reg_call('  key: "GOOGLE_CONNECTED",\n  label: "Google",\n  scope: "user",\n  kind: "oauth",\n  oauthProvider: "google",\n'), filename="x.ts"),
    )
    INVALID = (
        Invalid(reg_call('  key: "GROQ_API_KEY",\n  label: "Groq API key",\n  scope: "user",\n  kind: "api-key",\n'), filename="x.ts", line=3, col=1, message="docsUrl"),
    )

    def check_registration(self, reg: AppSecretRegistration, ctx: FileContext) -> Iterable[Diagnostic]:
        if reg.docs_url is None and reg.complete and reg.kind is not None and reg.kind.value == "api-key":
            name = f" `{reg.key_text}`" if reg.key_text else ""
            yield self.diagnostic(reg.location, f"API key{name} has no `docsUrl`: the settings card has no \"Get key\" link")
