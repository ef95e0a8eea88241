"""One file: read, parse once, extract, run the rules, mask credentials.

``lint_file`` is a pure function of the file's bytes, its path, its own
configuration and the other files it records in ``FileResult.deps``, so it
can run in worker processes and be cached. It knows nothing of the cache or
the pool: whole runs (``run.py``) call it; project rules and suppression run
there, over every file's results.
"""

from __future__ import annotations

import ast
import re

from . import budget, suppress
from .config import Config
from .context import FileContext
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
        # Project rules read the actions every file's extraction yields.
        self.needs_python_parse = bool(self.action or self.python or self.project or PYTHON_SYNTAX in self.enabled)
        self.needs_yaml_parse = bool(self.action or self.yaml or self.project or YAML_SYNTAX in self.enabled)
        self.needs_typescript_parse = any("typescript" in r.sources for r in rules)


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
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        # Only the type: an exception message may quote file content.
        result.internal_errors.append(f"{path}: internal error {type(exc).__name__}")
    # After the rules: they evaluate constants (siblings) and look for files too.
    result.deps = _file_deps(parsed, ctx)
    if source is not None and result.diagnostics:
        try:  # on the error paths too: no message may quote a detected credential
            redact_file(source, parsed, result)
        except Exception as exc:  # noqa: BLE001
            # Which messages quote a value is unknown: keep only the (self-masking) RL5 findings.
            result.diagnostics = [d for d in result.diagnostics if d.code.startswith("RL5")]
            result.internal_errors.append(f"{path}: internal error {type(exc).__name__} while masking credentials")
    return result


def _parse(source: SourceFile, rules: RuleSet, result: FileResult) -> object | None:
    if source.kind == "python":
        from .extract import has_markers

        if not rules.needs_python_parse or not has_markers(source.text):
            return None  # before importing LibCST: a marker-less file never needs it
        from .extract import python as pyx

        import libcst as cst

        refusal = budget.check_python(source.text)  # native parser: refuse what would crash it
        if refusal is not None:
            _refuse(source, refusal, result)
            return None
        try:
            module = pyx.parse_python(source)
        except cst.ParserSyntaxError as exc:
            line, col, message = _syntax_error_position(source.text, exc)
            result.diagnostics.append(
                _diag(PYTHON_SYNTAX, f"Syntax error: {message}", Location(source.path, line, col, line, col), Severity.ERROR)
            )
            return None
        except (ValueError, TypeError) as exc:  # e.g. null bytes
            result.diagnostics.append(
                _diag(PYTHON_SYNTAX, f"Syntax error: cannot parse ({type(exc).__name__})", source.file_location(), Severity.ERROR)
            )
            return None
        parsed = pyx.extract(source, module)
        result.actions = parsed.specs
        return parsed
    if source.kind == "yaml":
        if not rules.needs_yaml_parse:
            return None
        from .extract import yaml as yx

        refusal = budget.check_yaml(source.text)  # libyaml's composer recurses in C
        if refusal is not None:
            _refuse(source, refusal, result)
            return None
        try:
            root = yx.compose(source)
        except yx.YamlTooDeep as exc:
            _refuse(source, exc.refusal, result)  # type: ignore[arg-type]
            return None
        except yx.YamlError as exc:
            loc = Location(source.path, exc.line, exc.col, exc.line, exc.col)
            result.diagnostics.append(_diag(YAML_SYNTAX, exc.message.capitalize(), loc, Severity.ERROR))
            return None
        if "*" in source.text and budget.yaml_expanded_size(root) > budget.MAX_YAML_EXPANDED_NODES:
            message = f"YAML aliases expand to more than {budget.MAX_YAML_EXPANDED_NODES} nodes (or into themselves); not linted"
            _refuse(source, budget.Refusal(UNREADABLE, message), result)
            return None
        parsed = yx.extract(source, root)
        if root is not None and not yx.is_mapping(root) and "definition" in source.text:
            result.diagnostics.append(
                _diag(
                    YAML_SYNTAX,
                    "Action template must be a mapping at the top level (with `type: action` and `definition:`)",
                    parsed.loc(root),
                    Severity.ERROR,
                )
            )
        result.actions = parsed.specs
        return parsed
    if source.kind == "typescript":
        return _parse_typescript(source, rules, result)
    return None


