"""Exact replacements for ``pattern.search(text, pos)`` of format regexes whose start is cheap
for ``re`` to find but matches almost everywhere (a letter, a hex digit, ``[MNO]``).

``re`` tries such a pattern at every letter of the file. Each finder here first finds the
rare literal every match contains (``://``, ``-us``, ``.xxxxxx.``) and tries the regex only
at the few starts that can reach it. The result is always the leftmost match at or after
``pos``, exactly as ``pattern.search(text, pos)`` would return it (``pattern.match`` does the
real matching); why each is exact is said at each finder.

Finders are keyed by the regex *source*: a detect-secrets release that changes a plugin's
regex simply gets the plain ``search`` again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Finder = Callable[[str, int], "re.Match[str] | None"]

BASIC_AUTH = (
    r"[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:@/'\"`<>(){}\[\]\\]{0,100}:[^\s@/'\"`<>\\]{1,200}@"
    r"[A-Za-z0-9._-]*[A-Za-z0-9]"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,20}://")


def _basic_auth(pattern: re.Pattern[str]) -> Finder:
    """The scheme ``[A-Za-z][A-Za-z0-9+.-]{1,20}`` cannot hold ``:``, so a match at ``p`` has
    its ``://`` at the first ``:`` after ``p``, 2..21 characters on: only starts in
    ``[q-21, q-2]`` of an occurrence ``q``, and after the previous ``://`` (a start before it
    would run into its ``:``). Whether the rest matches does not depend on the start, so the
    leftmost scheme start in that window decides; occurrences are tried in order and their
    windows are disjoint and increasing."""
    match = pattern.match
    scheme = _SCHEME.search

    def find(text: str, pos: int) -> re.Match[str] | None:
        # An occurrence before the first one found cannot end a scheme starting at >= pos.
        prev = -1
        q = text.find("://", pos + 2)
        while q != -1:
            head = scheme(text, max(pos, q - 21, prev + 1), q + 3)
            if head is not None:
                m = match(text, head.start())
                if m is not None:
                    return m
            prev = q
            q = text.find("://", q + 1)
        return None

    return find


MAILCHIMP = r"[0-9a-z]{32}-us[0-9]{1,2}"


def _mailchimp(pattern: re.Pattern[str]) -> Finder:
    """A match starts exactly 32 characters before a ``-us``; occurrences in order give starts
    in order."""
    match = pattern.match

    def find(text: str, pos: int) -> re.Match[str] | None:
        q = text.find("-us", pos + 32)
        while q != -1:
            m = match(text, q - 32)
            if m is not None:
                return m
            q = text.find("-us", q + 1)
        return None

    return find


DISCORD = r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}"
_DISCORD_TAIL = re.compile(r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}")


def _discord(pattern: re.Pattern[str]) -> Finder:
    """The first ``.`` of a match at ``p`` is the end of the run of token characters after
    ``p`` (``.`` is not one), 24..26 characters on, and the tail from there matches
    ``_DISCORD_TAIL``. Tails are found in order; a start for a later tail's dot cannot lie
    before an earlier tail's dot (the run would contain it), so the first hit is leftmost."""
    match = pattern.match
    tail = _DISCORD_TAIL.search

    def find(text: str, pos: int) -> re.Match[str] | None:
        start = pos + 24
        while True:
            t = tail(text, start)
            if t is None:
                return None
            dot = t.start()
            for p in range(max(pos, dot - 26), dot - 23):
                m = match(text, p)
                if m is not None:
                    return m
            start = dot + 1

    return find


_FACTORIES: dict[str, Callable[[re.Pattern[str]], Finder]] = {
    BASIC_AUTH: _basic_auth,
    MAILCHIMP: _mailchimp,
    DISCORD: _discord,
}


def finder(source: str) -> Finder:
    """``search`` for one format regex: an anchored finder when one is known for ``source``."""
    pattern = re.compile(source)
    factory = _FACTORIES.get(source)
    return factory(pattern) if factory is not None else pattern.search
