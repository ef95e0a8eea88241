"""Detectors of known credential formats (RL501, RL503, RL504).

A detector is detect-secrets' shape: a secret type plus regexes, with
CredSweeper's ``required_substrings`` so the scanner only compiles and runs
the regexes of detectors whose cheap substring occurs in the file. Where
detect-secrets already knows a format well, the regex is taken from its
plugin class (``plugin="module:Class:index"``, imported lazily on first
use); the linter adds the formats it lacks and a validator per format
(``validators``).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import filters as f
from .anchored import BASIC_AUTH
from .validators import (
    basic_auth_password,
    last_segment,
    not_glued,
    query_value_ok,
    random_enough,
    slack_token_ok,
    valid_aws_key_id,
    valid_b64_pem,
    valid_basic_auth,
    valid_discord_bot,
    valid_jwt,
    valid_pem_block,
)

_PLUGIN_CACHE: dict[str, str] = {}
#: Set by the result cache: fills _PLUGIN_CACHE for every plugin at once (from
#: its stored copy, or by reading the plugins and storing them). Called at most
#: once per process, when a file first needs a plugin regex.
PATTERN_LOADER: Callable[[], dict[str, str]] | None = None


@dataclass(frozen=True)
class Detector:
    kind: str
    label: str
    code: str
    required_substrings: tuple[str, ...]
    #: Own regex sources (no named groups).
    patterns: tuple[str, ...] = ()
    #: ``"module:Class:index"`` of a detect-secrets plugin regex used as a pattern.
    plugin: tuple[str, ...] = ()
    ignore_case: bool = False
    #: Characters that may not precede a match (a token glued to a longer word is not one).
    left: str = "A-Za-z0-9_"
    #: Extract the part that is secret (filters and the masked form see only this).
    secret: Callable[[str], str] = field(default=lambda m: m)
    #: Extra check on the whole match; False drops it.
    validate: Callable[[str], bool] | None = None
    filters: tuple[f.Filter, ...] = f.FORMAT_FILTERS
    #: Point the diagnostic at the secret inside the match (a query value), not the match.
    narrow: bool = False
    #: For detectors whose substrings are everywhere (``.``, ``=``): a cheap regex that
    #: every match contains, searched before the detector takes part.
    precheck: str | None = None
    #: Characters one of which every ``precheck`` match contains: looked for first (memchr).
    precheck_chars: str = ""

    def sources(self) -> list[str]:
        out = list(self.patterns)
        for ref in self.plugin:
            out.append(plugin_pattern(ref))
        return out


def plugin_pattern(ref: str, *, load: bool = True) -> str:
    """The source of a detect-secrets plugin regex (imports the plugin lazily).

    ``load``: first ask ``PATTERN_LOADER`` (once per process) for every plugin.
    """
    global PATTERN_LOADER
    if ref not in _PLUGIN_CACHE and load and PATTERN_LOADER is not None:
        loader, PATTERN_LOADER = PATTERN_LOADER, None
        try:
            _PLUGIN_CACHE.update(loader())
        except Exception:  # a failing loader: read the plugin directly below
            pass
    if ref not in _PLUGIN_CACHE:
        module, cls, index = ref.split(":")
        plugin = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), cls)
        regex = list(plugin.denylist)[int(index)]
        source = regex.pattern
        if regex.flags & re.IGNORECASE:
            source = f"(?i:{source})"
        # Plugins' capturing groups would shift ours; make them non-capturing.
        _PLUGIN_CACHE[ref] = re.sub(r"(?<!\\)\((?!\?)", "(?:", source)
    return _PLUGIN_CACHE[ref]


def read_plugin_patterns(refs: Iterable[str]) -> dict[str, str]:
    """``plugin_pattern`` for each of ``refs``, importing the plugins without `requests`.

    The plugin modules import `requests` at the top only to verify secrets
    online, which we never do; importing it (and urllib3, http.client, ...)
    was ~75% of the ~100 ms the first run spent reading the regexes. A
    placeholder module stands in while they load; afterwards the placeholder
    and every detect-secrets module imported with it are dropped again, so a
    later real import (the benchmark harness, a user's own code in the same
    process) gets the genuine modules.
    """
    import sys
    import types

    if "requests" in sys.modules:
        return {ref: plugin_pattern(ref, load=False) for ref in refs}
    before = set(sys.modules)
    sys.modules["requests"] = types.ModuleType("requests")
    try:
        return {ref: plugin_pattern(ref, load=False) for ref in refs}
    finally:
        for name in set(sys.modules) - before:
            if name == "requests" or name == "detect_secrets" or name.startswith("detect_secrets."):
                del sys.modules[name]


#: The detect-secrets release whose plugin regexes ``PLUGIN_NEEDS`` was checked against.
NEEDS_VERSION = "1.5.0"
#: Plugin regex -> a regex that finds something in every text the plugin regex (as released
#: in ``NEEDS_VERSION``) matches in: a literal it always contains, or a part of it. Where it
#: finds nothing, the plugin regex cannot match, so the scanner leaves that regex out without
#: importing detect-secrets (which imports `requests`) to read it. Only used when that
#: release is installed (``needs_hold``).
PLUGIN_NEEDS: dict[str, str] = {
    # sk-[A-Za-z0-9-_]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}
    "openai:OpenAIDetector:0": "T3BlbkFJ",
    # [MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}
    "discord:DiscordBotTokenDetector:0": r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",
    # [0-9a-z]{32}-us[0-9]{1,2}
    "mailchimp:MailchimpDetector:0": r"-us[0-9]",
}


@lru_cache(maxsize=1)
def needs_hold() -> bool:
    """Whether the installed detect-secrets is ``NEEDS_VERSION`` (read from its version file,
    without importing it); otherwise every plugin regex is read and used."""
    try:
        spec = importlib.util.find_spec("detect_secrets")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.origin:
        return False
    try:
        text = Path(spec.origin).with_name("__version__.py").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    found = re.search(r"""VERSION\s*=\s*['"]([^'"]+)['"]""", text)
    return found is not None and found.group(1) == NEEDS_VERSION


_URL_FILTERS = (f.is_template, f.is_angle_placeholder, f.is_masked, f.is_repetitive,
                f.is_sequential, f.has_placeholder_word)
_NO_WORDS = tuple(x for x in f.FORMAT_FILTERS if x is not f.has_placeholder_word)
_PASSWORD_FILTERS = f.VALUE_FILTERS

_PEM_TYPES = r"(?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED |ED25519 )?PRIVATE KEY(?: BLOCK)?"
_URL_TAIL = r"[^\s\"'<>`)\]}]"

DETECTORS: tuple[Detector, ...] = (
    # RL504 first: a key block may contain anything.
    Detector(
        "private-key", "private key", "RL504", ("PRIVATE KEY",),
        patterns=(rf"-----BEGIN {_PEM_TYPES}-----[\s\S]{{0,12000}}?-----END {_PEM_TYPES}-----",),
        left="", validate=valid_pem_block, filters=(f.is_lock_file,), secret=lambda m: m,
    ),
    Detector(
        "private-key", "PuTTY private key", "RL504", ("PuTTY-User-Key-File-",),
        patterns=(r"PuTTY-User-Key-File-[23]: [\s\S]{0,4000}?Private-Lines: \d+\s+[A-Za-z0-9+/=\s]{64,}",),
        left="", filters=(f.is_lock_file,),
    ),
    Detector(
        "private-key", "base64-encoded private key", "RL504", ("LS0tLS1CRUdJTi",),
        patterns=(r"LS0tLS1CRUdJTi[A-Za-z0-9+/]{200,}={0,2}",), validate=valid_b64_pem,
        filters=(f.is_lock_file,),
    ),
    # RL503: secret-bearing URLs.
    Detector(
        "slack-webhook", "Slack webhook URL", "RL503", ("hooks.slack.com",),
        patterns=(r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,}",),
        left="", secret=last_segment, filters=_URL_FILTERS,
        validate=lambda u: len(last_segment(u)) >= 16,
    ),
    Detector(
        "discord-webhook", "Discord webhook URL", "RL503", ("/webhooks/",),
        patterns=(r"https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v\d+/)?webhooks/\d{16,21}/[A-Za-z0-9_-]{50,100}",),
        left="", secret=last_segment, filters=_URL_FILTERS,
    ),
    Detector(
        "teams-webhook", "Microsoft Teams webhook URL", "RL503",
        ("webhook.office.com", "outlook.office", "logic.azure.com", "powerplatform.com"),
        patterns=(
            r"https://[A-Za-z0-9.-]*(?:webhook\.office\.com|outlook\.office(?:365)?\.com)/webhook(?:b2)?/[0-9a-fA-F-]{36}@[0-9a-fA-F-]{36}/IncomingWebhook/[0-9a-fA-F]{32}/[0-9a-fA-F-]{36}(?:/[A-Za-z0-9_-]+)?",
            rf"https://[A-Za-z0-9.-]+\.(?:logic\.azure\.com|api\.powerplatform\.com)(?::443)?/{_URL_TAIL}*?[?&]sig=[A-Za-z0-9_%-]{{20,}}",
        ),
        left="", secret=lambda u: u.rsplit("=", 1)[-1] if "sig=" in u else u.rsplit("/", 3)[-3],
        filters=_URL_FILTERS,
    ),
    Detector(
        "google-chat-webhook", "Google Chat webhook URL", "RL503", ("chat.googleapis.com",),
        patterns=(rf"https://chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?{_URL_TAIL}*?token=[A-Za-z0-9_%=-]{{20,}}",),
        left="", secret=lambda u: u.rsplit("token=", 1)[-1], filters=_URL_FILTERS,
    ),
    # Alerting and automation hooks whose path is the key: whoever has the URL can page or trigger.
    Detector(
        "pagerduty-integration-url", "PagerDuty integration URL", "RL503", ("pagerduty.com/integration/",),
        patterns=(r"https?://events(?:\.eu)?\.pagerduty\.com/integration/[A-Za-z0-9]{32}/enqueue",),
        left="", secret=lambda u: u.rsplit("/", 2)[-2], filters=_URL_FILTERS,
    ),
    Detector(
        "zapier-webhook", "Zapier webhook URL", "RL503", ("hooks.zapier.com/hooks/",),
        patterns=(r"https://hooks\.zapier\.com/hooks/(?:catch|standard)/\d{4,12}/[A-Za-z0-9]{5,40}",),
        left="", secret=lambda u: "/".join(u.rsplit("/", 2)[-2:]), filters=_URL_FILTERS,
    ),
    Detector(
        "ifttt-webhook", "IFTTT webhook URL", "RL503", ("maker.ifttt.com/",),
        patterns=(r"https?://maker\.ifttt\.com/(?:trigger/[A-Za-z0-9_.-]{1,100}/(?:json/)?with/key|use)/[A-Za-z0-9_-]{16,64}",),
        left="", secret=last_segment, filters=_URL_FILTERS,
    ),
    Detector(
        "victorops-url", "Splunk On-Call REST endpoint URL", "RL503", ("alert.victorops.com/integrations/",),
        patterns=(r"https://alert\.victorops\.com/integrations/[A-Za-z0-9_-]+/\d{8}/alert/[0-9a-fA-F-]{36}",),
        left="", secret=last_segment, filters=_URL_FILTERS,
    ),
    Detector(
        "grafana-oncall-url", "Grafana OnCall integration URL", "RL503", ("/integrations/v1/",),
        patterns=(r"https://[A-Za-z0-9.-]+\.grafana\.net/(?:oncall/)?integrations/v1/[a-z_]{2,40}/[A-Za-z0-9]{20,40}",),
        left="", secret=last_segment, filters=_URL_FILTERS, validate=lambda u: random_enough(last_segment(u)),
    ),
    Detector(
        "basic-auth-url", "URL with a password", "RL503", ("://",),
        patterns=(BASIC_AUTH,),  # searched by an anchored finder (see ``anchored``)
        left="A-Za-z0-9+.-", secret=basic_auth_password, validate=valid_basic_auth,
        filters=_PASSWORD_FILTERS,
    ),
    Detector(
        "url-query-secret", "URL with a credential in its query", "RL503", ("=",),
        patterns=(r"[?&](?i:(?:dd[_-])?api[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret|secret|password|passwd|pwd|private[_-]?token|key)=[^&#\s\"'<>`\\]{8,400}",),
        left="", secret=lambda m: m.split("=", 1)[1], validate=lambda m: query_value_ok(m.split("=", 1)[1]),
        filters=f.VALUE_FILTERS, narrow=True,
        precheck=r"[?&](?i:(?:dd[_-])?api[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret|secret|password|passwd|pwd|private[_-]?token|key)=",
        precheck_chars="?&",
    ),
    # RL501: tokens.
    Detector(
        "anthropic-api-key", "Anthropic API key", "RL501", ("sk-ant-",),
        patterns=(r"sk-ant-[a-z]{3,6}\d{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])",),
    ),
    Detector(
        "openai-api-key", "OpenAI API key", "RL501", ("sk-",),
        patterns=(
            r"sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,250}(?![A-Za-z0-9_-])",
            r"sk-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])",
            r"sk-or-v1-[0-9a-f]{64}(?![A-Za-z0-9_-])",
        ),
        plugin=("openai:OpenAIDetector:0",), left="A-Za-z0-9_-", validate=not_glued,
    ),
    Detector("google-api-key", "Google API key", "RL501", ("AIza",),
             patterns=(r"AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])",)),
    Detector(
        "github-token", "GitHub token", "RL501", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        patterns=(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])",),
        plugin=("github_token:GitHubTokenDetector:0",),
    ),
    Detector(
        "gitlab-token", "GitLab token", "RL501",
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "GR1348941", "glcbt-", "glimt-", "glptt-", "glagent-", "gloas-"),
        plugin=tuple(f"gitlab_token:GitLabTokenDetector:{i}" for i in range(7)), left="A-Za-z0-9_-",
    ),
    Detector(
        "slack-token", "Slack token", "RL501", ("xox", "xapp-"),
        patterns=(r"xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{32,}",), plugin=("slack:SlackDetector:0",),
        validate=slack_token_ok,
    ),
    Detector(
        "stripe-key", "Stripe secret key", "RL501", ("sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_"),
        patterns=(r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,247}(?![A-Za-z0-9_])", r"whsec_[A-Za-z0-9+/=]{32,}(?![A-Za-z0-9_])"),
        validate=not_glued,
    ),
    Detector("twilio-api-key", "Twilio API key", "RL501", ("SK",),
             patterns=(r"SK[0-9a-f]{32}(?![A-Za-z0-9_])",)),
    Detector("sendgrid-api-key", "SendGrid API key", "RL501", ("SG.",),
             plugin=("sendgrid:SendGridDetector:0",)),
    Detector("jwt", "JSON Web Token", "RL501", ("eyJ",),
             patterns=(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])",),
             left="A-Za-z0-9_-", validate=valid_jwt, filters=_NO_WORDS),
    Detector(
        "azure-storage-key", "Azure storage key", "RL501", ("AccountKey=", "sig="),
        patterns=(
            r"AccountKey=[A-Za-z0-9+/]{86}==",
            rf"[?&;](?:sv|ss|srt|sp|se|st|spr|sr|skoid)={_URL_TAIL}*?[?&;]sig=[A-Za-z0-9%+/]{{30,}}(?:%3D|=)*",
        ),
        left="", secret=lambda m: m.rsplit("=", 1)[-1] if "sig=" in m else m.split("=", 1)[1], narrow=True,
    ),
    Detector("telegram-bot-token", "Telegram bot token", "RL501", (":AA",),
             patterns=(r"\d{8,10}:AA[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])",), left="0-9",
             secret=lambda m: m.split(":", 1)[1]),
    Detector("discord-bot-token", "Discord bot token", "RL501", (".",),
             plugin=("discord:DiscordBotTokenDetector:0",), left="A-Za-z0-9_.-",
             validate=valid_discord_bot, filters=_NO_WORDS,
             # `[MNO][\w-]{23,25}\.[\w-]{6}\.[\w-]{27}`: a dot, six token characters, a dot.
             precheck=r"\.[\w-]{6}\."),
    Detector("aws-access-key", "AWS access key ID", "RL501", ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
             plugin=("aws:AWSKeyDetector:0",), left="A-Za-z0-9", validate=valid_aws_key_id),
    Detector("mailchimp-api-key", "Mailchimp API key", "RL501", ("-us",),
             plugin=("mailchimp:MailchimpDetector:0",), validate=lambda m: bool(re.fullmatch(r"[0-9a-f]{32}-us\d{1,2}", m))),
    Detector("npm-token", "npm token", "RL501", ("npm_",), patterns=(r"npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])",),
             validate=not_glued),
    Detector("pypi-token", "PyPI token", "RL501", ("pypi-",),
             plugin=("pypi_token:PypiTokenDetector:0", "pypi_token:PypiTokenDetector:1")),
    Detector("square-oauth-secret", "Square OAuth secret", "RL501", ("sq0csp-",),
             plugin=("square_oauth:SquareOAuthDetector:0",)),
    Detector("huggingface-token", "Hugging Face token", "RL501", ("hf_",),
             patterns=(r"hf_[A-Za-z]{34}(?![A-Za-z0-9_])",), validate=not_glued),
    Detector(
        "vendor-token", "API token", "RL501",
        ("shpat_", "shpss_", "ATATT3", "lin_api_", "ntn_", "secret_", "PMAK-", "dop_v1_", "glsa_", "tskey-", "AGE-SECRET-KEY-1"),
        patterns=(
            r"shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}(?![A-Za-z0-9])",
            r"ATATT3[A-Za-z0-9_=-]{150,250}(?![A-Za-z0-9_=-])",
            r"lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9])",
            r"ntn_\d{11}[A-Za-z0-9]{35}(?![A-Za-z0-9])",
            r"secret_[A-Za-z0-9]{43}(?![A-Za-z0-9])",  # Notion (legacy)
            r"PMAK-[0-9a-f]{24}-[0-9a-f]{34}(?![A-Za-z0-9])",
            r"dop_v1_[0-9a-f]{64}(?![A-Za-z0-9])",
            r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9])",
            r"tskey-(?:api|auth|client)-[A-Za-z0-9]{10,}-[A-Za-z0-9]{20,}(?![A-Za-z0-9])",
            r"AGE-SECRET-KEY-1[0-9A-Z]{58}(?![A-Za-z0-9])",
        ),
    ),
)
