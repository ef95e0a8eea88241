"""Python ``secrets.get`` reads, each once, with the declarations of every
action that reaches it (shared by RL304, RL403, RL405)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Location, SecretRef
from .declared import Declared


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
    from ..extract.pydecls import module_declarations
    from ..extract.python import PythonFile

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
