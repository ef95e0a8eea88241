"""Who registers what in each agent-native app (shared by the RL7xx rules).

An *app* is the directory of the nearest ``package.json`` above a file
(``AppFile.app``): registrations live in one process's registry, so a key
registered by ``templates/clips`` says nothing about ``templates/slides``.
A key is known to an app when a file of that app in the linted set
registers it, when config ``extra-app-secrets`` lists it, or when
agent-native's framework registers it at boot (``FRAMEWORK_SECRETS``; a
template's own registration of the same key wins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import agent_native as an
from ..appmodel import AppFile, AppSecretRegistration
from ..model import Location

if TYPE_CHECKING:
    from ..context import ProjectContext


def where(loc: Location) -> str:
    return f"{loc.path}:{loc.line}"


@dataclass
class AppIndex:
    """One app's registrations in the linted set, by key, in (path, line) order."""

    registrations: dict[str, list[AppSecretRegistration]] = field(default_factory=dict)

    @property
    def has_any(self) -> bool:
        return bool(self.registrations)


@dataclass
class Knowledge:
    apps: dict[str, AppIndex]
    extra: dict[str, str]

    def registered(self, app: str, key: str) -> bool:
        """Whether ``key`` is registered for ``app``: by a file of the app in
        the linted set, by ``extra-app-secrets`` or by the framework."""
        return key in self.apps.get(app, AppIndex()).registrations or key in self.extra or key in an.FRAMEWORK_SECRETS

    def registered_scopes(self, app: str, key: str) -> tuple[tuple[str, ...], str] | None:
        """The scopes ``key`` is registered with in ``app`` and who says so, or
        None when unknown. The framework's scope counts only when the app's
        registrations are in the linted set: a template's own registration of
        the key replaces the framework's, and it may be in a file not linted."""
        index = self.apps.get(app, AppIndex())
        regs = index.registrations.get(key)
        if regs:
            scopes = tuple(dict.fromkeys(r.scope_text for r in regs if r.scope_text))
            return scopes, where(regs[0].location)
        if key in self.extra:
            return (self.extra[key],), "extra-app-secrets"
        if key in an.FRAMEWORK_SECRETS and index.has_any:
            return (an.FRAMEWORK_SECRETS[key],), "agent-native's framework secrets"
        return None

    def can_judge(self, app: str) -> bool:
        """Whether the linted set holds this app's registrations: without any
        (an editor buffer, a pre-commit run of one route file) an unregistered
        key cannot be told from one registered in a file not linted."""
        return self.apps.get(app, AppIndex()).has_any or bool(self.extra)


_LAST: tuple[ProjectContext, Knowledge] | None = None


def knowledge(ctx: ProjectContext) -> Knowledge:
    """The project-wide index (built once per run, shared by the project rules)."""
    global _LAST
    if _LAST is not None and _LAST[0] is ctx:
        return _LAST[1]
    apps: dict[str, AppIndex] = {}
    for file in sorted(ctx.app_files, key=lambda f: f.path):
        index = apps.setdefault(file.app, AppIndex())
        for reg in file.registrations:
            key = reg.key_text
            if key:
                index.registrations.setdefault(key, []).append(reg)
    found = Knowledge(apps, dict(ctx.config.extra_app_secrets))
    _LAST = (ctx, found)
    return found


def app_files(ctx: ProjectContext) -> Sequence[AppFile]:
    return sorted(ctx.app_files, key=lambda f: f.path)
