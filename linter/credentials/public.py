"""URLs whose credential-shaped values are not secrets: documentation hosts, and query
parameters that a service publishes by design.

RL503 reports a random value in a credential query parameter (``?apiKey=``, ``&token=``) and
a password in a URL's userinfo; RL502 a value bound to such a name. Two kinds of URL carry
such values without leaking anything:

- a host reserved for documentation and testing (RFC 2606, RFC 6761): ``example.com``,
  ``example.net``, ``example.org`` and their subdomains, the ``.example``, ``.test``,
  ``.invalid`` and ``.localhost`` names, ``localhost`` and loopback addresses. Such a URL
  points at no shared service, so its value opens nothing (a doc sample, a local default);
- a parameter listed in ``PUBLIC_PARAMS``: a value the service tells its users to publish,
  the way a Stripe publishable key is (each entry names the vendor's documentation).

A known credential format (RL501) stays reported in any URL: a real token pasted into an
``example.com`` sample is still a real token. That exception needs the format detectors,
which filter with this module: the scanner, which owns them, applies it
(``filters.dropped(known_format=...)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Names reserved for documentation and testing (RFC 2606 section 2-3, RFC 6761 section 6).
DOCUMENTATION_DOMAINS = ("example.com", "example.net", "example.org", "example", "test", "invalid", "localhost")
# Patterns are compiled on first use (by `re`'s cache): most runs never look at a URL here.
_LOOPBACK = r"127(?:\.\d{1,3}){3}"


@dataclass(frozen=True)
class PublicParam:
    """Query parameters of a service whose values are public by design."""

    #: The host or a parent domain of it.
    domain: str
    #: Parameter names, lower case.
    params: frozenset[str]
    #: Path prefixes the entry covers ("" covers every path).
    paths: tuple[str, ...] = ("",)
    #: A value prefix that marks the service's *secret* kind of key, which stays reported.
    secret_prefix: str = ""


PUBLIC_PARAMS: tuple[PublicParam, ...] = (
    # Builder.io's Public API Key: "public, meaning that you don't have to keep it private ...
    # no inherent security risks in it being publicly viewable, for example, on GitHub"
    # (builder.io/c/docs/using-your-api-key). Content and asset URLs carry it as `apiKey`;
    # Private API Keys (`bpk-...`) go in an Authorization header and stay reported.
    PublicParam("builder.io", frozenset({"apikey"}), secret_prefix="bpk-"),
    # Builder's asset library hands out published asset URLs (`Copy Image Address`) with a
    # media `token`; the same files are served without any token by the Image API
    # (`cdn.builder.io/api/v1/image/assets%2F...`, builder.io/c/docs/image-api), so the token
    # opens nothing that is not already public.
    PublicParam("cdn.builder.io", frozenset({"token"}),
                paths=("/o/assets", "/api/v1/image/assets", "/api/v1/file/assets")),
)

# Characters that end a URL in code, Markdown, HTML and YAML.
_URL_END = r"[\s\"'<>`\\()\[\]{}|^]"
_SCHEME_BEFORE = r"[A-Za-z][A-Za-z0-9+.-]{0,20}$"


def is_documentation_host(host: str) -> bool:
    """``api.example.com``, ``svc.test``, ``localhost``, ``127.0.0.1``: no shared service."""
    h = host.lower().rstrip(".")
    if re.fullmatch(_LOOPBACK, h):
        return True
    return any(h == d or h.endswith("." + d) for d in DOCUMENTATION_DOMAINS)


def _url_around(line: str, start: int, end: int) -> str | None:
    """The URL (``scheme://...``) that holds ``line[start:end]``, or None."""
    q = line.rfind("://", 0, start)
    if q == -1 or re.search(_URL_END, line[q:start]):
        return None
    scheme = re.search(_SCHEME_BEFORE, line[:q])
    if scheme is None:
        return None
    stop = re.search(_URL_END, line[end:])
    return line[scheme.start() : end + stop.start() if stop else len(line)]


_USERINFO = r"[^\s:@/?#]*(?::[^\s@/]*)?@"


def _parts(url: str) -> tuple[str, str, list[tuple[str, str]]]:
    """Host, path and query parameters (names lower-cased) of ``url``. A raw password may
    hold ``?`` and ``#``, so userinfo is taken off first."""
    rest = url.split("://", 1)[1]
    userinfo = re.match(_USERINFO, rest)
    if userinfo is not None:
        rest = rest[userinfo.end() :]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    tail = rest[len(authority) :].split("#", 1)[0]
    host = authority.split("]", 1)[0] + "]" if authority.startswith("[") else authority.split(":", 1)[0]
    path, _, query = tail.partition("?")
    params = [(name.lower(), value) for name, _, value in (p.partition("=") for p in query.split("&")) if name]
    return host, path, params


def _public_param(host: str, path: str, name: str, value: str) -> bool:
    host = host.lower()
    for entry in PUBLIC_PARAMS:
        if (host == entry.domain or host.endswith("." + entry.domain)) and name in entry.params:
            if any(path.startswith(p) for p in entry.paths):
                return not (entry.secret_prefix and value.startswith(entry.secret_prefix))
    return False


def in_public_url(filename: str, line: str, secret: str) -> bool:
    """A filter (True drops): every occurrence of ``secret`` on the line lies in a URL to a
    documentation host, or in a URL that carries it in a parameter public by design."""
    if "://" not in line or len(secret) < 4:
        return False
    found = False
    at = line.find(secret)
    while at != -1:
        url = _url_around(line, at, at + len(secret))
        if url is None:
            return False
        host, path, params = _parts(url)
        if not (is_documentation_host(host)
                or any(v == secret and _public_param(host, path, n, v) for n, v in params)):
            return False
        found = True
        at = line.find(secret, at + 1)
    return found
