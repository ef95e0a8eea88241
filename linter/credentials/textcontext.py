"""Generic ``name = value`` context for any text: .env, JSON, TOML, INI, shell,
Markdown prose, comments and docstrings, and Python/YAML that does not parse.

It recognises ``NAME=value``, ``export NAME="value"``, ``"name": "value"``,
``name: value``, ``name = 'value'``, ``Authorization: Bearer <token>``
(also inside ``curl -H "..."``), ``?api_key=...`` query parameters,
``getenv("K", "literal")``, ``curl -u user:'pw'``, and in prose Markdown
inline code after inline code ("Set `DB_PASSWORD` to `...`") or after the
word password ("with password `...`"). Values never span lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .slot import Slot

_ASSIGN = re.compile(
    r"""
    (?<![\w.$-])
    (?P<name>[A-Za-z_][\w.-]{0,80})
    (?P<nq>["'`]?)
    [ \t]*(?P<op>:=|=>|==|!=|=|:)[ \t]*
    (?:
        (?P<q>["'`])(?P<qv>[^"'`\n\\]{0,400})(?P=q)
      | (?P<uv>[^\s"'`,;{}()\[\]<>|\\]{1,400})
    )
    """,
    re.X,
)
_ESCAPE = re.compile(r"\\[nrt]")
_NEXT_PARAM = re.compile(r"&[A-Za-z_][\w.-]*=")
_SCHEME_WORDS = frozenset({"bearer", "basic", "token", "bot", "ssws", "apikey", "key", "geniekey", "splunk"})
_AFTER_SCHEME = re.compile(r"[ \t]+(?P<tok>[^\s\"'`,;\\]{1,400})")
# `curl -u user:password`, `http --auth user:password`
_USER_FLAG = re.compile(r"""(?:^|\s)(?:-u|--user|--auth|-a)[ =]["']?(?P<user>[^\s:"'$]{1,100}):["']?(?P<value>[^\s"'$]{1,200})""")
# Prose: `API key: 9f3b...`, `access token = ...` (a two-word name).
_PROSE_NAME = re.compile(
    r"(?i)(?<![\w-])(?P<name>(?:api|access|secret|auth|bearer|bot|private|personal access|client)[ ](?:key|token|secret))"
    r"[ \t]*[:=][ \t]*`?(?P<value>[^\s`\"',;]{8,400})`?"
)
# Markdown: "Set `DB_PASSWORD` to `...`", "`SMTP_PASSWORD` = `...`": inline code after inline code.
_CODE_PAIR = re.compile(
    r"`(?P<name>[A-Za-z_][\w.-]{0,80})`[ \t]*(?:(?:to|is|as|=|:)[ \t]*)?`(?P<value>[^`\s]{1,200})`"
)
# Prose: "with password `...`", "the password is `...`": the word itself names the value.
_SAID_PASSWORD = re.compile(
    r"(?i)(?<![\w-])(?P<name>password|passphrase|passcode)(?:[ \t]+(?:is|was|of))?[ \t]*[:=]?[ \t]*`(?P<value>[^`\s]{1,200})`"
)
# Command-line flags: `--token=...`, `--api-key=...`
_CLI_FLAG = re.compile(r"(?<![\w-])--(?P<name>[A-Za-z][\w-]{1,60})=(?P<value>[^\s\"'`]{1,400})")
# Markdown table row: `| ACME_API_KEY | `value` |`
_TABLE_ROW = re.compile(r"^\|\s*`?(?P<name>[A-Za-z_][\w.-]{0,80})`?\s*\|\s*`?(?P<value>[^|`\s]{1,400})`?\s*\|", re.M)
_ENV_DEFAULT = re.compile(
    r"""(?P<call>getenv|environ\.get|get_or_default|env\.get)\(\s*["'](?P<name>[\w.-]{1,100})["']\s*,\s*(?P<q>["'])(?P<value>[^"'\n]{0,400})(?P=q)"""
)
# `api_key: str = "..."` (annotated assignment or parameter, when nothing parsed the file)
_ANNOTATED = re.compile(
    r"""(?<![\w.])(?P<name>[A-Za-z_]\w{0,80})[ \t]*:[ \t]*[\w.\[\], |]{1,80}?[ \t]*=[ \t]*(?P<q>["'])(?P<value>[^"'\n\\]{0,400})(?P=q)"""
)

# Cheap necessary conditions (a literal first, so `re` skips ahead) before the regexes
# that try every position: every `_ANNOTATED` match has one of these.
_EQ_QUOTE = re.compile(r"=[ \t]*[\"']")


def _prose_possible(text: str) -> bool:
    """Whether ``_PROSE_NAME`` can match: its name ends in `` key``/`` token``/`` secret``.
    Lowering is what ``(?i)`` compares only for ASCII (beyond it ``(?i)`` also folds ``ſ``, ``K``)."""
    if not text.isascii():
        return True
    low = text.lower()
    return " key" in low or " token" in low or " secret" in low


def slots(text: str, base: int, *, python: bool = False) -> Iterator[Slot]:
    """Slots in ``text`` (``base``: its offset in the file).

    ``python``: the text is program code (Python that ``ast`` could not
    parse, TypeScript, Go, HCL, ...): only quoted values are literals
    (``auth=httpx.BasicAuth`` is code), and a ``name=...`` inside a ``def``
    signature is a parameter default.
    """
    if not text:
        return
    if "\\" in text:
        # `"...\npassword=..."` in a string literal: blank escapes, keeping offsets.
        text = _ESCAPE.sub("  ", text)
    signatures = _signatures(text) if python and "def" in text else []
    for m in _assignments(text):
        name = m.group("name").rstrip(".-")
        role = "compare" if m.group("op") in ("==", "!=") else "assign"
        if m.group("qv") is not None:
            value, start, end = m.group("qv"), m.start("q"), m.end()
        elif python:
            continue
        else:
            value, start, end = m.group("uv"), m.start("uv"), m.end("uv")
            # `?api_key=abc&page=2`: the value ends where the next parameter starts.
            nxt = _NEXT_PARAM.search(value) if m.start("name") and text[m.start("name") - 1] in "?&" else None
            if nxt:
                value, end = value[: nxt.start()], start + nxt.start()
            if value.lower() in _SCHEME_WORDS:
                more = _AFTER_SCHEME.match(text, end)
                if more:
                    value, end = f"{value} {more.group('tok')}", more.end()
        if python and m.group("op") == "=" and _inside(signatures, start):
            role = "param-default"
        yield Slot(name, value, base + start, base + end, role)
    if ":" in text and ("-u" in text or "--user" in text or "--auth" in text or "-a " in text):
        for m in _USER_FLAG.finditer(text):
            if m.group("value") != m.group("user"):
                yield Slot("password", m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
    if not python and " " in text and _prose_possible(text):
        for m in _PROSE_NAME.finditer(text):
            name = m.group("name").replace(" ", "_")
            yield Slot(name, m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
    if not python and "`" in text:
        for m in _CODE_PAIR.finditer(text):
            yield Slot(m.group("name"), m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
        for m in _SAID_PASSWORD.finditer(text):
            yield Slot("password", m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
    if "--" in text:
        for m in _CLI_FLAG.finditer(text):
            yield Slot(m.group("name"), m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
    if not python and "|" in text:
        for m in _TABLE_ROW.finditer(text):
            yield Slot(m.group("name"), m.group("value"), base + m.start("value"), base + m.end("value"), "assign")
    if "(" in text:
        for m in _ENV_DEFAULT.finditer(text):
            role = "secret-default" if m.group("call") == "get_or_default" else "env-default"
            yield Slot(m.group("name"), m.group("value"), base + m.start("q"), base + m.end(), role)
    if "=" in text and ":" in text and _EQ_QUOTE.search(text):
        for m in _ANNOTATED.finditer(text):
            role = "param-default" if _inside(signatures, m.start("q")) else "assign"
            yield Slot(m.group("name"), m.group("value"), base + m.start("q"), base + m.end(), role)


def _assignments(text: str) -> Iterator[re.Match[str]]:
    """Matches of ``_ASSIGN`` that may overlap in the value: in ``old: api_key = "..."``
    the value of the first is the name of the second."""
    pos = 0
    while True:
        m = _ASSIGN.search(text, pos)
        if m is None:
            return
        pos = m.end("op")
        # `arn:aws:secretsmanager:...:secret:name`, `host:port`: a colon without a space
        # after an unquoted name separates parts; YAML and headers put a space there.
        if m.group("op") == ":" and not m.group("nq") and text[pos : pos + 1] not in (" ", "\t"):
            continue
        yield m


_DEF = re.compile(r"\bdef\s+\w+\s*(?:\[[^\]\n]*\])?\s*\(")


_SIG_OUTSIDE = re.compile(r"[\"'()\[\]{}]")
_SIG_INSIDE = {'"': re.compile(r'[\\"]'), "'": re.compile(r"[\\']")}


def _signatures(text: str) -> list[tuple[int, int]]:
    """Spans of ``def f(...)`` parameter lists (parens balanced, strings skipped; in a string a
    backslash skips the next character). Jumps from one bracket or quote to the next."""
    spans = []
    n = len(text)
    for m in _DEF.finditer(text):
        depth, i = 1, m.end()
        while depth and i < n:
            o = _SIG_OUTSIDE.search(text, i)
            if o is None:
                i = n
                break
            i = o.start()
            ch = text[i]
            i += 1
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            else:
                inside = _SIG_INSIDE[ch]
                while i < n:
                    x = inside.search(text, i)
                    if x is None:
                        i = n
                    elif text[x.start()] == "\\":
                        i = x.start() + 2
                        continue
                    else:
                        i = x.start() + 1
                    break
        spans.append((m.end(), i))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)
