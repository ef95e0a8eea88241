"""``registry-lint resolve`` for agent-native apps: will the secrets be there?

The apps' TypeScript is read with the linter's own extractor (never run);
each app (nearest ``package.json``) is checked against an
:class:`~registry_lint.runtime.appinventory.AppSecretStore`. Semantics from
agent-native c31e9b58 (``packages/core/src/secrets/``):

- a registration with ``required: true`` needs a row at its scope (an
  ``oauth`` one: its ``oauthProvider`` connected) -> ``missing-required-secret``;
- ``readAppSecret``/``readAppSecretMeta``/``getAppSecretMeta`` match
  ``(scope, scopeId, key)`` exactly, with no fallback -> ``missing-for-scope``;
- ``resolveSecret(key)`` tries user, org, then workspace
  (``server/credential-provider.ts``) -> ``missing-secret`` when none has it
  (a deployment whose env-fallback policy allows ``process.env`` may still
  find it there; the inventory does not model env vars);
- ``${keys.NAME}`` resolves in the scope of its ``resolveKeyReferences`` call
  (``user`` when unknown), falling back from ``user`` to ``workspace`` only
  when ``keys_workspace_fallback`` is on (``AGENT_NATIVE_KEYS_WORKSPACE_FALLBACK``,
  off by default: the skill docs say the fallback always happens, the source
  says it is opt-in) -> ``undefined-key``; the URL it is sent to must have
  the origin of an allowlist entry of the row it resolved from
  (``validateUrlAllowlist``) -> ``url-not-allowed``.

Reads and references whose key or scope is computed are noted, not checked.
Output never contains a secret value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .. import agent_native as an
from ..appmodel import AppFile
from ..config import Config
from ..settings import Settings
from ..model import Location
from ..results import UNREADABLE
from .appinventory import AppSecretRow, AppSecretStore
from .keys import origin


@dataclass(frozen=True)
class AppProblem:
    kind: str
    key: str
    scope: str | None
    location: Location
    message: str

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "kind": self.kind, "key": self.key, "scope": self.scope, "message": self.message,
            "path": loc.path, "line": loc.line, "col": loc.col,
        }


@dataclass
class AppReport:
    app: str
    checked: int = 0
    problems: list[AppProblem] = field(default_factory=list)

    @property
    def resolves(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"app": self.app or ".", "resolves": self.resolves, "checked": self.checked,
                "problems": [p.as_dict() for p in self.problems]}


@dataclass
class AppPreflightResult:
    reports: list[AppReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def all_resolve(self) -> bool:
        return all(r.resolves for r in self.reports)


def app_preflight(files: Sequence[str], store: AppSecretStore, config: Config | Settings, *, jobs: int = 1) -> AppPreflightResult:
    from ..run import file_results

    # The RL7 per-file rules are what make the engine parse agent-native files.
    results = file_results(list(files), config.with_overrides(select=("RL7",)), jobs=jobs)
    out = AppPreflightResult()
    by_app: dict[str, list[AppFile]] = {}
    for result in results:
        out.internal_errors.extend(result.internal_errors)
        for diag in result.diagnostics:
            if diag.code == UNREADABLE:
                loc = diag.location
                out.notes.append(f"{loc.path}:{loc.line}:{loc.col}: {diag.message}")
        if result.app is not None:
            by_app.setdefault(result.app.app, []).append(result.app)
    for app in sorted(by_app):
        out.reports.append(_check_app(app, sorted(by_app[app], key=lambda f: f.path), store, out.notes))
    return out


def _check_app(app: str, files: list[AppFile], store: AppSecretStore, notes: list[str]) -> AppReport:
    report = AppReport(app)
    problems = report.problems
    for file in files:
        for reg in file.registrations:
            if reg.required is None or reg.required.value is not True:
                continue
            key, scope = reg.key_text, reg.scope_text
            report.checked += 1
            if not key or not scope:
                notes.append(f"{_at(reg.location)}: required secret with a computed key or scope; not checked")
            elif reg.kind is not None and reg.kind.value == "oauth":
                provider = reg.oauth_provider.text if reg.oauth_provider is not None else None
                if provider not in store.oauth:
                    problems.append(AppProblem("missing-required-secret", key, scope, reg.location,
                                               f"Required OAuth secret '{key}' needs a connected '{provider}' account"))
            elif store.row(scope, key) is None:
                problems.append(AppProblem("missing-required-secret", key, scope, reg.location,
                                           f"Required secret '{key}' is not set at scope '{scope}'"))
        for read in file.reads:
            key = read.key_text
            if read.api not in an.STORE_READS and read.api not in an.RESOLVE_SECRET:
                continue
            if not key:
                continue  # run-time keys (per-user token rows): nothing to look up
            report.checked += 1
            at = read.key.location if read.key is not None else read.location
            if read.api in an.RESOLVE_SECRET:
                if not any(store.row(s, key) for s in an.RESOLVE_SECRET_ORDER):
                    problems.append(AppProblem("missing-secret", key, None, at,
                                               f"`resolveSecret` finds '{key}' in no scope (user, org, workspace)"))
                continue
            scope = read.scope_text
            if not scope:
                notes.append(f"{_at(read.location)}: `{read.api}` of '{key}' with a computed scope; not checked")
            elif store.row(scope, key) is None:
                problems.append(AppProblem("missing-for-scope", key, scope, at,
                                           f"`{read.api}` of '{key}' finds no row at scope '{scope}' (reads do not fall back)"))
        for ref in file.key_refs:
            report.checked += 1
            scope = ref.scope.text if ref.scope is not None and ref.scope.text else "user"
            row, found_in = _key_row(store, ref.name, scope)
            if row is None:
                where = f"scope '{scope}'" + (" or 'workspace'" if scope == "user" and store.keys_workspace_fallback else "")
                problems.append(AppProblem("undefined-key", ref.name, scope, ref.location,
                                           f"`${{keys.{ref.name}}}` is not defined in {where}"))
            elif ref.url is not None and isinstance(ref.url.value, str) and not row.allows(ref.url.value):
                target = origin(ref.url.value) or "an invalid URL"
                problems.append(AppProblem("url-not-allowed", ref.name, found_in, ref.location,
                                           f"`${{keys.{ref.name}}}` may not be sent to {target}: not in its URL allowlist"))
    return report


def _key_row(store: AppSecretStore, name: str, scope: str) -> tuple[AppSecretRow | None, str]:
    row = store.row(scope, name)
    if row is None and scope == "user" and store.keys_workspace_fallback:
        return store.row("workspace", name), "workspace"
    return row, scope


def _at(loc: Location) -> str:
    return f"{loc.path}:{loc.line}:{loc.col}"


def render_json(result: AppPreflightResult) -> str:
    return json.dumps({"apps": [r.as_dict() for r in result.reports]}, indent=2) + "\n"


def render_text(result: AppPreflightResult) -> str:
    lines: list[str] = []
    for report in result.reports:
        status = "ok  " if report.resolves else "FAIL"
        lines.append(f"{status} {report.app or '.'}  ({report.checked} checked)")
        for problem in report.problems:
            lines.append(f"  {_at(problem.location)}: {problem.kind}: {problem.message}")
    total = len(result.reports)
    failing = sum(1 for r in result.reports if not r.resolves)
    if total == 0:
        lines.append("No agent-native apps found (no file uses the secrets API).")
    else:
        noun = "app" if total == 1 else "apps"
        lines.append(f"{total} {noun}: {total - failing} resolve, {failing} do{'es' if failing == 1 else ''} not.")
    return "\n".join(lines) + "\n"


def run(
    paths: Sequence[str], store: AppSecretStore, config: Config | Settings, output_format: str, echo: Callable[..., object], jobs: int
) -> int:
    """The command: print the report, return the exit status (0 all resolve, 1 not, 2 bug)."""
    from ..discover import discover
    from ..extract.typescript import ParserMissing, load_parser

    try:
        load_parser("app.ts")
    except ParserMissing:
        echo("registry-lint: error: agent-native apps need the TypeScript parser: pip install 'registry-lint[typescript]'", err=True)
        return 2
    result = app_preflight(discover(list(paths) or ["."], config), store, config, jobs=jobs)
    echo(render_json(result) if output_format == "json" else render_text(result), nl=False)
    for note in result.notes:
        echo(f"registry-lint: note: {note}", err=True)
    for err in result.internal_errors:
        echo(f"registry-lint: {err}; please report this bug", err=True)
    if result.internal_errors:
        return 2
    return 0 if result.all_resolve else 1
