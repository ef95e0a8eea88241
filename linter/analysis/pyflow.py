"""Python-only secret flow: environment reads (RL406/RL407) and secret values
reaching logs, exception messages or an action's return value (RL408, the
taint pass in ``pytaint.py``).

One analysis per file, cached on the ``PythonFile`` and shared by the three
rules. libcst is imported by the caller's hook before this module is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from ..extract.pyeval import Evaluator
from ..extract.pyimports import dotted
from ..model import Location
from ..tracecat import SECRETS_GET, SECRETS_GET_OR_DEFAULT
from .pytaint import _ASSIGN_KINDS, _ENV_PATTERN_KINDS, _ENV_READ_KINDS, _SECRET_READ_KINDS, Leak, Taint, _Source, _unwrap, select

if TYPE_CHECKING:
    from ..extract.python import PythonFile

ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop", "os.getenvb"})


@dataclass(frozen=True)
class EnvRead:
    node: cst.BaseExpression
    location: Location
    key: str | None
    #: How it was written, for messages (``os.getenv``, ``os.environ[...]``).
    spelling: str


@dataclass
class Flow:
    env_reads: list[EnvRead] = field(default_factory=list)
    #: Env reads used as a fallback for a secret read: id(node) -> secret key text.
    fallbacks: dict[int, str] = field(default_factory=dict)
    leaks: list[Leak] = field(default_factory=list)


def analyze(parsed: PythonFile) -> Flow:
    cached = parsed.__dict__.get("_secret_flow")
    if cached is None:
        cached = _Analysis(parsed).run()
        parsed.__dict__["_secret_flow"] = cached
    return cached


class _Analysis:
    def __init__(self, parsed: PythonFile) -> None:
        self.parsed = parsed
        self.flow = Flow()
        self.evaluator = Evaluator(parsed.scope)
        self.actions = {id(a.func) for a in parsed.actions}

    def run(self) -> Flow:
        # Every env read qualifies to an ENV_CALLS name or `os.environ`, whose
        # identifiers then appear in the text (imports keep them): most
        # modules need neither whole-module walk.
        text = self.parsed.source.text
        env = "environ" in text or "getenv" in text
        if env:
            for node in select(self.parsed.module, _ENV_PATTERN_KINDS):
                self._env_patterns(node)
        for info in self.parsed.functions.values():
            if env:
                self._fallback_assignments(info.node)
            Taint(self, info.node, id(info.node) in self.actions).run()
        return self.flow

    # Reads -------------------------------------------------------------------
    def key_of(self, node: cst.BaseExpression | None) -> str | None:
        return None if node is None else self.evaluator.value(node).text

    def secret_read(self, node: cst.CSTNode) -> _Source | None:
        node = _unwrap(node)
        if type(node) is not cst.Call or self.parsed.qualify(node.func) not in (SECRETS_GET, SECRETS_GET_OR_DEFAULT):
            return None
        arg = node.args[0].value if node.args else None
        text = self.key_of(arg)
        # A literal key is quoted; a computed one is shown as written (`oauth.token_name`).
        shown = repr(text) if text is not None else (self.parsed.scope.code(arg) if arg is not None else "")
        return _Source(shown, self.parsed.loc(node).line)

    def env_read(self, node: cst.CSTNode) -> EnvRead | None:
        node = _unwrap(node)
        kind = type(node)
        if kind is cst.Call:
            qual = self.parsed.qualify(node.func)
            if qual in ENV_CALLS and node.args and node.args[0].keyword is None:
                spelling = dotted(node.func) or qual
                return EnvRead(node, self.parsed.loc(node), self.key_of(node.args[0].value), f"{spelling}(...)")
        elif kind is cst.Subscript and self.parsed.qualify(node.value) == "os.environ":
            element = node.slice[0].slice if len(node.slice) == 1 else None
            key = self.key_of(element.value) if isinstance(element, cst.Index) else None
            return EnvRead(node, self.parsed.loc(node), key, f"{dotted(node.value) or 'os.environ'}[...]")
        return None

    # RL406 / RL407 -------------------------------------------------------------
    def _env_patterns(self, node: cst.CSTNode) -> None:
        read = self.env_read(node)
        if read is not None:
            self.flow.env_reads.append(read)
            default = node.args[1].value if isinstance(node, cst.Call) and len(node.args) > 1 else None
            source = self._contains_secret_read(default)
            if source is not None:
                self.flow.fallbacks[id(read.node)] = source.key
        if isinstance(node, cst.Call):
            source = self.secret_read(node)
            if source is not None and len(node.args) > 1:
                for inner in select(node.args[1].value, _ENV_READ_KINDS):
                    env = self.env_read(inner)
                    if env is not None:
                        self.flow.fallbacks[id(env.node)] = source.key
        elif isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            operands = _or_operands(node)
            secret = next((s for s in map(self.secret_read, operands) if s is not None), None)
            if secret is None:
                return
            for operand in operands:
                env = self.env_read(operand)
                if env is not None:
                    self.flow.fallbacks[id(env.node)] = secret.key

    def _contains_secret_read(self, node: cst.CSTNode | None) -> _Source | None:
        if node is None:
            return None
        for inner in select(node, _SECRET_READ_KINDS):
            source = self.secret_read(inner)
            if source is not None:
                return source
        return None

    def _fallback_assignments(self, func: cst.FunctionDef) -> None:
        """``x = secrets.get_or_default("K")`` ... ``x = os.getenv("K")`` in one function."""
        from_secret: dict[str, str] = {}
        from_env: dict[str, list[EnvRead]] = {}
        for node in select(func.body, _ASSIGN_KINDS, into_defs=False):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                name, value = node.targets[0].target.value, node.value
            elif isinstance(node, (cst.AnnAssign, cst.NamedExpr)) and isinstance(node.target, cst.Name) and node.value is not None:
                name, value = node.target.value, node.value
            else:
                continue
            candidates = _or_operands(value) if isinstance(value, cst.BooleanOperation) else [value]
            for candidate in candidates:
                source = self.secret_read(candidate)
                if source is not None:
                    from_secret.setdefault(name, source.key)
                env = self.env_read(candidate)
                if env is not None:
                    from_env.setdefault(name, []).append(env)
        for name, reads in from_env.items():
            if name in from_secret:
                for env in reads:
                    self.flow.fallbacks.setdefault(id(env.node), from_secret[name])


def _or_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        return _or_operands(node.left) + _or_operands(node.right)
    return [node]
