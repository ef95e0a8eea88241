"""Model-level helpers shared by the secret, OAuth and usage rule families.

Pure functions over :class:`SecretSpec`/:class:`SecretRef`: which keys a set of
declarations exposes, where to report a declaration made in another file,
and the literal-replacement fixes. No libcst import here (YAML-only runs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from registry_lint.model import ActionSpec, Edit, Fix, Location, SecretRef, SecretSpec, Severity, Value
from registry_lint.source import SourceFile
from registry_lint.tracecat import EXPRESSION_NAME_RE as CNAME_RE
from registry_lint.tracecat import SECRET_KEY_RE, TOKEN_SUFFIX_RE

UPPER_SNAKE_RE = re.compile(r"[A-Z0-9_]+")
_STRING_LITERAL_RE = re.compile(r"^(?P<prefix>[rRuU]?)(?P<q>'''|\"\"\"|'|\")(?P<body>.*)(?P=q)$", re.DOTALL)


def snake_case(text: str) -> str:
    """``My-Secret`` -> ``my_secret``, ``mySecret`` -> ``my_secret``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return re.sub(r"_+", "_", text)


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib  # only when there is a near miss to name

    match = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return match[0] if match else None


def short_list(items: Iterable[str], limit: int = 6) -> str:
    values = list(dict.fromkeys(items))
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


# Locations ---------------------------------------------------------------------
def where(loc: Location, path: str) -> str:
    """``line 12`` for this file, ``other.py:12`` for a declaration elsewhere."""
    if loc.path == path:
        return f"line {loc.line}"
    return f"{os.path.basename(loc.path)}:{loc.line}"


def is_inside(inner: Location, outer: Location | None) -> bool:
    if outer is None or inner.path != outer.path:
        return False
    return (outer.line, outer.col) <= (inner.line, inner.col) and (inner.end_line, inner.end_col) <= (
        outer.end_line,
        outer.end_col,
    )


def report_at(action: ActionSpec, loc: Location) -> Location:
    """Where to report about a declaration: at it when it is in this file, else at ``secrets=``."""
    if loc.path == action.path:
        return loc
    return action.secrets_location or action.location


def local(action: ActionSpec, secret: SecretSpec) -> bool:
    """True when the declaration is written in the action's own file."""
    return secret.location.path == action.path


# Declared keys -----------------------------------------------------------------
@dataclass
class Declared:
    """What a set of declarations makes available to ``secrets.get`` / templates."""

    secrets: tuple[SecretSpec, ...]
    #: False when some declaration or key list is not statically known.
    complete: bool = True
    #: key -> declarations exposing it
    by_key: dict[str, list[SecretSpec]] = field(default_factory=dict)
    #: stored secret name (``<pid>_oauth`` for OAuth) -> declarations
    by_name: dict[str, list[SecretSpec]] = field(default_factory=dict)

    @classmethod
    def of(cls, secrets: Sequence[SecretSpec], known: bool = True) -> Declared:
        out = cls(tuple(secrets), complete=known)
        for spec in secrets:
            if not keys_known(spec):
                out.complete = False
            name = spec.secret_name
            if name is not None:
                out.by_name.setdefault(name, []).append(spec)
            for key in spec.exposed_keys():
                out.by_key.setdefault(key, []).append(spec)
        return out

    @property
    def oauth(self) -> list[SecretSpec]:
        return [s for s in self.secrets if s.kind == "oauth"]

    def tokens(self) -> list[tuple[str, SecretSpec]]:
        return [(s.token_name, s) for s in self.oauth if s.token_name]

    def required(self, key: str) -> bool | None:
        """Whether some declaration guarantees ``key`` (None: cannot tell)."""
        answer: bool | None = False
        for spec in self.by_key.get(key, ()):
            if spec.optional is not None and not isinstance(spec.optional.value, bool):
                answer = None
                continue
            if spec.is_optional:
                continue
            # Tracecat subtracts optional_keys from keys: a key in both is optional.
            if spec.kind == "oauth" or (key in spec.key_names() and key not in spec.key_names(optional=True)):
                return True
        return answer


