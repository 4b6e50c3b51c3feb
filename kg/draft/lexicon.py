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
                 r"[- ]survival|PFS)(?: rate)?|PFS rate at \d+ months|progression[- ]free "
                 r"(?:survival )?rate at \d+ (?:months|weeks)|\bPFS\d+\b|\bPFR\d+\b|"
                 # "12 weeks after randomization, 15 of 26 (58%) were progression free"
                 r"(?:were|was|remained) progression[- ]free\b(?! survival)"),
    ("survival-rate", r"(?:\d+|one|two|three)[- ](?:month|year)s?[- ](?:overall[- ])?survival"
                      r"(?: rate)?|(?:overall )?survival rate at \d+ (?:months|years)|"
                      r"(?:\d+|one|two|three)[- ](?:month|year)s?[- ]OS(?: rate)?"),
    ("dfs", r"disease[- ]free survival|\bDFS\b"),
    ("rfs", r"(?:relapse|recurrence)[- ]free survival|\bRFS\b"),
    ("efs", r"event[- ]free survival|\bEFS\b"),
    ("ttp", r"times? to (?:disease |tumou?r )?progression|\bTTP\b"),
    ("ttf", r"times? to treatment failure|\bTTF\b"),
    ("ttr", r"time to (?:objective )?response"),
    ("dor", r"duration of (?:objective )?response|response duration|\bDOR\b|\bDoR\b"),
    ("pcr", r"pathologic(?:al)? complete (?:response|remission)s?(?: rate)?|complete "
            r"pathologic(?:al)? (?:response|remission)s?(?: rate)?|\bpCR\b"),
    ("qol", r"quality[- ]of[- ]life|\bQoL\b|\bQOL\b|\bHRQoL\b"),
    ("pfs", r"progression[- ]free survival|\bPFS\b"),
    # a treatment-related or toxic death is a harm, not the survival endpoint, and "relapse or
    # death" defines another endpoint's events
    ("os", r"overall survival|\bOS\b|(?<!related.)(?<!toxic.)(?<!or.)\bdeath\b|"
           r"\bmedian survival\b|\bsurvival time\b|"
           # "Survival in the three groups was 91%, ...": the sentence's subject, alone
           r"^\s*survival\b(?! curves?| benefit| analys[ie]s)"),
    ("orr", r"objective response(?: rate)?s?|overall response rates?|\bORRs?\b|"
            r"intracranial responses? occurred|"
            r"complete or partial responses?"),
    # "RR" before "=", ":" or "," and a number is a risk ratio: "(RR=6.1; 95% CI ...)"
    # a response the paper does not call objective: "A response occurred in 123 of 212"
    ("rr", r"response rates?|rates? of response|\bresponded\b|responses? occurred|"
           r"\bresponses? (?:were|was) (?:seen|observed|noted)|"
           r"\bRR\b(?!\s*[=:,]?\s*\d+(?:\.\d+)?(?!\s*%|\d|\.\d))|"
           r"complete remission"),
    ("dcr", r"disease[- ]control(?: rate)?s?|\bDCR\b|clinical benefit|\b(?-i:CBR)\b"),
    ("cr", r"complete (?:clinical )?responses?|\bCR\b"),
    ("pr", r"partial response"),
    ("sd", r"stable disease"),
    ("pd", r"progressive disease"),
    # a tumour's grade is no toxicity ("40% had tumour grade 3")
    ("toxicity", r"adverse events?|toxicit(?:y|ies)|(?<!tumor.)(?<!tumour.)(?<!histologic.)"
                 r"grade (?:3|4|≥ ?3|3 or (?:worse|higher|4))|"
                 r"neutropenia|diarrh(?:o)?ea|rash|fatigue|hypertension"),
)


def _cased(pattern: str) -> str:
    """Abbreviations match in their own case only: "uNTx/Cr" holds no "CR", "PCR" is no "pCR"."""
    return re.sub(r"(\\.)|([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*?)(?=[A-Za-z]?[?*+{]|[^A-Za-z]|$)",
                  lambda m: m.group(1) or f"(?-i:{m.group(2)})", pattern)


# line breaks and indentation may fall between the words of a name ("progression-free\n  survival")
ENDPOINT_RES = [(t, re.compile(_cased(p).replace("[- ]", r"[-\s]+").replace(" ", r"\s+"),
                               re.IGNORECASE)) for t, p in ENDPOINTS]


@dataclass(frozen=True)
class Mention:
    """A name found in a text: what it names and where."""

    kind: str  # drug, disease, biomarker, placebo, intervention (a non-drug one)
    key: str
    start: int
    end: int


GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
# a biomarker name made of a gene-like stem and a state: "BRCA-mutated", "FRα-high"
STATE_NAME = re.compile(r"^(?P<stem>[A-Za-z][\w.α-ωΑ-Ω]*?[A-Z0-9α-ω][\w.α-ωΑ-Ω]*)[- ](?:mutated|"
                        r"mutant|mutation|positive|negative|high|low|methylated|unmethylated|"
                        r"overexpression|expression|status|amplification|amplified|wild-type|"
                        r"ITD|TKD)$")
