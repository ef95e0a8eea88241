"""The one traversal of a Python module (part of the Python extractor):
imports, function scopes and their module-level calls, register
decorators, ``secrets.get`` calls, every node by exact type."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..model import SecretRef
from .pyeval import ModuleScope
from .pywalk import _FIELDS, _IS_NODE, child_fields, is_node


@dataclass
class FunctionInfo:
    node: cst.FunctionDef
    #: Names of module-level functions this function calls.
    calls: set[str] = field(default_factory=set)
    #: The first call of each of them, in source order (where an action
    #: reaches a helper: RL401 points there).
    call_sites: dict[str, cst.Call] = field(default_factory=dict)
    refs: list[SecretRef] = field(default_factory=list)


_LEAVE = object()


class Collector:
    """One pass: imports, function scopes, register decorators, calls.

    Walks the fields directly (``pywalk``) instead of ``CSTNode.visit``, which
    rebuilds every node and costs as much as the parse. Also indexes every
    node by type so rules can look nodes up without walking again.
    """

    def __init__(self, scope: ModuleScope) -> None:
        self.scope = scope
        self.functions: dict[str, FunctionInfo] = {}
        self.decorated: list[tuple[cst.FunctionDef, cst.Decorator, int, str]] = []
        #: id(function) -> "function" or "class" for definitions nested in one (never module members).
        self.nested: dict[int, str] = {}
        # (scope name or None, call, statement index)
        self.calls: list[tuple[str | None, cst.Call, int]] = []
        self.index: dict[type, list[cst.CSTNode]] = {}
        self.returns: dict[int, list[cst.Return]] = {}
        self._scope_stack: list[str] = []
        self._class_stack: list[str] = []
        # Innermost function or lambda, for ``returns``.
        self._funcs: list[cst.CSTNode] = []

    def run(self, module: cst.Module) -> None:
        index = self.index
        fields, flags = _FIELDS, _IS_NODE
        for stmt_index, stmt in enumerate(module.body):
            stack: list[object] = [stmt]
            while stack:
                node = stack.pop()
                if node is _LEAVE:
                    left = stack.pop()
                    if type(left) is cst.FunctionDef:
                        self._scope_stack.pop()
                        self._funcs.pop()
                    elif type(left) is cst.Lambda:
                        self._funcs.pop()
                    else:
                        self._class_stack.pop()
                    continue
                kind = type(node)
                bucket = index.get(kind)
                if bucket is None:
                    index[kind] = [node]
                else:
                    bucket.append(node)
                if kind is cst.Call:
                    current = self._scope_stack[-1] if self._scope_stack else None
                    self.calls.append((current, node, stmt_index))
                elif kind is cst.FunctionDef:
                    self._enter_function(node, stmt_index)
                    self._funcs.append(node)
                    stack += (node, _LEAVE)
                elif kind is cst.Return:
                    if self._funcs:
                        owner = id(self._funcs[-1])
                        own = self.returns.get(owner)
                        if own is None:
                            self.returns[owner] = [node]
                        else:
                            own.append(node)
                elif kind is cst.Lambda:
                    self._funcs.append(node)
                    stack += (node, _LEAVE)
                elif kind is cst.ClassDef:
                    self._class_stack.append(node.name.value)
                    stack += (node, _LEAVE)
                elif kind is cst.Import or kind is cst.ImportFrom:
                    self.scope.imports.add(node)
                # pywalk.children, inlined: this loop runs for every node of every file.
                names = fields.get(kind)
                if names is None:
                    names = child_fields(kind)
                kids: list[object] = []
                for name in names:
                    value = getattr(node, name)
                    vkind = type(value)
                    if vkind is tuple or vkind is list:
                        for item in value:
                            flag = flags.get(type(item))
                            if flag or (flag is None and is_node(item)):
                                kids.append(item)
                    else:
                        flag = flags.get(vkind)
                        if flag or (flag is None and is_node(value)):
                            kids.append(value)
                if kids:
                    kids.reverse()
                    stack += kids

    def _enter_function(self, node: cst.FunctionDef, stmt_index: int) -> None:
        if self._scope_stack or self._class_stack:
            self.nested[id(node)] = "function" if self._scope_stack else "class"
        if not self._scope_stack:
            name = ".".join([*self._class_stack, node.name.value])
            self.functions[name] = FunctionInfo(node)
            self._scope_stack.append(name)
        else:
            self._scope_stack.append(self._scope_stack[-1])
        for decorator in node.decorators:
            self.decorated.append((node, decorator, stmt_index, self._scope_stack[-1]))
