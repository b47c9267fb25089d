"""Generate a large, realistic, deterministic synthetic corpus of council Vorlagen with questions.

    python bench/make_corpus.py OUT_DIR --docs 10000 --seed 1

writes OUT_DIR/docs/<doc_id>.txt|.html and OUT_DIR/questions.jsonl in the shape of the
development set (../shared/eval, see its README), so `ratsauskunft eval OUT_DIR` and the scale
benchmark can measure retrieval hit@k against gold sources.

Every organisation is named in exactly one document, so a question about it has one gold source.
The same seed always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# --- vocabulary ----------------------------------------------------------------------------------

LANDKREISE = (
    "Peine", "Lüneburg", "Wolfenbüttel", "Goslar", "Hildesheim", "Celle", "Gifhorn", "Helmstedt",
    "Northeim", "Göttingen", "Holzminden", "Schaumburg", "Nienburg", "Diepholz", "Verden", "Stade",
    "Cuxhaven", "Harburg", "Uelzen", "Coesfeld", "Borken", "Steinfurt", "Warendorf", "Düren",
    "Euskirchen", "Darmstadt-Dieburg", "Bergstraße", "Vogelsbergkreis", "Fulda", "Kassel",
)  # fmt: skip
GEMEINDEN = (
    "Kreuzau", "Inden", "Kall", "Hellenthal", "Nettersheim", "Langerwehe", "Vettweiß", "Nörvenich",
    "Wendeburg", "Edemissen", "Ilsede", "Lengede", "Vechelde", "Hohenhameln", "Adendorf", "Barendorf",
    "Reppenstedt", "Cremlingen", "Sickte", "Schladen", "Nottuln", "Havixbeck", "Rosendahl", "Senden",
    "Ascheberg", "Messel", "Otzberg", "Roßdorf", "Modautal", "Fischbachtal",
)  # fmt: skip
STAEDTE = (
    "Billerbeck", "Neustadt", "Hann. Münden", "Dülmen", "Coesfeld", "Lüdinghausen", "Schleiden",
    "Mechernich", "Zülpich", "Bad Harzburg", "Seesen", "Uslar", "Einbeck", "Dassel", "Bleckede",
    "Dieburg", "Groß-Umstadt", "Babenhausen", "Pfungstadt", "Walsrode", "Soltau", "Rotenburg",
    "Bad Bentheim", "Lingen", "Meppen", "Papenburg", "Leer", "Norden", "Aurich", "Jever",
)  # fmt: skip
REGIONS = (
    "Weserbergland", "Leinetal", "Lüneburger Heide", "Nordeifel", "Rureifel", "Münsterland",
    "Harzvorland", "Südniedersachsen", "Braunschweiger Land", "Hildesheimer Börde", "Elbtalaue",
    "Wendland", "Solling", "Odenwald", "Dieburger Land", "Vogelsberg", "Rhön", "Emsland",
    "Ostfriesland", "Wesermarsch", "Altes Land", "Teufelsmoor", "Aller-Leine-Tal", "Oberharz",
    "Heideregion", "Baumberge", "Hohes Venn", "Zülpicher Börde", "Stemweder Berg", "Dümmer",
    "Steinhuder Meer", "Deister", "Elm-Asse", "Ohre", "Drömling", "Altmark", "Holsteinische Schweiz",
    "Westerwald", "Hunsrück", "Kellerwald",
)  # fmt: skip

# (theme in an organisation's name, what the organisation does, a word a purpose answer must state)
THEMES = (
    ("Tourismus", "bewirbt die Region als Reiseziel und betreibt ein gemeinsames Buchungsportal", "Reiseziel"),
    ("Wirtschaftsförderung", "berät Unternehmen bei Ansiedlung und Gründung und vermarktet Gewerbeflächen", "Gewerbeflächen"),
    ("Breitband", "baut das Glasfasernetz in bisher unversorgten Ortsteilen aus", "Glasfasernetz"),
    ("Naturschutz", "pflegt Magerrasen, Hecken und Streuobstwiesen und betreut Schutzgebiete", "Streuobstwiesen"),
    ("Musikschule", "bietet Instrumental- und Gesangsunterricht für Kinder und Erwachsene an", "Instrumental"),
    ("Volkshochschule", "organisiert Sprach-, Integrations- und Weiterbildungskurse", "Weiterbildungskurse"),
    ("Abfallwirtschaft", "sammelt und verwertet Bioabfall, Grünschnitt und Sperrmüll", "Bioabfall"),
    ("Wasserversorgung", "sichert die Trinkwasserversorgung und unterhält Brunnen und Hochbehälter", "Trinkwasserversorgung"),
    ("Nahverkehr", "plant den Busverkehr und stimmt Fahrpläne mit dem Schienenverkehr ab", "Busverkehr"),
    ("Klimaschutz", "berät Haushalte zur energetischen Sanierung und fördert Solaranlagen", "energetischen Sanierung"),
    ("Kulturförderung", "fördert Museen, Theatergruppen und das regionale Kulturprogramm", "Museen"),
    ("Sportförderung", "unterstützt Vereine beim Bau und Unterhalt von Sportstätten", "Sportstätten"),
    ("Jugendarbeit", "organisiert Ferienfreizeiten und schult ehrenamtliche Jugendleiter", "Ferienfreizeiten"),
    ("Integration", "begleitet Zugewanderte bei Sprache, Arbeit und Wohnungssuche", "Zugewanderte"),
    ("Energieagentur", "berät Kommunen beim Energiesparen in öffentlichen Gebäuden", "Energiesparen"),
    ("Städtepartnerschaft", "pflegt den Austausch mit den Partnerstädten in Polen und Frankreich", "Partnerstädten"),
    ("Denkmalpflege", "erhält historische Gebäude und berät Eigentümer von Baudenkmalen", "Baudenkmalen"),
    ("Gesundheitsregion", "sichert die hausärztliche Versorgung und wirbt Medizinstudierende an", "hausärztliche Versorgung"),
    ("Fachkräftesicherung", "vermittelt Ausbildungsplätze und wirbt Fachkräfte für regionale Betriebe an", "Ausbildungsplätze"),
    ("Digitalisierung", "entwickelt digitale Verwaltungsleistungen für die beteiligten Kommunen", "Verwaltungsleistungen"),
    ("Radverkehr", "plant ein zusammenhängendes Radwegenetz und beschildert Radrouten", "Radwegenetz"),
    ("Hospiz", "begleitet schwerkranke Menschen und ihre Angehörigen", "schwerkranke"),
    ("Archivpflege", "bewahrt und erschließt die Archive der Gemeinden", "Archive"),
    ("Rettungsdienst", "betreibt die gemeinsame Leitstelle und die Rettungswachen", "Leitstelle"),
    ("Bildungsregion", "vernetzt Schulen, Kitas und Betriebe in der Berufsorientierung", "Berufsorientierung"),
    ("LEADER", "verteilt EU-Fördermittel für Projekte der ländlichen Entwicklung", "ländlichen Entwicklung"),
    ("Hochwasserschutz", "unterhält Deiche und Rückhaltebecken an den Gewässern", "Rückhaltebecken"),
    ("Landschaftspflege", "mäht Feuchtwiesen und pflegt Kopfweiden im Auftrag der Kommunen", "Feuchtwiesen"),
    ("Seniorenarbeit", "berät ältere Menschen und vermittelt Nachbarschaftshilfe", "Nachbarschaftshilfe"),
    ("Bürgerenergie", "betreibt Windräder und Photovoltaikanlagen mit Beteiligung der Bürger", "Windräder"),
)  # fmt: skip

# Name patterns by legal form ({t} theme, {r} region) with the grammatical gender of the name.
ORGANISATION_FORMS = (
    ("verein", "Förderverein {t} {r} e.V.", "m"),
    ("verein", "Verein {t} in der Region {r} e.V.", "m"),
    ("verein", "Arbeitsgemeinschaft {t} {r} e.V.", "f"),
    ("verein", "Netzwerk {t} {r} e.V.", "n"),
    ("gmbh", "{t} {r} GmbH", "f"),
    ("gmbh", "Gesellschaft für {t} {r} mbH", "f"),
    ("gmbh", "Regionalagentur {t} {r} gGmbH", "f"),
    ("zweckverband", "Zweckverband {t} {r}", "m"),
    ("zweckverband", "Kommunale Arbeitsgemeinschaft {t} {r}", "f"),
    ("stiftung", "Stiftung {t} {r}", "f"),
)  # fmt: skip
_ARTICLES = {  # nominative, dative, accusative
    "m": ("der", "dem", "den"),
    "f": ("die", "der", "die"),
    "n": ("das", "dem", "das"),
}

LANDKREIS_COMMITTEES = (
    "Kreisausschuss", "Ausschuss für Finanzen und Beteiligungen", "Ausschuss für Wirtschaft und Tourismus",
    "Jugendhilfeausschuss", "Ausschuss für Umwelt und Klimaschutz", "Schulausschuss",
    "Ausschuss für Soziales und Gesundheit", "Ausschuss für Kreisentwicklung",
)  # fmt: skip
GEMEINDE_COMMITTEES = (
    "Haupt- und Finanzausschuss", "Bau- und Planungsausschuss", "Ausschuss für Schule, Kultur und Sport",
    "Umweltausschuss", "Rechnungsprüfungsausschuss", "Ausschuss für Gemeindeentwicklung",
)  # fmt: skip
STADT_COMMITTEES = (
    "Verwaltungsausschuss", "Finanzausschuss", "Ausschuss für Stadtentwicklung", "Kulturausschuss",
    "Sportausschuss", "Sozialausschuss", "Werksausschuss",
)  # fmt: skip
DEPARTMENTS = (
    "Fachdienst Finanzen", "Fachbereich Wirtschaftsförderung", "Amt für Schule und Sport",
    "Fachdienst Kultur", "Fachbereich Bauen und Umwelt", "Fachdienst Jugend", "Kämmerei",
    "Büro des Bürgermeisters", "Fachdienst Gebäudemanagement", "Amt für Kreisentwicklung",
)  # fmt: skip
RESOLUTIONS = (
    "ungeändert beschlossen", "ungeändert beschlossen", "geändert beschlossen", "zur Kenntnis genommen",
    "einstimmig beschlossen", "mehrheitlich beschlossen", "vertagt", "",
)  # fmt: skip
FACILITIES = (
    "Grundschule am Lindenweg", "Gesamtschule Am Mühlenteich", "Sporthalle Nord", "Feuerwehrhaus Mitte",
    "Kindertagesstätte Sonnenschein", "Freibad am Stadtwald", "Dorfgemeinschaftshaus", "Kreisstraße 12",
    "Brücke über die Aue", "Mensa des Gymnasiums", "Bauhof", "Rathaus-Nebengebäude", "Jugendzentrum",
    "Friedhofskapelle", "Radweg an der Landesstraße", "Kläranlage", "Stadtbücherei", "Musikschulgebäude",
)  # fmt: skip
WORKS = (
    "energetische Sanierung", "Erneuerung der Heizungsanlage", "Dachsanierung", "Erweiterung um zwei Gruppenräume",
    "barrierefreier Umbau", "Neubau", "Brandschutzertüchtigung", "Fahrbahnerneuerung",
)  # fmt: skip
DISTRICTS = (
    "Nord", "Süd", "Ost", "West", "Mitte", "Oberdorf", "Unterdorf", "Hohenfelde", "Lindenhof", "Bergfeld",
    "Wiesental", "Kirchdorf", "Neuenkirchen", "Altendorf", "Brunnenhof", "Eichholz", "Heidekamp", "Sandkrug",
)  # fmt: skip
FRACTIONS = ("CDU", "SPD", "Bündnis 90/Die Grünen", "FDP", "Freie Wähler", "Die Linke", "UWG")
STREETS = ("Woltorfer Straße", "Am Bahnhof", "Lindenallee", "Gewerbegebiet Ost", "Mühlenweg", "Im Felde")

FILLER = (
    "Die Verwaltung hat den Sachstand am {date} im {committee} vorgestellt.",
    "An den Informationsveranstaltungen im Jahr {year} nahmen {people} Personen teil.",
    "Seit {prev_year} sind die Fallzahlen um {percent} % gestiegen.",
    "Die Verwaltung rechnet mit einer Bearbeitungszeit von {months} Monaten.",
    "Die Stellungnahme des {committee} vom {date} liegt vor.",
    "Die Mittel sind im Haushalt {year} im Produkt {product} veranschlagt.",
    "Eine Abstimmung mit den Nachbarkommunen {neighbour} und {neighbour2} hat stattgefunden.",
    "Die Kommunalaufsicht wurde beteiligt und hat keine Bedenken geäußert.",
    "Die Gleichstellungsbeauftragte und der Personalrat wurden informiert.",
    "Über den Fortgang wird die Verwaltung im {committee} regelmäßig berichten.",
    "Der Vorgang war bereits Gegenstand der Beratungen im Jahr {prev_year}.",
    "Eine Alternative wäre, die Aufgabe vollständig in eigener Zuständigkeit wahrzunehmen; dies wäre nach Einschätzung der Verwaltung jedoch deutlich teurer.",
    "Die Fraktion {fraction} hatte in der letzten Sitzung um eine schriftliche Darstellung gebeten.",
    "Auswirkungen auf den Klimaschutz sind nicht zu erwarten.",
    "Die Ergebnisse der Bürgerbeteiligung sind in der Anlage zusammengefasst.",
    "Der Entwurf wurde mit dem Rechnungsprüfungsamt abgestimmt.",
    "Zu den Einzelheiten wird auf die beigefügte Übersicht verwiesen.",
    "Nach § 58 NKomVG ist für diese Entscheidung die Vertretung zuständig.",
    "Die Verwaltung empfiehlt, dem Beschlussvorschlag zu folgen.",
    "Im Vergleich zum Vorjahr ergeben sich nur geringe Veränderungen.",
    "Die Zusammenarbeit hat sich nach Einschätzung aller Beteiligten bewährt.",
    "Die Förderrichtlinie des Landes sieht eine Kofinanzierung durch die Kommunen vor.",
    "Eine Evaluation der bisherigen Arbeit liegt vor und ist als Anlage beigefügt.",
    "Der Kreiselternrat und der Seniorenbeirat haben Stellungnahmen abgegeben.",
    "Die Umsetzung soll im {season} {year} beginnen und etwa {months} Monate dauern.",
    "Die Maßnahme ist Teil des Integrierten Entwicklungskonzepts für {region}.",
    "Weitere Kosten für Personal oder Sachmittel entstehen nicht.",
    "Die Vergabe erfolgt nach öffentlicher Ausschreibung an das wirtschaftlichste Angebot.",
    "Der Sachverhalt ist in den Fraktionen bereits vorberaten worden.",
    "Mit dem Beschluss wird eine Empfehlung aus dem {committee} umgesetzt.",
)  # fmt: skip
PRODUCTS = ("1.1.1.01", "5.7.1.01", "2.1.1.03", "3.6.5.01", "5.4.2.01", "1.1.3.05", "2.5.2.01", "5.5.1.01")
SEASONS = ("Frühjahr", "Sommer", "Herbst", "Winter")


# --- data types ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    kind: str  # Landkreis / Gemeinde / Stadt
    place: str
    reference_scheme: int

    @property
    def name(self) -> str:
        return f"{self.kind} {self.place}"

    @property
    def council(self) -> str:
        if self.kind == "Landkreis":
            return f"Kreistag des Landkreises {self.place}"
        return f"Rat der {self.kind} {self.place}"

    @property
    def committees(self) -> tuple[str, ...]:
        return {"Landkreis": LANDKREIS_COMMITTEES, "Gemeinde": GEMEINDE_COMMITTEES}.get(
            self.kind, STADT_COMMITTEES
        )

    @property
    def genitive(self) -> str:
        return {"Landkreis": "des Landkreises", "Gemeinde": "der Gemeinde", "Stadt": "der Stadt"}[
            self.kind
        ] + f" {self.place}"

    @property
    def nominative(self) -> str:
        return {"Landkreis": "der Landkreis", "Gemeinde": "die Gemeinde", "Stadt": "die Stadt"}[
            self.kind
        ] + f" {self.place}"

    @property
    def accusative(self) -> str:
        return {"Landkreis": "den Landkreis", "Gemeinde": "die Gemeinde", "Stadt": "die Stadt"}[
            self.kind
        ] + f" {self.place}"

    @property
    def from_(self) -> str:
        """ "vom Landkreis Peine", "von der Gemeinde Kall" """
        return {"Landkreis": "vom Landkreis", "Gemeinde": "von der Gemeinde", "Stadt": "von der Stadt"}[
            self.kind
        ] + f" {self.place}"


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str  # verein / gmbh / zweckverband / stiftung
    gender: str  # m / f / n
    purpose: str  # what it does, as a predicate: "bewirbt die Region als Reiseziel …"
    keyword: str  # a word an answer about its purpose must contain

    @property
    def nominative(self) -> str:
        return f"{_ARTICLES[self.gender][0]} {self.name}"

    @property
    def dative(self) -> str:
        return f"{_ARTICLES[self.gender][1]} {self.name}"

    @property
    def accusative(self) -> str:
        return f"{_ARTICLES[self.gender][2]} {self.name}"

    @property
    def in_dative(self) -> str:
        """ "im Zweckverband …", "in der Stiftung …" """
        return f"im {self.name}" if self.gender != "f" else f"in der {self.name}"


@dataclass
class Vorlage:
    doc_id: str
    fmt: str  # txt / html
    reference: str
    title: str
    doc_type: str
    is_public: bool
    department: str
    date: str  # dd.mm.yyyy
    consultations: list[tuple[str, str, str]]
    sections: list[tuple[str, list[str]]]  # heading, paragraphs
    questions: list[dict[str, object]] = field(default_factory=list)


# A topic's parts: title, Vorlage-Art, Beschlussvorschlag, Sachverhalt paragraphs, finance, questions.
Topic = tuple[str, str, str, list[str], str, list[dict[str, object]]]


@dataclass(frozen=True)
class CorpusSummary:
    documents: int
    questions: int
    non_public: int
    by_format: dict[str, int]


# --- amounts -------------------------------------------------------------------------------------


def german_number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def written_amount(rng: random.Random, value: float) -> tuple[str, list[str]]:
    """The amount as a council document would write it, and the forms an answer may state it in."""
    plain = german_number(value)
    style = rng.randrange(8)
    if style == 0:
        return f"{plain} €", [plain]
    if style == 1:
        return f"{german_number(value, 2)} €", [german_number(value, 2), plain]
    if style == 2:
        return f"{plain} Euro", [plain]
    if style == 3:
        return f"EUR {plain}", [plain]
    if style == 4:
        return f"{plain},- €", [plain]
    if style == 5 and value >= 1_000_000:
        millions = german_number(value / 1_000_000, 2).rstrip("0").rstrip(",")
        return f"{millions} Mio. €", [f"{millions} Mio", plain]
    if style == 6 and value >= 10_000 and value % 1000 == 0:
        thousands = german_number(value / 1000)
        return f"{thousands} T€", [f"{thousands} T€", plain]
    return f"{plain} €", [plain]


def round_amount(rng: random.Random, low: float, high: float) -> float:
    value = rng.uniform(low, high)
    step = 1000 if value > 20_000 else 100 if value > 2000 else 1
    return float(max(step, round(value / step) * step))


# --- the generator -------------------------------------------------------------------------------


def tidy(sentences: str) -> str:
    """No double period after a name that ends in one ("… e.V.." → "… e.V.")."""
    return sentences.replace("..", ".")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def ascii_slug(text: str) -> str:
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class CorpusGenerator:
    """Draws Vorlagen one after another from a seeded RNG; organisations are never reused."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        bodies = [Body("Landkreis", p, 0) for p in LANDKREISE]
        bodies += [Body("Gemeinde", p, 1) for p in GEMEINDEN]
        bodies += [Body("Stadt", p, 2) for p in STAEDTE]
        self.bodies = [Body(b.kind, b.place, self.rng.randrange(4)) for b in bodies]
        self.used_organisations: set[str] = set()
        self.used_ids: set[str] = set()
        self.used_works: set[tuple[str, str, str]] = set()
        self.counters: Counter[tuple[str, int]] = Counter()

    # --- pieces ---

    def organisation(
        self, forms: tuple[str, ...] = ("verein", "gmbh", "zweckverband", "stiftung")
    ) -> Organisation:
        """An organisation of one of the legal forms whose name no earlier Vorlage used."""
        candidates = [f for f in ORGANISATION_FORMS if f[0] in forms]
        for attempt in range(200):
            kind, pattern, gender = self.rng.choice(candidates)
            theme, purpose, keyword = self.rng.choice(THEMES)
            region = (
                self.rng.choice(REGIONS) if self.rng.random() < 0.6 else self.rng.choice(self.bodies).place
            )
            name = pattern.format(t=theme, r=region)
            if attempt > 100:
                name = f"{name} ({attempt - 100}. Gründung)"
            if name not in self.used_organisations:
                self.used_organisations.add(name)
                return Organisation(name, kind, gender, purpose, keyword)
        raise RuntimeError("organisation names exhausted")

    def reference(self, body: Body, year: int) -> str:
        self.counters[(body.place, year)] += self.rng.randint(1, 9)
        number = self.counters[(body.place, year)]
        return (
            f"{year}/{number:03d}",
            f"BV/{number:04d}/{year % 100:02d}",
            f"VO/{year}/{number}",
            f"{number}/{year % 100:02d}",
        )[body.reference_scheme]

    def date(self, year: int) -> tuple[int, int, int]:
        return year, self.rng.randint(1, 12), self.rng.randint(1, 28)

    def filler(self, body: Body, year: int, picked: list[str]) -> str:
        neighbours = self.rng.sample([b.place for b in self.bodies if b.kind != "Landkreis"], 2)
        values = {
            "committee": self.rng.choice(body.committees),
            "date": f"{self.rng.randint(1, 28):02d}.{self.rng.randint(1, 12):02d}.{year}",
            "year": year + self.rng.randint(0, 1),
            "prev_year": year - self.rng.randint(1, 4),
            "product": self.rng.choice(PRODUCTS),
            "neighbour": neighbours[0],
            "neighbour2": neighbours[1],
            "fraction": self.rng.choice(FRACTIONS),
            "season": self.rng.choice(SEASONS),
            "months": self.rng.randint(3, 18),
            "region": self.rng.choice(REGIONS),
            "people": self.rng.randint(12, 480),
            "percent": self.rng.randint(2, 40),
        }
        return " ".join(s.format(**values) for s in picked)

    def filler_paragraphs(self, body: Body, year: int) -> list[str]:
        """Mixed sizes: most Vorlagen are short, some run to several pages."""
        roll = self.rng.random()
        count = 0 if roll < 0.25 else self.rng.randint(1, 3) if roll < 0.85 else self.rng.randint(5, 12)
        pool: list[str] = []
        paragraphs = []
        for _ in range(count):
            size = self.rng.randint(2, 6)
            if len(pool) < size:
                pool = self.rng.sample(FILLER, len(FILLER))
            paragraphs.append(self.filler(body, year, [pool.pop() for _ in range(size)]))
        return paragraphs

    # --- one Vorlage ---

    def vorlage(self, index: int) -> Vorlage:
        body = self.rng.choice(self.bodies)
        year = self.rng.randint(2000, 2025)
        y, m, d = self.date(year)
        reference = self.reference(body, year)
        doc_id = f"{year}-{ascii_slug(reference.split('/')[-1] if body.reference_scheme == 0 else reference)}-{ascii_slug(body.place)}"
        while doc_id in self.used_ids:
            doc_id += "-b"
        self.used_ids.add(doc_id)
        is_public = self.rng.random() >= 0.05
        topic = self.rng.choice(
            (self.membership, self.membership, self.exit, self.subsidy, self.subsidy, self.stake)
            + (self.levy, self.construction, self.construction, self.purchase, self.inquiry)
        )
        title, doc_type, proposal, facts_paragraphs, finance, questions = topic(body, year)
        if topic == self.purchase:
            is_public = self.rng.random() < 0.3
        committees = self.rng.sample(body.committees, self.rng.randint(1, 2))
        step_dates = sorted(
            (y, min(12, m + self.rng.randint(0, 2)), self.rng.randint(1, 28)) for _ in committees
        )
        consultations = [
            (c, f"{dd:02d}.{mm:02d}.{yy}", "") for c, (yy, mm, dd) in zip(committees, step_dates, strict=True)
        ]
        last = step_dates[-1]
        consultations.append(
            (
                body.council,
                f"{min(28, last[2] + 7):02d}.{last[1]:02d}.{last[0]}",
                self.rng.choice(RESOLUTIONS),
            )
        )
        sachverhalt = [tidy(p) for p in facts_paragraphs] + self.filler_paragraphs(body, year)
        proposal, finance = tidy(proposal), tidy(finance)
        self.rng.shuffle(sachverhalt[1:])  # the lead paragraph stays first
        sections = [("Beschlussvorschlag", [proposal]), ("Sachverhalt", sachverhalt)]
        if finance:
            sections.append(("Finanzielle Auswirkungen", [finance]))
        vorlage = Vorlage(
            doc_id=doc_id,
            fmt="html" if self.rng.random() < 0.3 else "txt",
            reference=reference,
            title=title,
            doc_type=doc_type,
            is_public=is_public,
            department=self.rng.choice(DEPARTMENTS),
            date=f"{d:02d}.{m:02d}.{y}",
            consultations=consultations,
            sections=sections,
        )
        for q in questions:
            q["sources"] = [doc_id]
        lookup = {
            "type": "lookup",
            "question": f"Worum geht es in der Vorlage {reference} {body.genitive}?",
            "answer": title,
            "must_contain": [title.split()[0]],
            "sources": [doc_id],
        }
        vorlage.questions = [*questions, lookup]
        if not is_public:
            for q in vorlage.questions:
                q["type"] = "restricted"
        return vorlage

    # --- topics: each returns title, type, proposal, Sachverhalt paragraphs, finance, questions ---

    def membership(self, body: Body, year: int) -> Topic:
        org = self.organisation(("verein", "zweckverband"))
        fee = round_amount(self.rng, 48, 25_000)
        fee_text, fee_forms = written_amount(self.rng, fee)
        since = year - self.rng.randint(0, 15)
        lead = (
            f"{capital(body.nominative)} ist seit {since} Mitglied {org.in_dative}. "
            f"{capital(org.nominative)} {org.purpose}. "
            f"Der jährliche Mitgliedsbeitrag {body.genitive} beträgt {fee_text}."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Wie hoch ist der Mitgliedsbeitrag {body.genitive} für {org.accusative}?",
                "answer": f"{fee_text} jährlich",
                "must_contain": ["|".join(fee_forms)],
            },
            {
                "type": "purpose",
                "question": f"Wofür ist {org.nominative} zuständig?",
                "answer": f"{capital(org.nominative)} {org.purpose}.",
                "must_contain": [org.keyword],
            },
            {
                "type": "membership",
                "question": f"Seit wann ist {body.nominative} Mitglied {org.in_dative}?",
                "answer": f"Seit {since}",
                "must_contain": [str(since)],
            },
        ]
        proposal = (
            f"Die Mitgliedschaft {body.genitive} {org.in_dative} wird fortgesetzt; "
            f"der Beitrag für {year + 1} wird bereitgestellt."
        )
        finance = f"Mitgliedsbeitrag {fee_text} pro Jahr im Produkt {self.rng.choice(PRODUCTS)}."
        return f"Mitgliedschaft {org.in_dative}", "Beschlussvorlage", proposal, [lead], finance, questions

    def exit(self, body: Body, year: int) -> Topic:
        org = self.organisation(("verein",))
        fee = round_amount(self.rng, 100, 8000)
        fee_text, fee_forms = written_amount(self.rng, fee)
        joined = year - self.rng.randint(3, 20)
        leave = f"31.12.{year + 1}"
        lead = (
            f"{capital(body.nominative)} ist seit {joined} Mitglied {org.in_dative}. "
            f"{capital(org.nominative)} {org.purpose}. Der Jahresbeitrag beträgt zurzeit {fee_text}. "
            f"Vorteile der Mitgliedschaft sind für {body.accusative} nach {year - joined} Jahren kaum noch erkennbar."
        )
        proposal = f"{capital(body.nominative)} tritt zum {leave} aus {org.dative} aus."
        questions: list[dict[str, object]] = [
            {
                "type": "date",
                "question": f"Zu wann tritt {body.nominative} aus {org.dative} aus?",
                "answer": f"Zum {leave}",
                "must_contain": [leave],
            },
            {
                "type": "cost",
                "question": f"Welchen Jahresbeitrag zahlte {body.nominative} an {org.accusative}?",
                "answer": fee_text,
                "must_contain": ["|".join(fee_forms)],
            },
        ]
        finance = f"Einsparung von {fee_text} jährlich ab {year + 2}."
        return f"Austritt aus {org.dative}", "Beschlussvorlage", proposal, [lead], finance, questions

    def subsidy(self, body: Body, year: int) -> Topic:
        org = self.organisation()
        amount = round_amount(self.rng, 1000, 250_000)
        amount_text, forms = written_amount(self.rng, amount)
        first, last = year + 1, year + self.rng.randint(2, 5)
        lead = (
            f"{capital(org.nominative)} {org.purpose}. Für diese Arbeit erhält {org.nominative.split()[0]} "
            f"{body.from_} einen Zuschuss in Höhe von jährlich {amount_text} für die Jahre {first} bis {last}."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Welchen jährlichen Zuschuss bekommt {org.nominative} {body.from_}?",
                "answer": f"{amount_text} jährlich",
                "must_contain": ["|".join(forms)],
            },
            {
                "type": "purpose",
                "question": f"Was macht {org.nominative}?",
                "answer": f"{capital(org.nominative)} {org.purpose}.",
                "must_contain": [org.keyword],
            },
        ]
        proposal = (
            f"{capital(org.dative)} wird für die Jahre {first} bis {last} ein Zuschuss von jährlich "
            f"{amount_text} gewährt."
        )
        finance = f"{amount_text} jährlich, insgesamt {last - first + 1} Jahre."
        return f"Zuschuss an {org.accusative}", "Beschlussvorlage", proposal, [lead], finance, questions

    def stake(self, body: Body, year: int) -> Topic:
        org = self.organisation(("gmbh",))
        capital_amount = round_amount(self.rng, 5000, 500_000)
        capital_text, forms = written_amount(self.rng, capital_amount)
        share = self.rng.choice((5, 10, 12.5, 20, 25, 33.3, 49))
        lead = (
            f"{capital(org.nominative)} {org.purpose}. {capital(body.nominative)} beteiligt sich mit einer "
            f"Stammeinlage von {capital_text} und hält damit {german_number(share, 1 if share % 1 else 0)} % "
            "der Anteile."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Mit welcher Stammeinlage beteiligt sich {body.nominative} an {org.dative}?",
                "answer": capital_text,
                "must_contain": ["|".join(forms)],
            }
        ]
        proposal = f"{capital(body.nominative)} beteiligt sich als Gesellschafter an {org.dative}."
        finance = f"Einmalig {capital_text} im Finanzhaushalt {year}."
        return f"Beteiligung an {org.dative}", "Beschlussvorlage", proposal, [lead], finance, questions

    def levy(self, body: Body, year: int) -> Topic:
        org = self.organisation(("zweckverband",))
        cents = self.rng.randint(5, 250) / 100
        per_head = f"{german_number(cents, 2)} € pro Einwohner"
        lead = (
            f"{capital(org.nominative)} {org.purpose}. Die Umlage wird nach der Einwohnerzahl erhoben und "
            f"beträgt ab {year + 1} {per_head} und Jahr."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Wie hoch ist die Umlage für {org.accusative} je Einwohner?",
                "answer": per_head,
                "must_contain": [german_number(cents, 2)],
            }
        ]
        proposal = f"Der Umlage an {org.accusative} in Höhe von {per_head} wird zugestimmt."
        return (
            f"Umlage für {org.accusative} ab {year + 1}",
            "Beschlussvorlage",
            proposal,
            [lead],
            "",
            questions,
        )

    def construction(self, body: Body, year: int) -> Topic:
        for _ in range(100):
            facility = f"{self.rng.choice(FACILITIES)}, Ortsteil {self.rng.choice(DISTRICTS)}"
            work = self.rng.choice(WORKS)
            if (body.place, facility, work) not in self.used_works:
                break
        self.used_works.add((body.place, facility, work))
        cost = round_amount(self.rng, 50_000, 12_000_000)
        cost_text, forms = written_amount(self.rng, cost)
        funding = self.rng.choice((0, 30, 50, 60, 75))
        lead = (
            f"Für die Maßnahme „{work}“ am Objekt {facility} werden Gesamtkosten von {cost_text} erwartet."
            + (f" Das Land fördert die Maßnahme mit {funding} % der förderfähigen Kosten." if funding else "")
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Was kostet die Maßnahme {work} am Objekt {facility} {body.genitive}?",
                "answer": cost_text,
                "must_contain": ["|".join(forms)],
            }
        ]
        proposal = (
            f"Der Maßnahme „{work}“ am Objekt {facility} wird zugestimmt; "
            "die Verwaltung wird mit der Ausschreibung beauftragt."
        )
        doc_type = self.rng.choice(("Beschlussvorlage", "Beschlussvorlage", "Mitteilungsvorlage"))
        return (
            f"{capital(work)} – {facility}",
            doc_type,
            proposal,
            [lead],
            f"Gesamtkosten {cost_text}.",
            questions,
        )

    def purchase(self, body: Body, year: int) -> Topic:
        street = f"{self.rng.choice(STREETS)} {self.rng.randint(1, 120)}"
        area = self.rng.randint(300, 20_000)
        per_m2 = self.rng.randint(15, 400)
        price_text, forms = written_amount(self.rng, float(area * per_m2))
        lead = (
            f"Für die Erweiterung der Verwaltung wird die Teilfläche {street} mit rund "
            f"{german_number(area)} m² benötigt. Der Kaufpreis beträgt {price_text} ({per_m2} € je Quadratmeter)."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "cost",
                "question": f"Zu welchem Kaufpreis wird die Fläche {street} {body.genitive} angekauft?",
                "answer": price_text,
                "must_contain": ["|".join(forms)],
            }
        ]
        proposal = f"Dem Ankauf der Fläche {street} zum Kaufpreis von {price_text} wird zugestimmt."
        return (
            f"Ankauf der Fläche {street}",
            "Beschlussvorlage",
            proposal,
            [lead],
            f"Kaufpreis {price_text} zuzüglich Nebenkosten.",
            questions,
        )

    def inquiry(self, body: Body, year: int) -> Topic:
        fraction = self.rng.choice(FRACTIONS)
        theme, purpose, keyword = self.rng.choice(THEMES)
        count = self.rng.randint(2, 40)
        lead = (
            f"Die Fraktion {fraction} fragt, wie viele Projekte im Bereich {theme} {body.nominative} "
            f"seit {year - 5} unterstützt hat. Die Verwaltung antwortet: Es wurden {count} Projekte gefördert."
        )
        questions: list[dict[str, object]] = [
            {
                "type": "fact",
                "question": f"Wie viele Projekte im Bereich {theme} hat {body.nominative} laut Anfrage der Fraktion {fraction} aus {year} gefördert?",
                "answer": f"{count} Projekte",
                "must_contain": [str(count)],
            }
        ]
        proposal = "Die Antwort der Verwaltung wird zur Kenntnis genommen."
        return (
            f"Anfrage der Fraktion {fraction} zum Bereich {theme}",
            "Anfrage",
            proposal,
            [lead],
            "",
            questions,
        )


