"""What German council text is: sentences, sections, words, places and bodies, numbers, amounts, dates
and document numbers.

Used by `ingest` and `assistant` alike, so that both mean the same by "a sentence" or "an amount";
imports nothing of the project but `ingest.types`.
"""