# words that name a histological subtype by its distinguishing adjective: "squamous tumours"
HISTOLOGY_NOUNS = ("tumours", "tumors", "tumour", "tumor", "histology", "disease", "subtype")

# how a regimen's bracket gives each drug's dose and schedule, which names no drug
DOSING_RE = re.compile(
    r"\b\d[\d.,·]*\s*(?:mg|g|µg|mcg|iu|units?|auc)\b(?:\s*/\s*(?:m\s*2|m²|m\(2\)|kg|day|d)\b)?|"
    r"\bauc\s*\d+|\b(?:on\s+)?days?\s+\d+(?:\s*(?:[-–,]|to)\s*\d+)*|"
    r"\b(?:once|twice|three\s+times)\s+(?:daily|a\s+day)\b|\b(?:daily|weekly)\b|"
    r"\b(?:every|each)\s+\d+\s+(?:weeks?|days?)\b|\b(?:orally|intravenously|iv|po)\b", re.I)


def fold(name: str) -> str:
    """A name as compared: lower case, Greek letters spelt out, hyphens and spaces ignored."""
    name = name.lower()
    for letter, word in GREEK.items():
        name = name.replace(letter, word)
    return re.sub(r"[\s\-‐–]+", "", name)


def variants(kind: str, entity: m.Disease | m.Biomarker | m.Drug, parents: list[str]
             ) -> list[str]:
    """Names an entity is printed by beyond its label and synonyms, derived from them.

    A label without its bracketed gloss ("observation (no active treatment)" as
    "observation"); a biomarker's gene-like stem
    ("BRCA" of "BRCA-mutated", the status read beside it); a disease subtype by its adjective
    before a noun ("squamous tumours" for squamous NSCLC, a subtype of NSCLC).
    """
    bare = re.sub(r"\s*\([^()]*\)", "", entity.label)
    names = [entity.label, bare, *entity.synonyms]
    out = [bare]
    if kind == "biomarker":
        out += [mt.group("stem") for n in names if (mt := STATE_NAME.match(n))
                and len(mt.group("stem")) >= 3]
        # "serum lactate dehydrogenase" is printed "lactate dehydrogenase"
        out += [re.sub(r"^(?:serum|plasma|tumou?r|blood|circulating)\s+", "", n, flags=re.I)
                for n in names]
    if kind == "disease":
        for name in names:
            for parent in parents:
                if name.lower().endswith(" " + parent.lower()):
                    adjective = name[:-len(parent)].strip()
                    out += [f"{adjective} {noun}" for noun in HISTOLOGY_NOUNS]
    return out


def _greek(pattern: str) -> str:
    """Let a Greek letter of a name match its spelt-out form too ("FRα", "FRalpha")."""
    for letter, word in GREEK.items():
        pattern = pattern.replace(letter, f"(?:{letter}|{word})")
    return pattern


