"""``registry-lint server``: a language server (LSP over stdio) built on pygls.

Publishes diagnostics when a document is opened, changed or saved, and
offers each recorded fix as a quick fix, plus a "fix all" source action.
Only imported by the ``server`` command (pygls is the optional ``lsp``
extra). Messages never carry a secret value, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from . import __version__
from .config import Config, ConfigError
from .model import Diagnostic, Location
from .settings import Settings

SOURCE = "registry-lint"
FIX_ALL_KIND = f"{lsp.CodeActionKind.SourceFixAll.value}.registry-lint"


@dataclass
class Linted:
    version: int | None
    text: str
    diagnostics: list[Diagnostic]


class RegistryLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("registry-lint", __version__)
        self.linted: dict[str, Linted] = {}
        self.settings: Settings | None = None

    def reset_settings(self) -> None:
        """Forget every looked-up configuration (one was saved, or created)."""
        self.settings = None

    def _settings(self) -> Settings:
        if self.settings is None:
            self.settings = Settings()  # each file's nearest configuration, as `check`
        return self.settings

    def config_for(self, path: str) -> Config:
        try:
            return self._settings().for_path(path)
        except ConfigError as exc:
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, f"registry-lint: {exc}"))
            return Config(root=str(Path(path).parent))

    def excluded(self, path: str) -> bool:
        try:
            return self._settings().is_excluded(path)
        except ConfigError:
            return False  # config_for said why

    def lint(self, doc: TextDocument) -> Linted:
        from . import run

        path = to_fs_path(doc.uri) or doc.uri
        config = self.config_for(path)
        if self.excluded(path):
            diagnostics: list[Diagnostic] = []  # excluded stays excluded, as in the CLI
        else:
            diagnostics = run.check_text(path, doc.source, config).diagnostics
        linted = Linted(doc.version, doc.source, diagnostics)
        self.linted[doc.uri] = linted
        return linted

    def publish(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        linted = self.lint(doc)
        items = [to_lsp(doc, d) for d in linted.diagnostics]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=doc.version))

    def current(self, uri: str) -> tuple[TextDocument, Linted]:
        doc = self.workspace.get_text_document(uri)
        linted = self.linted.get(uri)
        if linted is None or linted.text != doc.source:
            linted = self.lint(doc)
        return doc, linted


def _range(doc: TextDocument, loc: Location) -> lsp.Range:
    # Our columns are 1-based code points; the codec converts to the client's units (UTF-16 by default).
    server_range = ServerTextRange(
        ServerTextPosition(max(0, loc.line - 1), max(0, loc.col - 1)),
        ServerTextPosition(max(0, loc.end_line - 1), max(0, loc.end_col - 1)),
    )
    return doc.range_to_client_units(server_range)


def to_lsp(doc: TextDocument, d: Diagnostic) -> lsp.Diagnostic:
    severity = lsp.DiagnosticSeverity.Error if d.severity.value == "E" else lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(
        range=_range(doc, d.location),
        message=d.message,
        severity=severity,
        code=d.code,
        source=SOURCE,
        related_information=[
            lsp.DiagnosticRelatedInformation(
                lsp.Location(uri=Path(r.path).absolute().as_uri() if not r.path.startswith("<") else doc.uri, range=_range(doc, r)),
                "related location",
            )
            for r in d.related
        ]
        or None,
    )


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


def code_actions(server: RegistryLintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    from .fix import fix_sources

    doc, linted = server.current(params.text_document.uri)
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    kinds = [getattr(k, "value", k) for k in only or ()]
    if not kinds or any("quickfix".startswith(k) for k in kinds):
        for d in linted.diagnostics:
            if d.fix is None or not d.fix.edits:
                continue
            diag = to_lsp(doc, d)
            if not _overlaps(diag.range, params.range):
                continue
            edits = [lsp.TextEdit(_range(doc, e.location), e.content) for e in d.fix.edits]
            unsafe = d.fix.applicability == "unsafe"
            actions.append(
                lsp.CodeAction(
                    title=f"{d.fix.message} ({d.code}{', unsafe' if unsafe else ''})",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=not unsafe,
                    edit=lsp.WorkspaceEdit(changes={doc.uri: edits}),
                )
            )
    wants_fix_all = not kinds or any(FIX_ALL_KIND.startswith(k) for k in kinds)
    if wants_fix_all and any(d.fix is not None and d.fix.applicability == "safe" for d in linted.diagnostics):
        path = to_fs_path(doc.uri) or doc.uri
        config = server.config_for(path)

        def relint(texts: dict[str, str]) -> list[Diagnostic]:
            from . import run

            return run.check_text(path, texts.get(path, linted.text), config).diagnostics

        outcome = fix_sources(linted.diagnostics, {path: linted.text}, relint)
        fixed = outcome.files[path].fixed
        if fixed != linted.text:
            lines = linted.text.split("\n")
            whole = _range(doc, Location(path, 1, 1, len(lines), len(lines[-1]) + 1))
            actions.append(
                lsp.CodeAction(
                    title="Fix all registry-lint problems",
                    kind=FIX_ALL_KIND,
                    edit=lsp.WorkspaceEdit(changes={doc.uri: [lsp.TextEdit(whole, fixed)]}),
                )
            )
    return actions


def build() -> RegistryLintServer:
    server = RegistryLintServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: RegistryLintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RegistryLintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: RegistryLintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.reset_settings()  # the saved file may be a configuration
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RegistryLintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.linted.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False),
    )
    def code_action(ls: RegistryLintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return code_actions(ls, params)

    return server


def serve() -> None:
    build().start_io()
