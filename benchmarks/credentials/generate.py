"""Write a synthetic, labelled, Tracecat-style corpus for the credential benchmark.

    python benchmarks/credentials/generate.py [--out DIR] [--seed N] [--scale K]

Files: Python UDFs (``tracecat_registry/integrations``), YAML action
templates (``templates/tools``), Markdown docs, JSON test fixtures and
``.env`` files. Each file mixes neutral code, seeded FAKE credentials of
every supported kind (positives) and hard negatives (placeholders, UUIDs,
hashes, git SHAs, base64 of plain text, long URLs, public keys, certificates,
documentation samples). ``labels.json`` records, per file, every positive
(kind, line span) and every hard negative (the kind it imitates). Lines
without a label are neutral: any finding there is a false positive.

Labels are decided by what a value *is*, never by what a tool reports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import holdout
import holdout4
import snippets as sn
from fakes import Fakes

VENDORS = ("acme", "crowdstrike", "sentinelone", "okta", "jira", "pagerduty", "virustotal", "wiz",
           "slack", "github", "zendesk", "datadog", "abuseipdb", "urlscan", "tines", "elastic")


class Doc:
    """Lines of one file plus labels (1-based line spans)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.labels: list[dict[str, object]] = []

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend(line.split("\n"))

    def snip(self, snip: sn.Snip, label: str, indent: str = "") -> None:
        start = len(self.lines) + 1
        for line in snip.lines:
            self.lines.append(indent + line if line else line)
        self.labels.append({"line": start, "end_line": len(self.lines), "label": label, "kind": snip.kind})

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _mix(fk: Fakes, positives: int, negatives: int, kinds: list[str]) -> list[tuple[str, str | None]]:
    """A shuffled plan: ("pos", kind) and ("neg", None) entries."""
    plan: list[tuple[str, str | None]] = [("pos", kinds.pop() if kinds else fk.pick(sn.KINDS)) for _ in range(positives)]
    plan += [("neg", None)] * negatives
    fk.r.shuffle(plan)
    return plan


# Python ---------------------------------------------------------------------------------
def python_file(fk: Fakes, vendor: str, plan: list[tuple[str, str | None]]) -> Doc:
    slots: dict[str, list[tuple[sn.Snip, str]]] = {k: [] for k in ("module", "body", "param", "dictitem", "classbody", "docstring")}
    for what, kind in plan:
        snip = sn.py_positive(fk, kind) if what == "pos" else sn.py_negative(fk)
        slots[snip.slot].append((snip, "secret" if what == "pos" else "negative"))
    # Parameters without a default first (Python requires it).
    slots["param"].sort(key=lambda item: "=" in item[0].lines[0])
    title = vendor.capitalize()
    doc = Doc()
    doc.add(f'"""{title} integration for Tracecat.', "", "Usage::", "")
    for snip, label in slots["docstring"]:
        doc.snip(snip, label, "    ")
    doc.add('"""', "", "import os", "from typing import Annotated, Any", "", "import boto3", "import httpx",
            "from typing_extensions import Doc", "", "from tracecat_registry import RegistrySecret, registry, secrets", "",
            f'{vendor}_secret = RegistrySecret(name="{vendor}", keys=["{vendor.upper()}_API_KEY"])',
            f'BASE_URL = "https://api.{vendor}.io/v1"', "")
    for snip, label in slots["module"]:
        doc.snip(snip, label)
    doc.add("", "SETTINGS = {", '    "timeout": 30,')
    for snip, label in slots["dictitem"]:
        doc.snip(snip, label, "    ")
    doc.add("}", "", "", f"class {title}Config:", "    def __init__(self) -> None:", "        self.timeout = 30")
    for snip, label in slots["classbody"]:
        doc.snip(snip, label, "        ")
    doc.add("", "", "@registry.register(", f'    default_title="List {vendor} alerts",',
            f'    description="List alerts from {title}.",', f'    display_group="{title}",',
            f'    namespace="tools.{vendor}",', f"    secrets=[{vendor}_secret],", ")",
            "async def list_alerts(", '    query: Annotated[str, Doc("Search query")],')
    for snip, label in slots["param"]:
        doc.snip(snip, label, "    ")
    doc.add(") -> dict[str, Any]:", '    """List alerts."""', "    headers: dict[str, str] = {}", "    token = query")
    for snip, label in slots["body"]:
        doc.snip(snip, label, "    ")
    doc.add(f'    api_key = secrets.get("{vendor.upper()}_API_KEY")',
            "    async with httpx.AsyncClient(base_url=BASE_URL) as client:",
            '        resp = await client.get("/alerts", params={"q": query}, headers={"X-API-Key": api_key})',
            "        resp.raise_for_status()", "        return resp.json()")
    return doc