def required_severity(spec: SecretSpec) -> Severity:
    """Error when the action needs the declaration (Tracecat fails without
    it), warning when it is declared ``optional`` (the action runs without)."""
    from registry_lint.tracecat import lax_bool

    optional = spec.optional.value if spec.optional is not None else False
    return Severity.WARNING if lax_bool(optional) is True else Severity.ERROR


def keys_known(spec: SecretSpec) -> bool:
    """All key lists of a custom secret are literal lists of known strings."""
    if spec.kind == "oauth":
        return spec.token_name is not None or (
            spec.provider_id is not None and spec.provider_id.known and spec.grant_type is not None and spec.grant_type.known
        )
    for value in (spec.keys, spec.optional_keys):
        if value is None or value.value is None:
            continue
        if not isinstance(value.value, tuple):
            return False
        if not all(isinstance(item.value, str) for item in value.value):
            return False
    return True


# Keys Tracecat injects into every action's secrets at run time, undeclared
# (tracecat/secrets/secrets_manager.py: _inject_runtime_aws_external_id).
RUNTIME_KEYS = frozenset({"TRACECAT_AWS_EXTERNAL_ID"})


def well_formed(ref: SecretRef) -> bool:
    """A template reference with exactly ``name.KEY`` (anything else is RL409)."""
    if ref.via != "template":
        return ref.key is not None
    return bool(
        ref.secret is not None
        and ref.key is not None
        and CNAME_RE.fullmatch(ref.secret)
        and CNAME_RE.fullmatch(ref.key)
    )


def path_key(raw: str) -> str | None:
    """The key a ``secrets.get`` argument meant, when it was written as a path.

    ``SECRETS.x.Y``, ``x.Y`` and ``${{ SECRETS.x.Y }}`` -> ``Y``; None when the
    argument is a plain key.
    """
    text = raw.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    elif text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    if not ("." in text or text != raw.strip()):
        return None
    parts = [p.strip() for p in text.split(".")]
    if parts and parts[0].upper() == "SECRETS":
        parts = parts[1:]
    if len(parts) == 2 and all(SECRET_KEY_RE.fullmatch(p) for p in parts):
        return parts[1]
    return ""  # path-like but not `name.KEY`: still wrong, no fix


def token_like(key: str) -> bool:
    return bool(TOKEN_SUFFIX_RE.search(key))


def token_candidates(key: str, tokens: Sequence[tuple[str, SecretSpec]]) -> list[tuple[str, SecretSpec]]:
    """Declared token keys the reference most likely meant (same provider prefix first)."""
    prefix = TOKEN_SUFFIX_RE.sub("", key).upper()
    same = [(t, s) for t, s in tokens if s.provider_id is not None and (s.provider_id.text or "").upper() == prefix]
    return same or list(tokens)


def describe_tokens(tokens: Sequence[tuple[str, SecretSpec]]) -> str:
    parts = []
    for token, spec in tokens:
        grant = spec.grant_type.text if spec.grant_type else "?"
        parts.append(f"{token} for grant_type {grant}")
    return " or ".join(dict.fromkeys(parts))


# Fixes -----------------------------------------------------------------------
def replace_string(source: SourceFile, loc: Location, old: str, new: str, message: str) -> Fix | None:
    """Replace a string literal/scalar whose text is exactly ``old``; None if unsure."""
    if loc.path != source.path or loc.line != loc.end_line:
        return None
    start, end = source.offset(loc.line, loc.col), source.offset(loc.end_line, loc.end_col)
    text = source.text[start:end]
    if text == old:
        content = new
    else:
        match = _STRING_LITERAL_RE.match(text)
        if match is None or match.group("body") != old or "\\" in old:
            return None
        content = f"{match.group('prefix')}{match.group('q')}{new}{match.group('q')}"
    return Fix(message, (Edit(loc, content),))


