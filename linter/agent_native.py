"""What registry-lint knows about agent-native's secrets registry, in one place.

Every fact here was read from the public BuilderIO/agent-native source at
:data:`AGENT_NATIVE_COMMIT` (``packages/core/src/secrets/``: the file is named
next to each). Where the source and the public skill docs
(``.agents/skills/secrets/SKILL.md``) differ, the source wins and the rule
that depends on it says so in its docs. Upgrading is a change to this module
plus a rerun of the rules' examples. Pure data: importing it imports nothing.
"""

from __future__ import annotations

import re

#: The agent-native commit every fact below was read from.
AGENT_NATIVE_COMMIT = "c31e9b58c99315c073c962fae667aabd669a8a81"

#: A file can only use the registry if it imports this package (any subpath:
#: ``@agent-native/core``, ``@agent-native/core/secrets``, ``/server``, ...).
PACKAGE = "@agent-native/core"

# register.ts ---------------------------------------------------------------------
#: ``SecretScope``. ``registerRequiredSecret`` throws at module load for any
#: other value. The skill docs list only user/workspace; the source also
#: accepts "org" (and routes.ts gates org writes to owners/admins).
SCOPES = ("user", "workspace", "org")
#: ``SecretKind``; anything else throws at module load.
KINDS = ("api-key", "oauth")
#: ``RegisteredSecret``: every field the registry reads (anything else is
#: dropped; TypeScript's excess-property check rejects it in an object literal).
REGISTRATION_FIELDS = (
    "key", "label", "description", "docsUrl", "scope", "kind", "required",
    "validator", "oauthProvider", "oauthConnectUrl",
)
#: Fields ``registerRequiredSecret`` checks at run time (a missing one throws
#: "registerRequiredSecret: secret.<field> ..." when the plugin module loads).
THROWING_FIELDS = ("key", "scope", "kind")
#: Fields only an ``oauth`` registration reads (routes.ts, onboarding.ts).
OAUTH_FIELDS = ("oauthProvider", "oauthConnectUrl")

# Keys ------------------------------------------------------------------------------
#: The documented shape: "Env-var style name (`OPENAI_API_KEY`)" (SKILL.md).
KEY_STYLE_RE = re.compile(r"[A-Z][A-Z0-9_]*\Z")
#: What the rest of the system can address. ``${keys.NAME}`` substitution
#: (substitution.ts ``KEY_REFERENCE_REGEX``) and ad-hoc names (routes.ts
#: ``AD_HOC_NAME_REGEX``) match ``[A-Za-z0-9_-]+``; the write route takes the
#: key from one path segment (``/_agent-native/secrets/:key``).
KEY_ADDRESSABLE_RE = re.compile(r"[A-Za-z0-9_-]+\Z")
KEY_REFERENCE_RE = re.compile(r"\$\{keys\.([A-Za-z0-9_-]+)\}")

# The API (packages/core/src/secrets/index.ts, package.json "exports") ---------------
#: The registration function.
REGISTER = "registerRequiredSecret"
#: Functions reading one ``app_secrets`` row by ``{ key, scope, scopeId }``
#: (storage.ts): strict equality on (scope, scopeId, key), no fallback.
STORE_READS = ("readAppSecret", "readAppSecretMeta", "getAppSecretMeta")
#: Of those, the ones whose result carries the plaintext ``value``.
VALUE_READS = ("readAppSecret",)
#: ``resolveSecret(key)`` (server/credential-provider.ts, exported from
#: ``@agent-native/core/server``): user, org, workspace, solo workspace, then
#: the designated vault org, then ``process.env`` when policy allows. Returns
#: the plaintext value.
RESOLVE_SECRET = ("resolveSecret",)
#: ``resolveKeyReferences(text, scope, scopeId)`` (substitution.ts).
KEY_SUBSTITUTION = ("resolveKeyReferences",)
#: Every name whose presence in a file's text makes it worth parsing.
API_NAMES = (REGISTER, *STORE_READS, *RESOLVE_SECRET, *KEY_SUBSTITUTION)

# substitution.ts ---------------------------------------------------------------------
#: ``resolveKeyReferences(text, "user", id)`` falls back to the workspace row
#: only when ``AGENT_NATIVE_KEYS_WORKSPACE_FALLBACK`` is 1/true/yes/on. The
#: skill docs say the fallback always happens; the source says it is opt-in
#: (default off, "audit 05 H2").
KEYS_FALLBACK_DEFAULT = False
#: ``resolveSecret`` / ``resolveCredential``: the order scopes are tried in.
RESOLVE_SECRET_ORDER = ("user", "org", "workspace")

# register-framework-secrets.ts --------------------------------------------------------
# The framework registers these at boot (core-routes plugin), each only when
# no template registered the key first (`if (!getRequiredSecret(key))`): a
# template's registration wins, and reads of these keys are registered reads.
_OAUTH_PREFIXES = ("FIGMA", "GOOGLE", "GITHUB", "HUBSPOT", "SALESFORCE", "JIRA", "SENTRY", "NOTION")
FRAMEWORK_SECRETS: dict[str, str] = {
    **{f"{p}_{s}": "workspace" for p in _OAUTH_PREFIXES for s in ("CLIENT_ID", "CLIENT_SECRET")},
    **{f"{p}_CONNECTED": "user" for p in _OAUTH_PREFIXES},
    "ANTHROPIC_API_KEY": "user",
    "OPENAI_API_KEY": "user",
    "POSTHOG_API_KEY": "workspace",
    "BRAVE_SEARCH_API_KEY": "workspace",
    "TAVILY_API_KEY": "workspace",
    "EXA_API_KEY": "workspace",
    "FIRECRAWL_API_KEY": "workspace",
    "GITHUB_TOKEN": "workspace",
    "FIGMA_ACCESS_TOKEN": "user",
}

# Where values must not go (RL709) --------------------------------------------------
#: ``console.<method>`` and logger methods.
LOG_METHODS = frozenset({"log", "info", "warn", "error", "debug", "trace", "fatal", "dir", "table"})
