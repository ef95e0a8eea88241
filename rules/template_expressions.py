"""RL611-RL614: `${{ ... }}` expressions in YAML templates (part of the RL6xx family).

Every rule reads the one parse of each expression (``extract/template.py``,
``exprparse``: a parser of exactly the language of Tracecat's grammar) in
the strings Tracecat validates: a step's ``args`` and ``returns``. At sync,
``validate_action_template`` (``tracecat/registry/actions/service.py``) runs
``TemplateActionExprValidator`` over those strings, and the sync raises
``RegistrySyncValidationError`` on any error (``_raise_for_validation_errors``
in ``tracecat/registry/sync/runner.py``): the whole repository fails to sync.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.model import Diagnostic, Location, Severity
from registry_lint.rule import Invalid, Valid
from registry_lint.tracecat import (
    CAST_TYPES,
    FUNCTION_MAP_SUFFIX,
    INT_MAX_STR_DIGITS,
    TEMPLATE_EXPRESSION_CONTEXTS,
    TEMPLATE_FORBIDDEN_CONTEXTS,
)

from registry_lint.analysis.refs import secrets_parse_failure
from ._template_common import OK, TemplateRule, example, hint

if TYPE_CHECKING:
    from registry_lint.exprtree import Node
    from registry_lint.extract.template import Template, TemplateExpr
    from registry_lint.extract.yamlnodes import YamlFile

_tree = lazy("registry_lint.exprtree")
_yamlexpr = lazy("registry_lint.extract.yamlexpr")
_functions = lazy("registry_lint.catalogue.functions")

def _where(parsed: YamlFile, expr: TemplateExpr, start: int, end: int) -> Location:
    base = expr.found.body_start
    return _yamlexpr.locate(parsed, expr.node, base + start, base + end)


def _nodes(facts: Template, kind: type) -> Iterator[tuple[TemplateExpr, Node]]:
    """Every node of type ``kind`` in the parsed expressions, with its expression."""
    for expr in facts.expressions:
        for node in expr.found.parsed.nodes:
            if isinstance(node, kind):
                yield expr, node


_CONTEXTS = ", ".join(f"`{c}`" for c in TEMPLATE_EXPRESSION_CONTEXTS)
_WORD_AT = re.compile(r"([A-Za-z_]\w*)\s*(\()?")


def _hint(text: str, offset: int) -> str:
    """What a word where the parse failed was probably meant to be."""
    match = _WORD_AT.match(text, offset)
    if match is None:
        return ""
    word, call = match.groups()
    if call and word not in CAST_TYPES:
        return f" (`{word}(...)` is not a cast: casts are {', '.join(CAST_TYPES)}; functions are called `FN.{word}(...)`)"
    if word in ("or", "and"):
        return f" (write `{'||' if word == 'or' else '&&'}`)"
    best = hint(word, (*TEMPLATE_EXPRESSION_CONTEXTS, "True", "False", "None"))
    return best if not call else ""


def _rl409s(text: str, offset: int) -> bool:
    """RL409 reports this parse failure: inside a secrets reference, or a secrets ``${{`` left unclosed."""
    inner = text.find("${{")
    if inner != -1 and "SECRETS" in text[:inner].upper():
        return True  # RL409's "unbalanced braces" (the text up to the next `${{`)
    return secrets_parse_failure(text, offset) is not None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def cast_error(type_name: str, token: str) -> str | None:
    """Why Tracecat's validator fails ``type_name(<literal token>)``: it converts the token's text."""
    try:
        if type_name == "int":
            if len(token) > INT_MAX_STR_DIGITS:
                return f"int() of more than {INT_MAX_STR_DIGITS} digits raises"
            int(token)
        elif type_name == "float":
            float(token)
    except ValueError:
        return f"`{type_name}({_short(token)})` raises ValueError"
    return None


class InvalidExpression(TemplateRule):
    """## What it does
    Reports a `${{ ... }}` in a step's `args` or in `returns` that Tracecat
    cannot parse, or whose literal type cast its validator rejects.

    The parser accepts exactly the language of Tracecat's expression grammar
    (`tracecat/expressions/parser/grammar.py`, Lark LALR with its contextual
    lexer): operators are `||`, `&&`, `not`, `==`, `!=`, `<`, `<=`, `>`,
    `>=`, `in`, `not in`, `is`, `is not`, `+`, `-`, `*`, `/`, `%`, and
    `a if cond else b`; casts are `int(x)`, `float(x)`, `str(x)`, `bool(x)`
    anywhere and `x -> int` only at the end; dictionary keys are quoted
    strings; there is no `or`, `and`, `!`, `**`, trailing comma, slice,
    `.method()` or `datetime(x)` cast. An expression is the text between
    `${{` and the first `}}` after it (as Tracecat's `TEMPLATE_STRING`
    finds it), so a `}}` inside the expression ends it early.

    A cast of a literal is checked the way the validator does it: it converts
    the literal *as written* (`BaseExprValidator.typecast`), so `int("5")`
    (quotes included) and `int(1.5)` fail while `int(5)` and `"5" -> int`
    pass.

    Reported at the point where the parse fails. A failure inside a
    `SECRETS` reference, or a `${{ SECRETS...` left unclosed before the next
    `${{`, is RL409's. Strings elsewhere in the template (a
    `description`, an `expects` default) are not checked: Tracecat neither
    validates nor evaluates them. An expression nested more than 64 levels
    deep is not checked and reported as a warning.

    ## Why is this bad?
    Tracecat's template validation rejects it when the registry syncs, and
    one rejected template fails the whole repository's sync
    (`validate_action_template` in `tracecat/registry/actions/service.py`;
    `_raise_for_validation_errors` in `tracecat/registry/sync/runner.py`).

    Severity: error: the sync fails (as above).

    ## Example
    ```yaml
    returns: ${{ steps.get_user.result.data or {} }}
    ```

    ## Use instead
    ```yaml
    returns: ${{ steps.get_user.result.data || {} }}
    ```
    """

    code = "RL611"
    name = "invalid-expression"
    VALID = (
        Valid(OK, filename="t.yml"),
        Valid(OK.replace("${{ steps.get_user.result.data }}",
                         "${{ int(5) + ('5' -> int) if not inputs.user_id in [1] else {'a': FN.lowercase(\"}\")} }}")
              .replace("  description: Get a user.", "  description: Use ${{ anything { here"), filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("result.data }}", "result.data or {} }}"), filename="t.yml", line=17, col=43,
                message="unexpected `or`: expected an operator or the end of the expression (write `||`)"),
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ input.user_id }}"), filename="t.yml", line=16, col=45,
                message="did you mean `inputs`?"),
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ datetime(inputs.user_id) }}"), filename="t.yml", line=16,
                col=45, message="functions are called `FN.datetime(...)`"),
        Invalid(OK.replace("result.data }}", "result.data + }}"), filename="t.yml", line=17, col=44,
                message="unexpected end of expression"),
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ int('5') }}"), filename="t.yml", line=16, col=45,
                message="ValueError"),
        Invalid(OK.replace("${{ steps.get_user.result.data }}", "\"${{ FN.f({'a': {'b': 1}}) }}\""),
                filename="t.yml", line=17, col=35, message="expected `,` or `}`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for expr in facts.expressions:
            result = expr.found.parsed
            error = result.error
            if error is None:
                continue
            if error.too_deep:
                yield self.diagnostic(
                    _where(parsed, expr, 0, len(result.text)),
                    f"expression {error.message}: registry-lint did not check it",
                    severity=Severity.WARNING,
                )
            elif not _rl409s(result.text, error.offset):
                yield self.diagnostic(
                    _where(parsed, expr, error.offset, min(error.offset + 1, len(result.text))),
                    f"Tracecat cannot parse `${{{{ {_short(result.text)} }}}}`: {error.message}"
                    f"{_hint(result.text, error.offset)}",
                )
        for expr, cast in _nodes(facts, _tree.Cast):
            operand = cast.operand
            if isinstance(operand, _tree.Literal) and (why := cast_error(cast.type, operand.text)) is not None:
                message = (f"{why} in Tracecat's validation, which converts the literal as written (quotes "
                           f"included): write `{operand.text} -> {cast.type}` or a bare number")
                yield self.diagnostic(_where(parsed, expr, cast.start, cast.end), message)


class UnknownFunction(TemplateRule):
    """## What it does
    Reports `FN.<name>(...)` whose `<name>` is not in Tracecat's function
    table, suggesting the closest name.

    The table is `FUNCTION_MAPPING` in `tracecat/expressions/functions.py`,
    shipped as `data/tracecat_functions.json` with the commit it was read
    from. `FN.<name>.map(...)` applies a function to each element and is
    checked as `<name>`; any other suffix (`FN.lowercase.each`) is an unknown
    name, as in Tracecat.

    ## Why is this bad?
    Tracecat's template validator (`BaseExprValidator.function`) rejects an
    unknown function at sync, and one rejected template fails the whole
    repository's sync; at run time the call would raise.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it and the sync refuses
    a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`).

    ## Example
    ```yaml
    returns: ${{ FN.to_json(steps.get_user.result) }}
    ```

    ## Use instead
    ```yaml
    returns: ${{ FN.serialize_json(steps.get_user.result) }}
    ```
    """

    code = "RL612"
    name = "unknown-function"
    VALID = (
        Valid(OK.replace("${{ inputs.user_id }}", "${{ FN.lowercase.map(FN.split(inputs.user_id, ',')) }}"),
              filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ FN.lowercas(inputs.user_id) }}"), filename="t.yml",
                line=16, col=48, message="did you mean `lowercase`?"),
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ FN.lowercase.each(inputs.user_id) }}"),
                filename="t.yml", line=16, col=48, message="only `.map`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        table = None
        for expr, call in _nodes(facts, _tree.Call):
            table = table if table is not None else _functions.load()
            name = call.name
            base = name.removesuffix(FUNCTION_MAP_SUFFIX) if name.endswith(FUNCTION_MAP_SUFFIX) else name
            if base in table:
                continue
            head = base.split(".")[0]
            if "." in base and head in table:
                suffix = f": only `{FUNCTION_MAP_SUFFIX}` may follow a function name (`FN.{head}.map(...)`)"
            else:
                suffix = hint(base, table)
            location = _where(parsed, expr, call.name_start, call.name_start + len(name))
            yield self.diagnostic(location, f"unknown function `FN.{name}`{suffix}")


class FunctionArity(TemplateRule):
    """## What it does
    Reports `FN.<name>(...)` called with a number of arguments the function
    does not accept.

    Checked the way Tracecat's validator checks it
    (`BaseExprValidator.function`): at least the function's positional
    parameters without a default, at most all of its positional parameters
    unless it takes `*args`. The signatures come from the shipped function
    table (`data/tracecat_functions.json`). `FN.<name>.map(...)` is checked
    against `<name>`'s signature.

    ## Why is this bad?
    Tracecat's template validation rejects the call at sync, and one
    rejected template fails the whole repository's sync; at run time the
    call would raise `TypeError`.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it and the sync refuses
    a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`).

    ## Example
    ```yaml
    returns: ${{ FN.replace(inputs.name, " ") }}
    ```

    ## Use instead
    ```yaml
    returns: ${{ FN.replace(inputs.name, " ", "_") }}
    ```
    """

    code = "RL613"
    name = "function-arity"
    VALID = (
        Valid(OK.replace("${{ inputs.user_id }}", "${{ FN.concat() }}${{ FN.concat(1, 2, 3) }}${{ FN.now() }}"),
              filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ FN.replace(inputs.user_id, 'a') }}"), filename="t.yml",
                line=16, col=45, message="takes 3 arguments (x, old, new), got 2"),
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ FN.lowercase.map() }}"), filename="t.yml",
                line=16, col=45, message="got 0"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        table = None
        for expr, call in _nodes(facts, _tree.Call):
            table = table if table is not None else _functions.load()
            name = call.name
            function = table.get(name.removesuffix(FUNCTION_MAP_SUFFIX) if name.endswith(FUNCTION_MAP_SUFFIX) else name)
            if function is None:
                continue  # RL612
            got, low, high = len(call.args), function.min_args, function.max_args
            if low <= got and (high is None or got <= high):
                continue
            if high is None:
                wanted = f"at least {low}"
            elif low == high:
                wanted = str(low)
            else:
                wanted = f"{low} to {high}"
            params = ", ".join(function.params) + (", ..." if high is None else "")
            noun = "argument" if wanted == "1" else "arguments"
            message = f"`FN.{function.name}` takes {wanted} {noun} ({params}), got {got}"
            yield self.diagnostic(_where(parsed, expr, call.start, call.end), message)


class ContextNotInTemplate(TemplateRule):
    """## What it does
    Reports an expression context that Tracecat does not allow inside a
    template: `ACTIONS`, `TRIGGER`, `ENV`, `var`, and a `for var.x in ...`
    iterator.

    A template's expressions see `inputs`, `steps`, `SECRETS`, `VARS`, `FN`
    and literals. `VARS` is allowed: Tracecat's template validator accepts
    it and the template runtime provides workspace variables
    (`TemplateExecutionContext` in `tracecat/executor/service.py`). `ENV` is
    provided at run time too, but the validator rejects it, so it fails the
    sync all the same.

    ## Why is this bad?
    `BaseExprValidator` (`tracecat/expressions/validator/base.py`) rejects
    these contexts in templates when the registry syncs, and one rejected
    template fails the whole repository's sync. They belong to workflows: a
    template gets its data through `expects` inputs.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it and the sync refuses
    a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`).

    ## Example
    ```yaml
    args:
      url: ${{ TRIGGER.url }}
    ```

    ## Use instead
    ```yaml
    expects:
      url: {type: str, description: The URL.}
    ...
    args:
      url: ${{ inputs.url }}
    ```
    """

    code = "RL614"
    name = "context-not-in-template"
    VALID = (
        Valid(OK.replace("${{ inputs.user_id }}", "${{ VARS.acme.base }}${{ 'ENV.x' }}${{ FN.now() }}"),
              filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("${{ inputs.user_id }}", "${{ ENV.region || TRIGGER }}"), filename="t.yml", line=16,
                col=45, also=((16, 59),), message="`ENV` is a workflow context"),
        Invalid(example("""\
  expects: {}
  steps:
    - ref: a
      action: core.transform.reshape
      args:
        value: ${{ for var.x in [1, 2] }}
  returns: ${{ ACTIONS.a.result }}
"""), filename="t.yml", line=13, col=20, also=((14, 16),), message="`for var.x in ...`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for expr, node in _nodes(facts, _tree.Node):
            if isinstance(node, _tree.Context) and node.name in TEMPLATE_FORBIDDEN_CONTEXTS:
                what = TEMPLATE_FORBIDDEN_CONTEXTS[node.name]
                message = (f"`{node.name}` is a workflow context ({what}): templates see {_CONTEXTS}; "
                           "pass the value in through `expects`")
                yield self.diagnostic(_where(parsed, expr, node.start, node.start + len(node.name)), message)
            elif isinstance(node, _tree.Iterator_):
                message = ("`for var.x in ...` is a workflow `for_each`: templates cannot loop in an expression; "
                           "loop inside a step (e.g. `core.script.run_python`)")
                yield self.diagnostic(_where(parsed, expr, node.start, node.start + 3), message)
