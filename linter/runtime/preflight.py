"""``registry-lint resolve``: which actions of a registry would fail to resolve.

Actions come from the linter's own discovery and extractors (never by
importing the registry); each is checked with :func:`resolver.check`
against the inventory's store. Output never contains a secret value: only
action keys, paths, secret and key names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..config import Config
from ..model import ActionSpec
from ..results import SYNTAX_CODES, UNREADABLE
from ..analysis.stepsecrets import Lookup, StepAction, step_secrets
from .resolver import Resolution, check
from .store import SecretStore


@dataclass(frozen=True)
class ActionReport:
    spec: ActionSpec
    resolution: Resolution

    @property
    def resolves(self) -> bool:
        return self.resolution.resolves

    def as_dict(self, environment: str | None = None) -> dict[str, object]:
        return {
            "action": self.spec.key,
            "path": self.spec.path,
            "environment": environment if environment is not None else self.resolution.environment,
            "resolves": self.resolves,
            "problems": [p.as_dict() for p in self.resolution.problems],
        }


@dataclass
class PreflightResult:
    environment: str
    reports: list[ActionReport] = field(default_factory=list)
    #: Human notes for stderr (unparseable files, unchecked declarations).
    notes: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def all_resolve(self) -> bool:
        return all(r.resolves for r in self.reports)


def preflight_environments(
    files: Sequence[str], store: SecretStore, config: Config, environments: Sequence[str], *, jobs: int = 1
) -> list[PreflightResult]:
    """One result per environment; the files are read once, and notes about
    them (and internal errors) are given once, on the first result."""
    from ..run import file_results

    # With only the parse-error codes selected, the engine extracts actions
    # without running any rule.
    parse_only = config.with_overrides(select=tuple(sorted(SYNTAX_CODES)))
    results = file_results(list(files), parse_only, jobs=jobs)
    outs = [PreflightResult(env) for env in environments]
    first = outs[0]
    specs: list[ActionSpec] = []
    for out in outs:
        if not store.has_environment(out.environment):
            out.notes.append(f"environment {out.environment!r} has no secrets in the inventory")
    for result in results:
        first.internal_errors.extend(result.internal_errors)
        for diag in result.diagnostics:
            loc = diag.location
            if diag.code in SYNTAX_CODES:
                first.notes.append(f"{loc.path}:{loc.line}:{loc.col}: cannot be parsed ({diag.code}); its actions are not checked")
            elif diag.code == UNREADABLE:
                first.notes.append(f"{loc.path}: cannot be read ({diag.code}); not checked")
        specs.extend(result.actions)
    by_key: dict[str, ActionSpec] = {}
    for spec in specs:
        if spec.key is not None and spec.unloadable is None:  # Tracecat never registers the others
            by_key.setdefault(spec.key, spec)
    lookup = _step_lookup(by_key, config)
    for spec in specs:
        steps, complete = step_secrets(
            (s.action.text for s in spec.steps if s.action.text is not None), lookup, own=spec.key
        )
        for out in outs:
            resolution = check(spec, store, environment=out.environment, also_declared=steps)
            out.reports.append(ActionReport(spec, resolution))
        if not complete:
            first.notes.append(
                f"{spec.location.path}:{spec.location.line}:{spec.location.col}: {spec.key}: a step's action or its "
                "declarations are not known; secrets it may declare are not counted"
            )
        for item in resolution.unchecked:
            first.notes.append(
                f"{spec.location.path}:{spec.location.line}:{spec.location.col}: {spec.key}: "
                f"declaration {item} is not statically known; not checked"
            )
    for out in outs:
        out.reports.sort(key=lambda r: (r.spec.path, r.spec.location.line, r.spec.location.col, r.spec.key or ""))
    return outs


def _step_lookup(by_key: dict[str, ActionSpec], config: Config) -> Lookup:
    """Step actions as Tracecat finds them: the linted registry, then the
    built-in actions (the catalogue, or the ``tracecat-registry`` checkout's)."""
    catalogue = None

    def lookup(key: str) -> StepAction | None:
        nonlocal catalogue
        spec = by_key.get(key)
        if spec is not None:
            steps = tuple(s.action.text for s in spec.steps if s.action.text is not None)
            return StepAction(spec.secrets if spec.secrets_known else None, steps)
        if catalogue is None:
            from ..catalogue.actions import for_config

            catalogue = for_config(config)
        found = catalogue.get(key)
        return None if found is None else StepAction(found.secrets, found.steps)

    return lookup


def render_json(result: PreflightResult | Sequence[PreflightResult]) -> str:
    results = [result] if isinstance(result, PreflightResult) else list(result)
    actions = [r.as_dict(out.environment) for out in results for r in out.reports]
    return json.dumps({"actions": actions}, indent=2) + "\n"


def render_text(result: PreflightResult | Sequence[PreflightResult]) -> str:
    """One block per environment, each ending with its summary line."""
    results = [result] if isinstance(result, PreflightResult) else list(result)
    return "\n".join(_render_environment(r) for r in results)


def _render_environment(result: PreflightResult) -> str:
    lines: list[str] = []
    for report in result.reports:
        spec = report.spec
        loc = spec.location
        status = "ok  " if report.resolves else "FAIL"
        lines.append(f"{status} {spec.key or '<unnamed action>'}  ({loc.path}:{loc.line})")
        for problem in report.resolution.problems:
            where = problem.location or loc
            lines.append(f"  {where.path}:{where.line}:{where.col}: {problem.kind}: {problem.message}")
    total = len(result.reports)
    failing = sum(1 for r in result.reports if not r.resolves)
    if total == 0:
        lines.append(f"No actions found (environment {result.environment!r}).")
    else:
        noun = "action" if total == 1 else "actions"
        lines.append(
            f"{total} {noun}: {total - failing} resolve, {failing} do{'es' if failing == 1 else ''} not "
            f"(environment {result.environment!r})."
        )
    return "\n".join(lines) + "\n"
