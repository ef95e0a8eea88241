"""The TypeScript extractor: imports, static values, flows, positions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from registry_lint.extract import typescript as tsx
from registry_lint.extract import wants_typescript_parse
from registry_lint.model import UNKNOWN
from registry_lint.source import SourceFile


def extract(code: str, path: str = "x.ts") -> tsx.TsFile:
    text = textwrap.dedent(code).lstrip("\n")
    src = SourceFile(path, text, "typescript")
    return tsx.extract(src, tsx.parse_tree(src), "app")


def test_the_gate_needs_the_package_and_an_api_name() -> None:
    assert wants_typescript_parse('import { readAppSecret } from "@agent-native/core/secrets";')
    assert not wants_typescript_parse('import { Button } from "@agent-native/core/client";')
    assert not wants_typescript_parse('import { readAppSecret } from "./storage";')


@pytest.mark.parametrize(
    "imports, call",
    [
        ('import { registerRequiredSecret } from "@agent-native/core/secrets";', "registerRequiredSecret"),
        ('import { registerRequiredSecret as reg } from "@agent-native/core";', "reg"),
        ('import * as secrets from "@agent-native/core/secrets";', "secrets.registerRequiredSecret"),
        ('import core from "@agent-native/core";', "core.registerRequiredSecret"),
        ('const { registerRequiredSecret: reg } = require("@agent-native/core/secrets");', "reg"),
        ('const secrets = await import("@agent-native/core/secrets");', "secrets.registerRequiredSecret"),
    ],
)
def test_import_forms(imports: str, call: str) -> None:
    parsed = extract(f'{imports}\n{call}({{ key: "A_KEY", label: "A", scope: "user", kind: "api-key" }});\n')
    (reg,) = parsed.model.registrations
    assert reg.key_text == "A_KEY" and reg.location.line == 2 and reg.location.col == 1


@pytest.mark.parametrize(
    "imports",
    [
        'import type { registerRequiredSecret } from "@agent-native/core/secrets";',
        'import { registerRequiredSecret } from "@other/core";',
        'import { listRequiredSecrets as registerRequiredSecret } from "@agent-native/core";',
        "",
    ],
)
def test_other_names_are_not_the_api(imports: str) -> None:
    parsed = extract(f'{imports}\nregisterRequiredSecret({{ key: "A_KEY" }});\n')
    assert parsed.model.registrations == ()


def test_static_values() -> None:
    parsed = extract(
        """
        import { registerRequiredSecret, readAppSecret } from "@agent-native/core/secrets";
        const PREFIX = "OPENAI";
        const KEYS = { openai: `${"x"}`, groq: "GROQ_API_KEY" } as const;
        const key = PREFIX + "_API_KEY";
        registerRequiredSecret({ key, label: `Open\\u0041I`, scope: "user" as const, kind: "api-key", required: true });
        registerRequiredSecret({ key: KEYS.groq, label: "G", scope: SCOPE, kind: "api-key", docsUrl: `https://${host}` });
        function f(key: string) {
          const scope = "workspace";
          return readAppSecret({ key, scope, scopeId: "x" });
        }
        """
    )
    first, second = parsed.model.registrations
    assert (first.key_text, first.label.value, first.scope_text, first.required.value) == ("OPENAI_API_KEY", "OpenAI", "user", True)
    assert (second.key_text, second.scope.value, second.docs_url.value) == ("GROQ_API_KEY", UNKNOWN, UNKNOWN)
    assert second.scope.expr == "SCOPE"
    (read,) = parsed.model.reads
    assert read.key.value is UNKNOWN  # a parameter shadows the module-level `key`
    assert read.scope_text == "workspace" and read.scope_id.value == "x"


def test_spreads_and_variables_make_a_registration_incomplete() -> None:
    parsed = extract(
        """
        import { registerRequiredSecret } from "@agent-native/core/secrets";
        registerRequiredSecret({ ...base, key: "A_KEY" });
        registerRequiredSecret(secret);
        registerRequiredSecret({ key: "B_KEY", label: "B", scope: "user", kind: "api-key", docUrl: "x", [name]: 1 });
        """
    )
    spread, variable, computed = parsed.model.registrations
    assert not spread.complete and spread.key_text == "A_KEY"
    assert not variable.complete and variable.key is None
    assert not computed.complete and [u.value for u in computed.unknown_fields] == ["docUrl"]


def test_positions_are_characters_not_bytes() -> None:
    parsed = extract(
        """
        import { registerRequiredSecret } from "@agent-native/core/secrets";
        const é = "ü"; registerRequiredSecret({ key: "Ä_KEY", label: "😀", scope: "user", kind: "api-key" });
        """
    )
    (reg,) = parsed.model.registrations
    line = parsed.source.line_text(2)
    assert line[reg.location.col - 1 : reg.location.end_col - 1] == "registerRequiredSecret"
    assert line[reg.key.location.col - 1 : reg.key.location.end_col - 1] == '"Ä_KEY"'
    assert line[reg.label.location.col - 1 : reg.label.location.end_col - 1] == '"😀"'


def test_value_flows_to_sinks() -> None:
    parsed = extract(
        """
        import { readAppSecret, registerRequiredSecret } from "@agent-native/core/secrets";
        import { resolveSecret } from "@agent-native/core/server";
        registerRequiredSecret({ key: "A", label: "A", scope: "user", kind: "api-key", validator(v) { log.debug(v); throw new Error(v); } });
        export async function run(email: string) {
          const { value: key } = (await readAppSecret({ key: "A", scope: "user", scopeId: email }))!;
          let copy;
          copy = key.trim();
          console.warn(JSON.stringify({ copy }));
          res.json({ token: await resolveSecret("B") });
          console.log(key.length, "ok");
          const value = "not a secret";
          console.log(value);
        }
        """
    )
    sinks = sorted((loc.line, sink, api) for loc, sink, api, _ in parsed.leaks)
    assert sinks == [(3, "log.debug", "validator"), (8, "console.warn", "readAppSecret"), (9, "response", "resolveSecret")]


def test_handler_returns_are_responses() -> None:
    parsed = extract(
        """
        import { readAppSecret } from "@agent-native/core/secrets";
        export default defineAction({
          run: async ({ email }) => {
            const s = await readAppSecret({ key: "A", scope: "user", scopeId: email });
            return { key: s?.value };
          },
        });
        export const h = defineEventHandler(async () => (await readAppSecret({ key: "B", scope: "user", scopeId: "x" }))?.value);
        function helper() { return readAppSecret({ key: "C", scope: "user", scopeId: "x" }); }
        """
    )
    assert sorted((loc.line, sink) for loc, sink, _, _ in parsed.leaks) == [(5, "return"), (8, "return")]


def test_env_fallbacks() -> None:
    parsed = extract(
        """
        import { readAppSecret } from "@agent-native/core/secrets";
        export async function run(email: string, apiKey = process.env.OPENAI_API_KEY, { token = import.meta.env.TOKEN } = {}) {
          const s = await readAppSecret({ key: "A", scope: "user", scopeId: email });
          const a = s?.value || process.env["A_KEY"];
          const b = process.env.B ?? s?.value;
          const c = s ? s.value : process.env.C;
          const d = other ?? process.env.D;
        }
        """
    )
    got = [(f.env_key, f.via, f.read.key_text if f.read else None) for f in parsed.model.env_fallbacks]
    assert got == [
        ("OPENAI_API_KEY", "default", None), ("TOKEN", "default", None),
        ("A_KEY", "||", "A"), ("B", "??", "A"), ("C", "?:", "A"),
    ]


def test_key_references_and_their_urls() -> None:
    parsed = extract(
        """
        import { resolveKeyReferences } from "@agent-native/core/secrets";
        const a = "https://hooks.slack.com/services/${keys.SLACK_PATH}";
        const b = { url: "https://api.acme.io/v1", headers: { Authorization: "Bearer ${keys.ACME}" } };
        const c = "https://${keys.HOST}/x";
        const d = `literal \\${keys.ESCAPED} and ${keys.CODE}`;
        await resolveKeyReferences("${keys.WS}", "workspace", id);
        """
    )
    got = [(r.name, r.url.value if r.url else None, r.scope.value if r.scope else None) for r in parsed.model.key_refs]
    assert got == [
        ("SLACK_PATH", "https://hooks.slack.com/services/${keys.SLACK_PATH}", None),
        ("ACME", "https://api.acme.io/v1", None),
        ("HOST", None, None),
        ("ESCAPED", None, None),
        ("WS", None, "workspace"),
    ]
    ref = parsed.model.key_refs[0]
    assert parsed.source.line_text(ref.location.line)[ref.location.col - 1 : ref.location.end_col - 1] == "${keys.SLACK_PATH}"


def test_calls_in_unparsable_code_are_reported() -> None:
    parsed = extract(
        """
        import { readAppSecret } from "@agent-native/core/secrets";
        const x = readAppSecret({ key: "A", scope: "user", scopeId: ) ] ;
        const y = vi.importActual<typeof import("./z")>();
        """
    )
    assert [loc.line for loc in parsed.unparsed_calls] == [2]


def test_app_root_records_every_candidate(tmp_path: Path) -> None:
    (tmp_path / "app" / "server" / "lib").mkdir(parents=True)
    (tmp_path / "app" / "package.json").write_text("{}")
    path = str(tmp_path / "app" / "server" / "lib" / "x.ts")
    app, deps = tsx.app_root(path)
    assert app == str(tmp_path / "app")
    assert deps == (
        str(tmp_path / "app" / "server" / "lib" / "package.json"),
        str(tmp_path / "app" / "server" / "package.json"),
        str(tmp_path / "app" / "package.json"),
    )


def test_deep_nesting_does_not_crash() -> None:
    deep = "(" * 3000 + "1" + ")" * 3000
    parsed = extract(
        f'import {{ readAppSecret }} from "@agent-native/core/secrets";\nconst s = await readAppSecret({{ key: "A" }});\nconsole.log(s?.value ?? {deep});\n'
    )
    assert len(parsed.model.reads) == 1