def replace_tail(loc: Location, length: int, new: str, message: str) -> Fix | None:
    """Replace the last ``length`` characters of a one-line range (a template key)."""
    if loc.line != loc.end_line or loc.end_col - length < loc.col:
        return None
    edit_loc = Location(loc.path, loc.line, loc.end_col - length, loc.end_line, loc.end_col)
    return Fix(message, (Edit(edit_loc, new),))


def value_text(value: Value | None) -> str | None:
    return value.text if value is not None and value.known else None


# Python reads, grouped ----------------------------------------------------------
@dataclass
class ReadScope:
    """The declarations one Python ``secrets.get`` read is checked against."""

    #: "action `search`" or "this module" (helpers no action of the module reaches).
    label: str
    declared: Declared


def python_reads(parsed: object) -> list[tuple[SecretRef, list[ReadScope]]]:
    """Each distinct read once, with every action that reaches it.

    A helper read reached by several actions must be satisfied by each of
    them; a read no action reaches is checked against the union of the
    module's declarations (skipped when the module declares nothing).
    """
    from registry_lint.extract.python import PythonFile, module_declarations

    assert isinstance(parsed, PythonFile)
    cached: list[tuple[SecretRef, list[ReadScope]]] | None = parsed.__dict__.get("_python_reads")
    if cached is not None:  # shared by RL304, RL403, RL405 (read-only)
        return cached
    groups: dict[tuple[Location, str | None], tuple[SecretRef, list[ReadScope]]] = {}
    for action in parsed.actions:
        spec = action.spec
        declared = Declared.of(spec.secrets, spec.secrets_known)
        label = f"action `{spec.name.text if spec.name else '?'}`"
        for ref in spec.refs:
            entry = groups.setdefault((ref.location, ref.key), (ref, []))
            entry[1].append(ReadScope(label, declared))
    if parsed.module_refs:
        every = [s for a in parsed.actions for s in a.spec.secrets] + module_declarations(parsed)
        known = all(a.spec.secrets_known for a in parsed.actions)
        if every:
            union = Declared.of(every, known)
            for ref in parsed.module_refs:
                groups.setdefault((ref.location, ref.key), (ref, [ReadScope("any action of this module", union)]))
    found = parsed.__dict__["_python_reads"] = list(groups.values())
    return found


def failing_label(scopes: Sequence[ReadScope], failing: Sequence[ReadScope]) -> str:
    if len(failing) == 1:
        return failing[0].label
    names = [s.label.removeprefix("action ") for s in failing]
    return "actions " + short_list(names, limit=4)


# Credential-like names ------------------------------------------------------------
_CREDENTIAL_LAST = frozenset({"password", "passwd", "passphrase", "secret", "token", "apikey"})
_CREDENTIAL_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key"), ("signing", "key"), ("encryption", "key"), ("master", "key"), ("access", "token")})
# `<word>_token` that is not a credential (pagination cursors and the like).
_NOT_CREDENTIAL_TOKEN = frozenset(
    {"page", "next", "continuation", "pagination", "sync", "cursor", "resume", "continue", "skip", "start", "delta",
     "change", "max", "scroll", "search", "offset", "prev", "previous", "last", "after", "before", "csrf", "num", "input", "output",
     # Slack's event-scoped `action_token` arrives with each event: it cannot be a stored secret.
     "action"}
)
# Plurals judged like their singular (`credentials` and `secrets` stay out: often lists of
# ids or names).
_PLURALS = frozenset({"passwords", "passwds", "passphrases", "tokens", "apikeys", "keys"})
# A hash of a credential (breach lookups) is not the credential.
_NOT_CREDENTIAL_WORDS = frozenset({"hash", "hashed", "sha1", "sha256", "md5", "hint", "policy"})


def name_words(name: str) -> list[str]:
    return [w for w in snake_case(name).split("_") if w]


