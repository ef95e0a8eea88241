"""``registry-lint resolve``: the reference resolver as a preflight against a
workspace's inventory (a file, or read live from a Tracecat workspace), for
Tracecat registries and agent-native apps (docs/resolve.md)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from .cli_check import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_settings


@click.command(name="resolve", short_help="Check that actions' secrets resolve against an inventory.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(path_type=str),
    help="YAML or JSON file listing the workspace's secrets and OAuth integrations.",
)
@click.option("--workspace", "workspace_url", metavar="URL", help="Read the inventory live from this Tracecat API (base URL, e.g. https://tracecat.example.com/api).")
@click.option("--workspace-id", metavar="ID", help="The workspace's UUID (with --workspace).")
@click.option("--api-key-file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="File holding the service-account API key (default: $TRACECAT_API_KEY).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, help="Seconds per request to the workspace.")
@click.option("--ca-bundle", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="CA certificates to verify the workspace's TLS certificate (default: the system store, or $SSL_CERT_FILE).")
@click.option("--insecure", is_flag=True, help="Do not verify the workspace's TLS certificate (and allow plain http). Unsafe.")
@click.option("--export-inventory", "export_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Write what was read from the workspace as an inventory file (names only), for offline checks.")
@click.option("--environment", default=None, help="Only this secrets environment (default: every environment in the inventory).")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def resolve_command(
    paths: tuple[str, ...],
    inventory_path: str | None,
    environment: str | None,
    output_format: str,
    workspace_url: str | None = None,
    workspace_id: str | None = None,
    api_key_file: str | None = None,
    timeout: float = 30.0,
    ca_bundle: str | None = None,
    insecure: bool = False,
    export_path: str | None = None,
) -> None:
    """Report which actions in PATHS would fail to resolve their secrets.

    The inventory comes from a file (--inventory) or live from a Tracecat
    workspace (--workspace, --workspace-id; API key in $TRACECAT_API_KEY or
    --api-key-file). Exit 0 when every action resolves in every checked
    environment, 1 when some would fail, 2 on a usage, inventory or
    connection error. Secret values are never printed.
    """
    from .config import ConfigError
    from .runtime.appinventory import is_app_inventory
    from .runtime.store import InventoryError, load_inventory

    def fail(message: str) -> NoReturn:
        click.echo(f"registry-lint: error: {message}", err=True)
        sys.exit(EXIT_ERROR)

    if (inventory_path is None) == (workspace_url is None):
        fail("give either --inventory FILE or --workspace URL (with --workspace-id)")
    if inventory_path is not None and (workspace_id or api_key_file or ca_bundle or insecure or export_path):
        fail("--workspace-id, --api-key-file, --ca-bundle, --insecure and --export-inventory go with --workspace")
    if environment is not None and not environment:
        fail("--environment must not be empty")
    if inventory_path is not None and is_app_inventory(inventory_path):  # agent-native: docs/resolve.md
        _resolve_apps(paths, inventory_path, environment, output_format)
    try:
        config = load_settings(None, (), (), ())  # each file's nearest configuration, as `check`
    except ConfigError as exc:
        fail(str(exc))
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        # A mistyped path must not pass as "no actions found, all resolve".
        fail(f"no such file or directory: {', '.join(missing)}")
    if inventory_path is not None:
        try:
            store = load_inventory(inventory_path)
        except InventoryError as exc:
            fail(str(exc))
    else:
        from .runtime.live import read_workspace
        from .runtime.workspace import WorkspaceError

        assert workspace_url is not None
        try:
            live = read_workspace(
                workspace_url, workspace_id, environ=os.environ, api_key_file=api_key_file, timeout=timeout,
                ca_bundle=ca_bundle, insecure=insecure, export_path=export_path,
                warn=lambda message: click.echo(f"registry-lint: warning: {message}", err=True),
            )
        except WorkspaceError as exc:
            fail(str(exc))
        store = live.store
        for note in live.notes:
            click.echo(f"registry-lint: note: {note}", err=True)

    from .discover import discover
    from .runtime.preflight import preflight_environments, render_json, render_text

    environments = [environment] if environment else store.environment_names()
    try:
        targets = discover(list(paths) or ["."], config)
    except ConfigError as exc:
        fail(str(exc))
    results = preflight_environments(targets, store, config, environments, jobs=os.cpu_count() or 1)
    click.echo(render_json(results) if output_format == "json" else render_text(results), nl=False)
    internal_errors = [err for result in results for err in result.internal_errors]
    for note in (note for result in results for note in result.notes):
        click.echo(f"registry-lint: note: {note}", err=True)
    for err in internal_errors:
        click.echo(f"registry-lint: {err}; please report this bug", err=True)
    if internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN if all(result.all_resolve for result in results) else EXIT_FINDINGS)


def _resolve_apps(paths: tuple[str, ...], inventory_path: str, environment: str | None, output_format: str) -> None:
    """``resolve`` with an agent-native inventory; exits."""
    from .config import ConfigError
    from .runtime.apppreflight import run
    from .runtime.appinventory import load_app_inventory
    from .runtime.store import InventoryError

    try:
        store = load_app_inventory(inventory_path)
        config = load_settings(None, (), (), ())  # each file's nearest configuration, as `check`
    except (InventoryError, ConfigError) as exc:
        click.echo(f"registry-lint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if environment is not None:
        click.echo("registry-lint: error: --environment is a Tracecat option; an agent-native inventory has none", err=True)
        sys.exit(EXIT_ERROR)
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        click.echo(f"registry-lint: error: no such file or directory: {', '.join(missing)}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(run(paths, store, config, output_format, click.echo, os.cpu_count() or 1))
