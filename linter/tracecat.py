"""What registry-lint knows about Tracecat, in one place.

Every constant here was read from Tracecat's public source at
:data:`TRACECAT_COMMIT` (the file is named next to each). Upgrading to a
newer Tracecat is a change to this module (and the data files under
``data/``), then a rerun of the parity recorder (``tests/parity/``).
Pure data: importing this module imports nothing heavy.
"""

from __future__ import annotations

import re

#: The Tracecat commit every fact below was read from.
TRACECAT_COMMIT = "4209a655bc1da1a36d75ea29edfea69daffbdd23"

# Secrets (tracecat_registry/_internal/models.py) ------------------------------
#: ``RegistrySecret.secret_type``.
SECRET_TYPES = ("custom", "ssh_key", "mtls", "ca_cert")
#: Structured secret types and the exact keys they require (mtls compares sorted).
STRUCTURED_KEYS: dict[str, tuple[str, ...]] = {
    "ssh_key": ("PRIVATE_KEY",),
    "mtls": ("TLS_CERTIFICATE", "TLS_PRIVATE_KEY"),
    "ca_cert": ("CA_CERTIFICATE",),
}
#: Structured types whose keys are compared in any order (``sorted(v.keys)``).
UNORDERED_STRUCTURED_TYPES = frozenset({"mtls"})


def structured_keys_ok(secret_type: str, keys: tuple[str, ...] | list[str]) -> bool:
    """Whether ``keys`` are exactly what a structured ``secret_type`` requires."""
    got = sorted(keys) if secret_type in UNORDERED_STRUCTURED_TYPES else list(keys)
    return got == list(STRUCTURED_KEYS[secret_type])

#: Fields of ``RegistrySecret`` and ``RegistryOAuthSecret``.
CUSTOM_SECRET_FIELDS = ("name", "keys", "optional_keys", "optional", "secret_type")
OAUTH_SECRET_FIELDS = ("provider_id", "grant_type", "optional")
#: The discriminator of a declaration given as a mapping, and its values.
SECRET_TYPE_FIELD = "type"
SECRET_KINDS = ("custom", "oauth")
#: ``RegistrySecret.secret_type``'s default.
DEFAULT_SECRET_TYPE = "custom"
#: ``SecretName`` / ``SecretKey`` patterns. Pydantic v2 applies them with
#: ``re.search`` (not fullmatch): see RL201's docs for what that means.
SECRET_NAME_CHARS = "[a-z0-9_]"
SECRET_KEY_CHARS = "[A-Za-z0-9_]"
SECRET_NAME_PATTERN = SECRET_NAME_CHARS + "+"
SECRET_KEY_PATTERN = SECRET_KEY_CHARS + "+"
SECRET_NAME_RE = re.compile(SECRET_NAME_PATTERN)
SECRET_KEY_RE = re.compile(SECRET_KEY_PATTERN)
#: A path segment of ``SECRETS.<name>.<KEY>`` in a template expression
#: (expressions/parser/grammar.py: ``ATTRIBUTE_PATH: ("." CNAME)+``): a name
#: or key outside this cannot be written in an expression at all.
EXPRESSION_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: What pydantic's lax ``bool`` accepts (``RegistrySecret.optional``): these
#: strings (exact case-insensitive match, no stripping), ``0``/``1`` and
#: ``0.0``/``1.0``. Anything else, ``None`` included, fails validation.
BOOL_TRUE_STRINGS = frozenset({"1", "on", "t", "true", "y", "yes"})
BOOL_FALSE_STRINGS = frozenset({"0", "off", "f", "false", "n", "no"})