# YAML -----------------------------------------------------------------------------------
def yaml_file(fk: Fakes, vendor: str, plan: list[tuple[str, str | None]]) -> Doc:
    slots: dict[str, list[tuple[sn.Snip, str]]] = {k: [] for k in ("args", "headers", "expects", "comment")}
    for what, kind in plan:
        snip = sn.yaml_positive(fk, kind) if what == "pos" else sn.yaml_negative(fk)
        slots[snip.slot].append((snip, "secret" if what == "pos" else "negative"))
    doc = Doc()
    doc.add("type: action", "definition:", f"  title: Search {vendor} events", f"  description: Search {vendor} events by query.",
            f"  display_group: {vendor.capitalize()}", f"  doc_url: https://docs.{vendor}.io/api/events/search",
            f"  namespace: tools.{vendor}", "  name: search_events", "  secrets:", f"    - name: {vendor}",
            f"      keys: [\"{vendor.upper()}_API_KEY\"]", "  expects:", "    query:", "      type: str",
            "      description: Search query")
    for snip, label in slots["expects"]:
        doc.snip(snip, label, "    ")
    doc.add("  steps:", "    - ref: search", "      action: core.http_request")
    for snip, label in slots["comment"]:
        doc.snip(snip, label, "      ")
    doc.add("      args:", f"        url: https://api.{vendor}.io/v2/events", "        method: GET", "        headers:",
            f"          Authorization: Bearer ${{{{ SECRETS.{vendor}.{vendor.upper()}_API_KEY }}}}")
    for snip, label in slots["headers"]:
        doc.snip(snip, label, "          ")
    doc.add("        params:", "          q: ${{ inputs.query }}")
    for snip, label in slots["args"]:
        doc.snip(snip, label, "        ")
    doc.add("  returns: ${{ steps.search.result.data }}")
    return doc


# Markdown, JSON, .env -------------------------------------------------------------------------
def markdown_file(fk: Fakes, vendor: str, plan: list[tuple[str, str | None]]) -> Doc:
    doc = Doc()
    doc.add(f"# {vendor.capitalize()} integration", "", f"Actions for the {vendor} API. Create an API key in the "
            f"{vendor} console and store it in Tracecat as the `{vendor}` secret.", "")
    for what, kind in plan:
        snip = sn.md_positive(fk, kind) if what == "pos" else sn.md_negative(fk)
        label = "secret" if what == "pos" else "negative"
        if snip.slot == "prose":
            doc.snip(snip, label)
            doc.add("")
        else:
            doc.add("```python" if snip.slot == "pycode" else fk.pick(["```bash", "```", "```text"]))
            doc.snip(snip, label)
            doc.add("```", "")
    doc.add("## Troubleshooting", "", "If a request returns 401, rotate the key and update the secret.")
    return doc


def json_file(fk: Fakes, vendor: str, plan: list[tuple[str, str | None]]) -> Doc:
    doc = Doc()
    doc.add("{", f'  "vendor": "{vendor}",', '  "fixture": true,')
    items = [(sn.json_positive(fk, kind) if what == "pos" else sn.json_negative(fk), what) for what, kind in plan]
    for i, (snip, what) in enumerate(items):
        snip.lines[-1] += "," if i < len(items) - 1 else ""
        doc.snip(snip, "secret" if what == "pos" else "negative", "  ")
    doc.add("}")
    return doc


def env_file(fk: Fakes, vendor: str, plan: list[tuple[str, str | None]]) -> Doc:
    doc = Doc()
    doc.add(f"# {vendor} deployment settings", f"{vendor.upper()}_BASE_URL=https://api.{vendor}.io")
    for what, kind in plan:
        snip = sn.env_positive(fk, kind) if what == "pos" else sn.env_negative(fk)
        doc.snip(snip, "secret" if what == "pos" else "negative")
    return doc


