"""--add-noqa, where a directive can go (noqa_lines.py), and the file-level
`# registry-lint: noqa` exemption (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from registry_lint.noqa_lines import python_map, yaml_map
from registry_lint.suppress import scan

from .helpers import lint_files
from .test_output_tools import console, token

ROOT = Path(__file__).resolve().parent.parent


def codes(diags) -> list[tuple[int, str]]:
    return [(d.location.line, d.code) for d in diags]


# Where a comment can go --------------------------------------------------------------------
def test_python_map_strings_and_continuations() -> None:
    src = 'x = 1\ny = """a\nb\nc""" + z\nw = a + \\\n  b\nf = f"""{x}\n{y}"""\ns = "a#b"  # c\n'
    m = python_map(src)
    assert m is not None
    assert [m.line_for(n) for n in range(1, 10)] == [1, 4, 4, 4, 6, 6, 8, 8, 9]
    assert m.covered(4) == (2, 4) and m.covered(1) == (1, 1)
    assert m.comments == {9: 11}
    assert python_map("def f(:\n") is None or python_map("x = '''\n") is None


def test_yaml_map_block_and_flow_scalars() -> None:
    src = 'a: 1\nrun: |\n  echo hi\n  echo there\nb: "two\n  lines"\nc: plain\n  more\nd: 4\n'
    m = yaml_map(src)
    assert m is not None
    assert [m.line_for(n) for n in range(1, 10)] == [1, 2, 2, 2, 6, 6, 8, 8, 9]
    assert m.covered(2) == (2, 4)  # a block scalar's header covers the lines after it
    assert yaml_map("a: 'unterminated\n") is None


def test_noqa_at_string_end_and_block_header_suppresses_inside(tmp_path: Path) -> None:
    secret = token(5)
    files = {
        "a.py": f'DOC = """\ntoken {secret}\n"""  # noqa: RL501\n',
        "t.yml": f"x:\n  run: |  # noqa: RL501\n    curl -H 'token: {secret}'\n",
    }
    assert codes(lint_files(tmp_path, files)) == []
    files = {"a.py": f'DOC = """\ntoken {secret}\n"""\n', "t.yml": f"x:\n  run: |\n    curl -H 'token: {secret}'\n"}
    assert sorted(codes(lint_files(tmp_path, files))) == [(2, "RL501"), (3, "RL501")]


def test_noqa_inside_a_docstring_is_still_text() -> None:
    assert scan('"""\n# noqa: RL501\n"""\n', "python").noqa == ()


# The file-level exemption ----------------------------------------------------------------
BAD = "from tracecat_registry import registry\n\n@registry.register(description='d')\nasync def act(x: int) -> int:\n    return x\n"


def test_file_exemption_all_and_codes(tmp_path: Path) -> None:
    assert {c for _, c in codes(lint_files(tmp_path, {"a.py": BAD}))} >= {"RL102", "RL103", "RL105"}
    assert codes(lint_files(tmp_path, {"a.py": "# registry-lint: noqa\n" + BAD})) == []
    left = {c for _, c in codes(lint_files(tmp_path, {"a.py": "# registry-lint: noqa: RL102, RL103\n" + BAD}))}
    assert "RL102" not in left and "RL103" not in left and "RL105" in left
    left = {c for _, c in codes(lint_files(tmp_path, {"a.py": "#registry-lint:noqa:RL1\n" + BAD}))}
    assert not any(c.startswith("RL1") for c in left)  # a family prefix, any spacing


def test_file_exemption_in_yaml_and_text(tmp_path: Path) -> None:
    secret = token(6)
    assert codes(lint_files(tmp_path, {".env": f"# registry-lint: noqa: RL5\nAPI_TOKEN={secret}\n"})) == []
    assert codes(lint_files(tmp_path, {"c.yml": f"# registry-lint: noqa\nx:\n  token: {secret}\n"})) == []
    assert codes(lint_files(tmp_path, {".env": f"API_TOKEN={secret}\n"})) == [(1, "RL501")]


