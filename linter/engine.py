"""One file: read, parse once, extract, run the rules, mask credentials.

``lint_file`` is a pure function of the file's bytes, its path, its own
configuration and the other files it records in ``FileResult.deps``, so it
can run in worker processes and be cached. It knows nothing of the cache or
the pool: whole runs (``run.py``) call it; project rules and suppression run
there, over every file's results.
"""

from __future__ import annotations

from types import ModuleType

from . import budget, suppress
from .config import Config
from .context import FileContext
from .extract import wants
from .model import Diagnostic, Location, Severity
from .paths import relpath
from .redact import redact_file
from .results import PYTHON_SYNTAX, UNREADABLE, YAML_SYNTAX, FileResult
from .rule import Rule, load_rules
from .safeio import NotRegularFile, TooLarge, read_regular
from .source import DecodeError, SourceFile, decode, kind_for, looks_binary


class RuleSet:
    """The instantiated, enabled rules, grouped by hook."""

    def __init__(self, config: Config) -> None:
        registry = load_rules()
        self.known = frozenset(registry)
        self.enabled = config.enabled_codes(registry, [c for c, r in registry.items() if r.opt_in])
        rules = [cls() for code, cls in registry.items() if code in self.enabled]
        self.action = [r for r in rules if r.implements("check_action")]
        self.python = [r for r in rules if r.implements("check_python")]
        self.yaml = [r for r in rules if r.implements("check_yaml")]
        self.text = [r for r in rules if r.implements("check_text")]
        self.typescript = [r for r in rules if r.implements("check_typescript")]
        self.project = [r for r in rules if r.implements("check_project")]
        # The kinds of file to parse. Project rules read the actions every
        # file's extraction yields.
        kinds = set()
        if self.action or self.python or self.project or PYTHON_SYNTAX in self.enabled:
            kinds.add("python")
        if self.action or self.yaml or self.project or YAML_SYNTAX in self.enabled:
            kinds.add("yaml")
        if any("typescript" in r.sources for r in rules):
            kinds.add("typescript")
        self.parsed_kinds = frozenset(kinds)


_RULESETS: dict[str, RuleSet] = {}


def ruleset(config: Config) -> RuleSet:
    key = config.fingerprint()
    if key not in _RULESETS:
        _RULESETS[key] = RuleSet(config)
    return _RULESETS[key]


def _diag(code: str, message: str, location: Location, severity: Severity) -> Diagnostic:
    return Diagnostic(code=code, message=message, location=location, severity=severity)


def read_source(path: str, data: bytes | None, config: Config, result: FileResult) -> SourceFile | None:
    """Bytes -> SourceFile, or None with RL003 (or a silent skip for binaries)."""
    loc = Location(path, 1, 1, 1, 1)
    if data is None:
        try:
            data = read_regular(path, config.max_file_size)
        except NotRegularFile:
            result.skipped = True  # FIFO, device, socket: never opened for a blocking read
            return None
        except TooLarge as exc:
            result.diagnostics.append(
                _diag(UNREADABLE, f"File is larger than max-file-size ({exc.size} > {config.max_file_size} bytes); not linted", loc, Severity.WARNING)
            )
            return None
        except OSError as exc:
            result.diagnostics.append(
                _diag(UNREADABLE, f"Cannot read file: {exc.strerror or type(exc).__name__}", loc, Severity.WARNING)
            )
            return None
    if len(data) > config.max_file_size:
        result.diagnostics.append(
            _diag(UNREADABLE, f"File is larger than max-file-size ({config.max_file_size} bytes); not linted", loc, Severity.WARNING)
        )
        return None
    if looks_binary(data):
        result.skipped = True
        return None
    try:
        text = decode(data)
    except DecodeError as exc:
        result.diagnostics.append(_diag(UNREADABLE, f"File is {exc}; not linted", loc, Severity.WARNING))
        return None
    return SourceFile(path, text, kind_for(path))


def lint_file(path: str, config: Config, data: bytes | None = None) -> FileResult:
    """Everything that can be known from one file. Never raises, never hangs:
    past the time budget (``budget.file_timeout``) the file gets only RL003."""
    ruleset(config)  # built outside the budget: shared by every file
    seconds = budget.file_timeout()
    try:
        with budget.time_limit(seconds):
            return _lint_file(path, config, data)
    except budget.BudgetExceeded:
        # Partial results would depend on timing: keep none of them.
        message = f"File took longer than {seconds:g} s to lint (per-file time budget); not linted"
        diag = _diag(UNREADABLE, message, Location(path, 1, 1, 1, 1), Severity.WARNING)
        return FileResult(path, diagnostics=[diag], transient=True)


