"""RL706-RL709: how an agent-native app reads its secrets (TypeScript /
JavaScript): reads of keys no file registers, scopes that never match the
registration, ``process.env`` fallbacks, values that reach a log, an error
or a response. Registrations themselves are ``agent_native_registration.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from registry_lint import agent_native as an
from registry_lint.model import ActionSpec, Diagnostic
from registry_lint.rule import Invalid, Rule, Valid

from ._app_examples import OPENAI, PLUGIN, READ_IMPORT, reg_call, route

if TYPE_CHECKING:
    from registry_lint.analysis.appsecrets import Knowledge
    from registry_lint.context import FileContext, ProjectContext
    from registry_lint.extract.typescript import TsFile


def _knowledge(ctx: ProjectContext) -> Knowledge:
    # Imported here: a run without agent-native files never loads the app analysis.
    from registry_lint.analysis.appsecrets import knowledge

    return knowledge(ctx)


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
        Valid(route(), filename="server/route.ts", files=PLUGIN),
        Valid(route('"ANTHROPIC_API_KEY"'), filename="server/route.ts", files=PLUGIN),
        Valid(route('"SHARED_KEY"', '"workspace"'), filename="route.ts", files=PLUGIN, config={"extra-app-secrets": {"SHARED_KEY": "workspace"}}),
        Valid(route('"GEMINI_API_KEY"'), filename="route.ts"),
        Valid(route("account.tokenRef"), filename="server/route.ts", files=PLUGIN),
    )
    INVALID = (
        Invalid(route('"OPENAI_KEY"'), filename="server/route.ts", files=PLUGIN, line=4, col=45, message="OPENAI_KEY"),
        Invalid(
            route('"GEMINI_API_KEY"'), filename="slides/route.ts",
            files={"slides/package.json": "{}\n", "clips/package.json": "{}\n", "clips/plugin.ts": reg_call(OPENAI.replace("OPENAI", "GEMINI")), "slides/plugin.ts": reg_call(OPENAI)},
            line=4, col=45,
        ),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        if not ctx.app_files:
            return
        known = _knowledge(ctx)
        for file in sorted(ctx.app_files, key=lambda f: f.path):
            if not known.can_judge(file.app):
                continue
            for read in file.reads:
                key = read.key_text
                if read.api not in an.STORE_READS or not key or known.registered(file.app, key):
                    continue
                yield self.diagnostic(
                    read.key.location,
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
        Valid(route('"ANTHROPIC_API_KEY"', '"workspace"'), filename="route.ts"),
        Valid(route(), filename="server/route.ts", files=PLUGIN),
        Valid(route(scope="kind"), filename="server/route.ts", files=PLUGIN),
        Valid(route('"POSTHOG_API_KEY"', '"org"'), filename="route.ts", files=PLUGIN),
    )
    INVALID = (
        Invalid(route(scope='"workspace"'), filename="server/route.ts", files=PLUGIN, line=4, col=70, message="`user`"),
        Invalid(route('"ANTHROPIC_API_KEY"', '"workspace"'), filename="route.ts", files=PLUGIN, line=4, col=73, message="framework"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        if not ctx.app_files:
            return
        known = _knowledge(ctx)
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
                    read.scope.location,
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
        Valid(route(body="  return stored?.value ?? null;\n"), filename="x.ts"),
        Valid(route(body="  const region = process.env.REGION ?? \"us\";\n  return stored?.value;\n"), filename="x.ts"),
        Valid(READ_IMPORT + "export function client(apiKey = process.env.MY_DEPLOY_KEY) {\n  return apiKey;\n}\n", filename="x.ts", files=PLUGIN),
    )
    INVALID = (
        Invalid(route(body="  return stored?.value ?? process.env.OPENAI_API_KEY;\n"), filename="x.ts", line=5, col=27, message="`user`-scoped"),
        Invalid(route(body="  const { value } = stored ?? {};\n  return value ? value : process.env.OPENAI_API_KEY;\n"), filename="x.ts", line=6, col=26),
        Invalid(
            READ_IMPORT + "export function client(apiKey = process.env.OPENAI_API_KEY) {\n  return apiKey;\n}\n",
            filename="x.ts", files=PLUGIN, line=3, col=33, message="parameter default",
        ),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        if not ctx.app_files:
            return
        known = _knowledge(ctx)
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
    found = known.registered_scopes(app, key)
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
        Valid(reg_call(OPENAI + '  validator: async (value) => {\n    const res = await fetch("https://api.openai.com/v1/models", { headers: { Authorization: `Bearer ${value}` } });\n    console.log("status", res.status);\n    return res.ok;\n  },\n'), filename="x.ts"),
        Valid(route(body="  if (!stored?.value) throw new Error(\"OPENAI_API_KEY is not set\");\n  console.info(\"key length\", stored.value.length);\n  return stored.value;\n"), filename="x.ts"),
    )
    INVALID = (
        Invalid(reg_call(OPENAI + '  validator: async (value) => {\n    console.log("checking", value);\n    return true;\n  },\n'), filename="x.ts", line=10, col=29, message="console.log"),
        Invalid(route(body="  const key = stored?.value;\n  logger.warn(`using ${key.slice(0, 8)}`);\n  throw new Error(\"rejected: \" + key);\n"), filename="x.ts", line=6, col=15, also=((7, 19),)),
        Invalid(
            """
            import { defineEventHandler } from "h3";
            import { resolveSecret } from "@agent-native/core/server";

            export default defineEventHandler(async () => {
              const token = await resolveSecret("GITHUB_TOKEN");
              return { token };
                     ^
            });
            """,
            filename="x.ts",
            message="event handler",
        ),
    )

    def check_typescript(self, parsed: TsFile, ctx: FileContext) -> Iterable[Diagnostic]:
        for location, sink, api, key in parsed.leaks:
            source = "a validator's value" if api == "validator" else f"the value `{api}` returns" + (f" for `{key.value}`" if key is not None and key.text else "")
            target = _SINKS.get(sink, f"`{sink}`")
            yield self.diagnostic(location, f"Secret value ({source}) reaches {target}: never log or return a secret")
