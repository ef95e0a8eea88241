"""RL101-RL104: metadata an action should have (description, title, display
group, documentation URL), Python UDFs and YAML templates alike. Values of
metadata fields are ``metadata_values.py``; names, namespaces and keys
``metadata_keys.py``."""

from __future__ import annotations

from collections.abc import Iterable

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.tracecat import METADATA_NULLABLE as NULLABLE

from ._metadata_common import py_action, where, yml_action


class _RequiredText(Rule):
    """Shared check for a text field that should be present and non-empty.

    Whether a gap is an error depends on the source and on what Tracecat
    does with it (each rule's docs say): ``absent`` maps the source to the
    severity of a missing field, ``empty`` to that of ``""``; a value that
    is only whitespace passes every Tracecat check (a warning). A ``null``
    or non-string value is RL112's.
    """

    field_name = ""
    python_keyword = ""
    yaml_key = ""
    mixed_severity = True
    #: Severity of a missing field, per source.
    absent: dict[str, Severity] = {}
    #: Severity of an empty string, per source.
    empty: dict[str, Severity] = {}
    why_absent: dict[str, str] = {}
    why_empty: dict[str, str] = {}

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = getattr(action, self.field_name)
        spelled = self.python_keyword if action.source == "python" else self.yaml_key
        label = f"Action `{action.name.text if action.name else '?'}`: `{spelled}`"
        if value is None and action.source == "yaml":
            return  # check_yaml: a misspelt key may stand for it
        if value is None:
            severity = self.absent[action.source]
            why = self.why_absent.get(action.source, "")
            yield self.diagnostic(action.location, f"{label} is missing{why}", severity=severity)
            return
        text = value.text
        if value.known and value.value is None and self.field_name in NULLABLE[action.source]:
            yield self.diagnostic(value.location, f"{label} is None", severity=self.absent[action.source])
            return
        if not value.known or text is None or text.strip():
            return  # unknown, null/non-string where a string is required (RL112), or given
        severity = self.empty[action.source] if text == "" else Severity.WARNING
        why = self.why_empty.get(action.source, "") if text == "" else ""
        yield self.diagnostic(value.location, f"{label} is empty{why}", severity=severity)

    def check_yaml(self, parsed: object, ctx: FileContext) -> Iterable[Diagnostic]:
        """A template without the field: reported once, at a misspelt key written
        instead (`display-group:`) when there is one (then RL608 does not report the key)."""
        action = getattr(parsed, "spec", None)
        if action is None or getattr(action, self.field_name) is not None:
            return
        from registry_lint.extract.template import template

        written = template(parsed).stand_in("definition", None, self.yaml_key)
        label = f"Action `{action.name.text if action.name else '?'}`: `{self.yaml_key}`"
        why = self.why_absent.get("yaml", "")
        if written is None:
            yield self.diagnostic(action.location, f"{label} is missing{why}", severity=self.absent["yaml"])
            return
        yield self.diagnostic(
            parsed.loc(written.key),
            f"{label} is missing: `{written.key.value}` is not a template field (did you mean `{self.yaml_key}`?){why}",
            severity=self.absent["yaml"],
        )


_E, _W = Severity.ERROR, Severity.WARNING
_SYNC = ": Tracecat's registry rejects an empty value at sync (min_length=1)"


class MissingDescription(_RequiredText):
    """## What it does
    Reports an action whose `description` is absent or empty.

    ## Why is this bad?
    In Python `description` is a required keyword of `registry.register`: the
    module fails to import and the whole registry fails to sync. Elsewhere
    an empty description leaves the action undocumented in the catalogue and
    in the agent tool list, where the description is what the model reads.

    A template that writes a misspelt key instead (`desc:`,
    `Description:`) gets this one finding, at that key (not also RL608).

    Severity: error when a Python `register()` call has no `description`
    (a `TypeError` at import: `tracecat_registry/_internal/registry.py`,
    `register`). Warning for an empty one and for a template without one:
    `TemplateActionDefinition.description` defaults to `""` and the stored
    action has no minimum length (`tracecat/registry/actions/schemas.py`).

    ## Example
    ```python
    @registry.register(default_title="Search", namespace="tools.exa", display_group="Exa")
    async def search(query: str) -> dict: ...
    ```

    ## Use instead
    ```python
    @registry.register(
        default_title="Search",
        description="Search the web with Exa.",
        namespace="tools.exa",
        display_group="Exa",
    )
    async def search(query: str) -> dict: ...
    ```
    """

    code = "RL101"
    name = "missing-description"
    sources = ("python", "yaml")
    field_name = "description"
    python_keyword = yaml_key = "description"
    absent = {"python": _E, "yaml": _W}
    empty = {"python": _W, "yaml": _W}
    why_absent = {"python": ": it is a required keyword of register(), so the module fails to import"}
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(description=None), line=9, col=11, severity=_E),
        Invalid(py_action(description='""'), line=5, col=17, severity=_W),
        Invalid(yml_action(description=None), filename="t.yml", line=7, col=9, severity=_W),
        Invalid(yml_action(description='"  "'), filename="t.yml", line=4, col=16, severity=_W),
    )


