"""Shared pieces of the RL6xx template rules (templates.py, template_refs.py, template_fields.py).

Not a rule family itself: it registers no rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from registry_lint.context import FileContext
from registry_lint.extract.templatekeys import closest
from registry_lint.model import Diagnostic
from registry_lint.rule import Rule

if TYPE_CHECKING:
    from registry_lint.extract.template import Template
    from registry_lint.extract.yamlnodes import YamlFile

_tpl = lazy("registry_lint.extract.template")
_yx = lazy("registry_lint.extract.yamlnodes")


class TemplateRule(Rule):
    """A rule run on action templates only, with the shared template facts."""

    sources = ("yaml",)

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterable[Diagnostic]:
        if parsed.is_template and parsed.definition is not None:
            yield from self.check_template(parsed, _tpl.template(parsed))

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        return iter(())


def hint(word: str, candidates: Iterable[str], aliases: dict[str, str] | None = None) -> str:
    best = closest(word, candidates, aliases)
    return f" (did you mean `{best}`?)" if best else ""


def is_null(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.ScalarNode) and _yx.scalar(node) is None


def text(node: yaml.Node | None) -> str | None:
    """The string value of a scalar node (None for other values and nodes)."""
    value = _yx.scalar(node) if isinstance(node, yaml.ScalarNode) else None
    return value if isinstance(value, str) else None


def keys(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    """Scalar keys of a mapping, ``<<`` merge keys left out."""
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                yield key


# Examples -----------------------------------------------------------------------
_META = (
    "  name: get_user\n  namespace: tools.acme\n  title: Get user\n"
    "  description: Get a user.\n  display_group: Acme\n"
)


def example(body: str, header: str = "type: action\ndefinition:\n") -> str:
    """An example template: ``body`` (definition fields, 2-space indented) starts on line 8."""
    return header + _META + body


#: A clean template. Lines: 8 expects, 9 user_id, 10 type, 11 description,
#: 12 steps, 13 - ref, 14 action, 15 args, 16 url, 17 returns.
OK = example("""\
  expects:
    user_id:
      type: str
      description: The user ID.
  steps:
    - ref: get_user
      action: core.http_request
      args:
        url: https://acme.example/users/${{ inputs.user_id }}
  returns: ${{ steps.get_user.result.data }}
""")
