"""German words: word lists written as one string."""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long word lists readable."""
    return frozenset(words.split())
