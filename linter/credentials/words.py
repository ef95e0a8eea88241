"""Text a credential-like name can hold that is no secret: words of a natural language, and
stylesheet class names.

Translations are assigned to the same keys as the values they label (``authToken:
"Authentifizierungstoken"``), and design code names utility classes ``token``
(``token: "max-[1199px]:text-lg"``). Both are long and mix character classes, so entropy
alone calls them random; their shape says otherwise.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Letter frequencies (percent) averaged over English, German, French, Spanish, Portuguese and
# Italian text. Words draw on the common letters; random letters draw on all 26 evenly.
_FREQUENCY = {
    "e": 13, "a": 8, "n": 8, "i": 7, "s": 7, "r": 7, "t": 6.5, "o": 6, "l": 5, "u": 4.5, "d": 4,
    "c": 3.5, "h": 3, "m": 2.8, "g": 2, "p": 2, "b": 1.5, "f": 1.3, "v": 1, "k": 1, "w": 1,
    "z": 0.8, "y": 0.5, "j": 0.4, "q": 0.3, "x": 0.2,
}
_TOTAL = sum(_FREQUENCY.values())
#: Bits per letter that a language's letter frequencies gain over uniformly random letters.
_GAIN = {c: math.log2(26 * f / _TOTAL) for c, f in _FREQUENCY.items()}
_VOWELS = frozenset("aeiouy")
# Spellings of one consonant sound (`sch`, `ch`, `ng`, doubled letters) count as one consonant.
_ONE_SOUND = re.compile(r"sch|tch|ch|ck|ph|th|sh|gh|qu|ng|nk|([b-df-hj-np-tv-xz])\1")
_CONSONANTS = re.compile(r"[^aeiouy]+")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_TRIPLE = re.compile(r"(.)\1\1")
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
# Code points past Latin Extended-B: Greek, Cyrillic, Arabic, Devanagari, CJK, ... Generated
# secrets are drawn from ASCII; letters of these scripts are language.
_PAST_LATIN = "\u024f"


def _fold(piece: str) -> str:
    """``Größe`` -> ``grosse``: lower case without diacritics."""
    decomposed = unicodedata.normalize("NFKD", piece.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _pronounceable(piece: str) -> bool:
    """One word in a Latin script: written in one case style (``wort``, ``Wort``), with vowels
    between consonant clusters of at most four sounds (``Authentifizierungstoken``,
    ``Abschnittstrenner``)."""
    if not (piece.islower() or (piece[0].isupper() and (len(piece) == 1 or piece[1:].islower()))):
        return False
    low = _fold(piece)
    if not (low.isascii() and low.isalpha()):
        return False
    if len(low) <= 3:
        return True
    if _TRIPLE.search(low):
        return False
    sounds = _ONE_SOUND.sub("C", low)
    vowel_runs = _VOWEL_RUNS.findall(sounds)
    if not vowel_runs or max(map(len, vowel_runs)) > 3:
        return False
    if max(map(len, _CONSONANTS.findall(sounds)), default=0) > 4:
        return False
    return sum(c in _VOWELS for c in sounds) >= 0.25 * len(sounds)


def is_natural_word(value: str) -> bool:
    """A word or hyphenated compound of a natural language, in any script: letters only, no
    digits (``Authentifizierungstoken``, ``Aufnahmetoken``, ``Accès``, ``l'authentification``,
    ``認証トークン``). Random mixed case, digits or symbols never pass."""
    parts = re.split(r"[-'\u2019]", value)
    if not all(p.isalpha() for p in parts):
        return False
    if any(c > _PAST_LATIN for c in value):
        return True
    if not all(_pronounceable(p) for p in parts):
        return False
    # Random lower-case letters pass the shape tests in a few percent of cases; their letters
    # are spread evenly, a language's are not. Measured: 2.6% of random 13-letter strings and
    # 0.07% of 32-letter ones pass both; of 657 words of 13+ letters from UI translations in
    # six languages, all but 11 (`Selbstverbesserung`, `Werkzeugaufrufe`) do.
    return sum(_GAIN.get(c, 0.0) for c in _fold("".join(parts))) >= 0


# Tailwind-style utility classes: `max-[1199px]:text-lg`, `md:hover:bg-slate-100`,
# `w-[calc(100%-2rem)]`, `group-hover:opacity-100`. Pieces of a class name are words or numbers.
_CSS_VALUE = (
    r"\[(?:-?\d+(?:\.\d+)?(?:px|rem|em|%|vh|vw|dvh|svh|lvh|ch|ex|pt|ms|s|deg|fr)?|#[0-9a-fA-F]{3,8}"
    r"|(?:var|calc|min|max|clamp|url|theme|rgba?|hsla?)\([^\[\]\s]{1,70}\)|[a-z]+(?:-[a-z]+)*|&[^\[\]\s]{1,40})\]"
)
_CLASS_PIECE = rf"(?:[a-z]+|\d+(?:\.\d+)?|{_CSS_VALUE})"
_CLASS_NAME = rf"!?-?[a-z]+(?:-{_CLASS_PIECE})*(?:/(?:\d+|{_CSS_VALUE}))?"
_VARIANT = rf"(?:[a-z0-9]+(?:-{_CLASS_PIECE})*|{_CSS_VALUE}|@[a-z0-9-]+)"
_UTILITY_CLASS = rf"(?:{_VARIANT}:)*{_CLASS_NAME}"
# A variant or an arbitrary value (`[...]`) is what sets a class apart from a kebab-case word.
_VARIANTS = frozenset(
    "sm md lg xl 2xl max-sm max-md max-lg max-xl max-2xl dark hover focus active visited disabled "
    "first last odd even group-hover peer-hover focus-visible focus-within placeholder before after "
    "print rtl ltr motion-safe motion-reduce portrait landscape open checked".split()
)


def is_class_list(value: str) -> bool:
    """A stylesheet utility class with a variant or an arbitrary value (``max-[1199px]:text-lg``,
    ``md:text-sm``, ``w-[42px]``)."""
    if "[" not in value and ":" not in value:
        return False  # neither an arbitrary value nor a variant: the regex is never compiled
    if not re.fullmatch(_UTILITY_CLASS, value):
        return False
    if "[" in value:
        return True
    variants = value.split(":")[:-1]
    return bool(variants) and all(v in _VARIANTS for v in variants)
