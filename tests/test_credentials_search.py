"""The scanner's fast paths give exactly what the plain formulations they replace give.

Each fast path (anchored substring gate, per-regex search merge, anchored finders, ASCII
``HINT`` test, regex-driven signature spans, positions without code generation) is checked
against the straightforward version on generated texts built to hit its corner cases.
No credential-shaped literal lives here: bodies are drawn from a seeded generator.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from registry_lint.credentials import anchored, scanner, textcontext
from registry_lint.credentials.slot import HINT, hinted
from registry_lint.credentials.detectors import DETECTORS

_TOKEN = string.ascii_letters + string.digits + "_-"


def _plain_active(text: str) -> tuple[int, ...]:
    """``active_detectors`` as one ``in`` per substring."""
    out = []
    for i, det in enumerate(DETECTORS):
        subs = det.required_substrings
        if any(len(s) < 2 for s in subs):
            if det.precheck is None or re.search(det.precheck, text):
                out.append(i)
        elif det.ignore_case:
            if any(s.lower() in text.lower() for s in subs):
                out.append(i)
        elif any(s in text for s in subs):
            out.append(i)
    return tuple(out)


def _alternation(text: str, indices: tuple[int, ...]) -> list[tuple[tuple[int, int], str]]:
    """``finditer`` of one alternation of all the participating regexes."""
    parts, kinds = [], {}
    for i in indices:
        for j, source in enumerate(DETECTORS[i].sources()):
            kinds[f"d{i}_{j}"] = DETECTORS[i].kind
            parts.append(f"(?P<d{i}_{j}>{source})")
    if not parts:
        return []
    return [(m.span(), kinds[m.lastgroup or ""]) for m in re.finditer("|".join(parts), text)]


def _piece(rng: random.Random) -> str:
    def tok(n: int, alphabet: str = _TOKEN) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    subs = [s for det in DETECTORS for s in det.required_substrings]
    roll = rng.randrange(7)
    if roll == 0:
        return rng.choice(subs)
    if roll == 1:  # scheme://user:pass@host, often broken
        return (tok(rng.randint(0, 24), string.ascii_letters + string.digits + "+.-") + rng.choice(["://", ":/", "://"])
                + tok(rng.randint(0, 8)) + ":" + tok(rng.randint(0, 12)) + rng.choice(["@", "@", ""]) + tok(rng.randint(0, 6)))
    if roll == 2:  # discord-bot-token shape, lengths around the bounds
        return rng.choice("MNOx") + tok(rng.randint(22, 26)) + "." + tok(rng.randint(5, 7)) + "." + tok(rng.randint(25, 29))
    if roll == 3:  # mailchimp shape
        return tok(rng.randint(28, 36), "0123456789abcdefz") + "-us" + tok(rng.randint(0, 3), string.digits)
    if roll == 4:  # query parameters
        return rng.choice("?&;") + rng.choice(["token", "sv", "key", "sig", "api_key"]) + "=" + tok(rng.randint(4, 40))
    return tok(rng.randint(0, 40), _TOKEN + ".:/@=?& \n\"'")


@pytest.mark.parametrize("seed", range(8))
def test_gate_and_merged_search_equal_one_alternation(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        text = "".join(_piece(rng) for _ in range(rng.randint(0, 12)))
        active = scanner.active_detectors(text)
        assert active == _plain_active(text)
        merged = [(m.span(), det.kind) for m, det in scanner._matches(text, scanner._combined(active))]
        assert merged == _alternation(text, active)


@pytest.mark.parametrize("source", sorted(anchored._FACTORIES))
def test_anchored_finders_equal_search_from_every_position(source: str) -> None:
    rng = random.Random(source)
    pattern = re.compile(source)
    find = anchored.finder(source)
    hits = 0
    for _ in range(300):
        text = "".join(_piece(rng) for _ in range(rng.randint(1, 8)))
        for pos in range(0, len(text) + 1, 7):
            want = pattern.search(text, pos)
            got = find(text, pos)
            assert (got and got.span()) == (want and want.span())
            hits += want is not None
    assert hits  # the generator reaches the format


def test_unknown_source_gets_plain_search() -> None:
    assert anchored.finder(r"ab+c")("xxabbbc", 0).span() == (2, 7)


def test_hinted_equals_hint_regex() -> None:
    rng = random.Random(3)
    words = ["PASS", "pWd", "_PAT", "_pat_", "_Pat", " -U ", "\t-u\n", "-u", "--USER", "Get_Or_Default",
             "\u017fecret", "\u212aey", "x", " ", "aut", "h", "\u0130", "environ", "tok", "en"]
    for _ in range(20000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
        assert hinted(text) == bool(HINT.search(text)), repr(text)


def _plain_signatures(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in textcontext._DEF.finditer(text):
        depth, i, quote = 1, m.end(), ""
        while i < len(text) and depth:
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            i += 1
        spans.append((m.end(), i))
    return spans


def test_signatures_equal_char_by_char_scan() -> None:
    rng = random.Random(11)
    alphabet = list("ab \n\\\"'()[]{}x") + ["def f(", "def g[T](", "def  h ("]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert textcontext._signatures(text) == _plain_signatures(text), repr(text)


def test_literal_spans_equal_positions_index() -> None:
    import libcst as cst

    from registry_lint.credentials.cstcontext import _Spans
    from registry_lint.extract import python as pyx
    from registry_lint.source import SourceFile

    text = (
        "import x\n"
        "A = 'same=1'\n"
        "B = 'same=1'\n"  # twice: only the index knows which
        "def f(token='t0' 'k1', other=(\"p=q\"), *, c=f'a={1}' + 'b', d=('x' 'y')):\n"
        "    return {'k': ('multi'\n"
        "                  'line=2'), \"api_key\": b'raw=3', 'e': f'{(1 +\n    2)}z'}\n"
        "class C:\n"
        "    x: str = 'unique:4'  # secret = 5\n"
        "    y = 'a' + ('b')\n"
    )
    src = SourceFile("t.py", text, "python")
    parsed = pyx.extract(src, pyx.parse_python(src))
    spans = _Spans(parsed, text)
    nodes = [n for kind in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation)
             for n in parsed.find(kind)]
    assert len(nodes) > 15
    for node in nodes:
        assert spans(node) == parsed.scope.positions.span(node)


def test_textcontext_prechecks_are_necessary() -> None:
    """The cheap tests in front of ``_PROSE_NAME`` and ``_ANNOTATED`` never skip a match."""
    rng = random.Random(13)
    words = ["API KEY", "api key", "Access Token", "CLIENT SECRET", "bot token", " ", "=", ":", "'", '"', "x",
             "\u212aey", "\u017fecret", "token", "a: str = 'v'", "b:int=\"q\"", "c: list[str] =\t'w'", "`", "\n", "0"]
    prose = annotated = 0
    for _ in range(30000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        if textcontext._PROSE_NAME.search(text):
            prose += 1
            assert textcontext._prose_possible(text), repr(text)
        if textcontext._ANNOTATED.search(text):
            annotated += 1
            assert textcontext._EQ_QUOTE.search(text), repr(text)
    assert prose and annotated


# The plugin regexes `detectors.PLUGIN_NEEDS` was derived from (detect-secrets NEEDS_VERSION).
_NEEDS_FROM = {
    "openai:OpenAIDetector:0": r"sk-[A-Za-z0-9-_]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}",
    "discord:DiscordBotTokenDetector:0": r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",
    "mailchimp:MailchimpDetector:0": r"[0-9a-z]{32}-us[0-9]{1,2}",
}


def test_plugin_needs_hold_for_the_installed_plugins() -> None:
    from registry_lint.credentials.detectors import PLUGIN_NEEDS, needs_hold, plugin_pattern

    assert set(PLUGIN_NEEDS) == set(_NEEDS_FROM)
    if not needs_hold():
        pytest.skip("another detect-secrets release: the needs are not used")
    for ref, source in _NEEDS_FROM.items():
        assert plugin_pattern(ref) == source
    # Every match of the plugin regex contains a match of its need.
    rng = random.Random(17)
    b62 = string.ascii_letters + string.digits
    shapes = {
        "openai:OpenAIDetector:0": lambda: "sk-" + "".join(rng.choice(b62 + "-_") for _ in range(rng.randint(0, 9)))
        + "".join(rng.choice(b62) for _ in range(20)) + "T3BlbkFJ" + "".join(rng.choice(b62) for _ in range(20)),
        "discord:DiscordBotTokenDetector:0": lambda: rng.choice("MNO") + "".join(rng.choice(_TOKEN) for _ in range(rng.randint(23, 25)))
        + "." + "".join(rng.choice(_TOKEN) for _ in range(6)) + "." + "".join(rng.choice(_TOKEN) for _ in range(27)),
        "mailchimp:MailchimpDetector:0": lambda: "".join(rng.choice("0123456789abcdefz") for _ in range(32)) + "-us" + str(rng.randint(0, 99)),
    }
    for ref, shape in shapes.items():
        plugin, need = re.compile(_NEEDS_FROM[ref]), re.compile(PLUGIN_NEEDS[ref])
        for _ in range(300):
            match = plugin.search(shape())
            assert match is not None and need.search(match.group())


def test_plugin_regex_that_cannot_match_is_not_imported() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from registry_lint.credentials.scanner import scan_text\n"
        "scan_text('t.yml', 'doc_url: https://a.example/x\\nref: tools.abcdef.lookup\\nregion: us-east\\n', 'yaml')\n"
        "print(any(m.split('.')[0] in ('detect_secrets', 'requests') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    from registry_lint.credentials.detectors import needs_hold

    assert out.stdout.strip() == ("False" if needs_hold() else "True")
