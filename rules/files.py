"""RL0xx: files and suppressions.

These codes are emitted by the engine (parsing, reading, suppression); the
classes carry their documentation and examples.
"""

from __future__ import annotations

from registry_lint.model import Severity
from registry_lint.rule import Invalid, Rule, Valid


class PythonSyntaxError(Rule):
    """## What it does
    Reports a `.py` file that cannot be parsed, at the position of the error.

    ## Why is this bad?
    Tracecat imports every module of a registry when it syncs; a syntax error
    makes the whole registry fail to load, not just this action. The linter
    keeps linting the other files.

    Files without any registry marker (`tracecat_registry`, `register`,
    `secrets`) are not parsed at all, so this rule only covers registry code.
    Type stubs (`.pyi`) are not parsed either: Tracecat imports modules,
    never stubs (they are still scanned for credentials, RL5xx).

    ## Example
    ```python
    from tracecat_registry import registry

    @registry.register(namespace="tools.acme", description="Ping"
    async def ping() -> str: ...
    ```

    ## Use instead
    Fix the syntax error.
    """

    code = "RL001"
    name = "python-syntax-error"
    sources = ("python",)
    VALID = (Valid("from tracecat_registry import registry\nX = 1\n"),)
    INVALID = (
        Invalid(
            """
            from tracecat_registry import registry
            def f(:
                  ^
                pass
            """,
        ),
        Invalid(
            """
            import tracecat_registry
            x = (1,
                ^
            """,
            message="never closed",
        ),
        Invalid("import tracecat_registry\nx = " + "(" * 201 + ")" * 201 + "\n", line=2, col=205, message="too many nested parentheses"),
    )


class YamlSyntaxError(Rule):
    """## What it does
    Reports YAML that cannot be parsed, and an action template whose top
    level is not a mapping.

    ## Why is this bad?
    Tracecat cannot load the template, and the action silently disappears
    from the registry at sync.

    ## Example
    ```yaml
    type: action
    definition:
      title: [unclosed
    ```

    ## Use instead
    Fix the YAML; the top level of a template is a mapping with `type: action`
    and `definition:`.
    """

    code = "RL002"
    name = "yaml-syntax-error"
    sources = ("yaml",)
    VALID = (Valid("type: action\ndefinition:\n  name: x\n", filename="t.yml"),)
    INVALID = (
        Invalid("type: action\ndefinition:\n  title: [unclosed\n", filename="t.yml", line=4, col=1),
        Invalid(
            """
            - type: action
            ^
            - definition: {}
            """,
            filename="t.yml",
        ),
        Invalid("a: b\n\tc: d\n", filename="t.yaml", line=2, col=1),
    )


