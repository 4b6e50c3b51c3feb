"""The patterns and small helpers every drafting rule shares.

How abstracts print numbers, sizes, statistics and biomarker states; kept apart from the rules
so each rule module reads as what it finds, not how a number is spelt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.draft.lexicon import Lexicon

NUM = r"(?:\d[\d,]*(?:[.·]\d+)?|[.·]\d+)"
UNIT_RE = re.compile(r"^\s*(?:-|–)?\s*(months?|mo\b|weeks?|wk\b|days?|years?)", re.IGNORECASE)
UNIT_NAMES = {"month": "month", "months": "month", "mo": "month", "week": "week", "weeks": "week",
              "wk": "week", "day": "day", "days": "day", "year": "year", "years": "year"}
JOIN_RE = re.compile(r"^\s*(?:months?\s*|weeks?\s*)?(?:,\s*|/\s*|(?:,\s*)?(?:versus|vs\.?|v\.?|"
                     r"and|or|to|compared with|against)\s*)$", re.IGNORECASE)  # "12%/1%" too
RANDOM_RE = re.compile(r"randomly assigned|randomi[sz]ed|randomi[sz]ation|randomly allocated|"
                       r"randomly divided|allocated", re.I)
SIZE_VERB_RE = re.compile(
    r"\s*(?:who\s+)?(?:were|was|had been)?\s*(?:(?:prospectively|subsequently|initially|"
    r"consecutively|eventually|evenly|equally)\s+(?:and\s+)?)?(?:underwent randomi[sz]ation|"
    r"underwent random assignment|randomly assigned|"
    r"randomi[sz]ed|randomly allocated|enrolled|"
    r"included|treated|recruited|registered|received|accrued|randomly divided|divided|"
    r"took part|participated|entered)",
    re.IGNORECASE)
PATIENTS_RE = re.compile(r"^\s*(?:eligible |evaluable |adult |additional |randomi[sz]ed |"
                         r"randomly assigned |enrolled )?(?:patients|outpatients|"
                         r"participants|subjects|women|men|children|survivors)\b", re.IGNORECASE)
N_EQ_RE = re.compile(rf"\(?\bn\s*=\s*(?P<n>{NUM})", re.IGNORECASE)
# an effect estimate's name: hazard, risk or odds ratio ("RR" and "OR" in capitals only: the words
# "or" and a response rate's "RR" are told apart by the caller)
EFFECT_RE = re.compile(r"\b(?:(?P<hr>(?-i:HR)|hazard ratio)|(?P<rr>(?-i:RR)|risk ratio|"
                       r"relative risk|rate ratio)|(?P<or>(?-i:OR)|odds ratio))\b(?:\s+for\s+"
                       r"(?P<for>death|progression(?: or death)?|disease progression(?: or "
                       r"death)?))?", re.IGNORECASE)
# "99.9% CI": the level is the whole number, never its last digits
CI_RE = re.compile(r"(?<![\d.])(?P<level>\d+(?:\.\d+)?)\s?%\s*(?:CI|confidence interval)|"
                   r"confidence interval",
                   re.IGNORECASE)
P_RE = re.compile(rf"(?<![\w])(?:two-sided\s+|one-sided\s+)?(?:log-rank\s+)?[Pp](?:\s*value)?"
                  rf"\s*(?P<q>=|<|≤|<=|>)\s*(?P<p>{NUM})")
PHASE_RE = re.compile(r"\bphase\s*(?P<p>I{1,3}|[123])(?:\s*/\s*(?:I{1,3}|[123]))?\b|"
                      r"(?P<fih>first-in-human)", re.IGNORECASE)
RATIO_RE = re.compile(r"\b(?P<a>\d)\s*:\s*(?P<b>\d)\b")
ROMAN = {"I": "1", "II": "2", "III": "3"}
# endpoints measured as a time (a median in months), not as a share of patients
TIME_TO_EVENT = frozenset({"os", "pfs", "dfs", "rfs", "efs", "ttp", "ttf", "ttr", "dor"})
# how a text says a biomarker's state, and the word a curator records for it
STATUS = (r"\b(?:non-?mutated|not mutated|wild[- ]type|mutated|mutant|mutation-positive|"
          r"positive|negative|high|low|unmethylated|methylated|overexpress(?:ing|ion)|"
          r"amplified|elevated|normal|above the median|below the median)\b")
STATUS_WORDS = {"mutant": "mutated", "non mutated": "not mutated", "nonmutated": "not mutated",
                "wild type": "wild type", "overexpressing": "overexpression"}


@dataclass
class Arm:
    """An arm as the methods name it."""

    id: str
    label: str
    regimen: list[str]
    quote: str
    aliases: list[str] = field(default_factory=list)
    dosing: list[dict] = field(default_factory=list)
    rule: str = ""
    # the arm's size printed where the arm is named ("fulvestrant (250 mg; n = 313)"): the
    # value and its offset in the paper's text
    size: tuple[int, int] | None = None


@dataclass
class Draft:
    """Everything found, in the evidence file's shape (ids are made unique when written)."""

    study: dict = field(default_factory=dict)
    design: dict = field(default_factory=dict)
    design_quotes: list[str] = field(default_factory=list)
    arms: list[Arm] = field(default_factory=list)
    populations: list[dict] = field(default_factory=list)
    endpoints: dict[str, dict] = field(default_factory=dict)
    results: list[dict] = field(default_factory=list)
    comparisons: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    adverse_events: list[dict] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # text offsets of numbers placed in records


