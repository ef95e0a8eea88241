"""Building blocks of the cases: a clean template and a clean UDF module, to mutate.

Written for these tests (shapes of real templates: metadata, typed
``expects``, an HTTP step, ``returns``), not copied from Tracecat.
"""

from __future__ import annotations

from typing import Any

import yaml

HEAD = (
    "type: action\n"
    "definition:\n"
    "  name: {name}\n"
    "  namespace: tools.parity\n"
    "  title: Parity subject\n"
    "  description: A template under test.\n"
    "  display_group: Parity\n"
    "  doc_url: https://example.com/docs\n"
    "  author: Parity\n"
)
EXPECTS = {"value": {"type": "str", "description": "A value."}}
HTTP_ARGS = {"url": "https://example.com/api/${{ inputs.value }}", "method": "GET"}


def dump(data: Any, indent: int) -> str:
    text = yaml.safe_dump(data, default_flow_style=False, sort_keys=False, width=1000)
    pad = " " * indent
    return "".join(pad + line + "\n" for line in text.splitlines())


def step(action: str, args: dict[str, Any] | None, ref: str = "call") -> dict[str, Any]:
    out: dict[str, Any] = {"ref": ref, "action": action}
    if args is not None:
        out["args"] = args
    return out


def template(
    steps: list[dict[str, Any]] | None = None,
    *,
    expects: dict[str, Any] | None = None,
    returns: Any = "${{ steps.call.result }}",
    name: str = "subject",
    extra: str = "",
    head: str | None = None,
) -> str:
    """A template; ``extra`` is raw YAML appended inside ``definition``."""
    steps = [step("core.http_request", dict(HTTP_ARGS))] if steps is None else steps
    text = (HEAD if head is None else head).format(name=name)
    text += "  expects:\n" + dump(EXPECTS if expects is None else expects, 4) if (expects is None or expects) else "  expects: {}\n"
    text += "  steps:\n" + dump(steps, 4)
    text += "  returns:" + ("\n" + dump(returns, 4) if isinstance(returns, (list, dict)) else " " + yaml.safe_dump(returns, width=1000).split("\n...")[0].strip() + "\n")
    return text + extra


def raw_step_template(step_yaml: str, *, expects: str | None = None, returns: str = "${{ steps.call.result }}") -> str:
    """A template whose steps are given as raw YAML (4-space indented list items)."""
    text = HEAD.format(name="subject")
    text += expects if expects is not None else "  expects:\n" + dump(EXPECTS, 4)
    return text + "  steps:\n" + step_yaml + f"  returns: {returns}\n"


UDFS = '''\
from datetime import datetime
from typing import Annotated, Any, Literal

from typing_extensions import Doc

from tracecat_registry import registry


@registry.register(
    namespace="tools.parity",
    description="Takes one parameter of each common type.",
    default_title="Typed",
    display_group="Parity",
    doc_url="https://example.com/docs",
)
async def typed(
    text: Annotated[str, Doc("A string.")],
    count: Annotated[int, Doc("An integer.")] = 1,
    ratio: Annotated[float, Doc("A number.")] = 1.0,
    flag: Annotated[bool, Doc("A boolean.")] = False,
    tags: Annotated[list[str] | None, Doc("Strings.")] = None,
    ids: Annotated[list[int], Doc("Integers.")] = (),
    maybe_ids: Annotated[list[int] | None, Doc("Optional integers.")] = None,
    data: Annotated[dict[str, int] | None, Doc("Counts by name.")] = None,
    plain: Annotated[dict[str, int], Doc("Counts by name, not optional.")] = None,
    mode: Annotated[Literal["fast", "full"], Doc("How thorough.")] = "fast",
    when: Annotated[datetime | None, Doc("When.")] = None,
    anything: Annotated[Any, Doc("Anything.")] = None,
    choice: Annotated[int | str, Doc("A number or a name.")] = 0,
) -> dict[str, Any]:
    return {"text": text}
'''