def lax_bool(raw: object) -> bool | None:
    """What pydantic's lax ``bool`` makes of ``raw``; None when it rejects it."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.lower() in BOOL_TRUE_STRINGS | BOOL_FALSE_STRINGS:
        return raw.lower() in BOOL_TRUE_STRINGS
    return None


def legacy_oauth_provider(fields: dict[str, object]) -> str | None:
    """The provider id ``_validate_registry_secret_type`` gives a legacy mapping, else None.

    A mapping without ``type``, ``keys`` and ``optional_keys`` whose ``name``
    ends in ``_oauth`` becomes ``{type: oauth, provider_id:
    name.replace("_oauth", ""), grant_type: "authorization_code"}``: both
    values *overwrite* what the mapping says (``{**value, ...}``), and
    ``str.replace`` removes every ``_oauth``, not only the suffix.
    """
    if "type" in fields or "keys" in fields or "optional_keys" in fields:
        return None
    name = fields.get("name")
    if not isinstance(name, str) or not name.endswith("_oauth"):
        return None
    return name.replace("_oauth", "")


#: The grant a legacy ``<pid>_oauth`` mapping always gets.
LEGACY_OAUTH_GRANT = "authorization_code"

# The SDK's API (tracecat_registry/__init__.py, _internal/) ---------------------
#: Qualified names of the API a registry module calls, as the SDK exports them.
REGISTER = "tracecat_registry.registry.register"
SECRETS_GET = "tracecat_registry.secrets.get"
SECRETS_GET_OR_DEFAULT = "tracecat_registry.secrets.get_or_default"
REGISTRY_SECRET = "tracecat_registry.RegistrySecret"
REGISTRY_OAUTH_SECRET = "tracecat_registry.RegistryOAuthSecret"
#: Internal modules and the public names the SDK re-exports them under.
SDK_REEXPORTS = (
    ("tracecat_registry._internal.registry", "tracecat_registry.registry"),
    ("tracecat_registry._internal.secrets", "tracecat_registry.secrets"),
    ("tracecat_registry._internal.models", "tracecat_registry"),
)
#: Modules of the SDK's own API (never a module of the registry being linted).
_SDK_API_PREFIXES = ("tracecat_registry._internal", "tracecat_registry.registry", "tracecat_registry.secrets")


def is_sdk_api(module: str) -> bool:
    """``module`` is the SDK package itself or one of its API modules."""
    return module == "tracecat_registry" or module.startswith(_SDK_API_PREFIXES)


# Secret reads (tracecat_registry/_internal/secrets.py) -------------------------
#: ``secrets.get(name)`` takes exactly one argument (``name`` may be passed by
#: keyword); ``get_or_default(name, default=None, /)`` is positional-only.
SECRETS_GET_PARAMS = ("name",)
SECRETS_GET_OR_DEFAULT_MAX_ARGS = 2
#: Keys Tracecat injects into every action's secrets at run time, undeclared
#: (tracecat/secrets/secrets_manager.py: ``_inject_runtime_aws_external_id``).
RUNTIME_KEYS = frozenset({"TRACECAT_AWS_EXTERNAL_ID"})

# OAuth (tracecat/integrations/enums.py, _internal/models.py) -------------------
GRANT_TYPES = ("authorization_code", "client_credentials")
#: The token key an OAuth secret exposes: ``<PROVIDER_ID_UPPER><suffix>``.
TOKEN_SUFFIX = {"authorization_code": "_USER_TOKEN", "client_credentials": "_SERVICE_TOKEN"}
#: A key that looks like a token key, whatever the case.
TOKEN_SUFFIX_RE = re.compile("(?:" + "|".join(re.escape(s) for s in TOKEN_SUFFIX.values()) + ")$", re.IGNORECASE)
#: ``RegistryOAuthSecret.name``: an OAuth secret is stored and referenced as
#: ``<provider_id>_oauth``; a static secret may not end in it.
OAUTH_SECRET_SUFFIX = "_oauth"


def oauth_secret_name(provider_id: str) -> str:
    return provider_id + OAUTH_SECRET_SUFFIX


def token_name(provider_id: str, grant_type: str) -> str | None:
    """``RegistryOAuthSecret.token_name``: None for a grant it does not know."""
    suffix = TOKEN_SUFFIX.get(grant_type)
    return f"{provider_id.upper()}{suffix}" if suffix else None


def grant_for_token(key: str) -> str | None:
    """``_infer_grant_type_from_token_name`` (tracecat/secrets/secrets_manager.py): by the suffix."""
    for grant, suffix in TOKEN_SUFFIX.items():
        if key.endswith(suffix):
            return grant
    return None


# Action metadata (tracecat_registry/_internal/registry.py, registry/actions/schemas.py)
#: Keywords ``registry.register`` accepts (all keyword-only, no ``**kwargs``).
REGISTER_KEYWORDS = (
    "default_title",
    "display_group",
    "doc_url",
    "author",
    "deprecated",
    "namespace",
    "description",
    "secrets",
    "include_in_schema",
    "requires_approval",
    "required_entitlements",
)
#: Length limits of stored metadata (``RegistryActionBase`` in
#: registry/actions/schemas.py, checked by ``RegistryActionCreate.from_bound``
#: in registry/sync/entrypoint.py: a violation is a sync serialisation error).
#: (field, min, max); min 1 means an empty string is rejected, None no limit.
METADATA_LENGTH: tuple[tuple[str, int, int], ...] = (
    ("name", 1, 100),
    ("title", 1, 100),
    ("display_group", 1, 100),
    ("author", 1, 100),
    ("description", 0, 1000),
    ("doc_url", 1, 1000),
    ("deprecated", 1, 1000),
)
#: Metadata fields whose value must be a string (``RegistryActionBase``,
#: ``TemplateActionDefinition``; ``title`` is ``default_title`` in Python).
METADATA_STRING_FIELDS = ("name", "namespace", "title", "description", "display_group", "doc_url", "author", "deprecated")
#: The metadata fields whose value may also be ``None``, per source: ``RegisterKwargs`` (registry/repository.py) for
#: Python, ``TemplateActionDefinition`` (registry/actions/schemas.py) for
#: YAML. Pydantic's lax ``str`` rejects ints, floats and bools.
METADATA_NULLABLE: dict[str, frozenset[str]] = {
    "python": frozenset({"title", "display_group", "doc_url", "author", "deprecated"}),
    "yaml": frozenset({"doc_url", "author", "deprecated"}),
}
#: ``ActionStatement.action`` (dsl/schemas.py): the only action keys a
#: workflow can call. Template steps (``ActionStep.action: str``) can call any.
ACTION_KEY_RE = re.compile(r"^[a-z0-9_.]+$")
#: The built-in registry's package: its actions own the reserved namespaces.
BUILTIN_REGISTRY_PACKAGE = "tracecat_registry"
#: ``registry.register`` without ``namespace``: the action is ``core.<name>``.
DEFAULT_UDF_NAMESPACE = "core"
#: ``_enforce_restrictions`` (registry/repository.py): a registered function
#: whose code object's ``co_names`` hold ``os`` and one of these is refused
#: (ValueError while the repository loads).
ENV_RESTRICTED_NAMES = ("environ", "getenv")
#: Namespaces of Tracecat's own built-in actions.
RESERVED_NAMESPACE_RE = re.compile(r"^(core|ai)(\..*)?$")

# Templates (tracecat/registry/actions/schemas.py: TemplateAction & co.) --------
TEMPLATE_TOP_FIELDS = ("type", "definition")
TEMPLATE_DEFINITION_FIELDS = (
    "name", "namespace", "title", "description", "display_group", "doc_url", "author",
    "deprecated", "secrets", "expects", "steps", "returns",
)
TEMPLATE_STEP_FIELDS = ("ref", "action", "args")
TEMPLATE_EXPECTS_FIELDS = ("type", "description", "default", "enum", "optional")

# Workspace REST API (read by `registry-lint resolve --workspace`) -------------
# Routers are mounted twice by ``_include_workspace_scoped_router``
# (tracecat/api/app.py): under this prefix (canonical) and at the bare path
# with ``?workspace_id=`` (legacy, hidden from the schema). We use the prefix.
API_WORKSPACE_PREFIX = "/workspaces/{workspace_id}"
#: ``GET`` -> ``list[SecretReadMinimal]`` (tracecat/secrets/router.py
#: ``list_secrets``; schema in tracecat/secrets/schemas.py): every workspace
#: secret in every environment, key names only. Scope ``secret:read``.
API_SECRETS_PATH = "/secrets"
#: ``GET`` -> ``list[ProviderReadMinimal]`` (tracecat/integrations/router.py
#: ``list_providers``; schema in tracecat/integrations/schemas.py): every
#: OAuth provider with its ``grant_type`` and ``integration_status``. Scope
#: ``integration:read``. ``GET /integrations`` is not usable from a script: its
#: role (``WorkspaceUserRouteRole``) refuses API keys, and
#: ``IntegrationReadMinimal`` has no grant type.
API_PROVIDERS_PATH = "/providers"
# Fields read (runtime/workspace.py): ``SecretReadMinimal``'s ``name``, ``keys``,
# ``environment``, ``is_corrupted``; ``ProviderReadMinimal``'s ``id``,
# ``grant_type``, ``integration_status``. A list route that is ever
# paginated is a ``CursorPaginatedResponse`` (tracecat/pagination.py):
# ``items`` plus ``next_cursor``/``has_more``, next page with ``?cursor=``.
#: Service-account API keys, sent as ``Authorization: Bearer <key>``
#: (tracecat/auth/api_keys.py; ``_get_service_account_api_key_from_bearer``
#: in tracecat/auth/credentials.py ignores any other bearer token).
API_KEY_PREFIXES = ("tc_ws_sk_", "tc_org_sk_")
#: Scopes the two routes require (``require_scope`` in the routers).
API_SCOPES = ("secret:read", "integration:read")
#: ``IntegrationStatus`` (tracecat/integrations/enums.py); ``status`` of
#: ``OAuthIntegration`` in tracecat/db/models.py. Only ``connected`` yields a
#: token at run time (``get_action_secrets`` injects ``get_access_token``);
#: ``configured`` (client credentials but no token; also what ``disconnect``
#: leaves) injects nothing; ``reauth_required`` is an authorization-code
#: token that expired with no refresh token: ``refresh_token_if_needed``
#: cannot renew it, the stale token is injected and the provider rejects it.
INTEGRATION_STATUSES = ("not_configured", "configured", "connected", "reauth_required")
INTEGRATION_USABLE = "connected"

# Template expressions (tracecat/expressions/) ---------------------------------
#: Contexts an expression in a template may use. ``TemplateActionExprValidator``
#: (validator/validator.py, on ``BaseExprValidator`` in validator/base.py)
#: rejects every other context at sync; the template runtime
#: (executor/service.py ``TemplateExecutionContext``) provides SECRETS, ENV,
#: VARS, inputs and steps, so VARS works and ENV is provided but refused.
TEMPLATE_EXPRESSION_CONTEXTS = ("inputs", "steps", "SECRETS", "VARS", "FN")
#: Contexts ``BaseExprValidator`` rejects in templates, with what they are in workflows.
TEMPLATE_FORBIDDEN_CONTEXTS = {
    "ACTIONS": "the results of a workflow's actions",
    "TRIGGER": "a workflow's trigger payload",
    "ENV": "a workflow's environment",
    "var": "the loop variable of a workflow action's `for_each`",
}
#: ``FN.<name>.map``: the validator strips this suffix, then looks the name up.
FUNCTION_MAP_SUFFIX = ".map"
#: Cast type names (grammar ``TYPE_SPECIFIER``). ``BaseExprValidator.typecast``
#: applies the builtin to a literal operand's *token text* (quotes included),
#: so ``int("5")`` fails validation while ``int(5)`` passes; ``str`` and
#: ``bool`` (``_bool``: a lowercase comparison) never fail.
CAST_TYPES = ("int", "float", "str", "bool")
#: CPython's default ``sys.get_int_max_str_digits()``: ``int()`` of a longer digit string raises.
INT_MAX_STR_DIGITS = 4300

# ``expects`` types (tracecat/expressions/expectations.py) ---------------------
#: Primitive names of ``type_grammar`` (``TYPE_MAPPING``'s keys).
EXPECTS_PRIMITIVE_TYPES = ("int", "str", "bool", "float", "datetime", "duration", "any", "Any", "None")
#: ``TypeTransformer.MAX_ENUM_VALUES``.
EXPECTS_MAX_ENUM_VALUES = 20

# Step arguments (tracecat/expressions/patterns.py, expressions/validation.py) ----
#: ``STANDALONE_TEMPLATE``: the only strings ``TemplateValidator`` lets through in
#: place of a typed value (UDF parameters; template ``expects`` models have no
#: such validator). No DOTALL: a newline inside the expression body breaks it.
STANDALONE_TEMPLATE_RE = re.compile(r"^\${{\s*(?:(?!\${{).)*?\s*}}$")

# Built-in actions' own secret reads (tracecat_registry/core/http.py, ...) ----------
#: Keys of the template's secrets a built-in step action reads through
#: ``secrets.get`` (the mTLS and CA certificates of the HTTP actions); the
#: actions listed with no key read none.
BUILTIN_STEP_READS: dict[str, frozenset[str]] = {
    "core.http_request": frozenset({"TLS_CERTIFICATE", "TLS_PRIVATE_KEY", "CA_CERTIFICATE"}),
    "core.http_poll": frozenset({"TLS_CERTIFICATE", "TLS_PRIVATE_KEY", "CA_CERTIFICATE"}),
    "core.http_paginate": frozenset(),
    "core.script.run_python": frozenset(),
}
#: Built-in actions under this prefix read no secret (``core.transform.*``).
BUILTIN_NO_READS_PREFIX = "core.transform."

# Loader reach (tracecat/registry/repository.py: iter_valid_files,
# load_template_actions_from_path, _register_udfs_from_module) -------------------
#: Directory names ``iter_valid_files`` never descends into (``DEFAULT_EXCLUDE_DIRNAMES``);
#: it also prunes names starting with ``.`` or ``_`` and names that are not identifiers.
LOADER_EXCLUDED_DIRS = frozenset({
    "cli", "_internal", ".git", "__pycache__", "node_modules", ".venv", "venv", "env", ".direnv",
    "build", "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", "eggs", ".eggs", "tests",
})
#: ``load_template_actions_from_path(ignore_path="schemas")``: a template whose
#: path has this component anywhere is skipped.
LOADER_IGNORED_TEMPLATE_PART = "schemas"
#: File name prefixes ``iter_valid_files`` skips ("hidden/private file").
LOADER_SKIPPED_FILE_PREFIXES = (".", "_")
#: The base registry (``tracecat_registry``) registers UDFs from these
#: subpackages only, with ``sdk`` added to the excluded directories
#: (``Repository._register_udfs_from_package``); templates come from the whole package.
BASE_UDF_DIRS = ("core", "integrations")
BASE_UDF_EXCLUDED_DIRS = frozenset({"sdk"})
