"""Words of a sentence that states a membership ("ist Mitglied im …", "Beitritt zum …"), and its negation."""

from __future__ import annotations

import re

MEMBERSHIP_CUE = re.compile(
    r"\bMitglied\s+(?:im|in\s+der|in\s+dem|des|der|bei|beim)\b"
    r"|\b(?:ist|sind|wird|werden|bleibt|bleiben|als)\s+Mitglied\b"
    r"|\bMitglied\s+(?:ist|sind|wird|werden|bleibt)\b"
    r"|\bbei(?:zu)?treten\b|\btritt\b[^;]{0,120}?\bbei\b|\bBeitritts?\b"
    r"|\baus(?:zu)?treten\b|\btritt\b[^;]{0,120}?\baus\b|\bAustritts?\b"
    r"|\bMitgliedschaft(?:en)?\b[^;]{0,160}?\b(?:kündig|beend|befrist|fortsetz|fortführ|aufgeb|aufrechterh"
    r"|eingeh|bestätig)\w*"
    r"|\b(?:kündig|beend)\w*\b[^;]{0,80}?\bMitgliedschaft"
    r"|\bgehört\b[^;]{0,120}?\ban\b"
    r"|\bGesellschafter(?:in)?\s+(?:(?:an|bei|von)\s+(?:der|dem|den|des)|(?:der|des)\s+[A-ZÄÖÜ])"
    r"|\bGesellschafteranteile?\b|\bist\s+Gesellschafter\b"
    r"|\bMitglied\w*\s*:\s*$"  # "Der Landkreis ist in folgenden Organisationen Mitglied:" and a list
)
NEGATION = re.compile(r"\b(?:kein\w*|nicht)\b")