def test_file_exemption_must_be_a_comment_in_python(tmp_path: Path) -> None:
    text = 'HELP = "# registry-lint: noqa"\n' + BAD
    assert "RL102" in {c for _, c in codes(lint_files(tmp_path, {"a.py": text}))}


def test_file_exemption_unknown_and_unused_codes_are_reported(tmp_path: Path) -> None:
    diags = lint_files(tmp_path, {"a.py": "# registry-lint: noqa: RL999, RL102, RL304\n" + BAD})
    rl010 = [d for d in diags if d.code == "RL010"]
    assert len(rl010) == 1 and "RL999" in rl010[0].message and "RL304" in rl010[0].message
    assert rl010[0].fix is not None and rl010[0].fix.edits[0].content == "# registry-lint: noqa: RL102"
    assert not [d for d in lint_files(tmp_path, {"a.py": "# registry-lint: noqa: RL010, RL999\n"}) if d.code == "RL010"]


def test_file_exemption_never_hides_rl003(tmp_path: Path) -> None:
    assert codes(lint_files(tmp_path, {"a.txt": b"# registry-lint: noqa\n\xfa\xfb bad"})) == [(1, "RL003")]


# --add-noqa ----------------------------------------------------------------------------
@pytest.fixture
def registry(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "registry", tmp_path / "registry")
    # The agent-native example too: TypeScript takes `// noqa` (the test extra installs tree-sitter).
    shutil.copytree(ROOT / "examples" / "agent-native", tmp_path / "agent-native")
    return tmp_path


@pytest.mark.slow
def test_add_noqa_makes_the_next_check_clean(registry: Path) -> None:
    before = console(["check", ".", "--no-cache"], registry)
    assert before.returncode == 1
    n_lines = len({line.rsplit(":", 2)[0] for line in before.stdout.splitlines() if ": RL" in line})
    proc = console(["check", ".", "--no-cache", "--add-noqa"], registry)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "Added " in proc.stderr and " noqa directives." in proc.stderr
    after = console(["check", ".", "--no-cache"], registry)
    assert after.returncode == 0, after.stdout
    again = console(["check", ".", "--no-cache", "--add-noqa"], registry)
    assert again.returncode == 0 and "No noqa directives to add." in again.stderr  # idempotent
    assert n_lines > 5
    assert "// noqa: RL701" in (registry / "agent-native" / "server" / "vendor" / "acme-secrets.ts").read_text()


