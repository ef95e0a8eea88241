"""A corpus of hostile file contents for the robustness tests.

Each case is one file the linter must survive: the run ends with exit code
0 or 1, the file gets at most the listed RL00x diagnostics (or is skipped
silently), and every other file is still linted. ``native`` marks inputs that
would crash LibCST or libyaml (C/Rust recursion: a segfault) if the
pre-checks in ``linter/budget.py`` regressed; the tests run those in a
subprocess so a regression fails one test instead of killing the session.
"""

from __future__ import annotations

import codecs
import random
from dataclasses import dataclass

MARKER = "from tracecat_registry import registry\n"  # makes the engine parse a .py file


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    content: bytes
    #: Codes the file must get (RL001/RL002/RL003).
    expect: frozenset[str] = frozenset()
    #: No diagnostic at all may be reported for the file (silent skip / clean).
    silent: bool = False
    native: bool = False


def _py(body: str) -> bytes:
    return (MARKER + body).encode("utf-8")


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    lines += ["type: action", "definition:", "  name: bomb", "  namespace: tools.bomb", f"  steps: *l{levels}", f"  expects: {{x: *l{levels}}}"]
    return "\n".join(lines) + "\n"


#: Actions of one key in one file (RL109 on each): every finding lists at
#: most 5 of the others, so the report grows linearly (it was 41 MB of text).
SAME_KEY_ACTIONS = 1000


def same_key_actions(count: int = SAME_KEY_ACTIONS) -> bytes:
    one = (
        "\n@registry.register(namespace='tools.x', description='d', default_title='T', display_group='G', "
        "doc_url='https://x.example')\nasync def same() -> int:\n    return 1\n"
    )
    return _py(one * count)


_RNG = random.Random(20240601)
_RANDOM_BYTES = bytes(_RNG.getrandbits(8) for _ in range(4096)) + b"\x00"
_ACTION_YML = "type: action\ndefinition:\n  name: x\n  namespace: tools.x\n  title: X\n  description: D\n  display_group: G\n"

