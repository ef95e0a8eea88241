"""The RL5xx rules' base class (one scan per file, findings of the rule's code) and
message parts (what to do instead, where a fallback sits)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic
from registry_lint.rule import Rule

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.credentials import Finding
    from registry_lint.extract.python import PythonFile
    from registry_lint.extract.yamlnodes import YamlFile
    from registry_lint.source import SourceFile


class CredentialRule(Rule):
    sources = ("python", "yaml", "text")

    def check_text(
        self, src: SourceFile, parsed: PythonFile | YamlFile | None, ctx: FileContext
    ) -> Iterable[Diagnostic]:
        from registry_lint.credentials import scan

        for finding in scan(src, parsed):
            if finding.code == self.code:
                yield self.diagnostic(src.span(finding.start, finding.end), self.message(finding, src))

    def message(self, finding: Finding, src: SourceFile) -> str:  # overridden
        raise NotImplementedError


def advice(src: SourceFile) -> str:
    if src.kind == "python":
        return "declare a RegistrySecret and read it with `secrets.get`"
    if src.kind == "yaml":
        return "declare it in `secrets` and use `${{ SECRETS.<name>.<KEY> }}`"
    if src.kind == "typescript":
        return "read it at run time (agent-native: `registerRequiredSecret` + `readAppSecret`) or use a placeholder such as `<API_KEY>`"
    return "keep credentials out of the repository (use a placeholder such as `<API_KEY>`)"


def where(finding: Finding, src: SourceFile | None = None) -> str:
    name = finding.name or "?"
    if src is not None and src.kind == "typescript" and finding.role == "env-default":
        return f"`{name}`"  # the `??`/`||` operand: `process.env.X`, `config.apiKey`
    return {
        "param-default": f"parameter `{name}`",
        "env-default": f"`getenv(\"{name}\")`",
        "secret-default": f"`secrets.get_or_default(\"{name}\")`",
        "expects-default": f"`expects.{name}.default`",
        "expects-description": f"`expects.{name}` (stated in its description)",
        "or-default": f"`get(\"{name}\") or ...`",
        "shell-default": f"`${{{name}:-...}}`",
    }.get(finding.role or "", f"`{name}`")
