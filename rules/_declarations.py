"""Base class for rules about one secret declaration (RL2xx, RL3xx).

A declaration is checked once, in the file it is written in: through the
actions that use it, and, for module-level ``RegistrySecret(...)`` constants
no action of the module uses (shared secrets modules), directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.model import ActionSpec, Diagnostic, SecretSpec
from registry_lint.rule import Rule

from registry_lint.analysis.declared import local

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile


class DeclarationRule(Rule):
    def check_secret(self, secret: SecretSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterator[Diagnostic]:
        for secret in action.secrets:
            if local(action, secret):
                yield from self.check_secret(secret, ctx)

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.extract.pydecls import module_declarations

        used = {s.location for spec in parsed.specs for s in spec.secrets}
        for secret in module_declarations(parsed):
            if secret.location not in used:
                yield from self.check_secret(secret, ctx)