class MissingTitle(_RequiredText):
    """## What it does
    Reports an action without a title: Python `default_title`, YAML `title`.

    ## Why is this bad?
    Templates require `title`; the stored action requires a non-empty one.
    For UDFs the catalogue and the workflow builder fall back to the
    function name, which is not what users search for.

    A template that writes a misspelt key instead (`Title:`, `titel:`) gets
    this one finding, at that key, with the spelling to use
    (not also RL608).

    Severity: error for a template without `title`
    (`TemplateActionDefinition.title` is required: Tracecat skips the file)
    and for an empty title anywhere (`RegistryActionBase.default_title` has
    `min_length=1`: the sync reports a serialisation error;
    `tracecat/registry/actions/schemas.py`). Warning for a Python action
    without `default_title` (`None` is accepted) and for a title of spaces.

    ## Example
    ```yaml
    definition:
      name: search
      namespace: tools.exa
    ```

    ## Use instead
    ```yaml
    definition:
      title: Search
      name: search
      namespace: tools.exa
    ```
    """

    code = "RL102"
    name = "missing-title"
    sources = ("python", "yaml")
    field_name = "title"
    python_keyword = "default_title"
    yaml_key = "title"
    absent = {"python": _W, "yaml": _E}
    empty = {"python": _E, "yaml": _E}
    why_absent = {"yaml": ": templates require it (Tracecat skips the file)"}
    why_empty = {"python": _SYNC, "yaml": _SYNC}
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(default_title=None), line=9, col=11, severity=_W),
        Invalid(py_action(default_title="None"), line=4, col=19, severity=_W),
        Invalid(py_action(default_title="''"), line=4, col=19, severity=_E),
        Invalid(yml_action(title=None), filename="t.yml", line=7, col=9, severity=_E),
    )


class MissingDisplayGroup(_RequiredText):
    """## What it does
    Reports an action without a `display_group`.

    ## Why is this bad?
    Templates require it. UDFs without one land in an unnamed group in the
    action catalogue, away from the rest of the integration.

    A template that writes a misspelt key instead (`display-group:`,
    `displayGroup:`) gets this one finding, at that key, with the spelling
    to use (not also RL608).

    Severity: error for a template without one
    (`TemplateActionDefinition.display_group` is required: Tracecat skips
    the file) and for an empty one anywhere (`min_length=1` on the stored
    action: a sync serialisation error; `tracecat/registry/actions/schemas.py`).
    Warning for a Python action without one (`None` is accepted).

    ## Example
    ```python
    @registry.register(default_title="Search", description="...", namespace="tools.exa")
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Search", description="...", namespace="tools.exa", display_group="Exa")
    ```
    """

    code = "RL103"
    name = "missing-display-group"
    sources = ("python", "yaml")
    field_name = python_keyword = yaml_key = "display_group"
    absent = {"python": _W, "yaml": _E}
    empty = {"python": _E, "yaml": _E}
    why_absent = {"yaml": ": templates require it (Tracecat skips the file)"}
    why_empty = {"python": _SYNC, "yaml": _SYNC}
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(display_group=None), line=9, col=11, severity=_W),
        Invalid(yml_action(display_group="''"), filename="t.yml", line=5, col=18, severity=_E),
        Invalid(yml_action(display_group=None), filename="t.yml", line=7, col=9, severity=_E),
        # One mistake, one finding: at the misspelt key (RL608 leaves it alone).
        Invalid(yml_action(display_group=None).replace("  title: Search\n", "  title: Search\n  display-group: Exa\n"),
                filename="t.yml", line=4, col=3, severity=_E, message="did you mean `display_group`?"),
    )


class MissingDocUrl(Rule):
    """## What it does
    Reports an action without a `doc_url`.

    ## Why is this bad?
    The catalogue links every action to the vendor's API documentation; users
    need it to fill in parameters.

    Severity: warning. `doc_url` is optional everywhere in Tracecat
    (`RegisterKwargs`, `TemplateActionDefinition`: `str | None`).

    ## Example
    ```yaml
    definition:
      title: Search
    ```

    ## Use instead
    ```yaml
    definition:
      title: Search
      doc_url: https://docs.exa.ai/reference/search
    ```
    """

    code = "RL104"
    name = "missing-doc-url"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(doc_url=None), line=9, col=11),
        Invalid(py_action(doc_url="None"), line=7, col=13),
        Invalid(yml_action(doc_url=None), filename="t.yml", line=7, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.doc_url is None or (action.doc_url.known and action.doc_url.value is None):
            yield self.diagnostic(where(action, action.doc_url), "Action has no `doc_url`: link the vendor's API documentation")


