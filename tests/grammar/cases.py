"""Inputs for the grammar recorder (``record.py``): hand-written edge cases,
seeded random expressions and types, and mutations of both.

Deterministic (fixed seeds), so a rerun against the same Tracecat commit
writes the same files. Nothing here knows the verdicts: those come from
Tracecat's grammar when ``record.py`` runs.
"""

from __future__ import annotations

import random

# Expressions ----------------------------------------------------------------------
EDGE_EXPRESSIONS = [
    # contexts and their paths
    "inputs.x", "inputs .x", "inputs. x", "inputs", "inputs.x.y", "inputs['x']", 'inputs["x"]', "inputs[0]",
    "inputs.x[0]", "inputs.x [0]", "inputs[var.k]", "inputs.*", "inputs..x", "inputs...x", "inputs.'x'",
    "inputs.`x`", "inputs.x[]", "inputs[]", "inputs[']']", "inputs.x-y", "inputs.1x", "inputs._x",
    "steps.a.result", "steps.a.result[0].b", "steps['a'].result", "steps", "steps.a.result[*]",
    "SECRETS.a.B", "SECRETS.a", "SECRETS.a.B.C", "SECRETS", "SECRETS .a.B", "SECRETS.a .B", "SECRETS['a'].B",
    "SECRETS.a-b.C", "SECRETS.1a.B", "secrets.a.B", "Secrets.a.B", "SECRETS.a.B || SECRETS.b.C",
    "VARS.v", "VARS.v.k", "VARS", "VARS[0]", "ENV.x", "ENV", "ENV[0]", "ACTIONS.a.result", "ACTIONS", "ACTIONS[0]",
    "TRIGGER", "TRIGGER.x", "TRIGGER[0]", "TRIGGER []", "TRIGGER[]", "TRIGGER [0]", "TRIGGER.x[0]", "TRIGGER +1",
    "TRIGGER.x.y == 1", "TRIGGERx", "var.x", "var", "var[0]", "vars.x", "VAR.x", "var.x.y[0]",
    # literals
    "1", "01", "1.5", "1.", ".5", "-1", "+1", "--1", "- -1", "1e5", "1_000", "١٢", "'a'", '"a"', "'a\\'b'", "'a\\\nb'",
    "'a\nb'", "''", '""', "'", '"', "'a\" ", "True", "False", "None", "true", "null", "Truex", "True1",
    "None.x", "[1, 2]", "[1, 2,]", "[,]", "[]", "[ ]", "{}", "{ }", "{'a': 1}", '{"a": 1, "b": [2]}', "{'a': 1,}",
    "{a: 1}", "{1: 2}", "{'a' 1}", "{'a':}", "{'a': 1 'b': 2}",
    # operators
    "1 + 2", "1+2", "1 - 2", "1-2", "1 -2", "1->int", "1 -> int", "1 ->int", "1-> int", "1 - > int",
    "1 -> integer", "1 -> datetime", "1 -> int -> str", "(1 -> int)", "[1 -> int]", "FN.f(1 -> int)",
    "1 * 2 / 3 % 4", "1 ** 2", "1 // 2", "a", "1 == 2", "1 != 2", "1 = 2", "1 === 2", "1 <> 2", "1 >= 2",
    "1 > = 2", "1 <= 2", "1 < 2", "1 > 2", "1 < 2 < 3", "1 == 2 == 3", "1 || 2", "1 && 2", "1 | 2", "1 & 2",
    "1 or 2", "1 and 2", "not 1", "not not 1", "not(1)", "notTrue", "not True", "not-1", "- not 1",
    "1 && not 2", "1 || not 2", "not 1 || 2", "1 == not 2", "not 1 == 2", "1 in [1]", "1 not in [1]",
    "1 notin [1]", "1 not  in [1]", "1 not", "1 not 2", "1 in", "1 is None", "1 is not None", "1 isnot None",
    "1 is  not None", "1 is nothing", "1 inx", "1 in[1]", "1in[1]", "x in inputs.y", "inputs.x in inputs.y",
    "1 if True else 2", "1if True else 2", "1 if True else 2 if False else 3", "1 if 2 if 3 else 4 else 5",
    "1 if True", "1 else 2", "(1 if True else 2) if 3 else 4", "1 if True else", "1 if (2 if 3 else 4) else 5",
    "1 if True elsex", "1 if True else2", "1 if 1 == 2 else 3 + 4", "not 1 if 2 else 3",
    # casts
    "int(1)", "int (1)", "int( 1 )", "int(1, 2)", "int()", "int", "int[1]", "float('1.5')", "str(inputs.x)",
    "bool(1)", "datetime(1)", "list(1)", "int(1)[0]", "-int(1)", "integer(1)", "Int(1)", "intx(1)",
    # functions
    "FN.f()", "FN.f(1)", "FN.f(1, 2)", "FN.f(1,)", "FN.f(,)", "FN. f()", "FN .f()", "FN.f ()", "FN.f.map(1)",
    "FN.f.g.h()", "FN.f", "FN.()", "FN.1f()", "FN.f(1)[0]", "FN.f(1).x", "fn.f()", "FN.f(x=1)", "FN.f((1))",
    "FN.add(1, FN.mul(2, 3))", "FN.f(inputs.x, 'a', [1], {'k': 2})", "FN.lowercase(inputs.x) == 'a'",
    # iterators
    "for var.x in inputs.y", "for var.x in [1]", "for var in [1]", "for x in [1]", "for var.x.y in [1]",
    "for var.x in", "for var.x inputs.y", "forvar.x in [1]", "for var.x in [1] -> int", "1 for var.x in [1]",
    "(for var.x in [1])", "format", "for",
    # grouping, indexing and whitespace
    "(1)", "((1))", "(1", "1)", "()", "[1][0]", "[1] [0]", "[1][0][1]", "x[0]", "inputs.x[0][1]",
    "inputs.x [0] [1]", "(inputs.x)[0]", "inputs.x[0:1]", " 1", "1 ", "\t1\n", "1\v", "\u00a01", "1\u00a0+ 2",
    "1\f+\r2", "", " ", "\n",
]

