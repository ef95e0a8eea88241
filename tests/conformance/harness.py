"""Load conformance cases, lint them, resolve them.

A case (one entry of ``cases/*.yml``) is an action, a store and the
expected outcome:

```yaml
- id: rl205-ssh-key-wrong-keys-py
  py:                               # or yml:, or code: + source:
    secrets: '[RegistrySecret(name="ssh", keys=["KEY"], secret_type="ssh_key")]'
    body: key = secrets.get("KEY")
  lint: [RL205]                     # every RL2xx/RL3xx/RL4xx code expected
  store: {...}                      # inventory format; default: the store
                                    #   that satisfies the declarations
  environment: staging              # default: default
  resolves: false
  problems: [{kind: invalid-declaration, secret: ssh}]
  note: why this is the expected behaviour
  xfail: a known linter/runtime disagreement (lint and invariant checks xfail)
```
``py`` and ``yml`` wrap the given secrets and body/args in an action with
complete, valid metadata, so only the secret rules are exercised.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from registry_lint import engine
from registry_lint import run as whole_run
from registry_lint.config_table import parse_config
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.runtime import Resolution, SecretStore, check, parse_inventory, store_for

CASES_DIR = Path(__file__).parent / "cases"
FAMILIES = ("RL2", "RL3", "RL4")
# Codes whose findings must make resolution fail "in the way the message says".
MUST_FAIL = {
    "RL205": {"invalid-declaration"},
    "RL210": {"invalid-declaration"},
    "RL213": {"key-collision"},
    "RL214": {"invalid-declaration"},
    "RL302": {"invalid-declaration"},
    "RL304": {"missing-key", "missing-oauth-integration", "undeclared-secret"},
    "RL305": {"missing-oauth-integration", "missing-key", "missing-secret", "undeclared-secret"},
    "RL401": {"missing-key"},
    "RL402": {"undeclared-secret"},
    "RL403": {"missing-key"},
}

PY_TEMPLATE = '''\
from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets


@registry.register(
    default_title="Conformance case",
    description="An action used by the conformance suite.",
    display_group="Conformance",
    doc_url="https://example.com/docs",
    namespace="tools.conformance",
    secrets={secrets},
)
async def case_action() -> dict[str, str]:
{body}
    return {{}}
'''

YAML_TEMPLATE = """\
type: action
definition:
  title: Conformance case
  description: An action used by the conformance suite.
  display_group: Conformance
  doc_url: https://example.com/docs
  namespace: tools.conformance
  name: case_action
  secrets:
{secrets}
  expects: {{}}
  steps:
    - ref: call
      action: core.http_request
      args:
{args}
  returns: ${{{{ steps.call.result }}}}
"""


@dataclass(frozen=True)
class Case:
    id: str
    source: str  # "python" | "yaml"
    code: str
    lint: frozenset[str]
    resolves: bool
    problems: tuple[dict[str, str | None], ...] = ()
    store: dict[str, object] | None = None
    environment: str = "default"
    config: dict[str, object] = field(default_factory=dict)
    note: str = ""
    #: A known disagreement between linter and runtime (the reason); the
    #: lint and invariant checks of this case are expected to fail until fixed.
    xfail: str = ""
    file: str = ""

    @property
    def filename(self) -> str:
        return f"/conformance/{self.id}.{'py' if self.source == 'python' else 'yml'}"


@dataclass
class Outcome:
    case: Case
    diagnostics: list[Diagnostic]
    action: ActionSpec

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(d.code for d in self.diagnostics if d.code.startswith(FAMILIES))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.code.startswith(FAMILIES) and d.severity is Severity.ERROR]

    def case_store(self) -> SecretStore:
        if self.case.store is None:
            return self.satisfying_store()
        return parse_inventory(self.case.store, source=self.case.id)

    def satisfying_store(self) -> SecretStore:
        return store_for(self.action, environment=self.case.environment, value=_value)

    def resolve(self, store: SecretStore | None = None) -> Resolution:
        return check(self.action, store or self.case_store(), environment=self.case.environment)


def _value(secret: str, key: str) -> str:
    # Distinctive values so leak checks can search for them.
    return f"v4lue-{secret}-{key}-s3cr3t"


def _indent(text: str, spaces: int) -> str:
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * spaces)


def _build(raw: dict[str, object]) -> tuple[str, str]:
    if "py" in raw:
        spec = raw["py"]
        assert isinstance(spec, dict)
        body = _indent(str(spec.get("body") or "pass"), 4)
        return "python", PY_TEMPLATE.format(secrets=spec.get("secrets", "[]"), body=body)
    if "yml" in raw:
        spec = raw["yml"]
        assert isinstance(spec, dict)
        secrets = _indent(str(spec.get("secrets") or "[]"), 4)
        args = _indent(str(spec.get("args") or "url: https://example.com"), 8)
        return "yaml", YAML_TEMPLATE.format(secrets=secrets, args=args)
    source = str(raw["source"])
    return source, textwrap.dedent(str(raw["code"])).lstrip("\n")


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            source, code = _build(raw)
            cases.append(
                Case(
                    id=raw["id"],
                    source=source,
                    code=code,
                    lint=frozenset(raw.get("lint") or ()),
                    resolves=bool(raw["resolves"]),
                    problems=tuple(raw.get("problems") or ()),
                    store=raw.get("store"),
                    environment=raw.get("environment", "default"),
                    config=dict(raw.get("config") or {}),
                    note=raw.get("note", ""),
                    xfail=raw.get("xfail", ""),
                    file=path.name,
                )
            )
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return cases


def run(case: Case) -> Outcome:
    cfg = parse_config(dict(case.config), root=Path("/conformance"))
    result = engine.lint_file(case.filename, cfg, case.code.encode("utf-8"))
    assert not result.internal_errors, result.internal_errors
    run_result = whole_run.finish([result], cfg)
    assert not run_result.internal_errors, run_result.internal_errors
    assert len(result.actions) == 1, f"{case.id}: expected one action, got {len(result.actions)}"
    return Outcome(case, run_result.diagnostics, result.actions[0])


def matches(problem: object, expected: dict[str, str | None]) -> bool:
    return all(getattr(problem, k) == v for k, v in expected.items())
