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
#: Fields of ``RegistrySecret`` and ``RegistryOAuthSecret``.
CUSTOM_SECRET_FIELDS = ("name", "keys", "optional_keys", "optional", "secret_type")
OAUTH_SECRET_FIELDS = ("provider_id", "grant_type", "optional")
#: ``SecretName`` / ``SecretKey`` patterns. Pydantic v2 applies them with
#: ``re.search`` (not fullmatch): see RL201's docs for what that means.
SECRET_NAME_PATTERN = r"[a-z0-9_]+"
SECRET_KEY_PATTERN = r"[A-Za-z0-9_]+"
SECRET_NAME_RE = re.compile(SECRET_NAME_PATTERN)
SECRET_KEY_RE = re.compile(SECRET_KEY_PATTERN)

# OAuth (tracecat/integrations/enums.py, _internal/models.py) -------------------
GRANT_TYPES = ("authorization_code", "client_credentials")
#: The token key an OAuth secret exposes: ``<PROVIDER_ID_UPPER><suffix>``.
TOKEN_SUFFIX = {"authorization_code": "_USER_TOKEN", "client_credentials": "_SERVICE_TOKEN"}

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
#: Upper length limits of stored metadata (the lower bound of 1 is RL102/RL103's).
METADATA_MAX_LENGTH: tuple[tuple[str, int], ...] = (
    ("title", 100),
    ("display_group", 100),
    ("author", 100),
    ("description", 1000),
    ("doc_url", 1000),
)
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
