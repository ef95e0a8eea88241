"""What template steps can call, for RL615-RL618: one index per run.

Not a rule family itself: it registers no rule. Lookup order as Tracecat's
sync: the linted set (the repository), config ``extra-actions``, then the
built-in catalogue (the base registry), read on the first miss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..context import ProjectContext
from ..model import ActionSpec, Param, SecretSpec
from .stepsecrets import StepAction

if TYPE_CHECKING:
    from ..config import Config


@dataclass(frozen=True)
class Target:
    """What a step can call: an action's kind and parameters (None: not known)."""

    key: str
    kind: str  # "udf" (TemplateValidator on its parameters) or "template"
    params: tuple[Param, ...] | None
    #: Its own secret declarations (None: not known) and, for templates, its steps' actions.
    secrets: tuple[SecretSpec, ...] | None = None
    steps: tuple[str, ...] = ()


class StepIndex:
    """Linted actions, then ``extra-actions``, then the built-in catalogue (read on first miss)."""

    def __init__(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> None:
        self.config = ctx.config
        self.local: dict[str, Target] = {}
        #: Names of linted actions whose namespace is not statically known (``**META``):
        #: a step calling ``<anything>.<name>`` may mean one of them.
        self.partial: set[str] = set()
        for spec in actions:
            if spec.unloadable is not None:
                continue
            key = spec.key
            if key is None:
                if spec.name is not None and spec.name.text:
                    self.partial.add(spec.name.text)
            elif key not in self.local:
                kind = "udf" if spec.source == "python" else "template"
                steps = tuple(s.action.text for s in spec.steps if s.action.text is not None)
                self.local[key] = Target(key, kind, spec.params, spec.secrets if spec.secrets_known else None, steps)
        for key, rows in self.config.extra_actions:
            params = None if rows is None else tuple(Param(n, t, r) for n, t, r in rows)
            self.local.setdefault(key, Target(key, "udf", params))
        self._builtin = None
        self._elsewhere: frozenset[str] | None = None
        self._paths = (*ctx.paths, *(spec.path for spec in actions))
        self._ctx = ctx

    def builtin(self):
        """The catalogue: the shipped one, or the ``tracecat-registry`` checkout's (read on first use)."""
        if self._builtin is None:
            from ..catalogue import actions as catalogue

            self._builtin = catalogue.for_config(self.config)
        return self._builtin

    def get(self, key: str) -> Target | None:
        found = self.local.get(key)
        if found is None:
            action = self.builtin().get(key)
            if action is not None:
                found = Target(key, action.kind, action.params, action.secrets, action.steps)
            elif key.rpartition(".")[2] in self.partial or key.rpartition(".")[2] in self.elsewhere():
                found = Target(key, "udf", None)  # maybe defined there: arguments unchecked
        return found

    def elsewhere(self) -> frozenset[str]:
        """Names of actions files of the project outside this run may define.

        A pre-commit run lints the changed files only: a step may call a UDF
        or template of an unchanged file. Read on the first miss only: the
        names the project's other files under the config root define, found
        as text (never imported): ``def name(`` in a ``.py`` that mentions
        ``register``, ``name: x`` in a ``.yml`` with a ``definition``. A name
        that is not an action only makes the check more lenient.
        """
        if self._elsewhere is None:
            linted = {Path(path).resolve() for path in self._paths}
            root = Path(self.config.root).resolve()
            # Only a root the linted files are in is their project: without a
            # configuration file the root is the current directory, which
            # need not hold them (a run on another tree; a CI job's clone).
            if any(root == path or root in path.parents for path in linted):
                self._ctx.outside_reads.append("the actions the project's other files define")
                self._elsewhere = _names_defined_around(self.config, linted)
            else:
                self._elsewhere = frozenset()
        return self._elsewhere

    def step_action(self, key: str) -> StepAction | None:
        """``stepsecrets``' view of a step's action (RL402)."""
        target = self.get(key)
        return None if target is None else StepAction(target.secrets, target.steps)

    def keys(self) -> list[str]:
        return [*self.local, *self.builtin().keys()]


def _names_defined_around(config: Config, linted: set[Path]) -> frozenset[str]:
    """The action names the files under ``config.root`` other than ``linted`` define, found as text."""
    from ..discover import discover
    from ..safeio import read_regular

    try:
        others = [p for p in discover([config.root], config) if Path(p).resolve() not in linted]
    except OSError:
        return frozenset()
    names: set[str] = set()
    for path in others:
        if not path.endswith((".py", ".yml", ".yaml")):
            continue
        try:
            text = read_regular(path, config.max_file_size).decode("utf-8", "replace")
        except OSError:
            continue
        if path.endswith(".py"):
            if "register" in text:
                names.update(m.group(1) for m in _DEF_RE.finditer(text))
        elif "definition" in text:
            names.update(m.group(1) for m in _NAME_RE.finditer(text))
    return frozenset(names)


_DEF_RE = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(", re.MULTILINE)
_NAME_RE = re.compile(r"^[ \t]+name:[ \t]*['\"]?([A-Za-z_][\w-]*)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_MEMO: list[object] = []


def step_index(actions: Sequence[ActionSpec], ctx: ProjectContext) -> StepIndex:
    """One index per run, shared by the four rules (the memo holds ``actions``, so its id is not reused)."""
    if _MEMO and _MEMO[0] is actions and _MEMO[1] == ctx.config:
        return _MEMO[2]
    index = StepIndex(actions, ctx)
    _MEMO[:] = [actions, ctx.config, index]
    return index


def step_declarations(spec: ActionSpec, actions: Sequence[ActionSpec], ctx: ProjectContext) -> tuple[list[SecretSpec], bool]:
    """The declarations of a template's step actions, recursively (``stepsecrets``):
    Tracecat fetches them for the template too (RL305, RL402). Not complete
    when a step's action or its declarations are not known."""
    if not spec.steps:
        return [], True
    from .stepsecrets import step_secrets

    keys = (s.action.text for s in spec.steps if s.action.text is not None)
    return step_secrets(keys, step_index(actions, ctx).step_action, own=spec.key)
