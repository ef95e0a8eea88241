"""Which key of a template a misspelt key stands for: the one cause of a cascade.

A step written with ``name:`` instead of ``ref:`` is one mistake, yet it
leaves the step without the required ``ref`` (Tracecat skips the template),
puts an unknown key in the step, and makes every ``${{ steps.<name> }}``
an unknown step. The template extractor records such a key once, as a
:class:`StandIn` for the missing field; the rule that reports the missing
field names it (one finding), the unknown-key rule leaves it alone and the
reference rules read its value as the field's. No ``yaml`` import here: the
extractor hands in plain keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..tracecat import (
    TEMPLATE_DEFINITION_FIELDS,
    TEMPLATE_EXPECTS_FIELDS,
    TEMPLATE_STEP_FIELDS,
    TEMPLATE_TOP_FIELDS,
)

#: What people write for each template key (other tools' spellings, plurals).
ALIASES: dict[str, dict[str, str]] = {
    "top": {"kind": "type"},
    "definition": {"input": "expects", "inputs": "expects", "parameters": "expects", "params": "expects",
                   "args": "expects", "arguments": "expects", "output": "returns", "outputs": "returns",
                   "return": "returns", "result": "returns", "docs_url": "doc_url", "documentation_url": "doc_url",
                   "desc": "description"},
    "step": {"with": "args", "inputs": "args", "input": "args", "params": "args", "parameters": "args",
             "arguments": "args", "uses": "action", "run": "action", "name": "ref"},
    "expects": {"desc": "description", "choices": "enum", "options": "enum", "values": "enum",
                "required": "optional", "default_value": "default"},
}

#: The fields of each level (``tracecat/registry/actions/schemas.py``).
FIELDS: dict[str, tuple[str, ...]] = {
    "top": TEMPLATE_TOP_FIELDS,
    "definition": TEMPLATE_DEFINITION_FIELDS,
    "step": TEMPLATE_STEP_FIELDS,
    "expects": TEMPLATE_EXPECTS_FIELDS,
}

#: The fields of each level whose absence a rule reports, and so the fields a
#: misspelt key can stand in for: ``TemplateActionDefinition.expects/steps/returns``
#: (RL601), ``title``, ``display_group`` and ``description`` (RL101-RL103),
#: ``ActionStep.ref/action/args`` (RL602), ``ExpectedField.type`` (RL606).
#: (``name`` and ``namespace`` decide whether the file is a template at all.)
REQUIRED: dict[str, tuple[str, ...]] = {
    "definition": ("expects", "steps", "returns", "title", "display_group", "description"),
    "step": TEMPLATE_STEP_FIELDS,
    "expects": ("type",),
}


def closest(word: str, candidates: Iterable[str], aliases: dict[str, str] | None = None) -> str | None:
    """The candidate ``word`` most likely meant: same up to case/``-``/``_``, an alias, or difflib's pick."""
    options = list(candidates)
    normal = word.lower().replace("-", "_")
    for option in options:
        if option.lower() == normal or option.replace("_", "") == normal.replace("_", ""):
            return option
    if aliases and word in aliases:
        return aliases[word]
    import difflib  # only for a near miss

    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def stand_in(level: str, present: Sequence[str]) -> dict[str, str]:
    """For the keys ``present`` at ``level``: {unknown key: the missing required field it stands for}.

    Only a field that is absent counts, and each field takes the first
    unknown key that means it (a second one is just an unknown key).
    """
    fields, required = FIELDS[level], REQUIRED.get(level, ())
    missing = [f for f in required if f not in present]
    if not missing:
        return {}
    out: dict[str, str] = {}
    for key in present:
        if key in fields:
            continue
        meant = closest(key, fields, ALIASES.get(level))
        if meant in missing and meant not in out.values():
            out[key] = meant
    return out