def _parse_typescript(source: SourceFile, rules: RuleSet, result: FileResult) -> object | None:
    from .extract import wants_typescript_parse

    if not rules.needs_typescript_parse or not wants_typescript_parse(source.text):
        return None  # before importing tree-sitter: most TypeScript never needs it
    from .extract import typescript as tsx

    try:
        tree = tsx.parse(source)
    except tsx.ParserMissing:
        message = (
            "File uses the agent-native secrets API but the TypeScript parser is not installed: "
            "`pip install 'registry-lint[typescript]'`; RL7xx not checked"
        )
        result.diagnostics.append(_diag(UNREADABLE, message, source.file_location(), Severity.WARNING))
        return None
    app, app_deps = tsx.app_root(source.path)
    parsed = tsx.extract(source, tree, app)
    parsed.app_deps = app_deps
    result.app = parsed.model
    for loc in parsed.unparsed_calls:
        message = "tree-sitter cannot parse the code around this secrets API call; it is not checked (RL7xx)"
        result.diagnostics.append(_diag(UNREADABLE, message, loc, Severity.WARNING))
    return parsed


def _file_deps(parsed: object | None, ctx: FileContext | None) -> tuple[str, ...]:
    """Every other file the result depends on (read, or looked for and not found)."""
    deps = set(ctx.deps) if ctx is not None else set()
    scope = getattr(parsed, "scope", None)
    if scope is not None:
        from .extract.pyeval import all_deps

        deps |= all_deps(scope)
    deps.update(getattr(parsed, "app_deps", ()))  # TypeScript: the package.json files looked for
    return tuple(sorted(deps))


def _loader_reach(parsed: object, ctx: FileContext, result: FileResult) -> None:
    """Mark actions Tracecat's loader never reaches (RL619; not live actions for RL109/RL615)."""
    from .loader import mark

    ctx.deps.update(mark(parsed, ctx.source.kind, result.path, ctx.config.root))  # the files looked for decide
    result.actions = list(parsed.specs)  # type: ignore[attr-defined]


def _refuse(source: SourceFile, refusal: budget.Refusal, result: FileResult) -> None:
    """A file the pre-checks keep from the parser: RL001 (a limit CPython has too) or RL003."""
    loc = Location(source.path, refusal.line, refusal.col, refusal.line, refusal.col)
    if refusal.code == PYTHON_SYNTAX:
        result.diagnostics.append(_diag(PYTHON_SYNTAX, f"Syntax error: {refusal.message}", loc, Severity.ERROR))
    else:
        result.diagnostics.append(_diag(UNREADABLE, refusal.message, loc, Severity.WARNING))


_LONG_QUOTED = re.compile(r"'[^']{16,}'|\"[^\"]{16,}\"")


def _syntax_error_position(text: str, exc: Exception) -> tuple[int, int, str]:
    """Where the syntax error really is.

    LibCST's native parser reports the token after the one that failed; on
    this error path only, CPython's parser (compile to an AST, never run)
    usually pinpoints it. When CPython accepts the file (newer syntax than
    this interpreter knows is not the case here: LibCST already failed), fall
    back to LibCST's position.
    """
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. in linted code: not ours to print
            compile(text, "<lint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as err:
        if err.lineno:
            msg = _LONG_QUOTED.sub("'...'", err.msg or "invalid syntax")
            return err.lineno, max(1, err.offset or 1), msg
    except (ValueError, MemoryError, RecursionError):
        pass
    line = getattr(exc, "raw_line", 1) or 1
    col = (getattr(exc, "raw_column", 0) or 0) + 1
    return line, col, "invalid syntax"


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


def _guard(rule: Rule, hook, *args, result: FileResult) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    try:
        return list(hook(*args))
    except RecursionError:
        # Not a bug, but the rule did not check this file: say so.
        message = f"File is nested too deeply for {rule.code} to check it; {rule.code} not checked"
        return [_diag(UNREADABLE, message, Location(result.path, 1, 1, 1, 1), Severity.WARNING)]
    except Exception as exc:  # noqa: BLE001
        result.internal_errors.append(f"{result.path}: {rule.code} crashed ({type(exc).__name__})")
        return []