_ATOMS = [
    "inputs.x", "inputs.user_id", "inputs.a.b", "inputs['k']", "steps.s.result", "steps.s.result.data[0]",
    "steps.s.result[*].id", "SECRETS.a.B", "SECRETS.a_oauth.A_USER_TOKEN", "VARS.v.k", "ENV.x", "ACTIONS.a.result",
    "TRIGGER", "TRIGGER.x", "var.x", "1", "42", "1.5", "0", "'s'", '"d"', "'it\\'s'", "True", "False", "None",
    "[]", "{}",
]
_FUNCTIONS = ["lowercase", "add", "concat", "to_json", "is_null", "join", "format", "f.map", "length", "zip"]
_BINARY = ["+", "-", "*", "/", "%", "==", "!=", ">", ">=", "<", "<=", "in", "not in", "is", "is not", "||", "&&"]
_SPACES = ["", " ", " ", " ", "  ", "\t", "\n"]


def _ws(rng: random.Random) -> str:
    return rng.choice(_SPACES)


def _expr(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(_ATOMS)
    w = lambda: _ws(rng)
    sub = lambda: _expr(rng, depth - 1)
    choice = rng.randrange(11)
    if choice == 0:
        args = [sub() for _ in range(rng.randrange(4))]
        return f"FN.{rng.choice(_FUNCTIONS)}{w()}({w()}{(w() + ',' + w()).join(args)}{w()})"
    if choice == 1:
        return f"{rng.choice(['int', 'float', 'str', 'bool'])}{w()}({w()}{sub()}{w()})"
    if choice == 2:
        return f"({w()}{sub()}{w()})"
    if choice == 3:
        return f"[{w()}{(',' + w()).join(sub() for _ in range(rng.randrange(3)))}{w()}]"
    if choice == 4:
        items = [f"'k{i}'{w()}:{w()}{sub()}" for i in range(rng.randrange(3))]
        return "{" + w() + ("," + w()).join(items) + w() + "}"
    if choice in (5, 6):
        return f"{sub()}{' ' if rng.random() < 0.8 else w()}{rng.choice(_BINARY)} {sub()}"
    if choice == 7:
        return f"{rng.choice(['-', '+', 'not '])}{sub()}"
    if choice == 8:
        return f"{sub()} if {sub()} else {sub()}"
    if choice == 9:
        return f"{sub()}[{w()}{sub()}{w()}]"
    return rng.choice(_ATOMS)


def _top(rng: random.Random) -> str:
    body = _expr(rng, rng.randrange(1, 5))
    roll = rng.random()
    if roll < 0.08:
        return f"{body} -> {rng.choice(['int', 'float', 'str', 'bool'])}"
    if roll < 0.12:
        return f"for var.item in {body}"
    return body


_NOISE = list(".[]()'\"-><=!|&,:{}*+%/ \t\n\vab_1") + ["\u00a0", "not", "in", "is", "if", "else", "->", "FN.", "None"]


def mutate(rng: random.Random, text: str) -> str:
    if not text:
        return rng.choice(_NOISE)
    i = rng.randrange(len(text))
    kind = rng.randrange(5)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + rng.choice(_NOISE) + text[i:]
    if kind == 2 and len(text) > 1:
        j = min(i + 1, len(text) - 1)
        return text[:i] + text[j] + text[i] + text[j + 1 :]
    if kind == 3:
        return text.replace(" ", "", 1) if " " in text else text + rng.choice(_NOISE)
    j = rng.randrange(i, len(text) + 1)
    return text[:i] + text[j:]


def expressions(n_random: int = 2000, n_mutations: int = 3500) -> list[str]:
    rng = random.Random(20260611)
    out = list(EDGE_EXPRESSIONS)
    out += [_top(rng) for _ in range(n_random)]
    pool = list(out)
    out += [mutate(rng, rng.choice(pool)) for _ in range(n_mutations)]
    return list(dict.fromkeys(out))  # unique, first occurrence order


# Types ----------------------------------------------------------------------------
EDGE_TYPES = [
    "str", "int", "float", "bool", "datetime", "duration", "any", "Any", "None", "null", "none", "NoneType",
    "string", "integer", "number", "boolean", "object", "array", "String", "Str", "Int", "Bool", "ANY",
    "list", "list[]", "list[str]", "list [ str ]", "list[str, int]", "List[str]", "list[list[str]]",
    "dict", "dict[]", "dict[str]", "dict[str, Any]", "dict[str,int]", "Dict[str, Any]", "dict[str, list[int]]",
    "dict[list[str], int]", "dict[None, str]", "dict[str, Any, int]", "dict [str, int]",
    "str | None", "str|None", "str | int | None", "str |", "| str", "str || int", "str | | int", "None | None",
    "Optional[str]", "Union[str, int]", "Literal['a']", "tuple[str]", "set[str]", "Any | None", "any | str",
    'enum["a"]', "enum['a']", 'enum["a", "b"]', "enum[]", 'enum[""]', "enum['']", 'enum["a", "A"]',
    'enum["a", "a"]', 'enum["a",]', 'enum[a]', "enum[1]", 'enum["a" "b"]', 'enum ["a"]', 'Enum["a"]',
    'enum["\'a\'"]', "enum[\"'\"]", 'enum["a\'b"]', "enum['a\"b']", 'enum["a b"]', 'enum["ä", "Ä"]',
    'enum["ß", "SS"]', 'enum["a"] | None', 'list[enum["x", "y"]]', 'enum["a", "b"] | enum["A"]',
    "enum[" + ", ".join(f'"v{i}"' for i in range(20)) + "]", "enum[" + ", ".join(f'"v{i}"' for i in range(21)) + "]",
    "$Ref", "$ Ref", "$ref_1", "$", "$1", "list[$Ref]", "$Ref | None", "dict[str, $Ref]",
    "", " ", " str", "str ", "\tstr\n", "str\v", "\u00a0str", "str\u00a0| None", "strx", "intstr", "str int",
    "[str]", "{str: int}", "str?", "str[]", "list<str>", "int32", "datetime | None", "duration | str",
]
_TYPE_ATOMS = ["str", "int", "float", "bool", "datetime", "duration", "any", "Any", "None", "dict"]


def _type(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.35:
        return rng.choice(_TYPE_ATOMS)
    w = lambda: rng.choice(["", " ", " ", "  "])
    choice = rng.randrange(4)
    if choice == 0:
        return f"list{w()}[{w()}{_type(rng, depth - 1)}{w()}]"
    if choice == 1:
        return f"dict[{_type(rng, depth - 1)},{w()}{_type(rng, depth - 1)}]"
    if choice == 2:
        return f"{w()}|{w()}".join(_type(rng, depth - 1) for _ in range(rng.randrange(2, 4)))
    values = [rng.choice(["a", "b", "A", "open", "Open", "x y", "", "c'd"]) for _ in range(rng.randrange(1, 4))]
    quote = rng.choice(["'", '"'])
    return "enum[" + ", ".join(f"{quote}{v}{quote}" for v in values) + "]"


_TYPE_NOISE = list("[]|,'\"$ \t\v") + ["list", "dict", "enum", "str", "None", "Optional", "\u00a0"]


def types(n_random: int = 500, n_mutations: int = 700) -> list[str]:
    rng = random.Random(20260612)
    out = list(EDGE_TYPES)
    out += [_type(rng, rng.randrange(1, 4)) for _ in range(n_random)]
    pool = list(out)
    for _ in range(n_mutations):
        text = rng.choice(pool)
        if not text:
            out.append(rng.choice(_TYPE_NOISE))
            continue
        i = rng.randrange(len(text))
        if rng.random() < 0.5:
            out.append(text[:i] + text[i + 1 :])
        else:
            out.append(text[:i] + rng.choice(_TYPE_NOISE) + text[i:])
    return list(dict.fromkeys(out))


# Template strings (how ``${{ }}`` are found in a string) -------------------------
EDGE_TEMPLATES = [
    "${{ inputs.x }}", "a ${{ inputs.x }} b ${{ inputs.y }}", "${{}}", "${{ }}", "${{  }}}", "${{}} ${{ x }}",
    "${{ {'a': {'b': 1}} }}", "${{ x }", "${ x }}", "$${{ x }}", "${{ x }}}}", "${{${{ x }}}}", "${{\nx\n}}",
    "${{ x\u00a0}}", "${{\u00a0x }}", "${{ 'a}}' }}", "${{ x }} ${{", "${{ ${{ }}", "}}${{x}}", "${{ \t }}",
    "${{ a }}${{ b }}", "no template", "${{", "}}", "$ {{ x }}", "${{ x } }", "${{ x }}\n${{ y }}",
]


def templates(n_random: int = 300) -> list[str]:
    rng = random.Random(20260613)
    parts = ["${{", "}}", " ", "x", "\n", "}", "{", "$", "a b", "${{ inputs.x }}", "'}}'", "\t"]
    out = list(EDGE_TEMPLATES)
    out += ["".join(rng.choice(parts) for _ in range(rng.randrange(1, 9))) for _ in range(n_random)]
    return list(dict.fromkeys(out))
