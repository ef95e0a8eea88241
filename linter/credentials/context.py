"""Where a string literal sits: the name it is bound to and how.

A :class:`Slot` is one string literal together with the name that gives
it meaning (assignment target, keyword, dict key / HTTP header, parameter,
YAML key, ``expects.<x>.default`` or a default its description states,
the ``K`` of ``getenv("K", "lit")`` or of ``secrets.get("K") or "lit"``, the
variable of ``${K:-lit}``) and its role. The scanner decides whether the
name is credential-like and the value secret-looking. Producers per syntax live in ``pycontext``,
``yamlcontext`` and ``textcontext``; this module dispatches, including
Markdown code fences (a ```python block gets Python context).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .slot import Slot, hinted

CODE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".go", ".java", ".kt", ".rb", ".php", ".cs",
                 ".rs", ".swift", ".scala", ".tf", ".hcl", ".c", ".h", ".cpp", ".vue", ".svelte", ".lua", ".pyi")
_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)$", re.M)


def slots(path: str, text: str, kind: str, parsed: object | None, has_formats: bool = True) -> Iterator[Slot]:
    """Every string literal bound to a name, for one file.

    ``has_formats``: a known format matched somewhere in the file. Without one,
    producers may leave out literals that cannot become a finding (a slot
    matters then only through its name or a ``Bearer``/``Basic`` value).
    """
    if not hinted(text):
        return
    if "${" in text:
        yield from shell_defaults(text)
    lower = path.lower()
    if kind == "python":
        if parsed is not None and hasattr(parsed, "find") and getattr(parsed, "source", None) is not None:
            # The engine's LibCST tree: never parse the file a second time.
            from . import cstcontext

            yield from cstcontext.slots(parsed, text, keep_all=has_formats)
            return
        from . import pycontext

        yield from pycontext.slots(text, 0)
    elif kind == "yaml":
        from . import yamlcontext

        yield from yamlcontext.slots(text, 0, getattr(parsed, "root", None), parsed is not None, keep_all=has_formats)
    elif lower.endswith(".json"):
        # JSON is YAML: the tree gives `{"key": "apiKey", "value": "..."}` pairs (Postman exports).
        from . import yamlcontext

        yield from yamlcontext.slots(text, 0, None, False)
    elif lower.endswith((".md", ".markdown", ".mdx", ".rst")):
        yield from markdown_slots(text)
    else:
        from . import textcontext

        # In program code an unquoted value is an expression, not a literal.
        yield from textcontext.slots(text, 0, python=lower.endswith(CODE_SUFFIXES))


# pragma: allowlist nextline secret (the example below is the shape this finds)
# `${DB_PASSWORD:-Summer2024!}` (shell, .env, Compose): the literal after `:-`/`-`/`:=`/`=` is what
# runs when the variable is unset. Not `${X:?message}` (an error) nor `${X:+alt}` (set only).
_SHELL_DEFAULT = re.compile(r"\$\{(?P<name>[A-Za-z_]\w{0,80}):?[-=](?P<value>[^}\s\"'`$]{1,200})\}")


def shell_defaults(text: str) -> Iterator[Slot]:
    """The default of every ``${NAME:-literal}`` expansion, named for its variable."""
    for m in _SHELL_DEFAULT.finditer(text):
        yield Slot(m.group("name"), m.group("value"), m.start("value"), m.end("value"), "shell-default")


def markdown_slots(text: str) -> Iterator[Slot]:
    """Prose through the generic matcher; fenced blocks by their language."""
    from . import textcontext

    pos = 0
    for block_start, block_end, info, body_start, body_end in fences(text):
        yield from textcontext.slots(text[pos:block_start], pos)
        body = text[body_start:body_end]
        lang = (info.split() or [""])[0].lower()
        if lang in ("python", "py", "python3", "pycon"):
            from . import pycontext

            yield from pycontext.slots(body, body_start)
        elif lang in ("yaml", "yml"):
            from . import yamlcontext

            yield from yamlcontext.slots(body, body_start, None, False)
        else:
            yield from textcontext.slots(body, body_start)
        pos = block_end
    yield from textcontext.slots(text[pos:], pos)


def fences(text: str) -> Iterator[tuple[int, int, str, int, int]]:
    """(block start, block end, info string, body start, body end) of each fenced block."""
    if "```" not in text and "~~~" not in text:
        return
    pos = 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            return
        fence = opening.group("fence")
        closing = re.compile(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        body_start = min(len(text), opening.end() + 1)
        close = closing.search(text, body_start)
        body_end = close.start() if close else len(text)
        end = close.end() if close else len(text)
        yield opening.start(), end, opening.group("info").strip(), body_start, body_end
        pos = max(end, opening.end() + 1)