class UnreadableFile(Rule):
    """## What it does
    Reports a file that is not valid UTF-8 (or BOM-marked UTF-16), or is
    larger than `max-file-size` (default 1 MiB). Binary files are skipped
    silently.

    It also reports a file the linter refuses to parse, or stops linting,
    because it is pathological: hostile input ends as this one diagnostic,
    never as a crash, a hang or exit code 2, and every other file is still
    linted. The limits (`linter/budget.py`, docs/robustness.md):

    - Python: one expression nested more than 400 levels (brackets,
      operators, attribute/call/subscript chains, `not`, `lambda`, f-string
      fields), more than 2000 `elif` clauses in a file, or too much deep
      nesting in total (nesting beyond 20 levels, summed over the file, at
      most 300 000). LibCST's parser recurses natively: a few thousand levels
      crash it and its time grows with the square of the depth, so such files
      are refused before parsing. More than 200 nested brackets is RL001
      instead ("too many nested parentheses"): CPython rejects that too.
    - YAML: collections nested more than 500 levels (below the limit of 1000
      flow or block levels that libyaml 0.2.6, bundled with PyYAML 6.0.4,
      enforces itself, so the result does not depend on the PyYAML version;
      a libyaml that stops earlier gives this finding too), or aliases that would
      expand to more than 1 000 000 nodes ("billion laughs") or into
      themselves (`&a [*a]`). YAML is only ever composed with PyYAML's safe
      loader; `!!python/...` tags are never constructed.
    - Time: more than 10 s of wall-clock time for one file (set
      `REGISTRY_LINT_FILE_TIMEOUT` in seconds; 0 disables). The message says
      "took longer than"; the file's partial results are dropped and never
      cached. Where there is no `SIGALRM` (Windows, or a non-main thread)
      only the pre-checks apply.
    - FIFOs, sockets and devices are skipped silently; they are never opened
      for a blocking read.

    A file that could not be checked is reported whatever the selection, as
    ruff reports E902: `--select RL5` (the credentials hook) still reports a
    Latin-1 `.env`. It cannot be ignored: `RL003` in `--ignore`, `ignore` or
    `per-file-ignores` is a configuration error (exit 2), a prefix (`RL0`)
    does not cover it, and `# noqa` does not hide it. A rule that runs out
    of recursion depth on a file reports this too ("RLxxx not checked"),
    instead of passing silently.

    ## Why is this bad?
    Tracecat reads registry files as UTF-8; a file in another encoding either
    fails to load or is scanned by nobody, so credentials in it go unnoticed.
    A file too deep or too large to lint is not checked at all, and Tracecat
    would struggle to load it as well.

    ## Example
    A template saved as Latin-1 with a `é` in its description; a generated
    file with one 5000-term expression; a YAML "billion laughs".

    ## Use instead
    Save the file as UTF-8, or raise `max-file-size` for large fixtures (or
    `exclude` a file that is not meant to be checked).
    Split generated expressions and data into smaller pieces; drop aliases
    that expand exponentially.
    """

    code = "RL003"
    name = "unreadable-file"
    severity = Severity.WARNING
    VALID = (Valid("title: caf\u00e9\n", filename="t.yml"),)
    INVALID = (
        Invalid("title: caf\udce9\n", filename="t.yml", line=1, col=1),
        Invalid("x = 1\n" * 50, filename="big.py", line=1, col=1, config={"max-file-size": 100}),
        Invalid("a: " + "[" * 501 + "]" * 501 + "\n", filename="deep.yml", line=1, col=503, message="500 levels"),
        Invalid(
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"  # each level ten times the one before: 10**6 nodes
            + "".join(f"{k}: &{k} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, k in zip("abcde", "bcdef")),
            filename="bomb.yml",
            line=1,
            col=1,
            message="aliases expand",
        ),
        Invalid(
            """
            a: &a [*a]
            ^
            """,
            filename="loop.yml",
            message="into themselves",
        ),
        Invalid("from tracecat_registry import registry\n\nx = " + "-" * 401 + "1\n", line=3, col=405, message="400 levels"),
    )


class UnusedNoqa(Rule):
    """## What it does
    Reports a `# noqa: RLxxx` directive that suppresses nothing on its line,
    or that names a code registry-lint does not have; likewise a codes list
    of the file-level exemption `# registry-lint: noqa: RLxxx` that exempts
    nothing in the file (a bare `# registry-lint: noqa` is never reported).

    Only `RL` codes are checked: `# noqa: E501` belongs to another tool, and
    a bare `# noqa` is left alone because other linters use it too. Codes of
    rules that are switched off in the current run are not reported.
    Directives count only in real comments: in Python, text inside strings
    and docstrings is not a directive; in plain text files (Markdown, ...)
    directives suppress findings on their line but are never reported as
    unused, since documentation quotes them as examples. A directive where a
    Python multi-line string ends, or on a YAML block scalar's header
    (`run: |  # noqa: RL501`), also covers the lines inside the string or
    scalar, where no comment can go (as in ruff). A file exempt from RL010
    (`# registry-lint: noqa` or `# registry-lint: noqa: RL010`) gets no RL010.

    ## Why is this bad?
    Stale suppressions hide the next real problem on that line.

    ## Example
    ```python
    TIMEOUT = 30  # noqa: RL101
    ```

    ## Use instead
    ```python
    TIMEOUT = 30
    ```

    ## Fix safety
    Safe: the fix removes the unused codes (or the whole directive). A
    file-level exemption that exempts nothing at all is left to its author
    (no fix).
    """

    code = "RL010"
    name = "unused-noqa"
    severity = Severity.WARNING
    fix = "safe"
    VALID = (
        Valid("from tracecat_registry import registry\nX = 1  # noqa: E501\n"),
        Valid("from tracecat_registry import registry\nX = 1  # noqa\n"),
        Valid('from tracecat_registry import registry\nDOC = """\n# noqa: RL101 is text here\n"""\n'),
    )
    INVALID = (
        Invalid(
            """
            from tracecat_registry import registry
            X = 1  # noqa: RL101
                   ^
            """,
            fixed="from tracecat_registry import registry\nX = 1\n",
        ),
        Invalid(
            """
            from tracecat_registry import registry
            X = 1  # noqa: RL999, E501
                   ^
            """,
            message="unknown code",
            fixed="from tracecat_registry import registry\nX = 1  # noqa: E501\n",
        ),
        Invalid(
            """
            # registry-lint: noqa: RL151, RL102
            ^
            from tracecat_registry import registry


            @registry.register(default_title='T', description='D', display_group='G', namespace='tools.x', doc_url='https://x.example')
            def act() -> int:
                return 1
            """,
            message="file-level",
            fixed="# registry-lint: noqa: RL151\nfrom tracecat_registry import registry\n\n\n@registry.register(default_title='T', description='D', display_group='G', namespace='tools.x', doc_url='https://x.example')\ndef act() -> int:\n    return 1\n",
        ),
    )