def _lint_file(path: str, config: Config, data: bytes | None) -> FileResult:
    result = FileResult(path)
    rules = ruleset(config)
    source: SourceFile | None = None
    parsed: object | None = None
    ctx: FileContext | None = None
    try:
        source = read_source(path, data, config, result)
        if source is None:
            return result
        result.directives = suppress.scan(source.text, source.kind)
        result.directive_lines = {d.line: source.line_text(d.line) for d in result.directives.noqa}
        ctx = FileContext(config, source, relpath(path, config.root))
        parsed = _parse(source, rules, result)
        if result.actions:
            _loader_reach(parsed, ctx, result)
        _run_rules(rules, source, parsed, ctx, result)
        if result.actions and any(spec.unloadable is not None for spec in result.actions):
            from .loader import drop_consequences

            result.diagnostics = drop_consequences(parsed, source.kind, result.diagnostics)
    except RecursionError:
        result.diagnostics.append(
            _diag(UNREADABLE, "File is nested too deeply to lint", Location(path, 1, 1, 1, 1), Severity.WARNING)
        )
    except Exception as exc:  # one bad file never stops the run
        # Only the type: an exception message may quote file content.
        result.internal_errors.append(f"{path}: internal error {type(exc).__name__}")
    # After the rules: they evaluate constants (siblings) and look for files too.
    result.deps = _file_deps(parsed, ctx)
    if source is not None and result.diagnostics:
        try:  # on the error paths too: no message may quote a detected credential
            redact_file(source, parsed, result)
        except Exception as exc:
            # Which messages quote a value is unknown: keep only the (self-masking) RL5 findings.
            result.diagnostics = [d for d in result.diagnostics if d.code.startswith("RL5")]
            result.internal_errors.append(f"{path}: internal error {type(exc).__name__} while masking credentials")
    return result


def _parse(source: SourceFile, rules: RuleSet, result: FileResult) -> object | None:
    """The file's extractor parses it, when the rule set needs that kind
    parsed and the text can matter (checked before the extractor, and so its
    parser, is imported)."""
    if source.kind not in rules.parsed_kinds or not wants(source.kind, source.text):
        return None
    extraction = _extractor(source.kind).parse(source)
    result.diagnostics.extend(extraction.diagnostics)
    result.actions = extraction.actions
    result.app = extraction.app
    return extraction.file


def _extractor(kind: str) -> ModuleType:
    """The extractor of a kind of source (imported on first use, its parser with it)."""
    if kind == "python":
        from .extract import python as extractor
    elif kind == "yaml":
        from .extract import yaml as extractor
    else:
        from .extract import typescript as extractor
    return extractor


def _file_deps(parsed: object | None, ctx: FileContext | None) -> tuple[str, ...]:
    """Every other file the result depends on (read, or looked for and not found)."""
    deps = set(ctx.deps) if ctx is not None else set()
    if parsed is not None:
        deps.update(parsed.deps())
    return tuple(sorted(deps))


def _loader_reach(parsed: object, ctx: FileContext, result: FileResult) -> None:
    """Mark actions Tracecat's loader never reaches (RL619; not live actions for RL109/RL615)."""
    from .loader import mark

    ctx.deps.update(mark(parsed, ctx.source.kind, result.path, ctx.config.root))  # the files looked for decide
    result.actions = list(parsed.specs)


def _run_rules(rules: RuleSet, source: SourceFile, parsed: object | None, ctx: FileContext, result: FileResult) -> None:
    out = result.diagnostics
    specs = getattr(parsed, "specs", [])
    for rule in rules.action:
        for spec in specs:
            out.extend(_guard(rule, rule.check_action, spec, ctx, result=result))
    if source.kind == "python" and parsed is not None:
        for rule in rules.python:
            out.extend(_guard(rule, rule.check_python, parsed, ctx, result=result))
    if source.kind == "yaml" and parsed is not None:
        for rule in rules.yaml:
            out.extend(_guard(rule, rule.check_yaml, parsed, ctx, result=result))
    if source.kind == "typescript" and parsed is not None:
        for rule in rules.typescript:
            out.extend(_guard(rule, rule.check_typescript, parsed, ctx, result=result))
    for rule in rules.text:
        out.extend(_guard(rule, rule.check_text, source, parsed, ctx, result=result))


def _guard(rule: Rule, hook, *args, result: FileResult) -> list[Diagnostic]:
    try:
        return list(hook(*args))
    except RecursionError:
        # Not a bug, but the rule did not check this file: say so.
        message = f"File is nested too deeply for {rule.code} to check it; {rule.code} not checked"
        return [_diag(UNREADABLE, message, Location(result.path, 1, 1, 1, 1), Severity.WARNING)]
    except Exception as exc:
        result.internal_errors.append(f"{result.path}: {rule.code} crashed ({type(exc).__name__})")
        return []
