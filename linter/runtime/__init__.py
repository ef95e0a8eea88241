"""Reference runtime resolver: how Tracecat resolves an action's secrets.

Used by ``registry-lint resolve`` (a preflight against a workspace
inventory) and by the conformance suite, which checks lint results against
what would really happen at run time. Nothing here imports or runs linted
code: it works on the extracted :class:`~registry_lint.model.ActionSpec`.
"""

from __future__ import annotations

from ..tracecat import token_name
from .declarations import CustomSecret, Invalid, OAuthSecret, Unknown, action_declarations, declaration
from .keys import (
    HttpRequest,
    KeyNotAllowedError,
    KeyReferenceError,
    KeyStore,
    StoredKey,
    UndefinedKeyError,
    origin,
    substitute_keys,
    url_allowed,
)
from .resolver import (
    Problem,
    ProblemKind,
    Resolution,
    ResolutionError,
    ResolvedSecrets,
    SecretNotFoundError,
    check,
    resolve,
)
from .store import DEFAULT_ENVIRONMENT, InventoryError, SecretStore, load_inventory, parse_inventory, store_for
from .values import MASK, SecretValue, reveal

__all__ = [
    "CustomSecret",
    "DEFAULT_ENVIRONMENT",
    "HttpRequest",
    "Invalid",
    "InventoryError",
    "KeyNotAllowedError",
    "KeyReferenceError",
    "KeyStore",
    "MASK",
    "OAuthSecret",
    "Problem",
    "ProblemKind",
    "Resolution",
    "ResolutionError",
    "ResolvedSecrets",
    "SecretNotFoundError",
    "SecretStore",
    "SecretValue",
    "StoredKey",
    "UndefinedKeyError",
    "Unknown",
    "action_declarations",
    "check",
    "declaration",
    "load_inventory",
    "origin",
    "parse_inventory",
    "resolve",
    "reveal",
    "store_for",
    "substitute_keys",
    "token_name",
    "url_allowed",
]
