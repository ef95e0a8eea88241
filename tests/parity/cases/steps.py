"""Step calls: the action exists, its arguments are known, present and of the right type (RL615-RL618)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import Case
from ._shapes import HTTP_ARGS, UDFS, step, template

ACTION = ("RL615",)
ARGUMENT = ("RL616",)
MISSING = ("RL617",)
TYPE = ("RL618",)
STEPS = ("RL615", "RL616", "RL617", "RL618")


def _http(**changes: Any) -> dict[str, Any]:
    args = dict(HTTP_ARGS)
    for key, value in changes.items():
        if value is _DROP:
            args.pop(key, None)
        else:
            args[key] = value
    return args


_DROP = object()


def _one(case_id: str, action: str, args: dict[str, Any] | None, codes: tuple[str, ...] = STEPS, *, udfs: bool = False, note: str = "", expects: dict[str, Any] | None = None) -> Case:
    files = {"templates/subject.yml": template([step(action, args)], expects=expects)}
    if udfs:
        files["udfs.py"] = UDFS
    return Case(case_id, files, codes, note=note, tags=("steps",))


# (id suffix, value) for one parameter of core.http_request.
HTTP_VALUES: dict[str, list[tuple[str, Any]]] = {
    "method": [
        ("upper", "GET"), ("post", "POST"), ("lower", "get"), ("mixed", "Get"), ("int", 1), ("null", None),
        ("expr", "${{ inputs.value }}"), ("expr_suffix", "${{ inputs.value }}X"), ("list", ["GET"]), ("empty", ""),
        ("expr_space", " ${{ inputs.value }}"), ("expr_two", "${{ inputs.value }}${{ inputs.value }}"),
    ],
    "timeout": [
        ("float", 5.5), ("int", 5), ("str_num", "5"), ("str_float", "2.5"), ("str_word", "soon"), ("bool", True),
        ("list", [1]), ("expr", "${{ inputs.value }}"), ("expr_text", "${{ inputs.value }} seconds"), ("null", None),
        ("str_inf", "inf"), ("str_underscore", "1_0"), ("mapping", {"a": 1}),
    ],
    "follow_redirects": [
        ("true", True), ("yes_str", "yes"), ("on_str", "on"), ("word", "maybe"), ("two", 2), ("one", 1), ("zero_float", 0.0),
        ("expr", "${{ inputs.value }}"), ("null", None), ("padded", " true "), ("upper", "TRUE"), ("half", 0.5),
    ],
    "max_redirects": [
        ("int", 3), ("float_whole", 3.0), ("float_part", 3.5), ("str", "3"), ("str_float", "3.0"), ("str_half", "3.5"),
        ("bool", True), ("word", "three"), ("expr", "${{ inputs.value }}"), ("null", None), ("neg", -1), ("sci", "1e3"),
        ("list", [3]),
    ],
    "headers": [
        ("map", {"Accept": "application/json"}), ("map_int", {"X-Count": 1}), ("map_null", {"X-Opt": None}),
        ("map_expr", {"Authorization": "Bearer ${{ inputs.value }}"}), ("str", "Accept: json"), ("list", [{"a": "b"}]),
        ("expr", "${{ inputs.value }}"), ("null", None), ("map_list", {"X": ["a"]}), ("map_bool", {"X": True}),
    ],
    "ignore_status_codes": [
        ("ints", [404, 409]), ("strs", ["404"]), ("words", ["not found"]), ("expr_items", ["${{ inputs.value }}"]),
        ("expr", "${{ inputs.value }}"), ("int", 404), ("null", None), ("empty", []), ("floats", [404.0]), ("half", [404.5]),
    ],
    "payload": [
        ("map", {"a": 1}), ("list", [1, 2]), ("str", "raw"), ("expr", "${{ inputs.value }}"), ("null", None), ("int", 5),
        ("nested", {"a": {"b": ["${{ inputs.value }}"]}}),
    ],
    "url": [
        ("str", "https://example.com"), ("not_url", "not a url"), ("int", 5), ("expr", "${{ inputs.value }}"),
        ("expr_path", "${{ inputs.value }}/api"), ("null", None), ("list", ["https://example.com"]),
    ],
    "params": [("map", {"q": "x"}), ("map_any", {"n": [1, {"a": None}]}), ("str", "q=x"), ("expr", "${{ inputs.value }}")],
    "auth": [("map", {"username": "u", "password": "${{ inputs.value }}"}), ("map_int", {"username": 1}), ("str", "u:p")],
    "verify_ssl": [("false", False), ("str_false", "false"), ("word", "never"), ("expr", "${{ inputs.value }}")],
    "base64_encode_data": [("true", True), ("str", "no"), ("int", 7)],
}

# (id suffix, value) for each parameter of tools.parity.typed (a UDF of the package).
TYPED_VALUES: dict[str, list[tuple[str, Any]]] = {
    "text": [("str", "x"), ("int", 1), ("bool", False), ("null", None), ("list", ["x"]), ("expr", "${{ inputs.value }}")],
    "count": [("int", 2), ("str", "2"), ("word", "two"), ("float_part", 2.5), ("expr", "${{ inputs.value }}"), ("expr_text", "n=${{ inputs.value }}"), ("null", None)],
    "ratio": [("int", 2), ("str", "0.5"), ("word", "half"), ("bool", False)],
    "flag": [("false", False), ("str_no", "no"), ("str_word", "nope"), ("int_two", 2), ("list", [True])],
    "tags": [("strs", ["a"]), ("ints", [1]), ("str", "a"), ("expr", "${{ inputs.value }}"), ("expr_items", ["${{ inputs.value }}"]), ("null", None)],
    "ids": [("ints", [1]), ("strs", ["1"]), ("words", ["one"]), ("expr_items", ["${{ inputs.value }}"]), ("expr", "${{ inputs.value }}"), ("null", None)],
    "maybe_ids": [("ints", [1]), ("expr_items", ["${{ inputs.value }}"]), ("words", ["one"]), ("null", None)],
    "data": [("map", {"a": 1}), ("map_word", {"a": "one"}), ("map_expr", {"a": "${{ inputs.value }}"}), ("list", [1])],
    "plain": [("map", {"a": 1}), ("map_expr", {"a": "${{ inputs.value }}"}), ("map_word", {"a": "one"}), ("null", None)],
    "mode": [("fast", "fast"), ("upper", "FAST"), ("other", "slow"), ("expr", "${{ inputs.value }}"), ("int", 1)],
    "when": [("iso", "2024-01-01T00:00:00Z"), ("word", "tomorrow"), ("epoch", 1700000000), ("bool", True), ("list", [1])],
    "anything": [("map", {"a": [1]}), ("null", None), ("str", "x")],
    "choice": [("int", 3), ("str", "name"), ("list", [1]), ("null", None), ("float_part", 1.5)],
}


def cases() -> Iterator[Case]:
    yield _one("steps-http-ok", "core.http_request", _http())
    for param, values in HTTP_VALUES.items():
        for suffix, value in values:
            yield _one(f"steps-http-{param}-{suffix}", "core.http_request", _http(**{param: value}), TYPE)
    for param, values in TYPED_VALUES.items():
        for suffix, value in values:
            args = {"text": "x", param: value} if param != "text" else {param: value}
            yield _one(f"steps-typed-{param}-{suffix}", "tools.parity.typed", args, TYPE, udfs=True)

    # RL615: the action must exist.
    yield _one("steps-action-typo", "core.http_requests", _http(), ACTION)
    yield _one("steps-action-unknown-ns", "tools.nowhere.fetch", {"x": 1}, ACTION)
    yield _one("steps-action-no-namespace", "http_request", _http(), ACTION)
    yield _one("steps-action-case", "Core.HTTP_Request", _http(), ACTION)
    yield _one("steps-action-local-udf", "tools.parity.typed", {"text": "x"}, ACTION, udfs=True)
    yield _one("steps-action-local-udf-absent", "tools.parity.typed", {"text": "x"}, ACTION, note="the UDF module is not in the package")
    yield _one("steps-action-builtin-udf", "core.transform.reshape", {"value": {"a": "${{ inputs.value }}"}}, ACTION)
    yield _one("steps-action-builtin-python", "core.script.run_python", {"script": "def main():\n    return 1\n"}, ACTION)
    yield _one("steps-action-expression", "${{ inputs.value }}", {"x": 1}, ACTION)
    yield _one("steps-action-trailing-dot", "core.http_request.", _http(), ACTION)

    # Templates calling templates: the package's own, and built-in ones.
    helper = template(
        [step("core.http_request", {"url": "https://example.com/${{ inputs.label }}/${{ inputs.count }}", "method": "GET"})],
        name="helper",
        expects={"count": {"type": "int", "description": "How many."}, "label": {"type": "str", "description": "A label.", "default": "x"}},
    )
    for suffix, args in [
        ("ok", {"count": 2}), ("str_num", {"count": "2"}), ("expr", {"count": "${{ inputs.value }}"}),
        ("word", {"count": "two"}), ("missing", {"label": "y"}), ("unknown", {"count": 1, "labels": "y"}),
        ("label_expr", {"count": 1, "label": "${{ inputs.value }}"}), ("label_int", {"count": 1, "label": 5}),
    ]:
        files = {"templates/subject.yml": template([step("tools.parity.helper", args)]), "templates/helper.yml": helper}
        yield Case(f"steps-template-local-{suffix}", files, STEPS, tags=("steps",))
    for suffix, args in [
        ("ok", {"channel": "C1", "text": "hi"}), ("bool_expr", {"channel": "C1", "unfurl_links": "${{ inputs.value }}"}),
        ("bool_literal", {"channel": "C1", "unfurl_links": True}), ("missing", {"text": "hi"}),
        ("unknown", {"channel": "C1", "txt": "hi"}), ("blocks_expr", {"channel": "C1", "blocks": "${{ inputs.value }}"}),
        ("channel_expr", {"channel": "${{ inputs.value }}"}),
    ]:
        yield _one(f"steps-template-builtin-{suffix}", "tools.slack.post_message", args, STEPS)

    # RL616 / RL617: argument names.
    yield _one("steps-arg-unknown", "core.http_request", _http(header={"a": "b"}), ARGUMENT)
    yield _one("steps-arg-case", "core.http_request", _http(Method="GET"), ARGUMENT)
    yield _one("steps-arg-two-unknown", "core.http_request", _http(body="x", query={"a": "b"}), ARGUMENT)
    yield _one("steps-arg-missing-method", "core.http_request", _http(method=_DROP), MISSING)
    yield _one("steps-arg-missing-url", "core.http_request", _http(url=_DROP), MISSING)
    yield _one("steps-arg-missing-both", "core.http_request", {}, MISSING)
    yield _one("steps-arg-missing-udf", "tools.parity.typed", {"count": 1}, MISSING, udfs=True)
    yield _one("steps-arg-udf-only-required", "tools.parity.typed", {"text": "x"}, MISSING, udfs=True)
    yield _one("steps-arg-reshape-empty", "core.transform.reshape", {}, MISSING)
    yield _one("steps-arg-python-no-args", "core.script.run_python", {}, MISSING)
    yield _one("steps-arg-python-ok", "core.script.run_python", {"script": "def main(x):\n    return x\n", "inputs": {"x": "${{ inputs.value }}"}}, STEPS)
    yield _one("steps-arg-python-inputs-list", "core.script.run_python", {"script": "def main():\n    return 1\n", "inputs": [1]}, TYPE)
    yield _one("steps-arg-python-timeout-word", "core.script.run_python", {"script": "def main():\n    return 1\n", "timeout_seconds": "long"}, TYPE)

    # UDFs with *args / **kwargs and unannotated parameters.
    odd = UDFS + '''

@registry.register(
    namespace="tools.parity",
    description="Takes keyword arguments.",
    default_title="Loose",
    display_group="Parity",
    doc_url="https://example.com/docs",
)
async def loose(first: Annotated[Any, Doc("Anything.")], **options: Annotated[Any, Doc("Options.")]) -> dict[str, Any]:
    return {}
'''
    for suffix, args in [("first", {"first": 1}), ("options", {"first": 1, "options": {"a": 1}}), ("other", {"first": 1, "other": 2})]:
        yield Case(f"steps-udf-kwargs-{suffix}", {"templates/subject.yml": template([step("tools.parity.loose", args)]), "udfs.py": odd}, STEPS, tags=("steps",))
