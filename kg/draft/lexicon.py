"""Names the drafter recognises: drugs, diseases and biomarkers from the entity file, endpoints.

Nothing here is specific to a drug or a document: every drug, disease and biomarker name comes
from the sources folder's ``entities.yaml`` (labels and synonyms, brand and code names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg import model as m

# endpoint type -> patterns, most specific first (a time-point rate before the plain endpoint)
ENDPOINTS: tuple[tuple[str, str], ...] = (
    ("pfs-rate", r"(?:\d+|one|two|three|six|twelve)[- ](?:month|year)s?[- ](?:progression[- ]free"
                 r"[- ]survival|PFS)(?: rate)?|PFS rate at \d+ months"),
    ("survival-rate", r"(?:\d+|one|two|three)[- ](?:month|year)s?[- ](?:overall[- ])?survival"
                      r"(?: rate)?|(?:overall )?survival rate at \d+ (?:months|years)"),
    ("pfs", r"progression[- ]free survival|\bPFS\b"),
    ("os", r"overall survival|\bOS\b|\bdeath\b"),
    ("orr", r"objective response(?: rate)?s?|overall response rate|\bORR\b|responses? occurred"),
    ("rr", r"response rates?|\bresponded\b|\bRR\b"),
    ("dcr", r"disease[- ]control(?: rate)?s?|\bDCR\b|clinical benefit"),
    ("pr", r"partial response"),
    ("sd", r"stable disease"),
    ("pd", r"progressive disease"),
    ("toxicity", r"adverse events?|toxicit(?:y|ies)|grade (?:3|4|≥ ?3|3 or (?:worse|higher|4))|"
                 r"neutropenia|diarrh(?:o)?ea|rash|fatigue|hypertension"),
)
# line breaks and indentation may fall between the words of a name ("progression-free\n  survival")
ENDPOINT_RES = [(t, re.compile(p.replace("[- ]", r"[-\s]+").replace(" ", r"\s+"), re.IGNORECASE))
                for t, p in ENDPOINTS]


@dataclass(frozen=True)
class Mention:
    """A name found in a text: what it names and where."""

    kind: str  # drug, disease, biomarker, placebo
    key: str
    start: int
    end: int


def fold(name: str) -> str:
    """A name as compared: lower case, hyphens and spaces ignored."""
    return re.sub(r"[\s\-‐–]+", "", name.lower())


def _alternation(names: list[str]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)
    # separators are optional, and so is a hyphen after a prefix ("nonsquamous", "non-squamous")
    body = "|".join(re.sub(r"^(non|anti|pre|post|multi|co)(?=[a-z])", r"\1[\\s\\-]?",
                           re.sub(r"(?:\\[ -])+", r"[\\s\\-‐–]?", re.escape(n)), flags=re.I)
                    for n in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


class Lexicon:
    """Entity names of a sources folder, matched case-insensitively on word boundaries."""

    def __init__(self, entities: m.Entities) -> None:
        """Index every label and synonym of drugs, diseases and biomarkers."""
        self.entities = entities
        self.names: dict[str, dict[str, str]] = {"drug": {}, "disease": {}, "biomarker": {}}
        raw: dict[str, list[str]] = {"drug": [], "disease": [], "biomarker": [],
                                     "placebo": ["placebo", "matching placebo"]}
        for kind, table in (("drug", entities.drugs), ("disease", entities.diseases),
                            ("biomarker", entities.biomarkers)):
            for key, e in table.items():
                # "observation (no active treatment)" is printed as "observation"
                bare = re.sub(r"\s*\([^()]*\)$", "", e.label)
                for name in dict.fromkeys((e.label, bare, *e.synonyms)):
                    if len(name) > 1:
                        self.names[kind].setdefault(fold(name), key)
                        raw[kind].append(name)
        self.names["placebo"] = {"placebo": "placebo", "matchingplacebo": "placebo"}
        self.patterns = {kind: _alternation(n) for kind, n in raw.items() if n}

    def find(self, text: str, kinds: tuple[str, ...] = ("drug", "placebo")) -> list[Mention]:
        """Mentions of the given kinds in text order (longest name wins at a position)."""
        out: list[Mention] = []
        for kind in kinds:
            pattern = self.patterns.get(kind)
            if pattern is None:
                continue
            for mt in pattern.finditer(text):
                out.append(Mention(kind, self.names[kind][fold(mt.group())], mt.start(),
                                   mt.end()))
        out.sort(key=lambda x: (x.start, -(x.end - x.start)))
        kept: list[Mention] = []
        for mention in out:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        return kept

    def ancestors(self, disease: str) -> set[str]:
        """Every disease the given one is a subtype of, at any depth."""
        out: set[str] = set()
        todo = [disease]
        while todo:
            for parent in self.entities.diseases[todo.pop()].subtype_of:
                if parent not in out:
                    out.add(parent)
                    todo.append(parent)
        return out


def endpoint_mentions(text: str) -> list[tuple[int, str]]:
    """(position, endpoint type) of every endpoint named in the text, in order."""
    found: list[tuple[int, int, str]] = []
    for etype, pattern in ENDPOINT_RES:
        for mt in pattern.finditer(text):
            if not any(s <= mt.start() < e for s, e, _ in found):
                found.append((mt.start(), mt.end(), etype))
    return sorted((s, t) for s, _, t in found)