def credential_name(name: str) -> bool:
    """Whether an identifier names a credential: judged by its last word(s).

    ``api_key``, ``client_secret``, ``password``, ``token``, ``x_access_token``,
    ``ssh_private_key`` are; ``page_token``, ``token_type``, ``secret_type``,
    ``max_tokens``, ``secret_name`` are not.
    """
    words = name_words(name)
    if not words or _NOT_CREDENTIAL_WORDS.intersection(words):
        return False
    if words[-1] in _PLURALS:  # `passwords`, `api_keys`, `access_tokens`
        words = [*words[:-1], words[-1][:-1]]
    last = words[-1]
    if last == "token":
        return len(words) == 1 or words[-2] not in _NOT_CREDENTIAL_TOKEN
    if last in _CREDENTIAL_LAST:
        return True
    if len(words) >= 3 and words[-3:] == ["secret", "access", "key"]:
        return True
    return len(words) >= 2 and (words[-2], last) in _CREDENTIAL_PAIRS


def non_text_type(type_text: str | None) -> bool:
    """True for `bool`, `int | None`, `Optional[float]`...: such a value is a flag, not a credential."""
    if not type_text:
        return False
    text = type_text.replace(" ", "")
    if text.startswith(("Optional[", "typing.Optional[")) and text.endswith("]"):
        text = text[text.index("[") + 1 : -1]
    parts = {p for p in text.split("|") if p not in ("None", "none", "null")}
    return bool(parts) and parts <= {"bool", "int", "float"}


def plain(value: object, limit: int = 40) -> str:
    """A short rendering of a declaration value for messages.

    Containers are named, not shown: a list or mapping in the wrong place
    could hold a pasted credential, and messages never carry one.
    """
    while isinstance(value, Value):
        value = value.value
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SEGMENT_SPLIT_RE = re.compile(r"[_\-. ]+")


def shown(text: str) -> str:
    """``repr(text)`` for a name, a neutral stand-in for what may be a pasted credential.

    Declarations hold names (`ACME_API_KEY`), but a value pasted into `keys`
    by mistake must not end up in a report: a long segment, or one mixing
    letters with several digits, is not shown.
    """
    for segment in _SEGMENT_SPLIT_RE.split(text):
        digits = sum(c.isdigit() for c in segment)
        if len(segment) >= 20 or (len(segment) >= 12 and digits >= 3) or not segment.isascii():
            return f"<{len(text)} characters, not shown>"
    return repr(text) if len(text) <= 64 else f"<{len(text)} characters, not shown>"


def bare(text: str) -> str:
    """Like :func:`shown`, without quotes (for lists of names)."""
    rendered = shown(text)
    return text if rendered == repr(text) else rendered


# A secrets reference as written, right or wrong: any case, spaces around dots, `-` in segments.
_SECRETS_SPAN_RE = re.compile(r"(?<![\w.])(?i:secrets)(?:\s*\.\s*[\w-]+)*")


def secrets_parse_failure(text: str, error_offset: int) -> tuple[int, int, str] | None:
    """(start, end, message) when an expression Tracecat cannot parse fails inside a ``SECRETS`` reference.

    ``text`` is the expression and ``error_offset`` where its parse failed.
    RL409 reports such a failure (with what is wrong with the reference);
    RL611 every other one. Quoted text is not a reference.
    """
    if "ecrets" not in text.lower():
        return None
    from registry_lint.expressions import mask_strings

    for match in _SECRETS_SPAN_RE.finditer(mask_strings(text)):
        if not match.start() <= error_offset <= match.end():
            continue
        word = text[match.start() : match.start() + 7]
        segments = [s.strip() for s in text[match.start() + 7 : match.end()].split(".")[1:]]
        bad = next((s for s in segments if not CNAME_RE.fullmatch(s)), None)
        if word != "SECRETS":
            message = f"`{word}.` is not a context: the secrets context is `SECRETS` (uppercase)"
        elif bad is not None:
            message = f"`{bad}` cannot be written in an expression (letters, digits and `_`, not starting with a digit)"
        else:
            message = "Tracecat cannot parse this secrets reference: write `SECRETS.<name>.<KEY>` (no spaces, brackets or quotes)"
        return match.start(), match.end(), message
    return None
