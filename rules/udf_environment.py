"""RL157: a registered function whose code Tracecat refuses to register.

``_enforce_restrictions`` (``tracecat/registry/repository.py``) reads the
function's code object: ``"os" in co_names and ("environ" in co_names or
"getenv" in co_names)`` raises ``ValueError`` while the repository loads.
``co_names`` is computed in ``linter/analysis/conames.py``; libcst is
imported inside the hook.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.context import FileContext
from registry_lint.model import Diagnostic
from registry_lint.rule import Invalid, Rule, Valid

if TYPE_CHECKING:
    from registry_lint.extract.python import PythonFile

_HEAD = "import os\nfrom tracecat_registry import registry\n\n" '@registry.register(description="d", namespace="tools.acme")\n'


class EnvironmentInAction(Rule):
    """## What it does
    Reports a registered function whose own code uses `os.environ` or
    `os.getenv`, under any spelling Tracecat's check catches: exactly when
    the function's code object names both `os` and `environ` (or `getenv`).

    Caught: `os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`,
    `import os` or `from os import environ` inside the function, and even
    `os.path.join(...)` next to an unrelated `settings.environ`. Not caught
    (Tracecat does not look there): reads in helper functions the action
    calls (RL406 judges those), `from os import getenv` at module level
    with no other `os` in the function, reads inside nested functions,
    lambdas and generator expressions.

    ## Why is this bad?
    Tracecat refuses to register such a function ("`os.environ` usage is
    not allowed in user-defined code"): the whole repository fails to
    load. Secrets belong in `secrets=` and `secrets.get`.

    Severity: error. `_enforce_restrictions` (`tracecat/registry/repository.py`)
    raises `ValueError` for every registered function of the repository.

    ## Example
    ```python
    @registry.register(...)
    async def search(query: str) -> dict:
        base = os.environ.get("ACME_BASE_URL", "https://api.acme.test")
    ```

    ## Use instead
    ```python
    @registry.register(..., secrets=[RegistrySecret(name="acme", optional_keys=["ACME_BASE_URL"])])
    async def search(query: str) -> dict:
        base = secrets.get_or_default("ACME_BASE_URL", "https://api.acme.test")
    ```
    """

    code = "RL157"
    name = "environment-in-action"
    sources = ("python",)
    VALID = (
        Valid(_HEAD + "async def ping() -> str:\n    return os.path.join('a', 'b')\n"),
        Valid(_HEAD + "async def ping() -> str:\n    return _base()\n\ndef _base() -> str:\n    return os.getenv('BASE', '')\n"),
        Valid(
            "from os import getenv\nfrom tracecat_registry import registry\n\n"
            '@registry.register(description="d", namespace="tools.acme")\n'
            "async def ping() -> str:\n    return getenv('BASE') or ''\n"
        ),
        Valid(_HEAD + "async def ping(os: str) -> str:\n    return os.environ\n"),
        Valid(_HEAD + "async def ping() -> str:\n    f = lambda: os.environ\n    return str(f)\n"),
    )
    INVALID = (
        Invalid(_HEAD + "async def ping() -> str:\n    return os.environ['BASE']\n", line=6, col=12, message="`os.environ`"),
        Invalid(_HEAD + "async def ping() -> str:\n    return os.getenv('BASE') or ''\n", line=6, col=12, message="getenv"),
        Invalid(
            """
            from tracecat_registry import registry

            @registry.register(description="d", namespace="tools.acme")
            async def ping() -> str:
                from os import environ
                               ^
                return environ['BASE']
            """,
        ),
        Invalid(_HEAD + "async def ping(cfg: dict) -> str:\n    return os.sep + cfg.environ\n", line=6, col=21),
        Invalid(_HEAD + "async def ping() -> list:\n    return [os.environ[k] for k in ('A', 'B')]\n", line=6, col=13),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.analysis.conames import restricted  # Python runs only: YAML runs never load it

        for action, name, node in restricted(parsed):
            fn = action.func.name.value
            yield self.diagnostic(
                parsed.loc(node),
                f"`{fn}` uses `os.{name}`: Tracecat refuses to register a function whose code names `os` and "
                f"`{name}` (_enforce_restrictions), so the repository fails to load; use secrets.get / get_or_default",
            )


