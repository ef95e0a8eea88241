"""``${{ ... }}`` in templates: syntax, functions, arity, contexts, references (RL603/RL604, RL611-RL614)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import step, template

CODES = ("RL603", "RL604", "RL611", "RL612", "RL613", "RL614")

# (id suffix, expression body); each is used as a header value of the HTTP step.
EXPRESSIONS = [
    ("input", "inputs.value"),
    ("input_unknown", "inputs.missing"),
    ("input_bracket", "inputs['value']"),
    ("step_self_later", "steps.later.result"),
    ("step_unknown", "steps.nowhere.result"),
    ("fn_upper", "FN.uppercase(inputs.value)"),
    ("fn_unknown", "FN.upper_case(inputs.value)"),
    ("fn_unknown2", "FN.not_a_function()"),
    ("fn_arity_zero", "FN.uppercase()"),
    ("fn_arity_many", "FN.uppercase(inputs.value, inputs.value)"),
    ("fn_concat", "FN.concat(inputs.value, '-', inputs.value)"),
    ("fn_join", "FN.join(['a', 'b'], ',')"),
    ("fn_now", "FN.now()"),
    ("fn_to_base64", "FN.to_base64(inputs.value)"),
    ("fn_nested", "FN.lowercase(FN.uppercase(inputs.value))"),
    ("fn_format", "FN.format('{}-{}', inputs.value, 1)"),
    ("cast_int", "int(inputs.value)"),
    ("cast_str", "str(1)"),
    ("cast_trailing", "inputs.value -> int"),
    ("cast_trailing_bad", "inputs.value -> integer"),
    ("cast_unknown", "number(inputs.value)"),
    ("ctx_actions", "ACTIONS.other.result"),
    ("ctx_trigger", "TRIGGER.data"),
    ("ctx_env", "ENV.workflow.id"),
    ("ctx_var", "var.item"),
    ("ctx_local", "local.x"),
    ("ctx_secrets", "SECRETS.parity.API_KEY"),
    ("literal_str", "'text'"),
    ("literal_int", "42"),
    ("literal_list", "[1, 2, 3]"),
    ("literal_dict", "{'a': 1}"),
    ("literal_none", "None"),
    ("ternary", "'a' if inputs.value else 'b'"),
    ("ternary_bad", "'a' if inputs.value"),
    ("binop", "inputs.value + 'x'"),
    ("compare", "inputs.value == 'x'"),
    ("in_list", "inputs.value in ['a', 'b']"),
    ("not", "not inputs.value"),
    ("unbalanced_paren", "FN.uppercase(inputs.value"),
    ("unbalanced_bracket", "inputs.value[0"),
    ("dangling_dot", "inputs."),
    ("double_dot", "inputs..value"),
    ("empty", " "),
    ("unterminated_string", "'abc"),
    ("jsonpath_filter", "inputs.value[*]"),
    ("jsonpath_index", "inputs.value[0]"),
    ("lambda", "FN.map(lambda x: x + 1, [1, 2])"),
    ("bare_name", "value"),
    ("semicolon", "inputs.value; 1"),
    ("assignment", "x = 1"),
]


def cases() -> Iterator[Case]:
    for suffix, body in EXPRESSIONS:
        args = {"url": "https://example.com/api", "method": "GET", "headers": {"X-Value": f"${{{{ {body} }}}}"}}
        steps = [step("core.http_request", args)]
        steps.append(step("core.http_request", {"url": "https://example.com/b/${{ inputs.value }}", "method": "GET"}, ref="later"))
        yield Case(f"expr-{suffix}", {"templates/subject.yml": template(steps)}, CODES, tags=("expressions",))
    # In `returns` too.
    for suffix, body in [("input", "inputs.value"), ("step", "steps.call.result"), ("step_unknown", "steps.nope.result"),
                         ("fn_unknown", "FN.nope(steps.call.result)"), ("ctx_trigger", "TRIGGER.x"), ("syntax", "steps.call.result[")]:
        files = {"templates/subject.yml": template(returns=f"${{{{ {body} }}}}")}
        yield Case(f"expr-returns-{suffix}", files, CODES, tags=("expressions",))
