"""The secrets Tracecat fetches for a template besides its own: its step actions', recursively.

``collect_action_secrets_from_manifest`` (``tracecat/executor/registry_resolver.py``)
collects a template's ``definition.secrets`` and walks its steps: a UDF step
adds its declared secrets, a template step its own and its steps' again; a
step action that is not bound is skipped. ``prepare_resolved_context``
(``tracecat/executor/service.py``) fetches all of them, and
``_execute_template_action`` renders every step's arguments against that one
``SECRETS`` context. So ``${{ SECRETS.mtls.TLS_CERTIFICATE }}`` in a template
whose step calls ``core.http_request`` resolves, although the template
declares no ``mtls``.

Used by RL402 (through the rules' step index) and by the resolver (through
the linted actions and the catalogue): one walk, one answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import SecretSpec


@dataclass(frozen=True)
class StepAction:
    """What a step calls, as far as secrets go."""

    #: Its own declarations; None when they are not statically known.
    secrets: tuple[SecretSpec, ...] | None
    #: Templates: the action of each of its steps.
    steps: tuple[str, ...] = ()


Lookup = Callable[[str], "StepAction | None"]


def step_secrets(steps: Iterable[str], lookup: Lookup, *, own: str | None = None) -> tuple[list[SecretSpec], bool]:
    """(declarations of the step actions, recursively; whether that list is complete).

    Incomplete when a step action is unknown to ``lookup`` or its
    declarations are not statically known: it may declare anything, so a
    caller must not conclude that a name is not fetched. ``own``: the
    template's key (a template never calls itself; a cycle is walked once).
    """
    found: list[SecretSpec] = []
    complete = True
    seen = {own}
    todo = list(steps)
    while todo:
        key = todo.pop(0)
        if key in seen:
            continue
        seen.add(key)
        action = lookup(key)
        if action is None:
            complete = False
            continue
        if action.secrets is None:
            complete = False
        else:
            found.extend(action.secrets)
        todo.extend(action.steps)
    return found, complete
