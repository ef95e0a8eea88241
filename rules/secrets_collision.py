"""RL213: two declared secrets of one action expose the same key.

Imported by ``secrets.py`` (same family). One collision is one finding:
reported once, where the two declarations are put together (the shared
list that holds both, or the action's ``secrets=`` that combines them),
however many actions use that list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Location, SecretSpec, Severity
from registry_lint.rule import Invalid, Rule, Valid

from ._secret_examples import py, yml
from ._secretlib import bare, short_list, where

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.extract.python import PythonFile
    from registry_lint.extract.yamlnodes import YamlFile

_Pair = tuple[Location, Location]


class KeyCollision(Rule):
    """## What it does
    Reports two different secrets of one action that expose the same key,
    including an OAuth token key (`<PROVIDER>_USER_TOKEN`) that a static
    secret also lists.

    Each collision is reported once, where the two declarations are put
    together: at the later declaration when both are written in the list
    that combines them (a shared `PROVIDER_SECRETS = [...]` list is reported
    in its own module, not in every module that unpacks it), or at the
    action's `secrets=` that combines declarations from different places.

    ## Why is this bad?
    Tracecat flattens every fetched secret's keys into one mapping for
    `secrets.get("KEY")`; when two secrets hold the same key it raises
    "Key ... is duplicated" and the action fails before it runs.

    Severity: error when the failure is certain: both secrets are required
    and the key is required in both, so a workspace configured as declared
    always holds it twice (`tracecat/secrets/secrets_manager.py`:
    `flatten_secrets`). Warning when an optional secret or an optional key
    is involved: the action fails only in a workspace that sets both.

    ## Example
    ```yaml
    secrets:
      - name: acme_prod
        keys: [API_KEY]
      - name: acme_dev
        keys: [API_KEY]
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: acme_prod
        keys: [ACME_PROD_API_KEY]
      - name: acme_dev
        keys: [ACME_DEV_API_KEY]
    ```
    """

    code = "RL213"
    name = "key-collision"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py('acme = RegistrySecret(name="acme", keys=["A"])\nother = RegistrySecret(name="other", keys=["B"])', secrets="[acme, other]")),
        Valid(yml("    - name: a\n      keys: [A]\n    - name: b\n      keys: [B]\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(
            py(
                'acme = RegistrySecret(name="acme", optional_keys=["SLACK_USER_TOKEN"])\n'
                "from tracecat_registry import RegistryOAuthSecret\n"
                'slack = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")',
                secrets="[acme, slack]",
            ),
            line=5,
            col=9,
            message="'acme' (line 3)",
            severity=Severity.WARNING,
        ),
        Invalid(
            yml("    - name: a\n      keys: [API_KEY]\n    - name: b\n      keys: [X, API_KEY]\n"),
            filename="t.yml",
            line=9,
            col=17,
            severity=Severity.ERROR,
        ),
        # One finding for a shared list, however many actions use it.
        Invalid(
            """
            from tracecat_registry import RegistrySecret, registry
            a = RegistrySecret(name="a", keys=["K"])
            b = RegistrySecret(name="b", keys=["K"])
                                               ^
            ALL = [a, b]

            @registry.register(namespace="tools.acme", description="One", secrets=ALL)
            async def one() -> str:
                return 'ok'

            @registry.register(namespace="tools.acme", description="Two", secrets=[*ALL])
            async def two() -> str:
                return 'ok'
            """,
            severity=Severity.ERROR,
        ),
        # The shared list's own module reports it (a module that unpacks it does not).
        Invalid(
            "from tracecat_registry import registry\nfrom shared import ALL\n\n"
            '@registry.register(namespace="tools.acme", description="Search", secrets=[*ALL])\n'
            "async def search() -> str:\n    return 'ok'\n",
            files={
                "shared.py": "from tracecat_registry import RegistrySecret\n"
                'a = RegistrySecret(name="a", keys=["K"])\nb = RegistrySecret(name="b", keys=["K"])\nALL = [a, b]\n'
            },
            path="shared.py",
            line=3,
            col=36,
        ),
        # Combined here from another module: reported at this action's `secrets=`.
        Invalid(
            """
            from tracecat_registry import registry
            from shared import a, b

            @registry.register(namespace="tools.acme", description="Search", secrets=[a, b])
                                                                                     ^
            async def search() -> str:
                return 'ok'
            """,
            files={
                "shared.py": "from tracecat_registry import RegistrySecret\n"
                'a = RegistrySecret(name="a", keys=["K"])\nb = RegistrySecret(name="b", keys=["K"], optional=True)\n'
            },
            severity=Severity.WARNING,
        ),
    )

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.extract.pydecls import module_secret_lists, secrets_elements

        path = parsed.source.path
        seen: set[_Pair] = set()
        for action in parsed.actions:
            spec = action.spec
            groups: list[set[Location]] | None | bool = False  # computed once, when needed (positions cost)
            for first, second, clashes in _collisions(spec.secrets):
                if not (first.location.path == second.location.path == path):
                    if groups is False:
                        groups = secrets_elements(parsed, action)
                    if groups is None or any(first.location in g and second.location in g for g in groups):
                        continue  # the list that holds both is in another module: reported there
                at = second.location if second.location.path == path else (spec.secrets_location or spec.location)
                yield from self._report(spec.path, first, second, clashes, at, seen)
        for where_, specs in module_secret_lists(parsed):
            for first, second, clashes in _collisions(specs):
                at = second.location if second.location.path == path else where_
                yield from self._report(path, first, second, clashes, at, seen)

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterator[Diagnostic]:
        spec = parsed.spec
        if spec is None:
            return
        seen: set[_Pair] = set()
        for first, second, clashes in _collisions(spec.secrets):
            yield from self._report(spec.path, first, second, clashes, second.location, seen)

    def _report(
        self,
        path: str,
        first: SecretSpec,
        second: SecretSpec,
        clashes: Sequence[tuple[str, Location, bool]],
        at: Location,
        seen: set[_Pair],
    ) -> Iterator[Diagnostic]:
        pair = (first.location, second.location)
        if pair in seen:
            return
        seen.add(pair)
        if at == second.location:
            at = next((loc for _, loc, _ in clashes if loc.path == path), at)
        keys = short_list([bare(k) for k, _, _ in clashes])
        noun = "key" if len(clashes) == 1 else "keys"
        certain = any(c for _, _, c in clashes)
        when = "fails at run time" if certain else "fails at run time in a workspace that sets both (they are optional)"
        yield self.diagnostic(
            at,
            f"Secrets {first.secret_name!r} ({where(first.location, path)}) and {second.secret_name!r} both expose {noun} {keys}: "
            f"Tracecat flattens keys for secrets.get and {when}; rename one",
            severity=Severity.ERROR if certain else Severity.WARNING,
        )


def _collisions(secrets: Sequence[SecretSpec]) -> Iterator[tuple[SecretSpec, SecretSpec, list[tuple[str, Location, bool]]]]:
    """(earlier, later, [(key, location in later, certain)]) for each pair of
    differently named declarations exposing a common key."""
    owner: dict[str, tuple[SecretSpec, bool]] = {}
    pairs: dict[tuple[int, int], list[tuple[str, Location, bool]]] = {}
    order = list(secrets)
    for index, secret in enumerate(order):
        name = secret.secret_name
        if name is None:
            continue
        for key, loc, required in _exposed(secret):
            prior = owner.get(key)
            if prior is None:
                owner[key] = (secret, required)
            elif prior[0].secret_name != name:
                pairs.setdefault((order.index(prior[0]), index), []).append((key, loc, required and prior[1]))
    for (i, j), clashes in pairs.items():
        yield order[i], order[j], clashes


def _exposed(secret: SecretSpec) -> Iterable[tuple[str, Location, bool]]:
    """(key, location, required): required means a workspace configured as declared holds it."""
    optional = secret.optional is not None and secret.optional.value is not False
    if secret.kind == "oauth":
        token = secret.token_name
        if token:
            yield token, secret.location, not optional
        return
    optional_keys = set(secret.key_names(optional=True))
    required = set(secret.key_names()) - optional_keys
    for value in secret.all_key_values():
        if value.text is not None:
            yield value.text, value.location, not optional and value.text in required
