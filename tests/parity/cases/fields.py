"""Template shape: required fields, unknown keys, steps, top-level type (RL601, RL602, RL608, RL610, RL1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import EXPECTS, HEAD, HTTP_ARGS, dump, step, template

CODES = ("RL601", "RL602", "RL608", "RL610", "RL1", "RL002")
_STEPS = "  steps:\n" + dump([step("core.http_request", dict(HTTP_ARGS))], 4)
_EXPECTS = "  expects:\n" + dump(EXPECTS, 4)
_RETURNS = "  returns: ${{ steps.call.result }}\n"


def _raw(body: str, head: str = HEAD) -> dict[str, str]:
    return {"templates/subject.yml": head.format(name="subject") + body}


def cases() -> Iterator[Case]:
    yield Case("fields-ok", _raw(_EXPECTS + _STEPS + _RETURNS), CODES)
    yield Case("fields-no-expects", _raw(_STEPS + _RETURNS), CODES)
    plain_steps = "  steps:\n" + dump([step("core.http_request", {"url": "https://example.com/api", "method": "GET"})], 4)
    yield Case("fields-empty-expects", _raw("  expects: {}\n" + plain_steps + _RETURNS), CODES)
    yield Case("fields-no-steps", _raw(_EXPECTS + _RETURNS), CODES)
    yield Case("fields-empty-steps", _raw(_EXPECTS + "  steps: []\n" + _RETURNS), CODES)
    yield Case("fields-no-returns", _raw(_EXPECTS + _STEPS), CODES)
    yield Case("fields-returns-list", _raw(_EXPECTS + _STEPS + "  returns:\n    - ${{ steps.call.result }}\n"), CODES)
    yield Case("fields-returns-map", _raw(_EXPECTS + _STEPS + "  returns:\n    data: ${{ steps.call.result }}\n"), CODES)
    yield Case("fields-returns-int", _raw(_EXPECTS + _STEPS + "  returns: 5\n"), CODES)
    yield Case("fields-returns-null", _raw(_EXPECTS + _STEPS + "  returns: null\n"), CODES)
    yield Case("fields-unknown-key", _raw(_EXPECTS + _STEPS + _RETURNS + "  secret: parity\n"), CODES)
    yield Case("fields-unknown-input-key", _raw(_EXPECTS + _STEPS + _RETURNS + "  input: {}\n"), CODES)
    yield Case("fields-display-group-dash", _raw(_EXPECTS + _STEPS + _RETURNS + "  display-group: X\n"), CODES)
    yield Case("fields-top-unknown", {"templates/subject.yml": "title: x\n" + HEAD.format(name="subject") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    yield Case("fields-type-workflow", {"templates/subject.yml": HEAD.format(name="subject").replace("type: action", "type: workflow") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    yield Case("fields-type-missing", {"templates/subject.yml": HEAD.format(name="subject").replace("type: action\n", "") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    yield Case("fields-type-Action", {"templates/subject.yml": HEAD.format(name="subject").replace("type: action", "type: Action") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    dup = [step("core.http_request", dict(HTTP_ARGS)), step("core.http_request", dict(HTTP_ARGS))]
    yield Case("fields-duplicate-ref", {"templates/subject.yml": template(dup)}, CODES)
    yield Case("fields-self-call", {"templates/subject.yml": template([step("tools.parity.subject", {"value": "x"})])}, CODES)
    yield Case("fields-step-no-ref", {"templates/subject.yml": template([{"action": "core.http_request", "args": dict(HTTP_ARGS)}])}, CODES)
    yield Case("fields-step-no-action", {"templates/subject.yml": template([{"ref": "call", "args": dict(HTTP_ARGS)}])}, CODES)
    yield Case("fields-step-no-args", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request"}])}, CODES + ("RL617",))
    yield Case("fields-step-args-null", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request", "args": None}])}, CODES + ("RL617",))
    yield Case("fields-step-args-list", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request", "args": ["x"]}])}, CODES + ("RL617",))
    yield Case("fields-step-unknown-key", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request", "args": dict(HTTP_ARGS), "if": "x"}])}, CODES)
    yield Case("fields-step-ref-int", {"templates/subject.yml": template([{"ref": 5, "action": "core.http_request", "args": dict(HTTP_ARGS)}], returns="${{ steps.call.result }}")}, CODES + ("RL603",))
    yield Case("fields-step-action-int", {"templates/subject.yml": template([{"ref": "call", "action": 5, "args": dict(HTTP_ARGS)}])}, CODES + ("RL615",))
    yield Case("fields-name-dash", {"templates/subject.yml": template(name="sub-ject")}, CODES, subject="tools.parity.sub-ject")
    yield Case("fields-steps-mapping", _raw(_EXPECTS + "  steps:\n    call:\n      action: core.http_request\n" + _RETURNS), CODES)
    yield Case("fields-definition-list", {"templates/subject.yml": "type: action\ndefinition:\n  - name: subject\n"}, CODES)
    # Issue 16: one mistake, one finding; `type` defaults to `action`.
    by_name = [{"name": "call", "action": "core.http_request", "args": dict(HTTP_ARGS)},
               {"name": "again", "action": "core.http_request", "args": {"url": "${{ steps.call.result }}", "method": "GET"}}]
    yield Case("fields-steps-name-for-ref", {"templates/subject.yml": template(by_name, returns="${{ steps.again.result }}")}, CODES + ("RL603",))
    yield Case("fields-inputs-for-expects", _raw(_EXPECTS.replace("expects:", "inputs:") + _STEPS + _RETURNS), CODES)
    yield Case("fields-outputs-for-returns", _raw(_EXPECTS + _STEPS + _RETURNS.replace("returns:", "outputs:")), CODES)
    yield Case("fields-with-for-args", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request", "with": dict(HTTP_ARGS)}])}, CODES + ("RL617",))
    yield Case("fields-uses-for-action", {"templates/subject.yml": template([{"ref": "call", "uses": "core.http_request", "args": dict(HTTP_ARGS)}])}, CODES + ("RL615",))
    yield Case("fields-title-action-no-type", {"templates/subject.yml": HEAD.format(name="subject").replace("type: action", "title: action") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    yield Case("fields-type-null", {"templates/subject.yml": HEAD.format(name="subject").replace("type: action", "type: null") + _EXPECTS + _STEPS + _RETURNS}, CODES)
    yield Case("fields-step-for-each", {"templates/subject.yml": template([{"ref": "call", "action": "core.http_request", "args": dict(HTTP_ARGS), "for_each": "${{ inputs.value }}"}])}, CODES)