# --- rendering -----------------------------------------------------------------------------------


def render_text(v: Vorlage, rng: random.Random) -> str:
    lines = [f"Vorlage - {v.reference}", "", f"Betreff: {v.title}", f"Vorlage-Art: {v.doc_type}"]
    lines.append(f"Status: {'öffentlich' if v.is_public else 'nichtöffentlich'}")
    lines.append(f"Federführend: {v.department}")
    if rng.random() < 0.6:
        lines.append(f"Datum: {v.date}")
    lines.append("Beratungsfolge:")
    lines += [" – ".join(part for part in step if part) for step in v.consultations]
    for heading, paragraphs in v.sections:
        lines += ["", f"{heading}:"]
        lines += paragraphs
    return "\n".join(lines) + "\n"


def render_html(v: Vorlage, rng: random.Random) -> str:
    escape = html.escape
    steps = "; ".join(" ".join(part for part in step if part) for step in v.consultations)
    rows = [
        ("Betreff", v.title),
        ("Vorlage-Art", v.doc_type),
        ("Status", "öffentlich" if v.is_public else "nichtöffentlich"),
        ("Federführend", v.department),
        ("Datum", v.date),
        ("Beratungsfolge", steps),
    ]
    if rng.random() < 0.5:
        meta = "\n".join(f"<dt>{escape(k)}</dt><dd>{escape(val)}</dd>" for k, val in rows)
        meta = f"<dl>\n{meta}\n</dl>"
    else:
        meta = "\n".join(f"<tr><td>{escape(k)}:</td><td>{escape(val)}</td></tr>" for k, val in rows)
        meta = f"<table class='meta'>\n{meta}\n</table>"
    body = "\n".join(
        f"<h2>{escape(h)}</h2>\n" + "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        for h, paragraphs in v.sections
    )
    return (
        "<!DOCTYPE html>\n<html lang='de'><head><meta charset='utf-8'>"
        f"<title>Vorlage - {escape(v.reference)}</title>"
        "<script>window.sessionnet = {tracking: false};</script></head>\n<body>\n"
        "<nav class='navigation'>Bürgerinformationssystem &raquo; Vorlagen &raquo; Suche</nav>\n"
        f"<h1>Vorlage - {escape(v.reference)}</h1>\n{meta}\n{body}\n"
        "<footer>Impressum | Datenschutz | Barrierefreiheit</footer>\n</body></html>\n"
    )