# Corpus ---------------------------------------------------------------------------------
LAYOUT = (  # (builder, directory, suffix)
    (python_file, "tracecat_registry/integrations", ".py"),
    (yaml_file, "tracecat_registry/templates/tools", ".yml"),
    (markdown_file, "docs/integrations", ".md"),
    (json_file, "tests/fixtures", ".json"),
    (env_file, "deploy", ".env"),
)


def generate(root: Path, seed: int = 7, scale: int = 5) -> dict[str, list[dict[str, object]]]:
    """Write ``root/corpus/`` (the tree both tools scan) and ``root/labels.json``.

    Every kind appears ``scale`` times in every file type; files hold 1-4
    credentials and 2-8 hard negatives, and one file in four holds none.
    """
    out = root / "corpus"
    if out.exists():
        shutil.rmtree(out)
    fk = Fakes(seed)
    labels: dict[str, list[dict[str, object]]] = {}
    for builder, directory, suffix in LAYOUT:
        kinds = [k for _ in range(scale) for k in sn.KINDS]
        fk.r.shuffle(kinds)
        i = 0
        while kinds:
            vendor = VENDORS[i % len(VENDORS)]
            positives = 0 if fk.r.random() < 0.25 else min(len(kinds), fk.r.randint(1, 4))
            doc = builder(fk, vendor, _mix(fk, positives, fk.r.randint(2, 8), kinds))
            name = f"{vendor}_{i:03d}{suffix}"
            rel = f"{directory}/{vendor}/{name}" if suffix == ".yml" else f"{directory}/{name}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(doc.text(), encoding="utf-8")
            labels[rel] = doc.labels
            i += 1
    _holdout(out, fk, scale, labels)
    # An isolated config so the linted tree never inherits a repository's excludes.
    (out / "registry-lint.toml").write_text('select = ["RL5"]\n', encoding="utf-8")
    (root / "labels.json").write_text(json.dumps({"seed": seed, "scale": scale, "files": labels}, indent=1), encoding="utf-8")
    return labels


def _holdout(out: Path, fk: Fakes, scale: int, labels: dict[str, list[dict[str, object]]]) -> None:
    """``holdout/``, ``holdout2/``, ``holdout3/`` (holdout.py) and ``holdout4/`` (holdout4.py):
    one file per type and round. Each set draws after the previous ones, so adding a set
    never changes the values of an earlier one."""
    for directory, pos, neg in (("holdout", holdout.positives, holdout.negatives),
                                ("holdout2", holdout.positives2, holdout.negatives2),
                                ("holdout3", holdout.positives3, holdout.negatives3),
                                ("holdout4", holdout4.positives4, holdout4.negatives4)):
        _holdout_set(out, fk, scale, labels, directory, pos, neg)


def _holdout_set(out, fk, scale, labels, directory, pos, neg) -> None:
    for round_ in range(scale):
        by_suffix: dict[str, list[tuple[list[str], str, str]]] = {}
        for suffix, lines, kind in pos(fk):
            by_suffix.setdefault(suffix, []).append((lines, kind, "secret"))
        for suffix, lines, kind in neg(fk):
            by_suffix.setdefault(suffix, []).append((lines, kind, "negative"))
        for suffix, items in by_suffix.items():
            fk.r.shuffle(items)
            doc = Doc()
            if suffix == ".json":
                doc.add("[")
            for n, (lines, kind, label) in enumerate(items):
                if suffix == ".json":
                    lines = [*lines[:-1], lines[-1] + ("," if n < len(items) - 1 else "")]
                doc.snip(sn.Snip("", lines, kind), label, "  " if suffix == ".json" else "")
                if suffix in (".py", ".md", ".yml", ".ini", ".toml", ".sh"):
                    doc.add("")
            if suffix == ".json":
                doc.add("]")
            rel = f"{directory}/{directory}_{round_:02d}{suffix}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(doc.text(), encoding="utf-8")
            labels[rel] = doc.labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "registry-lint-credential-corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=5)
    args = parser.parse_args()
    labels = generate(args.out, args.seed, args.scale)
    pos = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "secret")
    neg = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "negative")
    print(f"wrote {len(labels)} files to {args.out / 'corpus'}: {pos} credentials, {neg} hard negatives")


if __name__ == "__main__":
    main()
