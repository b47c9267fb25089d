"""German words: their stems, and word lists written as one string."""

from __future__ import annotations

from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a word in lower case: "Zahlungen" → "zahlung", "Kommunaler" → "kommunal"."""
    return str(_STEMMER.stemWord(word.lower()))


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long word lists readable."""
    return frozenset(words.split())
