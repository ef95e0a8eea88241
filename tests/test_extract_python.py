"""The Python extractor: import spellings, constants, secrets, refs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from registry_lint.extract import python as pyx
from registry_lint.model import UNKNOWN
from registry_lint.source import SourceFile


def extract(code: str, path: str = "m.py") -> pyx.PythonFile:
    src = SourceFile(path, textwrap.dedent(code).lstrip("\n"), "python")
    return pyx.extract(src, pyx.parse_python(src))


@pytest.mark.parametrize(
    ("imports", "decorator"),
    [
        ("from tracecat_registry import registry", "registry.register"),
        ("from tracecat_registry import registry as r", "r.register"),
        ("import tracecat_registry", "tracecat_registry.registry.register"),
        ("import tracecat_registry as tr", "tr.registry.register"),
        ("from tracecat_registry._internal import registry", "registry.register"),
        ("from tracecat_registry._internal.registry import register", "register"),
        ("from tracecat_registry._internal.registry import register as reg", "reg"),
    ],
)
def test_every_import_spelling_of_register(imports: str, decorator: str) -> None:
    parsed = extract(f"{imports}\n\n@{decorator}(description='d', namespace='tools.x')\nasync def act() -> int:\n    return 1\n")
    assert [a.spec.name.value for a in parsed.actions] == ["act"]
    assert parsed.actions[0].spec.namespace.value == "tools.x"


@pytest.mark.parametrize(
    "code",
    [
        "from other import registry\n\n@registry.register(description='d')\nasync def act(): ...\n",
        "registry = object()\n\n@registry.register(description='d')\nasync def act(): ...\n",
        "from tracecat_registry import registry\n\n@registry.other(description='d')\nasync def act(): ...\n",
    ],
)
def test_lookalikes_are_not_actions(code: str) -> None:
    assert extract(code).actions == []


def test_module_constants_and_concatenation_resolve() -> None:
    parsed = extract(
        """
        from tracecat_registry import registry
        NS = "tools." + "exa"
        DOC = ("Search "
               "the web")
        ALIAS = DOC
        @registry.register(description=ALIAS, namespace=NS, doc_url=f"https://x.example")
        async def search(): ...
        """
    )
    spec = parsed.actions[0].spec
    assert spec.namespace.value == "tools.exa"
    assert spec.description.value == "Search the web"
    assert spec.doc_url.value == "https://x.example"
    # The location of a constant's value is where the literal is.
    assert spec.namespace.location.line == 2


def test_constant_assigned_after_the_action_does_not_apply() -> None:
    parsed = extract(
        """
        from tracecat_registry import registry
        NS = "tools.a"
        @registry.register(description="d", namespace=NS)
        async def first(): ...
        NS = "tools.b"
        @registry.register(description="d", namespace=NS)
        async def second(): ...
        """
    )
    assert [a.spec.namespace.value for a in parsed.actions] == ["tools.a", "tools.b"]


def test_unknown_expressions_are_unknown_not_guessed() -> None:
    parsed = extract(
        """
        from tracecat_registry import registry
        from elsewhere import describe
        @registry.register(description=describe(), namespace=NAME_FROM_NOWHERE, **extra)
        async def act(): ...
        """
    )
    spec = parsed.actions[0].spec
    assert spec.description.value is UNKNOWN
    assert spec.namespace.value is UNKNOWN
    assert spec.title.value is UNKNOWN  # **extra may hold it


def test_secrets_star_unpacked_legacy_and_oauth() -> None:
    parsed = extract(
        """
        from tracecat_registry import RegistrySecret, RegistryOAuthSecret, registry, secrets
        BASE = [RegistrySecret(name="exa", keys=["EXA_API_KEY"], optional_keys=["EXA_REGION"])]
        oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")
        @registry.register(description="d", namespace="tools.x", secrets=[*BASE, oauth, {"name": "legacy", "keys": ["K"]}])
        async def act():
            a = secrets.get("EXA_API_KEY")
            b = secrets.get(oauth.token_name)
            return helper()
        def helper():
            return secrets.get_or_default("K", None)
        def orphan():
            return secrets.get("NOBODY")
        """
    )
    spec = parsed.actions[0].spec
    assert [s.secret_name for s in spec.secrets] == ["exa", "slack_oauth", "legacy"]
    assert spec.secrets[0].key_names() == ("EXA_API_KEY",)
    assert spec.secrets[0].key_names(optional=True) == ("EXA_REGION",)
    assert spec.secrets[1].token_name == "SLACK_USER_TOKEN"
    assert spec.secrets[2].legacy_dict
    assert [(r.via, r.key) for r in spec.refs] == [
        ("get", "EXA_API_KEY"),
        ("get", "SLACK_USER_TOKEN"),
        ("get_or_default", "K"),
    ]
    assert [r.key for r in parsed.module_refs] == ["NOBODY"]
    assert all(not r.attributed for r in parsed.module_refs)


def test_secrets_imported_from_a_sibling_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "common.py").write_text(
        "from tracecat_registry import RegistrySecret\nSECRETS = [RegistrySecret(name='acme', keys=['ACME_KEY'])]\nNS = 'tools.acme'\n"
    )
    code = (
        "from tracecat_registry import registry\nfrom .common import SECRETS, NS\n"
        "@registry.register(description='d', namespace=NS, secrets=SECRETS)\nasync def act(): ...\n"
    )
    parsed = extract(code, path=str(tmp_path / "pkg" / "actions.py"))
    spec = parsed.actions[0].spec
    assert spec.namespace.value == "tools.acme"
    assert [s.secret_name for s in spec.secrets] == ["acme"]
    assert spec.secrets[0].location.path.endswith("common.py")
    assert any(d.endswith("common.py") for d in parsed.scope.deps)


def test_pep695_syntax_parses_on_any_interpreter() -> None:
    parsed = extract(
        """
        from typing import Annotated
        from typing_extensions import Doc
        from tracecat_registry import registry
        type Host = Annotated[str, Doc("Host")]
        @registry.register(description="d", namespace="tools.x")
        async def act[T](host: Host) -> str:
            return host
        """
    )
    assert parsed.actions[0].spec.name.value == "act"
    assert "Host" in parsed.scope.assignments


def test_positions_are_exact_with_unicode_and_crlf() -> None:
    code = "from tracecat_registry import registry\r\n# \u00e9\u00e9\u00e9\r\n@registry.register(description='d', namespace='tools.\u00e9')\r\nasync def act(): ...\r\n"
    src = SourceFile("m.py", code, "python")
    parsed = pyx.extract(src, pyx.parse_python(src))
    spec = parsed.actions[0].spec
    assert (spec.location.line, spec.location.col) == (4, 11)
    assert (spec.namespace.location.line, spec.namespace.location.col) == (3, 47)


def test_string_python_cannot_evaluate_is_unknown_not_a_crash() -> None:
    # LibCST parses `"\u20e"`; ast.literal_eval (evaluated_value) raises SyntaxError.
    from pathlib import Path

    from registry_lint import engine
    from registry_lint.config_table import parse_config

    text = (
        "from tracecat_registry import RegistrySecret, registry\n"
        "S = RegistrySecret(name='\\u20e', keys=['K'])\n"
        "@registry.register(namespace='tools.a', description='d', secrets=[S, {'\\u20e': 1}])\n"
        "async def run() -> str:\n    return ''\n"
    )
    result = engine.lint_file("/v/a.py", parse_config({}, root=Path("/v")), text.encode())
    assert result.internal_errors == []
