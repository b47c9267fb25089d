"""The facts ledger: every amount of money and every membership a council document states.

A council member wants "all memberships and their costs at a glance" and exact figures in answers.
`extract_facts` reads a Document's text with plain rules (no model) and returns one `Fact` per amount
(or statement of membership): whom the money concerns (the organisation), what kind of payment it is,
for which period and years, who pays, what the organisation is for, and the sentence it was read from.

The rules are general, not lists of names: organisations are found by their legal form ("… GmbH",
"… e.V."), by a type word with a name ("Verein X", "Netzwerk X", "Metropolregion X", a compound such
as "Zweckverband" or "Strukturentwicklungsfonds"), by quotes, and, once named, by shorter mentions
("die Gesellschaft", "der Verein", an acronym made of the name's initials).

The package is cut along what it reads: `layout` (sentences, rows, items), `organisations`, `bodies`
(payers), `kinds` (kind, period, years of an amount), `purpose`, `memberships`, and the `ledger` that
puts them together.
"""

from ingest.facts.kinds import MEMBERSHIP
from ingest.facts.ledger import extract_facts

__all__ = ["MEMBERSHIP", "extract_facts"]
