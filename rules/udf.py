"""RL15x: the shape of a Python UDF (Python only).

These rules look at the LibCST nodes the extractor kept for each action
(``PyAction.func``, ``.decorator``, ``.call``); libcst is imported inside the
hooks so YAML-only runs never load it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.context import FileContext
from registry_lint.model import Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

if TYPE_CHECKING:
    from registry_lint.extract.python import PyAction, PythonFile

HEAD = (
    "from typing import Annotated\n"
    "from typing_extensions import Doc\n"
    "from tracecat_registry import registry\n\n"
    '@registry.register(description="d", namespace="tools.acme")\n'
)


class _UdfRule(Rule):
    sources = ("python",)

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterable[Diagnostic]:
        for action in parsed.actions:
            yield from self.check_udf(action, parsed)

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        return iter(())


class ActionNotAsync(_UdfRule):
    """## What it does
    Reports a registered function defined with `def` instead of `async def`.
    A plain `def` that uses `await` is reported as an error: Python cannot
    even compile it.

    ## Why is this bad?
    The documented contract for UDFs is `async def`: Tracecat runs sync
    functions in a thread, which blocks a worker thread for every network
    call and makes cancellation unreliable. `await` inside `def` is a
    `SyntaxError` when the registry is imported.

    Severity: warning for a plain `def` (Tracecat runs sync functions:
    `tracecat_registry/_internal/registry.py` accepts both); error when it
    uses `await` (the module cannot compile).

    ## Example
    ```python
    @registry.register(...)
    def search(query: Annotated[str, Doc("Query")]) -> dict:
        return httpx.get(URL, params={"q": query}).json()
    ```

    ## Use instead
    ```python
    @registry.register(...)
    async def search(query: Annotated[str, Doc("Query")]) -> dict:
        async with httpx.AsyncClient() as client:
            return (await client.get(URL, params={"q": query})).json()
    ```
    """

    code = "RL151"
    name = "action-not-async"
    severity = Severity.WARNING
    mixed_severity = True
    VALID = (Valid(HEAD + "async def ping() -> str:\n    return 'ok'\n"),)
    INVALID = (
        Invalid(HEAD + "def ping() -> str:\n    return 'ok'\n", line=6, col=5, message="async def", severity=Severity.WARNING),
        Invalid(HEAD + "def ping() -> str:\n    return await other()\n", line=6, col=5, message="cannot compile", severity=Severity.ERROR),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        func = action.func
        if func.asynchronous is not None:
            return
        from registry_lint.analysis.udftypes import contains_await  # Python runs only: YAML runs never load it

        loc = parsed.loc(func.name)
        name = func.name.value
        if contains_await(func):
            yield self.diagnostic(
                loc,
                f"`{name}` uses `await` but is a plain `def`: it cannot compile; make it `async def`",
                severity=Severity.ERROR,
            )
        else:
            yield self.diagnostic(loc, f"Registered function `{name}` should be `async def`")


class UntypedParameter(_UdfRule):
    """## What it does
    Reports a parameter of a registered function without a type annotation,
    including `*args` and `**kwargs`.

    ## Why is this bad?
    Tracecat builds the action's input schema (the form in the workflow
    builder, the tool schema agents see, and argument validation) from the
    annotations. An unannotated parameter has no type pydantic can build a
    schema for, so the action fails to register.

    Severity: error. `generate_model_from_function`
    (`tracecat/registry/repository.py`) passes the missing annotation
    (`inspect.Parameter.empty`) to `create_model`, which raises
    `PydanticSchemaGenerationError` while the repository loads.

    ## Example
    ```python
    async def search(query, limit: int = 10) -> dict: ...
    ```

    ## Use instead
    ```python
    async def search(query: Annotated[str, Doc("Search query")], limit: Annotated[int, Doc("Max results")] = 10) -> dict: ...
    ```
    """

    code = "RL152"
    name = "untyped-parameter"
    VALID = (Valid(HEAD + 'async def ping(host: Annotated[str, Doc("Host")]) -> str:\n    return host\n'),)
    INVALID = (
        Invalid(HEAD + "async def ping(host, *args, **kwargs) -> str:\n    return host\n", line=6, col=16, also=((6, 23), (6, 31))),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        from registry_lint.extract.python import iter_parameters

        for param in iter_parameters(action.func):
            if param.annotation is None:
                yield self.diagnostic(
                    parsed.loc(param.name),
                    f"Parameter `{param.star if isinstance(param.star, str) else ''}{param.name.value}` of `{action.func.name.value}` has no type annotation",
                )


class UndocumentedParameter(_UdfRule):
    """## What it does
    Reports a parameter whose description is missing or empty. Accepted forms:
    `Annotated[T, Doc("...")]`, `Annotated[T, Field(..., description="...")]`,
    `x: T = Field(..., description="...")`, and a module-level alias of such
    an `Annotated` type (`Url = Annotated[str, Doc("...")]`, also PEP 695
    `type Url = ...`). `*args`/`**kwargs` are left to RL152. A description
    the linter cannot evaluate (a name from another package) counts as given.

    ## Why is this bad?
    The description is what users see next to the input in the workflow
    builder and what agents read to decide what to pass.

    Severity: warning. Tracecat registers the action without it
    (`get_signature_docs` in `tracecat/registry/repository.py` only reads
    descriptions that are there).

    ## Example
    ```python
    async def search(query: str) -> dict: ...
    ```

    ## Use instead
    ```python
    async def search(query: Annotated[str, Doc("Search query")]) -> dict: ...
    ```
    """

    code = "RL153"
    name = "undocumented-parameter"
    severity = Severity.WARNING
    VALID = (
        Valid(HEAD + 'async def ping(host: Annotated[str, Doc("Host")]) -> str:\n    return host\n'),
        Valid(
            "from typing import Annotated\nfrom pydantic import Field\nfrom typing_extensions import Doc\n"
            "from tracecat_registry import registry\n"
            'Host = Annotated[str, Doc("Host to ping")]\n'
            '@registry.register(description="d", namespace="tools.acme")\n'
            'async def ping(host: Host, port: Annotated[int, Field(..., description="Port")] = 1,\n'
            '               ttl: int = Field(3, description="TTL"), alias: Host | None = None) -> str:\n    return host\n'
        ),
    )
    INVALID = (
        Invalid(HEAD + "async def ping(host: str) -> str:\n    return host\n", line=6, col=16),
        Invalid(HEAD + 'async def ping(host: Annotated[str, Doc("")]) -> str:\n    return host\n', line=6, col=16, message="empty"),
        Invalid(
            """
            from typing import Annotated
            from pydantic import Field
            from tracecat_registry import registry
            @registry.register(description="d", namespace="tools.acme")
            async def ping(host: Annotated[str, Field(default="x")]) -> str:
                           ^
                return host
            """,
        ),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        from registry_lint.analysis.udftypes import param_doc_state
        from registry_lint.extract.python import iter_parameters

        for param in iter_parameters(action.func):
            if param.star in ("*", "**"):
                continue
            state = param_doc_state(param, parsed, action.stmt_index)
            if state == "ok":
                continue
            what = "has an empty description" if state == "empty" else "has no description"
            yield self.diagnostic(
                parsed.loc(param.name),
                f"Parameter `{param.name.value}` of `{action.func.name.value}` {what}: "
                'use `Annotated[T, Doc("...")]` or `Field(..., description="...")`',
            )


class BareRegisterDecorator(_UdfRule):
    """## What it does
    Reports `@registry.register` used without a call.

    ## Why is this bad?
    `register` is a decorator factory: used bare, it is called with the
    function as its only argument, which is keyword-only, so the module fails
    to import with a `TypeError` and the registry does not sync. There is no
    metadata (description, namespace) either.

    Severity: error. A `TypeError` at import
    (`tracecat_registry/_internal/registry.py`: `register` takes keyword
    arguments only, `description` is required).

    ## Example
    ```python
    @registry.register
    async def ping() -> str: ...
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Ping", description="Ping a host", display_group="Acme", namespace="tools.acme")
    async def ping() -> str: ...
    ```
    """

    code = "RL154"
    name = "bare-register-decorator"
    VALID = (Valid(HEAD + "async def ping() -> str:\n    return 'ok'\n"),)
    INVALID = (
        Invalid(
            """
            import tracecat_registry

            @tracecat_registry.registry.register
             ^
            async def ping() -> str:
                return 'ok'
            """,
        ),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        if action.call is None:
            yield self.diagnostic(
                parsed.loc(action.decorator.decorator),
                "`registry.register` must be called with metadata: `@registry.register(description=..., namespace=...)`",
            )


_KEYWORD_HINTS = {"title": "default_title", "name": "default_title", "group": "display_group", "docs": "doc_url", "url": "doc_url"}


class UnknownRegisterArgument(_UdfRule):
    """## What it does
    Reports a keyword `registry.register` does not accept (a typo such as
    `displaygroup=` or `title=`) and suggests the closest valid one; also
    positional arguments (every parameter of `register` is keyword-only).

    ## Why is this bad?
    `register` has no `**kwargs`: the module fails to import with a
    `TypeError` and nothing in the registry syncs.

    Severity: error. A `TypeError` at import
    (`tracecat_registry/_internal/registry.py`: `register`).

    ## Example
    ```python
    @registry.register(title="Ping", description="...", namespace="tools.acme")
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Ping", description="...", namespace="tools.acme")
    ```
    """

    code = "RL155"
    name = "unknown-register-argument"
    VALID = (Valid(HEAD + "async def ping() -> str:\n    return 'ok'\n"),)
    INVALID = (
        Invalid(
            """
            from tracecat_registry import registry as r

            @r.register(title="Ping", displaygroup="Acme", description="d", namespace="tools.acme")
                        ^             ^
            async def ping() -> str:
                return 'ok'
            """,
            message="default_title",
        ),
        Invalid(
            """
            from tracecat_registry import registry

            @registry.register("Ping", description="d", namespace="tools.acme")
                               ^
            async def ping() -> str:
                return 'ok'
            """,
            message="keyword",
        ),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        from registry_lint.tracecat import REGISTER_KEYWORDS

        if action.call is None:
            return
        for arg in action.call.args:
            if arg.star:
                continue
            if arg.keyword is None:
                yield self.diagnostic(
                    parsed.loc(arg.value),
                    "`registry.register` takes keyword arguments only (e.g. `default_title=...`)",
                )
                continue
            kw = arg.keyword.value
            if kw in REGISTER_KEYWORDS:
                continue
            import difflib  # only for an unknown keyword

            guess = _KEYWORD_HINTS.get(kw) or next(iter(difflib.get_close_matches(kw, REGISTER_KEYWORDS, n=1, cutoff=0.6)), None)
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield self.diagnostic(parsed.loc(arg.keyword), f"`registry.register` has no argument `{kw}`{hint}")


class NonJsonReturn(_UdfRule):
    """## What it does
    Reports a registered function whose return annotation is not
    JSON-serializable (`bytes`, `set`, `frozenset`, `datetime`, `Decimal`,
    generators and iterators, or a class defined in the module that is not a
    `TypedDict` or pydantic model), also inside `list[...]`, `dict[..., ...]`,
    `Optional`/`| None`; and a `return` of a set or bytes literal.

    Classes imported from other modules are not judged (the linter never
    imports code). `datetime` is reported too, although pydantic can
    serialise it: return an ISO string to be explicit about the format.

    ## Why is this bad?
    Action results are stored as JSON and passed between steps: a set or
    bytes result fails serialisation after the action already ran (its side
    effects happened), or is silently converted into something else.

    Severity: warning. Tracecat registers the action (the return type only
    becomes a `TypeAdapter` in `generate_model_from_function`) and pydantic
    converts many such values when it serialises the result.

    ## Example
    ```python
    async def list_tags() -> set[str]:
        return {"a", "b"}
    ```

    ## Use instead
    ```python
    async def list_tags() -> list[str]:
        return sorted({"a", "b"})
    ```
    """

    code = "RL156"
    name = "non-json-return"
    severity = Severity.WARNING
    VALID = (
        Valid(HEAD + "async def tags() -> list[dict[str, int]] | None:\n    return [{'a': 1}]\n"),
        Valid(
            "from typing import TypedDict\nfrom tracecat_registry import registry\n"
            "class Out(TypedDict):\n    a: int\n"
            '@registry.register(description="d", namespace="tools.acme")\n'
            "async def f() -> list[Out]:\n    return []\n"
        ),
    )
    INVALID = (
        Invalid(HEAD + "async def tags() -> set[str]:\n    return set()\n", line=6, col=21, message="set"),
        Invalid(HEAD + "async def blob() -> dict[str, bytes] | None:\n    return None\n", line=6, col=31),
        Invalid(HEAD + "async def tags():\n    return {'a', 'b'}\n", line=7, col=12),
        Invalid(
            """
            from dataclasses import dataclass
            from tracecat_registry import registry
            @dataclass
            class Out:
                a: int
            @registry.register(description="d", namespace="tools.acme")
            async def f() -> Out:
                             ^
                return Out(1)
            """,
            message="Out",
        ),
    )

    def check_udf(self, action: PyAction, parsed: PythonFile) -> Iterator[Diagnostic]:
        import libcst as cst

        from registry_lint.analysis.udftypes import is_bytes, module_classes, non_json_parts, returns

        func = action.func
        name = func.name.value
        if func.returns is not None:
            classes = module_classes(parsed)
            for node, what in non_json_parts(func.returns.annotation, classes, 0):
                yield self.diagnostic(parsed.loc(node), f"`{name}` returns {what}, which is not JSON-serializable")
        for ret in returns(func, parsed):
            value = ret.value
            if isinstance(value, (cst.Set, cst.SetComp)):
                yield self.diagnostic(parsed.loc(value), f"`{name}` returns a set, which is not JSON-serializable; return a list")
            elif isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) and is_bytes(value):
                yield self.diagnostic(parsed.loc(value), f"`{name}` returns bytes, which is not JSON-serializable; decode or base64-encode it")