def _alternation(names: list[str]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)
    # separators are optional, and so is a hyphen after a prefix ("nonsquamous", "non-squamous")
    body = "|".join(re.sub(r"^(non|anti|pre|post|multi|co)(?=[a-z])", r"\1[\\s\\-]?",
                           re.sub(r"(?:\\[ -])+", r"[\\s\\-‐–]?", _greek(re.escape(n))),
                           flags=re.I)
                    for n in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


class Lexicon:
    """Entity names of a sources folder, matched case-insensitively on word boundaries."""

    def __init__(self, entities: m.Entities) -> None:
        """Index every label and synonym of drugs, interventions, diseases and biomarkers."""
        self.entities = entities
        self.names: dict[str, dict[str, str]] = {"drug": {}, "disease": {}, "biomarker": {},
                                                 "intervention": {}, "treatment": {}}
        raw: dict[str, list[str]] = {"drug": [], "disease": [], "biomarker": [],
                                     "intervention": [], "treatment": [],
                                     "placebo": ["placebo", "matching placebo"]}
        # a treatment of no established kind ("control", "high-dose chemotherapy") is found
        # only where asked for: as an arm's name, never as a word of any sentence
        unclassified = {k: e for k, e in entities.interventions.items() if e.unclassified}
        for kind, table in (("drug", entities.drugs), ("disease", entities.diseases),
                            ("biomarker", entities.biomarkers),
                            ("intervention", {k: e for k, e in entities.interventions.items()
                                              if k not in unclassified}),
                            ("treatment", unclassified)):
            for key, e in table.items():
                parents = [n for p in getattr(e, "subtype_of", ()) if p in entities.diseases
                           for n in (entities.diseases[p].label, *entities.diseases[p].synonyms)]
                for name in dict.fromkeys((e.label, *e.synonyms, *variants(kind, e, parents))):
                    if len(name) > 1 and fold(name) not in self.names[kind]:
                        self.names[kind].setdefault(fold(name), key)
                        raw[kind].append(name)
        self.names["placebo"] = {"placebo": "placebo", "matchingplacebo": "placebo"}
        self.patterns = {kind: _alternation(n) for kind, n in raw.items() if n}
        # abbreviations a text defines for what it gives: "tamoxifen (TAM)", "doxorubicin and
        # cyclophosphamide (AC)"; an abbreviation may stand for several components
        self.local: dict[str, list[Mention]] = {}
        self.local_re: re.Pattern[str] | None = None

    def with_abbreviations(self, text: str) -> Lexicon:
        """The lexicon plus the abbreviations ``text`` defines for drugs and interventions.

        Only an abbreviation in brackets right after the names it stands for counts, and only
        when those names are known: "(TAM)" after "tamoxifen", never a guess.
        """
        local: dict[str, list[Mention]] = {}
        for mt in re.finditer(r"\(((?:[a-z]{1,3})?[A-Z][A-Za-z0-9-]{0,9})\)", text):  # "(ddAT)"
            abbr = mt.group(1)
            if len(abbr) < 2 or abbr in local or self.find(abbr):
                continue
            before = text[max(0, mt.start() - 160):mt.start()]
            chain = [x for x in self.find(before) if x.kind in {"drug", "intervention"}]
            # doses may stand between the names and the bracket: "A 50 mg/m2 and B 75 mg/m2 (AB)"
            if not chain or DOSING_RE.sub(" ", before[chain[-1].end:]).strip():
                continue
            keep = [chain[-1]]
            for x in reversed(chain[:-1]):
                gap = DOSING_RE.sub(" ", before[x.end:keep[-1].start])
                if not re.fullmatch(r"\s*(?:,|and|plus|\+|/|with|-|,\s*and)?\s*", gap) and not (
                        # "A/C followed by D (AC-D)", but not "E followed by C and P (CP)"
                        re.fullmatch(r"\s*(?:followed\s+by|then)\s*", gap)
                        and before[x.start].lower() in abbr.lower()):
                    break
                keep.append(x)
            local[abbr] = list(reversed(keep))
        # the other way round: "ABC (alphamab/betanib/cabrazumab)"
        for mt in re.finditer(r"(?<![\w-])([A-Z][A-Za-z0-9]{1,7})\s*\(([^()]{3,120})\)", text):
            abbr, inside = mt.group(1), mt.group(2)
            if abbr in local or self.find(abbr):
                continue
            parts = [x for x in self.find(inside) if x.kind in {"drug", "intervention"}]
            rest = inside
            for x in reversed(parts):
                rest = rest[:x.start] + rest[x.end:]
            # "CAPOX (oxaliplatin 130 mg/m2 on day 1 and capecitabine 1000 mg/m2 twice daily)"
            rest = DOSING_RE.sub(" ", rest) if len(parts) > 1 else rest
            if parts and re.fullmatch(r"[\s,/+\-]*(?:(?:and|plus|with)[\s,/+\-]*)*", rest):
                local[abbr] = parts
        if not local:
            return self
        out = object.__new__(Lexicon)
        out.__dict__.update(self.__dict__)
        out.local = local
        out.local_re = re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(a) for a in sorted(local, key=len, reverse=True)) + r")(?![\w-])")
        return out

    def find(self, text: str, kinds: tuple[str, ...] = ("drug", "placebo", "intervention")
             ) -> list[Mention]:
        """Mentions of the given kinds in text order (longest name wins at a position)."""
        out: list[Mention] = []
        for kind in kinds:
            pattern = self.patterns.get(kind)
            if pattern is None:
                continue
            for mt in pattern.finditer(text):
                if kind == "drug" and re.match(r"[\s-]+(?:placebo|dummy)\b(?!-controlled)",
                                               text[mt.end():], re.I):
                    continue  # "A plus B placebo" (double-dummy): B's placebo, no B
                out.append(Mention(kind, self.names[kind][fold(mt.group())], mt.start(),
                                   mt.end()))
        if self.local_re is not None and {"drug", "intervention"} & set(kinds):
            for mt in self.local_re.finditer(text):
                out.append(Mention("local", mt.group(), mt.start(), mt.end()))
        out.sort(key=lambda x: (x.start, -(x.end - x.start)))
        kept: list[Mention] = []
        for mention in out:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        expanded: list[Mention] = []
        for mention in kept:  # an abbreviation stands for its components, at its place
            if mention.kind != "local":
                expanded.append(mention)
                continue
            expanded += [Mention(x.kind, x.key, mention.start, mention.end)
                         for x in self.local[mention.key] if x.kind in kinds]
        return expanded

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
    every = [(mt.start(), -(mt.end() - mt.start()), rank, etype)
             for rank, (etype, pattern) in enumerate(ENDPOINT_RES) for mt in pattern.finditer(text)]
    found: list[tuple[int, int, str]] = []  # the earliest, then longest name wins an overlap
    for start, minus, _rank, etype in sorted(every):
        end = start - minus
        if not any(s < end and start < e for s, e, _ in found):
            found.append((start, end, etype))
    return sorted((s, t) for s, _, t in found)