CASES: tuple[Case, ...] = (
    # Python that LibCST cannot parse -> RL001 at the error.
    Case("py-unclosed-paren", "a.py", _py("x = (1,\n"), frozenset({"RL001"})),
    Case("py-bad-def", "a.py", _py("def f(:\n    pass\n"), frozenset({"RL001"})),
    Case("py-unterminated-string", "a.py", _py("x = 'abc\n"), frozenset({"RL001"})),
    Case("py-unterminated-triple", "a.py", _py('x = """abc\n'), frozenset({"RL001"})),
    Case("py-missing-indent", "a.py", _py("def f():\nreturn 1\n"), frozenset({"RL001"})),
    Case("py-unexpected-indent", "a.py", _py("  x = 1\n"), frozenset({"RL001"})),
    Case("py-mixed-tabs-spaces", "a.py", _py("if x:\n\tif y:\n        pass\n"), frozenset({"RL001"})),
    Case("py-invalid-char", "a.py", _py("x = 1 $ 2\n"), frozenset({"RL001"})),
    Case("py-keyword-target", "a.py", _py("class = 1\n"), frozenset({"RL001"})),
    Case("py-unmatched-close", "a.py", _py("x = 1)\n"), frozenset({"RL001"})),
    Case("py-continuation-at-eof", "a.py", _py("x = 1 + \\"), frozenset({"RL001"})),
    Case("py-nbsp", "a.py", _py("x\u00a0= 1\n"), frozenset({"RL001"})),
    Case("py-101-indent-levels", "a.py", _py("".join(" " * i + "if x:\n" for i in range(101)) + " " * 101 + "pass\n"), frozenset({"RL001"})),
    Case("py-nul-after-8k", "a.py", _py("x = 1\n" * 1500 + "y = '\x00'\n")),
    # Nesting that would crash or stall the native parser.
    Case("py-10k-parens", "a.py", _py("x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n"), frozenset({"RL001"}), native=True),
    Case("py-5k-lists", "a.py", _py("x = " + "[" * 5_000 + "]" * 5_000 + "\n"), frozenset({"RL001"}), native=True),
    Case("py-10k-unary", "a.py", _py("x = " + "-" * 10_000 + "1\n"), frozenset({"RL003"}), native=True),
    Case("py-10k-not", "a.py", _py("x = " + "not " * 10_000 + "1\n"), frozenset({"RL003"}), native=True),
    Case("py-50k-attributes", "a.py", _py("x = a" + ".b" * 50_000 + "\n"), frozenset({"RL003"}), native=True),
    Case("py-50k-plus-chain", "a.py", _py("x = " + "+".join(["1"] * 50_000) + "\n"), frozenset({"RL003"}), native=True),
    Case("py-10k-subscripts", "a.py", _py("x = a" + "[0]" * 10_000 + "\n"), frozenset({"RL003"}), native=True),
    Case("py-10k-lambdas", "a.py", _py("x = " + "lambda: " * 10_000 + "1\n"), frozenset({"RL003"}), native=True),
    Case("py-5k-lambda-defaults", "a.py", _py("x = " + "lambda a=" * 5_000 + "1" + ": 0" * 5_000 + "\n"), frozenset({"RL003"}), native=True),
    Case("py-5k-nested-fstrings", "a.py", _py("x = " + 'f"{' * 5_000 + "1" + '}"' * 5_000 + "\n"), frozenset({"RL003"}), native=True),
    Case("py-20k-elif", "a.py", _py("if a:\n    pass\n" + "elif a:\n    pass\n" * 20_000), frozenset({"RL003"}), native=True),
    Case("py-10k-and", "a.py", _py("x = " + " and ".join(["a"] * 10_000) + "\n"), frozenset({"RL003"}), native=True),
    Case("py-many-deep-lines", "a.py", _py(("x = " + "[" * 150 + "]" * 150 + "\n") * 400), frozenset({"RL003"}), native=True),
    # Huge but flat: linted normally.
    Case("py-900k-string", "a.py", _py("x = '" + "a" * 900_000 + "'\n")),
    Case("py-100k-digit-int", "a.py", _py("x = " + "9" * 100_000 + "\n")),
    Case("py-too-large", "a.py", _py("x = 1\n" * 200_000), frozenset({"RL003"})),
    # Encodings, BOMs and line endings.
    Case("py-latin1", "a.py", _py("x = 'caf\xe9'\n").replace(b"\xc3\xa9", b"\xe9"), frozenset({"RL003"})),
    Case("py-lone-surrogate", "a.py", MARKER.encode() + b"x = '\xed\xa0\x80'\n", frozenset({"RL003"})),
    Case("py-utf8-bom", "a.py", codecs.BOM_UTF8 + _py("x = 1\n")),
    Case("py-utf16-bom", "a.py", (MARKER + "x = 1\n").encode("utf-16")),
    Case("py-crlf", "a.py", _py("x = (1,\r\n  2)\r\n")),
    Case("py-lone-cr", "a.py", _py("x = 1\ry = 2\r").replace(b"\n", b"\r")),
    Case("py-bidi-controls", "a.py", _py("x = 'a\u202eb'  # \u2066 trojan \u2069\n")),
    Case("py-binary", "a.py", _RANDOM_BYTES, silent=True),
    Case("py-empty", "a.py", b"", silent=True),
    Case("py-whitespace", "a.py", b"  \n\t\n\x0c\n", silent=True),
    # Registry code with strange values: extraction must cope.
    Case(
        "py-register-garbage",
        "a.py",
        _py(
            "@registry.register(*a, **{'x': 1}, namespace=b'x', description=[], secrets=[*S, {**T}, RegistrySecret(name=1, keys='K'), RegistrySecret(*x)])\n"
            "async def f(x=lambda: (yield)):\n    return secrets.get(*k, **{})\n"
        ),
    ),
    Case("py-1000-same-key-actions", "a.py", same_key_actions()),
    # YAML that PyYAML cannot parse -> RL002.
    Case("yml-unclosed-flow", "t.yml", b"type: action\ndefinition:\n  title: [unclosed\n", frozenset({"RL002"})),
    Case("yml-tab-indent", "t.yml", b"a: b\n\tc: d\n", frozenset({"RL002"})),
    Case("yml-undefined-alias", "t.yml", b"type: action\ndefinition: *nope\n", frozenset({"RL002"})),
    Case("yml-two-documents", "t.yml", b"type: action\n---\ntype: action\n", frozenset({"RL002"})),
    Case("yml-control-char", "t.yml", b"type: action\ndefinition:\n  name: a\x07b\n", frozenset({"RL002"})),
    Case("yml-nul-after-8k", "t.yml", b"a: b\n" * 2000 + b"c: \x00\n", frozenset({"RL002"})),
    Case("yml-top-level-scalar", "t.yml", b"just a definition string\n", frozenset({"RL002"})),
    Case("yml-top-level-list", "t.yml", b"- type: action\n- definition: {}\n", frozenset({"RL002"})),
    # Resource exhaustion.
    Case("yml-billion-laughs", "t.yml", _billion_laughs().encode(), frozenset({"RL003"})),
    Case("yml-100k-flow-seq", "t.yml", b"[" * 100_000 + b"]" * 100_000 + b"\n", frozenset({"RL003"}), native=True),
    Case("yml-30k-flow-map", "t.yml", b"{a: " * 30_000 + b"1" + b"}" * 30_000 + b"\n", frozenset({"RL003"}), native=True),
    Case("yml-100k-block-seq", "t.yml", b"- " * 100_000 + b"x\n", frozenset({"RL003"}), native=True),
    Case("yml-deep-in-template", "t.yml", (_ACTION_YML + "  steps: " + "[" * 50_000 + "]" * 50_000 + "\n").encode(), frozenset({"RL003"}), native=True),
    Case("yml-recursive-alias", "t.yml", (_ACTION_YML + "  expects: &e {x: {type: str, description: d, more: *e}}\n  steps: &s [{ref: a, action: core.x, args: *s}]\n  returns: *s\n").encode(), frozenset({"RL003"})),
    Case("yml-recursive-alias-fanout", "t.yml", (_ACTION_YML + "  expects: &e {a: *e, b: *e, c: *e}\n  steps: [{ref: a, action: core.x, args: *e}]\n  returns: *e\n").encode(), frozenset({"RL003"})),
    Case("yml-900k-line", "t.yml", (_ACTION_YML + "  returns: " + "x" * 900_000 + "\n").encode()),
    Case("yml-60k-keys", "t.yml", "".join(f"k{i}: v\n" for i in range(60_000)).encode()),
    Case("yml-unclosed-expressions", "t.yml", (_ACTION_YML + "  returns: '" + "${{" * 100_000 + "'\n").encode()),
    Case("yml-expression-quotes", "t.yml", (_ACTION_YML + "  returns: \"${{ " + "'\\\\" * 50_000 + " }}\"\n").encode()),
    # Safe loading only: python tags are composed as plain nodes, never constructed.
    Case("yml-python-tags", "t.yml", b"type: action\ndefinition: !!python/object/apply:os.system ['exit 3']\nx: !!python/name:os.system\n"),
    Case("yml-bad-typed-scalars", "t.yml", (_ACTION_YML + "  steps: !!binary '%%%'\n  expects: !!timestamp nope\n  returns: !!int abc\n  doc_url: !!float x\n").encode()),
    Case("yml-wrong-shapes", "t.yml", b"type: action\ndefinition:\n  name: [1]\n  namespace: {a: b}\n  secrets: oops\n  expects: [1, 2]\n  steps: 5\n  returns: {? [a, b] : c}\n"),
    # Encodings and emptiness.
    Case("yml-latin1", "t.yml", "title: caf\xe9\n".encode("latin-1"), frozenset({"RL003"})),
    Case("yml-utf16-bom", "t.yml", _ACTION_YML.encode("utf-16")),
    Case("yml-utf8-bom", "t.yml", codecs.BOM_UTF8 + _ACTION_YML.encode()),
    Case("yml-crlf", "t.yml", _ACTION_YML.replace("\n", "\r\n").encode()),
    Case("yml-lone-cr", "t.yml", _ACTION_YML.replace("\n", "\r").encode()),
    Case("yml-binary", "t.yml", _RANDOM_BYTES, silent=True),
    Case("yml-empty", "t.yml", b"", silent=True),
    Case("yml-whitespace", "t.yml", b"   \n\n  \n", silent=True),
    Case("yml-null-document", "t.yml", b"~\n", silent=True),
    Case("yml-too-large", "t.yml", b"k: v\n" * 250_000, frozenset({"RL003"})),
    # Other text (credential scan only).
    Case("txt-binary", "notes.txt", _RANDOM_BYTES, silent=True),
    Case("txt-long-base64-line", "notes.md", bytes(_RNG.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(900_000))),
)
