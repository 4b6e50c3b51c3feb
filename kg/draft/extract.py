"""Find candidate records in a paper's sentences: design, arms, populations, endpoints, numbers.

Plain patterns over sentences, each record quoting the sentence it comes from, so every number a
record carries is printed in its own quote by construction. Values are attributed to arms by the
arm named next to them ("8.7 months with adacotrexate"), by "respectively", or by the order in
which the methods list the arms (experimental first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.draft.lexicon import Lexicon, endpoint_mentions
from kg.draft.reading import Paper, sentences
from kg.numbers import Printed, iter_numbers

NUM = r"(?:\d[\d,]*(?:[.·]\d+)?|[.·]\d+)"
UNIT_RE = re.compile(r"^\s*(?:-|–)?\s*(months?|mo\b|weeks?|wk\b|days?|years?)", re.IGNORECASE)
UNIT_NAMES = {"month": "month", "months": "month", "mo": "month", "week": "week", "weeks": "week",
              "wk": "week", "day": "day", "days": "day", "year": "year", "years": "year"}
JOIN_RE = re.compile(r"^\s*(?:months?\s*|weeks?\s*)?(?:,\s*|(?:,\s*)?(?:versus|vs\.?|v\.?|and|or|"
                     r"to|compared with|against)\s*)$", re.IGNORECASE)
RANDOM_RE = re.compile(r"randomly assigned|randomi[sz]ed|randomi[sz]ation|randomly allocated|"
                       r"allocated", re.I)
SIZE_VERB_RE = re.compile(
    r"\s*(?:who\s+)?(?:were|was|had been)?\s*(?:underwent randomi[sz]ation|randomly assigned|"
    r"randomi[sz]ed|randomly allocated|enrolled|"
    r"included|treated|recruited|registered|received|accrued)", re.IGNORECASE)
PATIENTS_RE = re.compile(r"^\s*(?:eligible |evaluable |adult |additional |randomi[sz]ed |"
                         r"randomly assigned |enrolled )?(?:patients|"
                         r"participants|subjects|women|men|children)\b", re.IGNORECASE)
N_EQ_RE = re.compile(rf"\(?\bn\s*=\s*(?P<n>{NUM})", re.IGNORECASE)
HR_RE = re.compile(r"\b(?:HR|hazard ratio)\b(?:\s+for\s+(?P<for>death|progression(?: or death)?|"
                   r"disease progression(?: or death)?))?", re.IGNORECASE)
CI_RE = re.compile(r"(?P<level>\d+)\s?%\s*(?:CI|confidence interval)|confidence interval",
                   re.IGNORECASE)
P_RE = re.compile(rf"(?<![\w])(?:two-sided\s+|one-sided\s+)?(?:log-rank\s+)?[Pp](?:\s*value)?"
                  rf"\s*(?P<q>=|<|≤|<=|>)\s*(?P<p>{NUM})")
PHASE_RE = re.compile(r"\bphase\s*(?P<p>I{1,3}|[123])(?:\s*/\s*(?:I{1,3}|[123]))?\b|"
                      r"(?P<fih>first-in-human)", re.IGNORECASE)
RATIO_RE = re.compile(r"\b(?P<a>\d)\s*:\s*(?P<b>\d)\b")
ROMAN = {"I": "1", "II": "2", "III": "3"}
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
    conditions: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # text offsets of numbers placed in records


def main_conditions(lex: Lexicon, text: str) -> list[str]:
    """The most specific diseases a text names (a subtype wins over the disease it refines)."""
    found = list(dict.fromkeys(x.key for x in lex.find(text, ("disease",))))
    general = set().union(*(lex.ancestors(d) for d in found)) if found else set()
    return [d for d in found if d not in general][:2]


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


class Drafter:
    """Drafts one paper against a lexicon."""

    def __init__(self, paper: Paper, lex: Lexicon) -> None:
        """Split the paper into sentences and prepare the record lists."""
        self.paper, self.lex = paper, lex
        self.spans = sentences(paper)
        self.d = Draft()
        self.randomised_pop: str | None = None
        self.conditions: list[str] = []
        self.arm_pops: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers

    def tag(self, rule: str) -> None:
        """Name ``rule`` as the one that proposed every record not yet tagged.

        Each record of a draft says which rule made it (``drafted:`` in the file, ``kg:draftRule``
        in the graph) so a curator can judge the rules, and the benchmark can score them.
        """
        d = self.d
        for rec in (*d.populations, *d.endpoints.values(), *d.results, *d.comparisons, *d.claims):
            rec.setdefault("drafted", rule)
        for arm in d.arms:
            arm.rule = arm.rule or rule

    def sent(self, i: int) -> str:
        """Text of sentence i."""
        a, b = self.spans[i]
        return self.paper.text[a:b]

    def use(self, i: int, local: Printed) -> None:
        """Mark a number of sentence i as placed in a record."""
        self.d.used.add(self.spans[i][0] + local.start)

    def endpoint_at(self, text: str, pos: int, default: str | None = None) -> str | None:
        """The endpoint named last before ``pos`` in the sentence."""
        before = [t for p, t in endpoint_mentions(text) if p < pos]
        return before[-1] if before else default

    def endpoint_id(self, etype: str, quote: str, text: str = "") -> str:
        """An endpoint of the given type (with a time point for rates), created on first use."""
        timepoint = None
        if etype in {"pfs-rate", "survival-rate"}:
            mt = re.search(r"(\d+|one|two|three|six|twelve)[- ](month|year)", text, re.I)
            words = {"one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}
            if mt:
                raw = mt.group(1).lower()
                timepoint = (Decimal(words.get(raw, 0) or raw), mt.group(2).lower())
        eid = etype if timepoint is None else f"{etype}-{timepoint[0]}-{timepoint[1]}"
        if eid not in self.d.endpoints:
            rec = {"id": eid, "type": etype, "quote": quote}
            if timepoint is not None:
                rec["timepoint"], rec["timepoint_unit"] = timepoint
            self.d.endpoints[eid] = rec
        return eid

    def arm_near(self, text: str, start: int, end: int) -> Arm | None:
        """The arm named in text[start:end] ("with velortinib", "in arm A", "given placebo")."""
        window = text[start:end].lower()
        best: tuple[int, Arm] | None = None
        for arm in self.d.arms:
            for alias in arm.aliases:
                mt = re.search(rf"(?<![\w-]){re.escape(alias.lower())}(?![\w-])", window)
                if mt and (best is None or mt.start() < best[0]):
                    best = (mt.start(), arm)
        return best[1] if best else None

    # ------------------------------------------------------------------ design and arms

    def design(self) -> None:
        """Phase, randomisation, blinding, control, centres, ratio, line of therapy."""
        d = self.d.design
        title = self.paper.title
        body = self.paper.text[self.paper.body[0]:self.paper.body[1]]
        self.conditions = self.d.conditions = \
            main_conditions(self.lex, title) or main_conditions(self.lex, body)
        for text in [title, *(self.sent(i) for i in range(len(self.spans)))]:
            found = False
            for source in (text,):
                mt = PHASE_RE.search(source)
                if mt and "phase" not in d:
                    p = mt.group("p")
                    d["phase"] = ROMAN.get(p.upper(), p) if p else "1"
                    found = True
                if RANDOM_RE.search(source) and "randomised" not in d and \
                        not re.search(r"non-?randomi[sz]ed", source, re.I):
                    d["randomised"] = True
                    found = True
                ratio = RATIO_RE.search(source)
                if ratio and RANDOM_RE.search(source) and "allocation_ratio" not in d:
                    d["allocation_ratio"] = f"{ratio.group('a')}:{ratio.group('b')}"
                    found = True
                if re.search(r"double-blind", source, re.I) and "blinding" not in d:
                    d["blinding"], found = "double-blind", True
                if re.search(r"open-label", source, re.I) and "blinding" not in d:
                    d["blinding"], found = "open-label", True
                if re.search(r"single-arm|single arm|non-?randomi[sz]ed", source, re.I) and \
                        "single_arm" not in d:
                    d["single_arm"], found = True, True
                if re.search(r"placebo", source, re.I) and "placebo_controlled" not in d and \
                        RANDOM_RE.search(source):
                    d["placebo_controlled"], found = True, True
                if re.search(r"multicent(?:re|er)|multi-cent", source, re.I) and \
                        "multicentre" not in d:
                    d["multicentre"], found = True, True
            if found and quote_of(text) not in self.d.design_quotes:
                self.d.design_quotes.append(quote_of(text))
        lines = []
        for pattern, line in ((r"first-line|previously untreated|treatment-naive", "first"),
                              (r"second-line", "second"), (r"third-line", "third"),
                              (r"previously treated|pretreated|refractory", "pretreated")):
            if re.search(pattern, title, re.I):
                lines.append(line)
        if lines:
            self.d.study["line_of_therapy"] = lines[:1]

    def arms(self) -> None:
        """Arms from the randomisation sentence, or one arm for a single-arm study."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            # the verb, not the adjective ("a randomised phase 2 trial"); its "to", not "up to"
            mt = re.search(r"(?:randomly assigned|randomi[sz]ed(?!\s+(?:phase|trial|study|"
                           r"controlled|clinical|double|open|multi|placebo))|allocated)"
                           r"[^.;]*?(?<!up )\bto\b", text, re.I)
            if not mt:
                continue
            tail = text[mt.end():]
            tail = re.split(r"\.\s|;|\. The|, stratified|\. Random", tail)[0]
            each = re.search(r",?\s*(?:each|both)\s+(?:added to|given with|combined with|plus|"
                             r"in combination with|with)\s+(.*)$", tail, re.I)
            last_or = max((m.end() for m in re.finditer(r"\s(?:or|versus|vs\.?)\s", tail)),
                          default=-1)
            shared = re.search(r",\s*(?:(?:each|both|all)\s+)?(?:given|administered)\s+(?:with|"
                               r"together with|in combination with)\s+(.*)$", tail[last_or:],
                               re.I) if last_or >= 0 else None
            backbone: list[str] = []
            clause = (each.start(), each.group(1)) if each else \
                (last_or + shared.start(), shared.group(1)) if shared else None
            if clause is not None:
                backbone = [x.key for x in self.lex.find(clause[1]) if x.kind == "drug"]
                if not backbone and re.match(r"(?:the\s+)?(?:same\s+)?chemotherapy", clause[1],
                                             re.I):
                    # "received pemetrexed and cisplatin ... and were randomised to A or placebo,
                    # given with chemotherapy": the chemotherapy is named before the assignment
                    backbone = [x.key for x in self.lex.find(text[:mt.start()])
                                if x.kind == "drug"]
                tail = tail[:clause[0]]
            parts = re.split(r"\s*(?:,?\s+or\s+|\s+versus\s+|\s+vs\.?\s+|\s+v\s+)\s*", tail)
            arms = []
            for part in parts:
                found = self.lex.find(part)
                regimen = [x.key for x in found]
                if not regimen and not re.search(r"\balone\b|same|control|standard|"
                                                  r"chemotherapy", part, re.I):
                    continue
                regimen = list(dict.fromkeys(regimen + [b for b in backbone
                                                        if b not in regimen]))
                letter = re.search(r"\barm ([A-D])\b", part)
                arms.append((part, regimen, letter.group(1) if letter else None))
            arms = self._comparators(arms)
            if len(arms) >= 2:
                self._make_arms(arms, quote_of(text), part_texts=[a[0] for a in arms])
                return
        # single arm: the study drugs named where patients received them
        for i in range(len(self.spans)):
            text = self.sent(i)
            if re.search(r"received|were treated with|was given|were given|evaluated|assessed",
                         text, re.I):
                regimen = list(dict.fromkeys(x.key for x in self.lex.find(text)))
                if regimen:
                    self._make_arms([(text, regimen, None)], quote_of(text), [text])
                    self.tag("single-arm-treatment")
                    return

    def _comparators(self, arms: list) -> list:
        """Fill an arm named without a known drug ("CAPOX alone", "the same chemotherapy").

        It is the experimental arm's backbone: its drugs less the study drug the title names
        first.
        """
        named = [a for a in arms if a[1]]
        if not named or len(arms) < 2:
            return named
        first = named[0][1]
        title_drugs = [x.key for x in self.lex.find(self.paper.title) if x.kind == "drug"]
        study = [d for d in title_drugs[:1] if d in first] or first[:1]
        out = []
        for part, regimen, letter in arms:
            if not regimen:
                regimen = [d for d in first if d not in study and d != "placebo"]
                if not regimen:
                    continue
            out.append((part, regimen, letter))
        return out

    def _make_arms(self, arms: list, quote: str, part_texts: list[str]) -> None:
        all_drugs = [set(r) for _, r, _ in arms]
        for (_part, regimen, letter), text in zip(arms, part_texts, strict=True):
            others = set().union(*(s for s in all_drugs if s != set(regimen))) if \
                len(arms) > 1 else set()
            own = [r for r in regimen if r not in others] or regimen
            names = self.lex.entities.drugs
            label = " + ".join(names[r].label if r in names else r for r in regimen)
            aliases = []
            for r in own:
                e = names.get(r)
                aliases += [e.label, *e.synonyms] if e else [r]
            if letter:
                aliases.append(f"arm {letter}")
                label = f"arm {letter}: {label}"
            arm = Arm(slug("-".join(regimen)), label, regimen, quote, aliases)
            arm.dosing = self._dosing(text, regimen)
            self.d.arms.append(arm)

    def _dosing(self, text: str, regimen: list[str]) -> list[dict]:
        out = []
        for drug in regimen:
            e = self.lex.entities.drugs.get(drug)
            if e is None:
                continue
            names = "|".join(re.escape(n) for n in (e.label, *e.synonyms))
            mt = re.search(rf"(?:{names})\s+(?P<dose>\d+(?:\.\d+)?)\s*mg(?!\s*/)\b"
                           rf"(?:\s+(?P<freq>once|twice)\s+daily)?", text, re.I)
            if mt:
                rec = {"intervention": drug, "dose": dec(mt.group("dose")), "unit": "mg"}
                if mt.group("freq"):
                    rec["daily_frequency"] = {"once": 1, "twice": 2}[mt.group("freq").lower()]
                out.append(rec)
        return out

    # ------------------------------------------------------------------ populations

    def populations(self) -> None:
        """Randomised or enrolled totals, per-arm sizes, subgroups with their size."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            for p in iter_numbers(text):
                if p.percent or p.value != p.value.to_integral() or p.value < 2:
                    continue
                kind = self._total_kind(text, p)
                if kind is None or any(x["kind"] == kind and x.get("parent") is None
                                       for x in self.d.populations):
                    continue
                pid = kind
                self.d.populations.append({"id": pid, "label": f"{kind} patients", "kind": kind,
                                           "size": int(p.value), "quote": quote_of(text)})
                self.use(i, p)
                if kind == "randomised":
                    self.randomised_pop = pid
                self._arm_sizes(i, text, pid, p.end)
        if self.randomised_pop is None and self.d.populations:
            self.randomised_pop = self.d.populations[0]["id"]
        if self.randomised_pop is None and self.d.design.get("randomised") and self.d.arms:
            # randomised, with no size stated: the comparisons are still made in that population
            self.d.populations.insert(0, {"id": "randomised", "label": "randomised patients",
                                          "kind": "randomised", "quote": self.d.arms[0].quote})
            self.randomised_pop = "randomised"
        if len(self.d.arms) == 1:  # a single-arm study: every patient had that arm
            for pop in self.d.populations:
                if pop.get("parent") is None and pop["kind"] in {"enrolled", "randomised"}:
                    pop.setdefault("arm", self.d.arms[0].id)

    def _total_kind(self, text: str, p: Printed) -> str | None:
        """"enrolled" or "randomised" when ``p`` counts the study's patients, else None.

        "450 patients were randomly assigned", "Of 538 randomized patients", "A total of 291
        patients underwent randomization", "Of the 318 patients who underwent randomization".
        """
        after = text[p.end:p.end + 140]
        pat = PATIENTS_RE.match(after)
        if not pat or re.search(r"\b(?:cohort|arm|group|phase|grade|stage|part|day|cycle|"
                                r"week)\s*$", text[:p.start], re.I):
            return None
        if re.search(r"randomi[sz]ed|randomly assigned", pat.group(), re.I):
            return "randomised"
        if re.search(r"enrolled", pat.group(), re.I):
            return "enrolled"
        rest = after[pat.end():]
        with_ = re.match(r"\s+with\s+(?:[\w-]+\s+){1,8}?(?=(?:were|was|received|had been)"
                         r"\b)", rest)
        verb = SIZE_VERB_RE.match(rest[with_.end() - 1:] if with_ else rest)
        if not verb:
            return None
        return "randomised" if RANDOM_RE.search(verb.group()) else "enrolled"

    def _arm_sizes(self, i: int, text: str, parent: str, after_total: int) -> None:
        """Per-arm sizes printed after a total.

        "(adacotrexate n=224; paclitaxel n=222)", "(arm A, 83; arm B, 81)", "194 to the pelorasib
        group and 97 to the placebo group", "270 received quenvastat and 268 received placebo",
        "(201 per group)".
        """
        numbers = [p for p in iter_numbers(text) if not p.percent and p.start >= after_total
                   and p.value == p.value.to_integral()]
        found: dict[str, Printed] = {}
        for p in numbers:
            before = text[max(0, p.start - 40):p.start]
            if re.search(r"(?:n\s*=\s*|,\s*)$", before, re.I):
                seg = re.split(r"[;)]|\bor\b", before)[-1]
                arm = self.arm_near(seg, 0, len(seg))
                if arm is not None:
                    found.setdefault(arm.id, p)
                    continue
            follow = text[p.end:p.end + 80]
            if re.match(r"\s+per\s+(?:group|arm)\b", follow, re.I):
                for arm in self.d.arms:
                    found.setdefault(arm.id, p)
                continue
            lead = re.match(r"\s+(?:patients\s+|participants\s+)?(?:(?:were|was)\s+)?"
                            r"(?:(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+)?"
                            r"(?:to|received|in|"
                            r"to receive)\s+(?:the\s+)?", follow, re.I)
            if lead:
                seg = re.split(r"[,;)(]|\band\b|\bvs?\b|\bversus\b", follow[lead.end():])[0]
                arm = self.arm_near(seg, 0, len(seg))
                if arm is not None:
                    found.setdefault(arm.id, p)
        if len(found) < 2 and len(self.d.arms) > 1:
            return  # one arm's size alone is more likely something else
        for arm in self.d.arms:
            p = found.get(arm.id)
            if p is None:
                continue
            pid = f"{parent}-{arm.id}"
            if not any(x["id"] == pid for x in self.d.populations):
                self.d.populations.append({
                    "id": pid, "label": f"{parent} to {arm.label}", "kind": parent
                    if parent in {"randomised", "enrolled"} else "randomised",
                    "size": int(p.value), "parent": parent, "arm": arm.id,
                    "quote": quote_of(text)})
                self.arm_pops[arm.id] = pid
                self.use(i, p)

    def subgroups(self, i: int, text: str) -> list[tuple[int, str]]:
        """Subgroups a results sentence names: a subtype of the study's disease or a biomarker.

        Returns (position, population id); a size comes from "(n = 421)" or "the 139 patients
        with ..." next to the name.
        """
        out = self._cohorts(i, text)
        for x in self.lex.find(text, ("disease", "biomarker")):
            if x.kind == "disease" and not (self.conditions and any(
                    c in self.lex.ancestors(x.key) for c in self.conditions)):
                continue
            status = self._status(text, x.start, x.end) if x.kind == "biomarker" else None
            pid = slug(text[x.start:x.end] + (f" {status}" if status else ""))
            size = None
            after = re.match(rf"[^()]{{0,25}}?\(\s*n\s*=\s*(?P<n>{NUM})", text[x.end:])
            before = re.search(rf"(?:^|[:,;(]|\band)\s*(?P<n>{NUM})\s+(?:(?:patients|participants)"
                               rf"\s+)?(?:with|whose|who had)\s+[\w\s-]{{0,30}}$", text[:x.start])
            found = after or before
            if found and not any(p["id"] == pid for p in self.d.populations):
                size = int(dec(found.group("n")))
                base = x.end if found is after else 0
                for p in iter_numbers(text[base:], words=False):
                    if base + p.start == base + found.start("n"):
                        self.d.used.add(self.spans[i][0] + base + p.start)
            if not any(p["id"] == pid for p in self.d.populations):
                rec = {"id": pid, "label": text[x.start:x.end], "kind": "subgroup",
                       "quote": quote_of(text)}
                if size is not None:
                    rec["size"] = size
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                rec["histology" if x.kind == "disease" else "biomarker"] = x.key
                if status:
                    rec["biomarker_status"] = status
                self.d.populations.append(rec)
            out.append((x.start, pid))
        return out

    def _cohorts(self, i: int, text: str) -> list[tuple[int, str]]:
        """Cohorts named by number or letter ("cohort 1", "Cohort B"), sized by "28 in cohort 1"."""
        out = []
        for mt in re.finditer(r"\b[Cc]ohort\s+(\d{1,2}|[A-D])\b", text):
            pid = slug(f"cohort {mt.group(1)}")
            if not any(p["id"] == pid for p in self.d.populations):
                rec: dict = {"id": pid, "label": f"cohort {mt.group(1)}", "kind": "subgroup",
                             "quote": quote_of(text)}
                size = re.search(rf"(?<![\d.])(?P<n>{NUM})\s+(?:patients\s+)?(?:were\s+)?in\s+$",
                                 text[:mt.start()])
                after = re.match(rf"\s*\(\s*n\s*=\s*(?P<n>{NUM})", text[mt.end():])
                found = size or after
                if found and "." not in found.group("n"):
                    rec["size"] = int(dec(found.group("n")))
                    offset = found.start("n") if found is size else mt.end() + found.start("n")
                    self.d.used.add(self.spans[i][0] + offset)
                if self.randomised_pop:
                    rec["parent"] = self.randomised_pop
                self.d.populations.append(rec)
            out.append((mt.start(), pid))
        return out

    def _status(self, text: str, start: int, end: int) -> str | None:
        """A biomarker's status as printed beside it: "≥1%", "KRAS-mutant", "a FLT3 mutation"."""
        cmp = re.match(rf"\s*(?:expression|level|score)?\s*(?:of\s+)?(?P<op>≥|≤|>=|<=|<|>|at least|"
                       rf"less than)\s*(?P<v>{NUM}\s*(?:%|ng/mL|ng/ml)?)", text[end:end + 40], re.I)
        if cmp:
            op = {"≥": ">=", "≤": "<=", "at least": ">=", "less than": "<"}.get(
                cmp.group("op").lower(), cmp.group("op"))
            return f"{op}{cmp.group('v').replace(' ', '')}"
        window = text[max(0, start - 20):end + 25]
        status = re.search(STATUS, window, re.I)
        if status:
            word = status.group().lower().replace("-", " ")
            return STATUS_WORDS.get(word, word)
        if re.search(r"mutation", text[start:end + 12], re.I):
            negated = re.search(r"(?:without|no|non-?)\s*(?:an?\s+)?\S*\s*$", text[:start], re.I)
            return "not mutated" if negated else "mutated"
        return None

    def pop_at(self, subs: list[tuple[int, str]], text: str, pos: int) -> str | None:
        """The subgroup a value at ``pos`` is stated for, else the whole population.

        The subgroup named last before it in the same clause; or, when the value comes first,
        the one named right after it with no other number between ("67.9% [95% CI ...]
        (19 of 28) in cohort 1 and 40.9% ... in cohort 2").
        """
        value = re.match(rf"{NUM}\s*%?", text[pos:])
        start = pos + (value.end() if value else 0)
        bare = re.sub(r"\([^()]*\)|\[[^\]]*\]", lambda m: " " * len(m.group()), text)
        for p, pid in subs:
            if p >= start and re.fullmatch(r"\s*(?:months?|mo|weeks?|days?|years?)?[\s,]*(?:in|"
                                            r"among|for)\s+(?:the\s+)?(?:patients\s+with\s+)?",
                                            bare[start:p], re.I):
                return pid
        before = [(p, pid) for p, pid in subs if p < pos and not re.search(
            r"[;.]\s|\bwhereas\b|\bcompared with\b", text[p:pos])]
        return before[-1][1] if before else self.randomised_pop

    # ------------------------------------------------------------------ endpoints

    def endpoints(self) -> None:
        """The primary endpoint as stated."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.search(r"primary (?:end ?point|endpoint|outcome|objective)s?\s+(?:was|were|"
                           r"is|included)\s+", text, re.I)
            if mt:
                named = [t for p, t in endpoint_mentions(text) if p >= mt.end()]
                if named:
                    eid = self.endpoint_id(named[0], quote_of(text), text[mt.end():])
                    self.d.endpoints[eid]["primary"] = True

    # ------------------------------------------------------------------ numbers

    def masked(self, text: str) -> str:
        """The sentence with statistics in brackets (HR, CI, P) blanked, positions kept."""
        out = list(text)
        for mt in re.finditer(r"\([^()]*(?:\([^()]*\)[^()]*)*\)|\[[^\]]*\]", text):
            inner = mt.group()
            if re.search(r"\b(?:HR|CI|P|p|hazard|confidence|n\s*=)\b|%\s*CI|/", inner):
                for k in range(mt.start(), mt.end()):
                    out[k] = " "
        return "".join(out)

    def numbers(self) -> None:
        """Hazard ratios with CI and p, medians, rates and counts, p-values of comparisons."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            if re.match(r"\s*(?:BACKGROUND|Background|Introduction)\b", text):
                continue
            if not re.search(r"\d", text):
                continue
            subs = self.subgroups(i, text)
            self.tag("subgroup-named")
            hrs = self.hazard_ratios(i, text, subs)
            self.tag("effect-estimate")
            medians = self.medians(i, text, subs)
            self.tag("median-per-arm")
            values = medians + self.rates(i, text, subs)
            self.tag("rate-or-count")
            if not hrs:
                self.p_values(i, text, values, subs)
                self.tag("p-value-beside-values")

    def hazard_ratios(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Every "HR 0.81 (95% CI 0.68-0.97); P=.021" of a sentence."""
        out = []
        nums = list(iter_numbers(text, words=False))
        for mt in HR_RE.finditer(text):
            after = [p for p in nums if p.start >= mt.end()]
            est = next((p for p in after if not p.percent and
                        not text[p.end:p.end + 3].lstrip().startswith("%")), None)
            if est is None or est.start - mt.end() > 25:
                continue
            rec: dict = {"kind": "treatment-effect", "measure": "hazard-ratio",
                         "estimate": est.value}
            self.use(i, est)
            nxt = HR_RE.search(text, mt.end())
            limit = nxt.start() if nxt else len(text)
            ci = CI_RE.search(text, est.end, limit)
            if ci:
                bounds = [p for p in nums if ci.end() <= p.start < limit and not p.percent][:2]
                if len(bounds) == 2 and bounds[0].value <= est.value <= bounds[1].value:
                    rec["ci_low"], rec["ci_high"] = bounds[0].value, bounds[1].value
                    for b in bounds:
                        self.use(i, b)
                    if ci.group("level"):
                        rec["ci_level"] = Decimal(ci.group("level")) / 100
                        lvl = next(p for p in nums if p.start == ci.start("level"))
                        self.use(i, lvl)
            pm = P_RE.search(text, est.end, limit)
            if pm:
                self._p(rec, pm, i, nums)
            who = mt.group("for") or ""
            etype = ("os" if who.lower() == "death" else "pfs" if who else
                     self.endpoint_at(text, mt.start(), self._last_endpoint))
            if etype is None:
                continue
            rec["endpoint"] = self.endpoint_id(etype, quote_of(text), text)
            self._last_endpoint = etype
            out.append(self._add_comparison(rec, subs, text, mt.start()))
        return out

    def _add_comparison(self, rec: dict, subs: list[tuple[int, str]], text: str, pos: int
                        ) -> dict:
        """Complete a comparison with its arms, population and quote, and keep it."""
        self._sides(rec)
        pop = self.pop_at(subs, text, pos)
        if pop:
            rec["population"] = pop
        rec["quote"] = quote_of(text)
        self.d.comparisons.append(rec)
        return rec

    _last_endpoint: str | None = None

    def _p(self, rec: dict, pm: re.Match[str], i: int, nums: list[Printed]) -> None:
        value = dec(pm.group("p"))
        if value > 1:
            return
        q = pm.group("q")
        rec["p_value"], rec["p_qualifier"] = value, {"≤": "<=", ">": "="}.get(q, q)
        if q == ">":
            rec["p_qualifier"] = "unstated"
        for p in nums:
            if p.start == pm.start("p") or (p.start <= pm.start("p") < p.end):
                self.use(i, p)

    def _sides(self, rec: dict) -> None:
        arms = self.d.arms
        if len(arms) >= 2:
            rec["experimental"], rec["reference"] = arms[0].id, arms[1].id

    def _unit_after(self, text: str, end: int) -> str | None:
        mt = UNIT_RE.match(text[end:end + 14])
        return UNIT_NAMES.get(mt.group(1).lower().rstrip(".")) if mt else None

    def medians(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Medians with a time unit, attributed to arms."""
        masked = self.masked(text)
        nums = [p for p in iter_numbers(masked, words=False) if not p.percent]
        runs: list[list[Printed]] = []
        for p in nums:
            if runs and JOIN_RE.match(masked[runs[-1][-1].end:p.start]):
                runs[-1].append(p)
            else:
                runs.append([p])
        out = []
        for run in runs:
            unit = None
            for p in run:
                unit = unit or self._unit_after(masked, p.end)
            last_unit = self._unit_after(masked, run[-1].end)
            unit = last_unit or unit
            if unit not in {"month", "week"}:
                continue
            etype = self.endpoint_at(text, run[0].start)
            if etype not in {"os", "pfs"} and not re.search(r"median", text[:run[0].start],
                                                            re.I):
                continue
            if etype is None:
                continue
            if not re.search(r"median|survival|PFS|OS", text[:run[0].start], re.I):
                continue
            eid = self.endpoint_id(etype, quote_of(text), text)
            self._last_endpoint = etype
            arms = self._attribute(text, run, masked)
            for p, arm in zip(run, arms, strict=True):
                rec = self._result(eid, "median", p, unit, text, arm, subs)
                out.append(self._keep(rec, i, text, p, single=len(run) == 1))
        return out

    def _result(self, eid: str, statistic: str, p: Printed, unit: str, text: str,
                arm: Arm | None, subs: list[tuple[int, str]]) -> dict:
        """A result of one printed value, with its arm and the population it was stated for."""
        rec = {"endpoint": eid, "statistic": statistic, "value": p.value, "unit": unit,
               "quote": quote_of(text)}
        if arm is not None:
            rec["arm"] = arm.id
        pop = self.pop_at(subs, text, p.start)
        if pop:
            rec["population"] = pop
        return rec

    def _keep(self, rec: dict, i: int, text: str, p: Printed, single: bool) -> dict:
        """Keep a result; a value standing alone takes the CI printed right after it."""
        if single:
            self._result_ci(text, p, rec, i)
        self.use(i, p)
        self.d.results.append(rec)
        return rec

    def _result_ci(self, text: str, p: Printed, rec: dict, i: int) -> None:
        mt = re.match(rf"\s*(?:months?|weeks?|%)?\s*\(\s*(?P<lvl>\d+)\s?%\s*CI[,:]?\s*(?P<a>{NUM})"
                      rf"\s*(?:-|–|to|,)\s*(?P<b>{NUM})", text[p.end:])
        if mt:
            a, b = dec(mt.group("a")), dec(mt.group("b"))
            if a <= p.value <= b:
                rec["ci_low"], rec["ci_high"] = a, b
                rec["ci_level"] = Decimal(mt.group("lvl")) / 100
                base = p.end
                for q in iter_numbers(text[base:base + mt.end()], words=False):
                    self.d.used.add(self.spans[i][0] + base + q.start)

    def _attribute(self, text: str, run: list[Printed], masked: str) -> list[Arm | None]:
        """Which arm each value of a run belongs to (none in a single-arm study)."""
        if len(self.d.arms) < 2:
            return [None] * len(run)
        named = []
        for k, p in enumerate(run):
            stop = run[k + 1].start if k + 1 < len(run) else min(len(text), p.end + 45)
            named.append(self.arm_near(masked, p.end, stop))
        if all(named) and len(set(id(a) for a in named)) == len(named):
            return named
        respectively = re.search(r"respectively", text[run[-1].end:run[-1].end + 40], re.I)
        if len(run) == len(self.d.arms) or respectively:
            order = self._arm_order(text, run[0].start)
            return [order[k] if k < len(order) else None for k in range(len(run))]
        return [named[k] for k in range(len(run))]

    def _arm_order(self, text: str, before: int) -> list[Arm]:
        """Arms in the order the sentence names them before the values, else methods order."""
        mentions = []
        for arm in self.d.arms:
            pos = [m.start() for a in arm.aliases
                   for m in re.finditer(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text[:before],
                                        re.I)]
            if pos:
                mentions.append((min(pos), arm))
        if len(mentions) == len(self.d.arms):
            return [a for _, a in sorted(mentions, key=lambda t: t[0])]
        return list(self.d.arms)

    def rates(self, i: int, text: str, subs: list[tuple[int, str]]) -> list[dict]:
        """Counts and percentages: "71 of 307 patients (23.1%)", "29% and 24%, respectively"."""
        out = []
        masked = self.masked(text)
        taken: set[int] = set()
        for mt in re.finditer(rf"(?P<c>{NUM}|[A-Za-z-]+)\s+of\s+(?:the\s+)?(?P<n>{NUM})\b"
                              rf"(?:\s+\w+){{0,3}}?\s*\((?P<pct>{NUM})\s?%", text):
            rec = self._count_rate(i, text, mt, subs)
            if rec:
                out.append(rec)
                taken.update(range(mt.start(), mt.end()))
        for mt in re.finditer(rf"(?P<c>{NUM})\s*\((?P<pct>{NUM})\s?%\)\s+of\s+(?:the\s+)?"
                              rf"(?P<n>{NUM})\b", text):
            rec = self._count_rate(i, text, mt, subs)
            if rec:
                out.append(rec)
                taken.update(range(mt.start(), mt.end()))
        for mt in re.finditer(rf"(?P<pct>{NUM})\s?%\s*\((?P<c>{NUM})\s*/\s*(?P<n>{NUM})", text):
            rec = self._count_rate(i, text, mt, subs)
            if rec:
                out.append(rec)
                taken.update(range(mt.start(), mt.end()))
        pcts = [p for p in iter_numbers(masked, words=False) if p.percent and
                p.start not in taken and not re.match(r"\s*%?\s*(?:CI|confidence)",
                                                      masked[p.end:p.end + 16], re.I)]
        runs: list[list[Printed]] = []
        for p in pcts:
            if runs and JOIN_RE.match(masked[runs[-1][-1].end:p.start].replace("%", "")):
                runs[-1].append(p)
            else:
                runs.append([p])
        for run in runs:
            etype = self.endpoint_at(text, run[0].start)
            if etype is None or etype in {"os", "pfs"}:
                continue
            eid = self.endpoint_id(etype, quote_of(text), text)
            arms = self._attribute(text, run, masked)
            for p, arm in zip(run, arms, strict=True):
                statistic = "rate" if etype.endswith("rate") or etype == "dcr" else "proportion"
                rec = self._result(eid, statistic, p, "percent", text, arm, subs)
                count = re.search(rf"(?P<c>{NUM}|[A-Z]?[a-z]+(?:-[a-z]+)?)\s+(?:\w+\s+){{0,3}}"
                                  rf"\(\s*$", text[max(0, p.start - 40):p.start])
                if count:
                    c = next(iter(iter_numbers(count.group("c"))), None)
                    if c is not None and c.value == c.value.to_integral() and c.value > 0:
                        rec["count"] = int(c.value)
                        self.d.used.add(self.spans[i][0] + max(0, p.start - 40) + count.start())
                out.append(self._keep(rec, i, text, p, single=len(run) == 1))
        return out

    def _count_rate(self, i: int, text: str, mt: re.Match[str],
                    subs: list[tuple[int, str]]) -> dict | None:
        count = next(iter(iter_numbers(mt.group("c"))), None)
        if count is None:
            return None
        n = dec(mt.group("n"))
        pct = dec(mt.group("pct"))
        if count.value > n or n == 0 or abs(Decimal(100) * count.value / n - pct) > 1:
            return None
        etype = self.endpoint_at(text, mt.end() + 40) or self.endpoint_at(text, len(text))
        if etype is None:
            return None
        eid = self.endpoint_id(etype, quote_of(text), text)
        arm = self.arm_near(text, mt.end(), min(len(text), mt.end() + 40)) if \
            len(self.d.arms) > 1 else None
        rec = {"endpoint": eid, "statistic": "proportion", "count": int(count.value),
               "denominator": int(n), "value": pct, "unit": "percent", "quote": quote_of(text)}
        if arm is not None:
            rec["arm"] = arm.id
        pop = self.pop_at(subs, text, mt.start())
        if pop:
            rec["population"] = pop
        for p in iter_numbers(text[mt.start():mt.end()]):
            self.d.used.add(self.spans[i][0] + mt.start() + p.start)
        ci = re.match(rf"[^()]{{0,12}}?(?P<lvl>\d+)\s?%\s*CI[,:]?\s*(?P<a>{NUM})\s*(?:-|–|to)\s*"
                      rf"(?P<b>{NUM})", text[mt.end():mt.end() + 40])
        if ci and dec(ci.group("a")) <= pct <= dec(ci.group("b")):
            rec["ci_low"], rec["ci_high"] = dec(ci.group("a")), dec(ci.group("b"))
            rec["ci_level"] = Decimal(ci.group("lvl")) / 100
            for p in iter_numbers(text[mt.end():mt.end() + ci.end()], words=False):
                self.d.used.add(self.spans[i][0] + mt.end() + p.start)
        self.d.results.append(rec)
        return rec

    def p_values(self, i: int, text: str, values: list[dict], subs: list[tuple[int, str]]) -> None:
        """A p-value beside two arms' values is the comparison of those arms."""
        pm = P_RE.search(text)
        if not pm or len(self.d.arms) < 2:
            return
        arms = {v.get("arm") for v in values}
        if len(arms - {None}) < 2:
            return
        rec: dict = {"kind": "treatment-effect", "endpoint": values[0]["endpoint"]}
        self._p(rec, pm, i, list(iter_numbers(text, words=False)))
        if "p_value" not in rec:
            return
        self._add_comparison(rec, subs, text, pm.start())

    # ------------------------------------------------------------------ claims

    def claims(self) -> None:
        """The conclusion sentence as a conclusion claim about the study's drugs."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            if re.match(r"\s*(?:CONCLUSIONS?|Conclusions?|INTERPRETATION|Interpretation)\b",
                        text) or (i == len(self.spans) - 1 and not re.search(r"\d", text)):
                drugs = list(dict.fromkeys(x.key for x in self.lex.find(text) if
                                           x.kind == "drug"))
                if not drugs or re.search(r"\d", text):
                    continue
                negated = bool(re.search(r"\b(?:not|no|failed|did not)\b", text, re.I))
                self.d.claims.append({
                    "kind": "conclusion", "label": quote_of(text)[:120], "drugs": drugs,
                    "negated": negated, "quote": quote_of(re.sub(
                        r"^\s*(?:CONCLUSIONS?|Conclusions?|INTERPRETATION|Interpretation):?\s*",
                        "", text))})

    def run(self) -> Draft:
        """All passes, in the order later ones depend on."""
        self.design()
        self.arms()
        self.tag("arms-from-assignment")
        self.populations()
        self.tag("population-size")
        self.endpoints()
        self.tag("primary-endpoint")
        self.numbers()
        if len(self.d.arms) == 1:  # one arm: every result is that arm's
            for r in self.d.results:
                if not r.get("arm"):
                    r["arm"] = self.d.arms[0].id
        self.claims()
        self.tag("conclusion-sentence")
        return self.d
