"""RL403: ``secrets.get`` / ``secrets.get_or_default`` called in a way that
cannot work: a template path instead of the key, or arguments the functions'
signatures reject. Imported by ``usage.py`` (same family)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Edit, Fix, Severity
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import SECRETS_GET_OR_DEFAULT_MAX_ARGS, SECRETS_GET_PARAMS

from registry_lint.analysis.reads import python_reads
from registry_lint.analysis.refs import path_key
from ._secretlib import replace_string, shown
from ._usage_examples import py

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile


class SecretsPathInGet(Rule):
    """## What it does
    Reports `secrets.get` / `secrets.get_or_default` called with a template
    path instead of a key, or with arguments their signatures reject.

    Caught: `"SECRETS.acme.API_KEY"`, `"acme.API_KEY"`,
    `"${{ SECRETS.acme.API_KEY }}"`; `secrets.get("K", default)` (a default
    belongs to `get_or_default`), `secrets.get()`, and keyword arguments
    `get_or_default` does not take (`default=`, `name=`: both parameters are
    positional-only). `secrets.get(name="K")` is fine.

    Decision: the call-shape mistakes are reported under this code, whose
    subject is "what `secrets.get` is called with", rather than under a new
    one.

    ## Why is this bad?
    In Python the secrets of an action are flattened to their keys; the
    argument is the key only, so a path is never found. `get(name)` takes
    exactly one argument and `get_or_default(name, default=None, /)` takes
    positional arguments only: any other call raises `TypeError` when it
    runs.

    Severity: error when the call raises: `secrets.get` with a path
    (`SecretNotFoundError`) and every call its signature rejects
    (`TypeError`; `tracecat_registry/_internal/secrets.py`). Warning for
    `get_or_default` with a path: it never fails, it returns the default
    every time.

    ## Example
    ```python
    api_key = secrets.get("SECRETS.acme.ACME_API_KEY")
    region = secrets.get("ACME_REGION", "us-east-1")
    ```

    ## Use instead
    ```python
    api_key = secrets.get("ACME_API_KEY")
    region = secrets.get_or_default("ACME_REGION", "us-east-1")
    ```

    ## Fix safety
    Safe: a string literal of the form `[SECRETS.]name.KEY` (optionally in
    `${{ }}`) is replaced by `"KEY"`; the call cannot find anything as
    written, so no read that resolved before changes. Other shapes, and keys
    given through constants, are reported without a fix. Unsafe: rewriting
    `secrets.get(K, default)` to `secrets.get_or_default(K, default)` (the
    call stops raising).
    """

    code = "RL403"
    name = "secrets-path-in-get"
    sources = ("python",)
    fix = "safe"
    mixed_severity = True
    VALID = (
        Valid(py('    return secrets.get_or_default("ACME_REGION", "us.east")')),
        Valid(py('    return secrets.get(name="ACME_API_KEY")')),
    )
    INVALID = (
        Invalid(
            py('    key = secrets.get("SECRETS.acme.ACME_API_KEY")\n    return "ok"'),
            line=8,
            col=23,
            fixed=py('    key = secrets.get("ACME_API_KEY")\n    return "ok"'),
            severity=Severity.ERROR,
        ),
        Invalid(
            py("    key = secrets.get_or_default('${{ SECRETS.acme.ACME_REGION }}')\n    return 'ok'"),
            line=8,
            col=34,
            message="'ACME_REGION'",
            fixed=py("    key = secrets.get_or_default('ACME_REGION')\n    return 'ok'"),
            severity=Severity.WARNING,
        ),
        Invalid(
            py('    return secrets.get("ACME_REGION", "us")'),
            line=8,
            col=12,
            message="get_or_default",
            severity=Severity.ERROR,
        ),
        Invalid(py('    return secrets.get_or_default("ACME_REGION", default="us")'), line=8, col=12, message="positional"),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        for ref, _ in python_reads(parsed):
            key = ref.key
            target = path_key(key) if key is not None else None
            if target is None:
                continue
            fix = None
            if target and not ref.computed:
                fix = replace_string(ctx.source, ref.location, key, target, f"Use {target!r}")
            hint = f"use {shown(target)}" if target else "pass the declared key name"
            yield self.diagnostic(
                ref.location,
                f"secrets.{ref.via}() takes the key only, not a template path {shown(key or '')}: {hint}",
                fix=fix,
                severity=Severity.WARNING if ref.via == "get_or_default" else Severity.ERROR,
            )
        yield from self._signatures(parsed)

    def _signatures(self, parsed: PythonFile) -> Iterator[Diagnostic]:
        import libcst as cst

        from registry_lint.tracecat import SECRETS_GET, SECRETS_GET_OR_DEFAULT

        if "secrets" not in parsed.source.text:
            return  # every spelling of secrets.get imports or names `secrets`
        for call in parsed.find(cst.Call):
            qual = parsed.qualify(call.func)
            if qual not in (SECRETS_GET, SECRETS_GET_OR_DEFAULT) or any(a.star for a in call.args):
                continue
            positional = [a for a in call.args if a.keyword is None]
            keywords = [a.keyword.value for a in call.args if a.keyword is not None]
            if qual == SECRETS_GET:
                given = len(positional) + len(keywords)
                if given == 1 and (not keywords or keywords == list(SECRETS_GET_PARAMS)):
                    continue
                if len(positional) == 2 and not keywords:
                    yield self.diagnostic(
                        parsed.loc(call),
                        "secrets.get() takes one argument, the key: with a default it raises TypeError; "
                        "use secrets.get_or_default(key, default)",
                        fix=_rename_fix(parsed, call),
                    )
                else:
                    yield self.diagnostic(parsed.loc(call), "secrets.get() takes exactly one argument, the key: this call raises TypeError")
            elif keywords or not 1 <= len(positional) <= SECRETS_GET_OR_DEFAULT_MAX_ARGS:
                yield self.diagnostic(
                    parsed.loc(call),
                    "secrets.get_or_default(key, default) takes positional arguments only (at most two): this call raises TypeError",
                )


def _rename_fix(parsed: PythonFile, call: object) -> Fix | None:
    """``secrets.get(K, d)`` -> ``secrets.get_or_default(K, d)`` (unsafe: the call stops raising)."""
    import libcst as cst

    assert isinstance(call, cst.Call)
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "get":
        return None
    return Fix("Use secrets.get_or_default", (Edit(parsed.loc(call.func.attr), "get_or_default"),), applicability="unsafe")