def unanswerable_questions(rng: random.Random, count: int) -> list[dict[str, object]]:
    subjects = (
        "die Städtepartnerschaft mit Reykjavík", "den Bau einer Seilbahn zum Rathaus", "die Olympiabewerbung",
        "ein Raumfahrtmuseum", "die Hochgeschwindigkeitsfähre", "den Weinbauverband Grönland",
    )  # fmt: skip
    return [
        {
            "type": "unanswerable",
            "question": f"Was kostet {rng.choice(subjects)} im Jahr {rng.randint(2000, 2025)}?",
            "answer": "Steht nicht in den Dokumenten.",
            "must_contain": [],
            "sources": [],
        }
        for _ in range(count)
    ]


def generate_corpus(out: Path, docs: int, seed: int = 1, questions: int = 300) -> CorpusSummary:
    """Write `docs` Vorlagen and about `questions` questions to OUT/docs and OUT/questions.jsonl."""
    generator = CorpusGenerator(seed)
    render_rng = random.Random(seed + 1)
    folder = out / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    candidates: list[dict[str, object]] = []
    formats: Counter[str] = Counter()
    non_public = 0
    for index in range(docs):
        vorlage = generator.vorlage(index)
        render = render_html if vorlage.fmt == "html" else render_text
        (folder / f"{vorlage.doc_id}.{vorlage.fmt}").write_text(render(vorlage, render_rng), encoding="utf-8")
        formats[vorlage.fmt] += 1
        non_public += not vorlage.is_public
        topical, lookup = vorlage.questions[:-1], vorlage.questions[-1]
        candidates.append(lookup if render_rng.random() < 0.2 else render_rng.choice(topical))
    question_rng = random.Random(seed + 2)
    answerable = max(0, questions - max(1, questions // 20))
    chosen = question_rng.sample(candidates, min(answerable, len(candidates)))
    chosen += unanswerable_questions(question_rng, questions - len(chosen))
    with (out / "questions.jsonl").open("w", encoding="utf-8") as file:
        for number, q in enumerate(chosen, 1):
            row = {"id": f"s{number:05d}", **q}
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    return CorpusSummary(docs, len(chosen), non_public, dict(formats))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path, help="folder to write docs/ and questions.jsonl into")
    parser.add_argument("--docs", type=int, default=1000, help="number of Vorlagen (default 1000)")
    parser.add_argument("--questions", type=int, default=300, help="number of questions (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    summary = generate_corpus(args.out_dir, args.docs, args.seed, args.questions)
    print(f"{'documents':<14}{summary.documents:>8}")
    for fmt, count in sorted(summary.by_format.items()):
        print(f"{'  ' + fmt:<14}{count:>8}")
    print(f"{'non-public':<14}{summary.non_public:>8}")
    print(f"{'questions':<14}{summary.questions:>8}")
    print(f"written to {args.out_dir}")


if __name__ == "__main__":
    main()
