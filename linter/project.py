"""Where the project lives, for links in reports and docs.

``REPOSITORY_URL`` is the one place the repository's address is written in
the code; ``pyproject.toml``'s ``[project.urls]``, the README's install
commands and ``docs/`` use the same address (``tests/test_rule_pages.py``
checks they agree). It is a placeholder organisation until the project is
published under its real one: docs/releasing.md says what to change.
"""

from __future__ import annotations

from . import __version__

REPOSITORY_URL = "https://github.com/registry-lint/registry-lint"
#: Releases are the git tags ``v<version>`` (docs/releasing.md).
RELEASE_TAG = f"v{__version__}"


def rule_doc_url(code: str) -> str:
    """The rule's page (``docs/rules/<code>.md``) as of this release's tag."""
    return f"{REPOSITORY_URL}/blob/{RELEASE_TAG}/docs/rules/{code}.md"
