"""A whole check, in one direction: discovered paths -> cache lookups -> the
per-file engine over the misses (serially or in the pool) -> project rules
-> suppression -> :class:`RunResult`.

The command line (``check`` and its ``--fix``, ``--diff``, ``--watch``,
``--add-noqa`` and baselines), the language server and ``resolve`` all run
checks through here. The per-file engine (``engine.py``) knows nothing of
the cache or the pool; the pool (``parallel.py``) knows nothing of files.

The parent reads every file once, answers what it can from the cache, and
lints the rest. Misses go to worker processes together with the bytes the
parent read, so a result is always stored under the hash of exactly the
content it was computed from, even if the file changes during the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from . import engine, parallel, suppress
from .context import ProjectContext
from .model import Diagnostic, Location, Severity
from .paths import relpath
from .results import UNREADABLE, FileResult, RunResult
from .settings import Settings, as_settings
from .source import kind_for

if TYPE_CHECKING:
    from .cache import ResultCache
    from .config import Config
    from .rule import Rule

#: Below this much estimated work (in YAML-byte equivalents, ~0.25 s of
#: serial work), priming and forking workers (~0.1 s) costs more than the
#: second core saves (measured: benchmarks/README.md, "Parallelism").
MIN_PARALLEL_WORK = 400_000
#: Relative cost per byte, measured on the Tracecat registry: a Python file
#: (LibCST parse, extraction, rules) costs ~4-5x a YAML template per byte.
_WEIGHT = {"python": 5.0, "yaml": 1.0, "typescript": 0.3, "text": 0.3}

#: (path, the bytes read or None, the file's own configuration)
Item = tuple[str, "bytes | None", "Config"]


# Whole runs -----------------------------------------------------------------------
def check(paths: Sequence[str], config: Config | Settings, *, jobs: int = 1, cache: ResultCache | None = None) -> RunResult:
    """Lint ``paths`` (discovery's output) as one run."""
    settings = as_settings(config)
    paths = list(paths)
    if cache is None:
        return finish(file_results(paths, settings, jobs=jobs), settings)
    return _check_cached(paths, settings, jobs, cache)


def check_text(path: str, text: str | bytes, config: Config | Settings) -> RunResult:
    """One file's text (stdin, an editor's buffer) linted as ``path``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    settings = as_settings(config)
    return finish([engine.lint_file(path, settings.for_path(path), data)], settings)


def file_results(paths: Sequence[str], config: Config | Settings, *, jobs: int = 1) -> list[FileResult]:
    """Per-file results in ``paths`` order, serially or in the pool (no cache)."""
    settings = as_settings(config)
    configs = [settings.for_path(path) for path in paths]
    return _lint(list(paths), [None] * len(paths), configs, jobs, None)


def relinter(
    paths: Sequence[str], config: Config | Settings, *, jobs: int = 1, data: Mapping[str, bytes] | None = None
) -> Callable[[Mapping[str, str]], list[Diagnostic]]:
    """Diagnostics of the whole set with some files' text replaced (the
    ``--fix`` loop): project rules (RL109) and their ``noqa`` directives see
    every file while one file's text changes. ``data``: files linted from
    these bytes instead of the disk (stdin)."""
    settings = as_settings(config)
    data = dict(data or {})
    on_disk = [p for p in paths if p not in data]
    results = {r.path: r for r in file_results(on_disk, settings, jobs=jobs)}
    results.update({p: engine.lint_file(p, settings.for_path(p), b) for p, b in data.items()})
    order = list(dict.fromkeys([*paths, *data]))
    memo: dict[tuple[str, str], FileResult] = {}

    def lint(texts: Mapping[str, str]) -> list[Diagnostic]:
        trial = dict(results)
        for path, text in texts.items():
            key = (path, text)
            if key not in memo:
                memo[key] = engine.lint_file(path, settings.for_path(path), text.encode("utf-8", "surrogatepass"))
            trial[path] = memo[key]
        return finish([trial[p] for p in order], settings).diagnostics

    return lint


def finish(results: Sequence[FileResult], config: Config | Settings) -> RunResult:
    """Project rules, suppression, filtering and deterministic order."""
    return _finish(results, as_settings(config))[0]


def _finish(results: Sequence[FileResult], settings: Settings) -> tuple[RunResult, ProjectContext]:
    """Each file's findings are filtered and suppressed by its own
    configuration. A project rule (RL109) runs once over every file's
    actions when any configuration of the run enables it; each of its
    findings is then kept or dropped like any other finding of the file it
    is located in. Suppression runs here, after the project rules, so a
    ``# noqa: RL109`` is honoured and never reported unused.
    """
    configs = {r.path: settings.for_path(r.path) for r in results}
    by_path: dict[str, list[Diagnostic]] = {r.path: list(r.diagnostics) for r in results}
    actions = [a for r in results for a in r.actions]
    internal = [e for r in results for e in r.internal_errors]
    project: dict[str, Rule] = {}
    for cfg in dict.fromkeys(configs.values()):
        for rule in engine.ruleset(cfg).project:
            project.setdefault(rule.code, rule)
    pctx = ProjectContext(
        next(iter(configs.values()), settings.default),
        app_files=tuple(r.app for r in results if r.app is not None),
        paths=tuple(r.path for r in results),
    )
    for rule in project.values():
        try:
            for diag in rule.check_project(actions, pctx):
                by_path.setdefault(diag.location.path, []).append(diag)
        except Exception as exc:  # one crashed rule never stops the run
            internal.append(f"{rule.code} crashed ({type(exc).__name__})")
    final: list[Diagnostic] = []
    for result in results:
        cfg = configs[result.path]
        rules = engine.ruleset(cfg)
        found = by_path.get(result.path, ())
        # Unreadable and unlinted files are reported whatever the selection
        # and never suppressed (as ruff's E902): nothing passes unchecked.
        unchecked = [d for d in found if d.code == UNREADABLE]
        diags = [d for d in found if d.code in rules.enabled and d.code != UNREADABLE]
        diags = list(dict.fromkeys(diags))  # one shared declaration, many actions
        lines = result.directive_lines
        final.extend(dict.fromkeys(unchecked))
        kept = suppress.apply(
            diags,
            result.directives,
            ignored=cfg.ignored_for(relpath(result.path, cfg.root)),
            known_codes=rules.known,
            enabled_codes=rules.enabled,
            line_text=lambda n, lines=lines: lines.get(n, ""),
            path=result.path,
            report_unused=kind_for(result.path) != "text",
        )
        final.extend(cfg.without_unfixable(kept))
    final.sort(key=Diagnostic.sort_key)
    return RunResult(final, files=len(results), actions=len(actions), internal_errors=internal), pctx


def _check_cached(paths: list[str], settings: Settings, jobs: int, cache: ResultCache) -> RunResult:
    """One run entry when nothing changed, else file entries for what did
    not change and linting for the rest."""
    configs = [settings.for_path(path) for path in paths]
    cache.begin(len(paths))
    datas = [_read(path, cfg) for path, cfg in zip(paths, configs)]
    names = [
        cache.entry_name(path, cache.digest(path, data), cfg)
        for path, data, cfg in zip(paths, datas, configs)
        if data is not None
    ]
    run_name = cache.run_name(names) if len(names) == len(paths) else None
    if run_name is not None:
        run = cache.get_run(run_name)
        if run is not None:
            return run
    results = _lint(paths, datas, configs, jobs, cache)
    run, pctx = _finish(results, settings)
    # A run entry is keyed by the run's files and their deps: not stored when
    # its result depends on timing, or on files outside the run a project
    # rule read (RL615 on a partial run lists the project's other files).
    if run_name is not None and not pctx.outside_reads and not any(r.transient for r in results):
        cache.put_run(run_name, run, {dep for r in results for dep in r.deps})
    cache.flush()
    cache.prune()
    return run


def _lint(
    paths: Sequence[str], datas: Sequence[bytes | None], configs: Sequence[Config], jobs: int, cache: ResultCache | None
) -> list[FileResult]:
    results: list[FileResult | None] = [None] * len(paths)
    todo: list[int] = []
    for index, (path, data, config) in enumerate(zip(paths, datas, configs)):
        hit = cache.get(path, data, config) if cache is not None and data is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append(index)
    if todo and cache is not None and _scans_credentials({configs[i] for i in todo}):
        from .cache_plugins import seed_plugin_patterns

        seed_plugin_patterns(cache)
    items: list[Item] = [(paths[i], datas[i], configs[i]) for i in todo]
    if not items:
        return results
    costs = [estimated_cost(path, data) for path, data, _ in items]
    batch = parallel.Batch(
        fn=_lint_item,
        items=items,
        costs=costs,
        crashed=_crashed,
        canary=("canary.txt", b"", items[0][2]),
        prepare=lambda: _prepare(items, costs),
        initializer=_init_worker,
        initargs=(list(dict.fromkeys(config for _, _, config in items)),),
    )
    # Results arrive as workers finish chunks; storing them right away
    # overlaps the cache writes (slow on some file systems) with the linting.
    for position, result in parallel.run(batch, jobs=jobs, min_cost=MIN_PARALLEL_WORK):
        index = todo[position]
        results[index] = result
        data = datas[index]
        if cache is not None and data is not None:
            cache.put(paths[index], data, result, configs[index])
    return results


def _lint_item(item: Item) -> FileResult:
    path, data, config = item
    return engine.lint_file(path, config, data)


def _crashed(item: Item) -> FileResult:
    path = item[0]
    message = "Linting this file killed a worker process (a crash in a native parser); not linted"
    # Transient: never cached (it may have been the machine, e.g. out of memory).
    return FileResult(path, diagnostics=[Diagnostic(UNREADABLE, message, Location(path, 1, 1, 1, 1), Severity.WARNING)], transient=True)


def _scans_credentials(configs: set[Config]) -> bool:
    return any(code.startswith("RL5") for config in configs for code in engine.ruleset(config).enabled)


def _read(path: str, config: Config) -> bytes | None:
    """The bytes to hash and lint, or None to let ``lint_file`` report the problem."""
    from .safeio import read_regular

    try:
        return read_regular(path, config.max_file_size)  # a FIFO must not block the run
    except OSError:
        return None


def estimated_cost(path: str, data: bytes | None) -> float:
    if data is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
    else:
        size = len(data)
    return size * _WEIGHT[kind_for(path)] + 2_000  # plus a fixed per-file cost


# Before the workers start ------------------------------------------------------------
def _prepare(items: list[Item], costs: list[float]) -> list[int]:
    """Load in the parent what every worker needs, so fork hands it over:
    the rule sets, and whatever rules import or compile on first use (the
    parsers, the credential scanner, ...), by linting the cheapest file of
    each kind here first (the positions returned). Otherwise every worker
    pays for that again."""
    for config in dict.fromkeys(config for _, _, config in items):
        engine.ruleset(config)
    _fast_pickling()
    kinds = {kind_for(path) for path, _, _ in items}
    if "python" in kinds:
        from .extract import python as _python  # imports libcst
    if "yaml" in kinds:
        from .extract import yaml as _yaml
    cheapest: dict[str, tuple[float, int]] = {}
    for position, ((path, _, _), cost) in enumerate(zip(items, costs)):
        kind = kind_for(path)
        if kind not in cheapest or cost < cheapest[kind][0]:
            cheapest[kind] = (cost, position)
    return [position for _, position in sorted(cheapest.values())]


def _fast_pickling() -> None:
    """Pickle the model's frozen dataclasses as (class, field values).

    The default path (``__reduce_ex__`` and a state dict per slotted object)
    made sending a run's results from the workers cost ~0.1 s more CPU.
    Registered before forking (and again in spawned workers).
    """
    import copyreg
    from dataclasses import fields

    from .model import ActionSpec, Edit, Fix, SecretRef, SecretSpec, Value

    for cls in (Location, Value, SecretSpec, SecretRef, ActionSpec, Edit, Fix, Diagnostic):
        if cls in copyreg.dispatch_table:
            continue
        names = tuple(f.name for f in fields(cls))
        copyreg.pickle(cls, lambda obj, cls=cls, names=names: (cls, tuple([getattr(obj, n) for n in names])))


def _init_worker(configs: list[Config]) -> None:
    _fast_pickling()
    for config in configs:
        engine.ruleset(config)  # already built when forked; built once per worker otherwise
