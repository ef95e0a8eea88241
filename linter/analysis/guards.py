"""Presence guards around ``secrets.get`` (RL405), within one function.

A ``secrets.get("K")`` is guarded when it only runs once the code has
checked that K is there, or picked an explicit branch of several auth modes:

- inside ``if``/``elif``/``while``/ternary/``and`` whose condition proves K
  present: ``secrets.get_or_default("K")``, a name assigned from it (also
  through ``bool(...)`` or a walrus), ``x is not None``, ``not`` of an
  absence test, ...; or after ``if not <present K>: return/raise``;
- inside a ``case`` of a ``match`` statement, or a branch of an ``if``
  whose condition compares a value with string literals (``mode ==
  "api_key"``): the author chose the branch by the auth mode, so each
  branch's reads are that mode's requirements.

Guards are followed within the function that makes the read, not across
calls. libcst is imported by the caller's hook first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from ..tracecat import SECRETS_GET, SECRETS_GET_OR_DEFAULT
from ..model import Location

if TYPE_CHECKING:
    from ..extract.python import PythonFile

_Keys = frozenset[str]
_NONE: _Keys = frozenset()


def guarded_reads(parsed: PythonFile) -> set[Location]:
    """Locations of the key argument of every guarded ``secrets.get`` (cached)."""
    cached: set[Location] | None = parsed.__dict__.get("_guarded_reads")
    if cached is None:
        cached = set()
        for info in parsed.functions.values():
            _Walker(parsed, cached).function(info.node)
        parsed.__dict__["_guarded_reads"] = cached
    return set(cached)


class _Walker:
    def __init__(self, parsed: PythonFile, out: set[Location]) -> None:
        self.parsed = parsed
        self.out = out
        #: name -> keys whose presence its truthiness proves (``x = get_or_default("K")``)
        self.facts: dict[str, _Keys] = {}

    # Statements -----------------------------------------------------------------
    def function(self, node: cst.FunctionDef) -> None:
        self.facts = {}
        self.block(node.body.body, _NONE, False)

    def block(self, statements: object, keys: _Keys, mode: bool) -> None:
        for statement in statements:
            self.statement(statement, keys, mode)
            if isinstance(statement, cst.If) and statement.orelse is None and _exits(statement.body):
                keys = keys | self.absent(statement.test)  # `if not have K: return` guards what follows

    def statement(self, node: cst.CSTNode, keys: _Keys, mode: bool) -> None:
        if isinstance(node, cst.If):
            self.expr(node.test, keys, mode)
            branch = mode or _mode_test(node.test)
            self.block(node.body.body, keys | self.present(node.test), branch)
            orelse = node.orelse
            if isinstance(orelse, cst.If):
                self.statement(orelse, keys | self.absent(node.test), branch)
            elif isinstance(orelse, cst.Else):
                self.block(orelse.body.body, keys | self.absent(node.test), branch)
        elif isinstance(node, cst.While):
            self.expr(node.test, keys, mode)
            self.block(node.body.body, keys | self.present(node.test), mode)
            if node.orelse is not None:
                self.block(node.orelse.body.body, keys, mode)
        elif isinstance(node, cst.Match):
            self.expr(node.subject, keys, mode)
            for case in node.cases:
                if case.guard is not None:
                    self.expr(case.guard, keys, True)
                self.block(case.body.body, keys, True)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return  # its own function (nested defs are walked with their outer one's facts reset)
        elif isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small, keys, mode)
        else:
            for block in _blocks(node):
                self.block(block, keys, mode)
            for child in _header_exprs(node):
                self.expr(child, keys, mode)

    def small(self, node: cst.CSTNode, keys: _Keys, mode: bool) -> None:
        if isinstance(node, (cst.Assign, cst.AnnAssign)):
            if node.value is None:
                return
            self.expr(node.value, keys, mode)
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            proven = self.present(node.value)
            for target in targets:
                if isinstance(target, cst.Name):
                    self.facts[target.value] = proven
            return
        for child in _kids(node):
            self.expr(child, keys, mode)

    # Expressions ----------------------------------------------------------------
    def expr(self, node: cst.CSTNode, keys: _Keys, mode: bool) -> None:
        stack: list[tuple[cst.CSTNode, _Keys, bool]] = [(node, keys, mode)]
        while stack:
            current, have, branch = stack.pop()
            if isinstance(current, cst.Call):
                key = self.get_key(current)
                if key is not None and (branch or key in have):
                    arg = current.args[0].value
                    self.out.add(self.parsed.loc(arg))
            if isinstance(current, cst.BooleanOperation):
                stack.append((current.left, have, branch))
                extra = self.present(current.left) if isinstance(current.operator, cst.And) else self.absent(current.left)
                stack.append((current.right, have | extra, branch))
                continue
            if isinstance(current, cst.IfExp):
                stack.append((current.test, have, branch))
                choice = branch or _mode_test(current.test)
                stack.append((current.body, have | self.present(current.test), choice))
                stack.append((current.orelse, have | self.absent(current.test), choice))
                continue
            if isinstance(current, cst.NamedExpr) and isinstance(current.target, cst.Name):
                self.facts[current.target.value] = self.present(current.value)
            if isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
                continue
            for child in reversed(_kids(current)):
                stack.append((child, have, branch))

    def get_key(self, call: cst.Call) -> str | None:
        """The literal key of a ``secrets.get("K")`` call, else None."""
        if not call.args or call.args[0].keyword is not None or self.parsed.qualify(call.func) != SECRETS_GET:
            return None
        return _literal(call.args[0].value)

    def present(self, node: cst.CSTNode) -> _Keys:
        """Keys whose presence ``node`` being truthy proves."""
        if isinstance(node, cst.Call):
            if self.parsed.qualify(node.func) == SECRETS_GET_OR_DEFAULT and node.args:
                key = _literal(node.args[0].value)
                if key is not None:
                    return frozenset({key})
            if isinstance(node.func, cst.Name) and node.func.value == "bool" and len(node.args) == 1:
                return self.present(node.args[0].value)
            return _NONE
        if isinstance(node, cst.Name):
            return self.facts.get(node.value, _NONE)
        if isinstance(node, cst.NamedExpr):
            return self.present(node.value)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return self.absent(node.expression)
        if isinstance(node, cst.BooleanOperation):
            left, right = self.present(node.left), self.present(node.right)
            return left | right if isinstance(node.operator, cst.And) else left & right
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            op = node.comparisons[0].operator
            other = node.comparisons[0].comparator
            if isinstance(op, (cst.IsNot, cst.NotEqual)) and _is_none(other):
                return self.present(node.left)
        return _NONE

    def absent(self, node: cst.CSTNode) -> _Keys:
        """Keys whose presence ``node`` being falsy proves."""
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return self.present(node.expression)
        if isinstance(node, cst.BooleanOperation):
            left, right = self.absent(node.left), self.absent(node.right)
            return left | right if isinstance(node.operator, cst.Or) else left & right
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            op = node.comparisons[0].operator
            if isinstance(op, (cst.Is, cst.Equal)) and _is_none(node.comparisons[0].comparator):
                return self.present(node.left)
        return _NONE


def _literal(node: cst.CSTNode) -> str | None:
    if not isinstance(node, cst.SimpleString):
        return None
    try:
        value = node.evaluated_value
    except (SyntaxError, ValueError):  # an invalid escape: not a key anyone can read
        return None
    return value if isinstance(value, str) else None


def _is_none(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _mode_test(node: cst.CSTNode) -> bool:
    """A condition that picks a branch by comparing a value with string literals."""
    if isinstance(node, cst.BooleanOperation):
        return _mode_test(node.left) or _mode_test(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _mode_test(node.expression)
    if isinstance(node, cst.Comparison):
        sides = [node.left, *(c.comparator for c in node.comparisons)]
        ops = [c.operator for c in node.comparisons]
        if all(isinstance(op, (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)) for op in ops):
            return any(_strings(side) for side in sides)
    return False


def _strings(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return bool(node.elements) and all(_strings(e.value) for e in node.elements)
    return False


def _exits(body: cst.BaseSuite) -> bool:
    statements = body.body
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return any(isinstance(small, (cst.Return, cst.Raise, cst.Continue, cst.Break)) for small in last.body)
    return False


def _blocks(node: cst.CSTNode) -> Iterator[object]:
    """Statement lists nested in a compound statement (for/with/try)."""
    for name in ("body", "orelse", "finalbody"):
        part = getattr(node, name, None)
        if isinstance(part, cst.BaseSuite):
            yield part.body
        elif part is not None and isinstance(getattr(part, "body", None), cst.BaseSuite):
            yield part.body.body
    for handler in getattr(node, "handlers", ()):
        yield handler.body.body


def _header_exprs(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The expressions a compound statement evaluates outside its blocks."""
    out: list[cst.CSTNode] = []
    for name in ("iter", "items", "test"):
        part = getattr(node, name, None)
        if isinstance(part, (list, tuple)):
            out.extend(part)
        elif part is not None:
            out.append(part)
    return out


def _kids(node: cst.CSTNode) -> list[cst.CSTNode]:
    from ..extract.pywalk import children

    return children(node)