def main_conditions(lex: Lexicon, text: str) -> list[str]:
    """The most specific diseases a text names (a subtype wins over the disease it refines)."""
    found = list(dict.fromkeys(x.key for x in lex.find(text, ("disease",))))
    general = set().union(*(lex.ancestors(d) for d in found)) if found else set()
    return [d for d in found if d not in general][:2]


# a number that is a name's part, not a value: "cohort 1", "group 2", "grade 3", "day 8"
LABEL_BEFORE_RE = re.compile(r"\b(?:cohorts?|groups?|arms?|parts?|stages?|grades?|phases?|levels?|"
                             r"steps?|days?|cycles?)\s*$", re.I)


# what makes a percentage a threshold, not a result: "at least 25%", "> or = 12%"
THRESHOLD_BEFORE_RE = re.compile(r"(?:[<>≥≤]\s*(?:or\s*=\s*)?|\b(?:at\s+least|more\s+than|"
                                 r"less\s+than|greater\s+than|fewer\s+than|over|under|above|"
                                 r"below|exceeding)"
                                 r"\s+)$", re.I)


def quote_of(text: str) -> str:
    """A sentence as a quote: white space folded (matching ignores it)."""
    return " ".join(text.split())


def slug(text: str) -> str:
    """A record id from words."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def dec(text: str) -> Decimal:
    """A printed number as a Decimal ('.021' and '0·77' included)."""
    t = text.replace(",", "").replace("·", ".")
    return Decimal("0" + t if t.startswith(".") else t)


# (the rest, the group it is the rest of); a tuple, so the first listed is the named default
OPPOSITES = (("not mutated", "mutated"), ("wild type", "mutated"), ("unmethylated", "methylated"),
             ("negative", "positive"), ("normal", "elevated"),
             ("below the median", "above the median"), ("low", "high"))


OTHER_SIDE: dict[str, str] = {}
for _rest, _first in OPPOSITES:
    OTHER_SIDE.setdefault(_first, _rest)  # the group a prognostic comparison names for the rest


def opposite(rest: str | None, first: str | None) -> bool:
    """Whether status ``rest`` is the other side of ``first`` ("<1%" of ">=1%")."""
    if not rest or not first:
        return False
    if (rest, first) in OPPOSITES:
        return True
    a = re.fullmatch(r"<(.+)", rest)
    b = re.fullmatch(r">=(.+)", first)
    return bool(a and b and a.group(1) == b.group(1))


def blank_counts(text: str) -> str:
    """The count bracketed after a percentage blanked, positions kept: "55% [N=6]" -> "55%".

    Also "53% [138/260] A; 50% [130/260] B". The count is read from the text itself; blanked,
    it neither ends the value's clause nor makes the bracket around it a statistics bracket.
    """
    return re.sub(r"(?<=%)\s*(?:[\[(]\s*[Nn]\s*=\s*\d+\s*[\])]|\[\s*\d[\d,]*\s*/\s*\d[\d,]*\s*\])",
                  lambda m: " " * len(m.group()), text)

# a sentence telling what earlier work found: "previously demonstrated ... a pCR of 10% (the X
# trial)", "earlier studies reported"
BACKGROUND_RE = re.compile(r"\bpreviously\s+(?:demonstrated|shown|reported|described|found)\b|"
                           r"\b(?:previous|prior|earlier)\s+(?:studies|trials|reports)\s+"
                           r"(?:have\s+)?(?:shown|showed|reported|demonstrated|found)\b", re.I)
# a sentence assigning this study's patients
ASSIGNED_RE = re.compile(r"\b(?:assigned|allocated|randomi[sz]ed)\s+(?:\w+\s+){0,3}?(?:to|into|"
                         r"between)\b", re.I)
# when, relative to the treatment, something was given: what every arm had before or after it is
# no arm's own ("A or B after surgery", "group 2 received A for two days after surgery")
TIMING_RE = re.compile(r"\s+(?:after|before|prior\s+to|following)\s")

# an arm's size where the arm is named: "(250 mg; n = 313)", "(386 women)", "(Group A, 38
# women)", "(12 Gy, 1,604 women)" (the comma before the size ends a word, never a digit)
ARM_SIZE_RE = re.compile(
    r"\bn\s*=\s*(?P<n>\d[\d,]*)\b|\((?:[^()]*?(?<!\d)[,;]\s*)?"
    r"(?P<n2>\d{1,3}(?:[ ,\u2009]\d{3})+|\d+)\s+"
    r"(?:patients|women|participants|subjects|men|cases)\s*\)|^\s*\(\s*(?P<n3>\d+)\s*\)\s*$", re.I)