def test_add_noqa_merges_and_places_directives(tmp_path: Path) -> None:
    secret = token(7)
    py = (
        "from tracecat_registry import registry\n"
        "import os  # noqa: F401\n"
        f'DOC = """\n{secret}\n"""\n'
        f'KEY = "{secret}"  # explain\n'
    )
    yml = f"x:\n  run: |\n    curl -H 'token: {secret}'\n  other: y\n"
    (tmp_path / "a.py").write_text(py)
    (tmp_path / "b.yml").write_text(yml)
    (tmp_path / "c.py").write_bytes(b"import os  # noqa: F401\r\nKEY = '" + secret.encode() + b"'\r\n")
    proc = console(["check", ".", "--no-cache", "--add-noqa", "--select", "RL501,RL502"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert secret not in proc.stdout + proc.stderr
    a = (tmp_path / "a.py").read_text().split("\n")
    assert a[1] == "import os  # noqa: F401"
    assert a[2] == 'DOC = """' and a[3] == secret and a[4] == '"""  # noqa: RL501'  # at the string's end
    assert a[5].startswith(f'KEY = "{secret}"  # explain  # noqa: RL50')  # after the comment already there
    assert (tmp_path / "b.yml").read_text().split("\n")[1] == "  run: |  # noqa: RL501"  # on the block header
    assert (tmp_path / "c.py").read_bytes().endswith(b"'  # noqa: RL501\r\n")  # CRLF kept
    assert console(["check", ".", "--no-cache", "--select", "RL501,RL502"], tmp_path).returncode == 0


def test_add_noqa_merges_into_an_existing_directive(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from tracecat_registry import registry\n\n@registry.register(description='d')\nasync def act(x: int) -> int:  # noqa: E501,RL103\n    return x\n")
    proc = console(["check", "a.py", "--no-cache", "--add-noqa"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    line = (tmp_path / "a.py").read_text().split("\n")[3]
    assert line.endswith("int:  # noqa: E501, RL103, RL102, RL104, RL105, RL153")


def test_add_noqa_skips_what_cannot_take_a_directive(tmp_path: Path) -> None:
    secret = token(9)
    (tmp_path / ".env").write_text(f"API_TOKEN={secret}\n")
    (tmp_path / "big.txt").write_bytes(b"\xfa\xfb not utf-8 " * 3)
    (tmp_path / "a.py").write_text('x = 1  # noqa: RL101\n')
    proc = console(["check", ".", "--no-cache", "--add-noqa"], tmp_path)
    assert proc.returncode == 1
    assert ".env:1:11: RL501: no noqa directive added: not a Python, YAML or TypeScript file" in proc.stderr
    assert "big.txt:1:1: RL003: no noqa directive added: it cannot be suppressed" in proc.stderr
    assert "a.py:1:8: RL010: no noqa directive added" in proc.stderr
    assert (tmp_path / ".env").read_text() == f"API_TOKEN={secret}\n"  # untouched
    assert secret not in proc.stderr


def test_add_noqa_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    for args in (["--fix"], ["--diff"], ["-"], ["--baseline", "b.json"]):
        proc = console(["check", "--add-noqa", *args], tmp_path, stdin="")
        assert proc.returncode == 2, args


# TypeScript ---------------------------------------------------------------------------------
_TS_HEAD = 'import { registerRequiredSecret } from "@agent-native/core/secrets";\n\n'
_TS_REG = 'registerRequiredSecret({{ key: "{key}", label: "Acme", scope: "workspace", kind: "api-key", docsUrl: "https://acme.example" }});{tail}\n'


def _ts(tmp_path: Path, text: str, name: str = "server/acme.ts") -> tuple[Path, list]:
    pytest.importorskip("tree_sitter_typescript")
    files = {"package.json": "{}\n", name: text}
    return tmp_path / name, lint_files(tmp_path, files)


def test_add_noqa_typescript_appends_and_merges(tmp_path: Path) -> None:
    from registry_lint.noqa_add import add_noqa

    text = _TS_HEAD + _TS_REG.format(key="acme-key", tail="") + _TS_REG.format(key="other-key", tail="  // noqa: RL999X")
    text = text.replace("RL999X", "E501")  # another tool's directive already on the line
    path, diags = _ts(tmp_path, text)
    lines = sorted({d.location.line for d in diags if d.code == "RL701"})
    assert lines == [3, 4], codes(diags)
    outcome = add_noqa([d for d in diags if d.code == "RL701"])
    assert outcome.added == 2 and not outcome.skipped
    after = path.read_text().split("\n")
    assert after[2].endswith("});  // noqa: RL701")
    assert after[3].endswith("});  // noqa: E501, RL701")
    assert [d for d in lint_files(tmp_path, {}) if d.code == "RL701"] == []


def test_add_noqa_typescript_never_writes_into_strings_or_jsx(tmp_path: Path) -> None:
    from registry_lint.noqa_add import add_noqa

    secret = token()
    text = (
        _TS_HEAD
        + "export const banner = `\n"
        + f"  github: {secret}\n"
        + "`;\n"
        + "export const el = (\n  <div>\n    hello\n  </div>\n);\n"
    )
    path, diags = _ts(tmp_path, text, "server/banner.tsx")
    inside = [d for d in diags if d.location.line == 4]
    assert inside, codes(diags)
    before = path.read_bytes()
    outcome = add_noqa(inside)
    assert outcome.added == 0 and path.read_bytes() == before
    assert {reason.split(":")[0] for _, reason in outcome.skipped} == {"the line ends inside a template literal"}

    from registry_lint.noqa_ts import ts_lines

    where = ts_lines(text, "banner.tsx")
    assert where is not None
    # <div> (line 7) and its text (8) would take the comment as JSX text; after </div> (9) is code again.
    assert [where.blocked.get(n, "")[:32] for n in (6, 7, 8, 9)] == ["", "the line ends inside JSX, where ", "the line ends inside JSX, where ", ""]
