"""Score a drafted evidence file against a hand-curated gold file, whatever ids either side chose.

A drafter names its studies, arms and populations as it likes, so nothing here compares ids.
Studies are paired first (acronym, cited reference numbers, quoted stretches of the text, label
words, regimens); then every number of every record becomes a :class:`Number`: what kind of record
and which slot holds it, the value, and a context that says what the number is about in terms a
reader would use (the paired study, endpoint type and time point, statistic or measure, the drugs
of the arm or arms, what defines the population). Both sides' numbers are matched as multisets, so
precision is the share of drafted numbers the gold file also states, recall the share of gold
numbers the draft found. Arms (by regimen) and populations (by kind, defining attributes, arm and
size) are matched the same way.

The rules are written out for the drafter's author in ``benchmarks/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from kg import model as m
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText

CATEGORIES = ("numbers", "key numbers", "studies", "arms", "populations",
              "numbers, context ignored", "safety numbers")
# The last category is a diagnostic: a number found but put in the wrong record or context
# matches there and not under "numbers", which tells a drafter's author where to look.
RESPONSE_TYPES = frozenset({"orr", "rr", "pr", "sd", "pd", "dcr"})  # response and control rates
RESULT_SLOTS = ("value", "count", "denominator", "ci_low", "ci_high")
COMPARISON_SLOTS = ("estimate", "ci_low", "ci_high", "p_value")
WITH_UNIT = frozenset({"value", "ci_low", "ci_high"})  # a count needs no unit to mean something
MIN_LABEL_OVERLAP = 0.5  # label words alone pair two studies only when half of them are shared


# ---------------------------------------------------------------- tallies


@dataclass(frozen=True, slots=True)
class Tally:
    """How many items each side states and how many of them pair up (multiset matching)."""

    draft: int = 0
    gold: int = 0
    matched: int = 0

    def __add__(self, other: Tally) -> Tally:
        """Totals over documents are sums of counts (micro-averages), not means of rates."""
        return Tally(self.draft + other.draft, self.gold + other.gold,
                     self.matched + other.matched)

    @property
    def precision(self) -> float | None:
        """Share of drafted items that the gold file states too (None if nothing was drafted)."""
        return self.matched / self.draft if self.draft else None

    @property
    def recall(self) -> float | None:
        """Share of gold items that the draft found (None if the gold file states none)."""
        return self.matched / self.gold if self.gold else None

    def unloaded(self) -> Tally:
        """The same counts with no match: a draft that does not load gives the graph nothing."""
        return Tally(self.draft, self.gold, 0)


# ---------------------------------------------------------------- one side of the comparison


@dataclass(frozen=True, slots=True)
class Evidence:
    """One document's evidence: its file, the studies merged over all documents, its text.

    ``studies`` comes from ``Corpus.studies``, so an entry that ``extends`` another document's
    study resolves its arm, population and endpoint ids against that study.
    """

    file: m.EvidenceFile
    studies: Mapping[str, m.Study]
    text: SourceText | None = None

    @classmethod
    def of(cls, corpus: m.Corpus, doc_id: str,
           indexed: Mapping[str, SourceText] | None = None) -> Evidence:
        """The evidence of one document of a loaded corpus."""
        f = next((f for f in corpus.files if f.document.id == doc_id), None)
        if f is None:
            raise KeyError(f"no evidence file for document {doc_id!r}")
        text = (indexed or {}).get(doc_id)
        if text is None and doc_id in corpus.texts:
            text = SourceText(corpus.texts[doc_id], f.document.page_headers)
        return cls(f, corpus.studies, text)

    def merged(self, entry: m.Study) -> m.Study:
        """The study an entry belongs to, with every document's parts."""
        return self.studies.get(entry.id, entry)


@dataclass(frozen=True, slots=True)
class Parts:
    """The arms, populations and endpoints one entry states or its statements refer to."""

    arms: tuple[m.Arm, ...]
    populations: tuple[m.Population, ...]
    endpoints: tuple[m.Endpoint, ...]


def entry_parts(entry: m.Study, study: m.Study) -> Parts:
    """Own parts plus those of the merged study that the entry's statements use.

    A second report that attaches to a known study may state its results against the first
    report's arms without restating them; those arms are still what this document is about.
    """
    arm_ids = {a.id for a in entry.arms}
    pop_ids = {p.id for p in entry.populations}
    end_ids = {e.id for e in entry.endpoints}
    for r in entry.results:
        arm_ids.add(r.arm or "")
        pop_ids.add(r.population or "")
        end_ids.add(r.endpoint)
    for c in entry.comparisons:
        arm_ids.update((c.experimental or "", c.reference or ""))
        pop_ids.update((c.population or "", *c.groups))
        end_ids.add(c.endpoint or "")
    for fnd in entry.findings:
        pop_ids.add(fnd.population or "")
    return Parts(tuple(a for a in study.arms if a.id in arm_ids),
                 tuple(p for p in study.populations if p.id in pop_ids),
                 tuple(e for e in study.endpoints if e.id in end_ids))


# ---------------------------------------------------------------- what a number is about


def fmt(value: Decimal | int) -> str:
    """A number as plain text without exponent or trailing zeros (0.60 -> 0.6, 10 -> 10)."""
    d = Decimal(value).normalize()
    return format(d, "f")


def _norm(text: str | None) -> str:
    """Free text such as a biomarker status, compared without case, dashes or extra spaces."""
    return " ".join(re.sub(r"[-_\u2010-\u2015]", " ", text or "").lower().split())


# biomarker statuses that say the same thing in other words
SAME_STATUS = {"mutant": "mutated", "non mutant": "not mutated", "non mutated": "not mutated",
               "nonmutated": "not mutated", "wild type": "not mutated", "wildtype": "not mutated",
               "overexpression": "overexpressing", "≥": ">=", "≤": "<="}


def status_key(status: str | None) -> str:
    """A biomarker status compared by meaning: "mutant" = "mutated", "≥1%" = ">=1%"."""
    text = _norm(status).replace("≥", ">=").replace("≤", "<=").replace(" %", "%")
    return SAME_STATUS.get(text, text)


def regimen(study: m.Study, arm_id: str | None) -> str:
    """The drugs of an arm, sorted and joined ("" when no arm is named, "?" when unknown)."""
    if not arm_id:
        return ""
    arm = next((a for a in study.arms if a.id == arm_id), None)
    return "+".join(sorted(set(arm.regimen))) if arm else "?"


def population_key(study: m.Study, pop_id: str | None, depth: int = 0) -> str:
    """What defines a population: kind, histology, biomarker and status, age group, complement."""
    if not pop_id:
        return ""
    p = next((p for p in study.populations if p.id == pop_id), None)
    if p is None or depth > 5:
        return "?"
    # what the whole study population has in common (its eligibility: "HER2-positive",
    # "non-squamous") defines no subgroup, so it is left out of every key of that study
    pops = {q.id: q for q in study.populations}
    root = p
    for _ in range(10):
        if root.parent is None or root.parent not in pops:
            break
        root = pops[root.parent]
    bits = [p.kind]
    if p.histology and (p.parent is not None and p.histology != root.histology):
        bits.append(f"histology={p.histology}")
    if (p.biomarker or p.biomarker_status) and p.parent is not None and \
            (p.biomarker, p.biomarker_status) != (root.biomarker, root.biomarker_status):
        bits.append(f"{p.biomarker or '?'}={status_key(p.biomarker_status)}")
    if p.age_group and p.parent is not None and p.age_group != root.age_group:
        bits.append(f"age={_norm(p.age_group)}")
    rest = sorted(population_key(study, c, depth + 1) for c in p.complement_of)
    bits.extend(f"not({k})" for k in rest)
    return " ".join(bits)


WHOLE = {"enrolled", "randomised", "intention-to-treat"}


def scope_key(study: m.Study, pop_id: str | None, arm_given: bool) -> str:
    """The population a statement is about, as far as it adds to its arm(s).

    A statement about an arm (or comparing arms) in the whole enrolled or randomised population
    says the same as one naming the arm alone, so the whole population counts as none there.
    """
    p = next((p for p in study.populations if p.id == pop_id), None)
    if arm_given and p is not None and p.kind in WHOLE:
        return ""
    return population_key(study, pop_id)


def only_arm(study: m.Study) -> str | None:
    """In a single-arm study, the arm every statement is about."""
    return study.arms[0].id if len(study.arms) == 1 else None


def endpoint_key(study: m.Study, endpoint_id: str | None) -> str:
    """Endpoint type with its time point ("survival-rate@24 month"); "" when none is named."""
    if not endpoint_id:
        return ""
    e = next((e for e in study.endpoints if e.id == endpoint_id), None)
    if e is None:
        return "?"
    if e.timepoint is None:
        return e.type
    return f"{e.type}@{fmt(e.timepoint)} {e.timepoint_unit or ''}".rstrip()


def comparison_sides(study: m.Study, c: m.Comparison) -> str:
    """What a comparison compares: regimens (experimental vs reference) and/or groups in order."""
    sides = []
    if c.experimental or c.reference:
        sides.append(f"{regimen(study, c.experimental)} vs {regimen(study, c.reference)}")
    if c.groups:
        sides.append(" vs ".join(f"[{population_key(study, g)}]" for g in c.groups))
    return " | ".join(sides)


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class Number:
    """One number with its role; equal when kind, slot, context and value agree.

    ``value`` is a Decimal or int (equal when numerically equal: 0.6 == 0.60), or for a p-value
    the pair (value, qualifier). ``record`` and ``key`` only serve the report.
    """

    kind: str  # result, comparison, population, endpoint
    slot: str
    context: tuple[str, ...]
    value: object
    record: str = field(default="", compare=False)
    key: bool = field(default=False, compare=False)

    def describe(self) -> str:
        """One line for the report: ``comparison p_value = 0.012 (=) | os | ...``."""
        value = self.value
        shown = (f"{fmt(value[0])} ({value[1]})" if isinstance(value, tuple)
                 else fmt(value))  # type: ignore[arg-type]
        where = " | ".join(c for c in self.context[1:] if c)
        return f"{self.kind} {self.slot} = {shown} | {where} [{self.record}]"


def is_key_result(endpoint_type: str, statistic: str, slot: str) -> bool:
    """Medians, and response or control rates with their counts, are key numbers."""
    if statistic == "median":
        return slot == "value"
    return (endpoint_type in RESPONSE_TYPES and statistic in {"proportion", "rate"}
            and slot in {"value", "count", "denominator"})


def is_key_comparison(measure: str | None, slot: str) -> bool:
    """Hazard ratios with CI and p, and the p-value of any comparison, are key numbers."""
    return slot == "p_value" or measure == "hazard-ratio"


def iter_numbers(entry: m.Study, study: m.Study, skey: str) -> Iterator[Number]:
    """Every number of an entry's records, each with its role (``skey`` names the study)."""
    parts = entry_parts(entry, study)
    for r in entry.results:
        end = endpoint_key(study, r.endpoint)
        etype = end.split("@", 1)[0]
        base = (skey, end, r.statistic)
        arm = r.arm or only_arm(study)
        who = (regimen(study, arm), scope_key(study, r.population, bool(arm)))
        for slot in RESULT_SLOTS:
            v = getattr(r, slot)
            if v is None:
                continue
            unit = (r.unit or "") if slot in WITH_UNIT else ""
            yield Number("result", slot, (*base, unit, *who), v, f"{entry.id}/{r.id}",
                         is_key_result(etype, r.statistic, slot))
    for r in entry.adverse_events:
        # an adverse event's rate, count and denominator mean what a toxicity result's do: the
        # gold files that predate the safety model state them as such (same-meaning encoding)
        arm = r.arm or only_arm(study)
        who = (regimen(study, arm), scope_key(study, r.population, bool(arm)))
        for slot, v, unit in (("value", r.percent, "percent"), ("count", r.count, ""),
                              ("denominator", r.denominator, "")):
            if v is not None:
                yield Number("result", slot, (skey, "toxicity", "proportion", unit, *who), v,
                             f"{entry.id}/{r.id}")
    for c in entry.comparisons:
        ctx = (skey, endpoint_key(study, c.endpoint), c.measure or "", c.kind,
               comparison_sides(study, c),
               scope_key(study, c.population, bool(c.experimental or c.reference)))
        for slot in COMPARISON_SLOTS:
            v = getattr(c, slot)
            if v is None:
                continue
            value = (v, c.p_qualifier or "=") if slot == "p_value" else v
            yield Number("comparison", slot, ctx, value, f"{entry.id}/{c.id}",
                         is_key_comparison(c.measure, slot))
    for p in parts.populations:
        if p.size is not None:
            arm = p.arm or only_arm(study)
            ctx = (skey, population_key(study, p.id), regimen(study, arm))
            yield Number("population", "size", ctx, p.size, f"{entry.id}/{p.id}", True)
    for e in parts.endpoints:
        if e.timepoint is not None:
            ctx = (skey, e.type, e.timepoint_unit or "")
            yield Number("endpoint", "timepoint", ctx, e.timepoint, f"{entry.id}/{e.id}")


def iter_arms(entry: m.Study, study: m.Study, skey: str) -> Iterator[tuple[str, ...]]:
    """Arms as (study, regimen): the drugs, not the doses or the label."""
    for a in entry_parts(entry, study).arms:
        yield skey, "+".join(sorted(set(a.regimen)))


def iter_populations(entry: m.Study, study: m.Study, skey: str) -> Iterator[tuple[str, ...]]:
    """Populations as (study, defining attributes, arm regimen, size)."""
    for p in entry_parts(entry, study).populations:
        yield (skey, population_key(study, p.id), regimen(study, p.arm or only_arm(study)),
               "" if p.size is None else str(p.size))


# ---------------------------------------------------------------- pairing studies


@dataclass(frozen=True, slots=True)
class StudyFacts:
    """What identifies a study without its id."""

    acronym: str
    refs: frozenset[int]
    words: frozenset[str]
    regimens: frozenset[str]
    chars: frozenset[int]  # character offsets of the text that its records quote


def _quotes(entry: m.Study) -> Iterator[str]:
    yield from entry.quotes
    for group in (entry.arms, entry.populations, entry.endpoints, entry.results,
                  entry.comparisons, entry.findings):
        for r in group:
            yield from r.quotes


def study_facts(entry: m.Study, study: m.Study, text: SourceText | None) -> StudyFacts:
    """Acronym, references, label words and regimens of the merged study; quotes of the entry."""
    chars: set[int] = set()
    if text is not None:
        for q in _quotes(entry):
            try:
                span = text.locate(q)
            except (QuoteNotFound, QuoteAmbiguous):
                continue
            chars.update(range(span.start, span.end))
    return StudyFacts(
        acronym=re.sub(r"[^a-z0-9]", "", (study.acronym or "").lower()),
        refs=frozenset(study.refs),
        words=frozenset(re.findall(r"[a-z0-9]+", study.label.lower())),
        regimens=frozenset("+".join(sorted(set(a.regimen))) for a in study.arms),
        chars=frozenset(chars))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def similarity(d: StudyFacts, g: StudyFacts) -> float | None:
    """How alike two studies are, or None when nothing identifies them as the same study."""
    same_acronym = bool(d.acronym) and d.acronym == g.acronym
    words = _jaccard(d.words, g.words)
    if not (same_acronym or d.refs & g.refs or d.chars & g.chars or words >= MIN_LABEL_OVERLAP):
        return None
    return (3 * same_acronym + 2 * _jaccard(d.refs, g.refs) + 2 * _jaccard(d.chars, g.chars)
            + words + _jaccard(d.regimens, g.regimens))


def pair_studies(draft: Evidence | None, gold: Evidence) -> dict[str, str]:
    """Draft study id -> gold study id, one to one, most alike first.

    When each side has exactly one study they are paired whatever they say.
    """
    if draft is None:
        return {}
    d_entries, g_entries = draft.file.studies, gold.file.studies
    if len(d_entries) == 1 and len(g_entries) == 1:
        return {d_entries[0].id: g_entries[0].id}
    d_facts = [(e.id, study_facts(e, draft.merged(e), draft.text)) for e in d_entries]
    g_facts = [(e.id, study_facts(e, gold.merged(e), gold.text)) for e in g_entries]
    scored = []
    for i, (did, df) in enumerate(d_facts):
        for j, (gid, gf) in enumerate(g_facts):
            s = similarity(df, gf)
            if s is not None:
                scored.append((-s, i, j, did, gid))
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for _, _, _, did, gid in sorted(scored):
        if did not in pairs and gid not in used:
            pairs[did] = gid
            used.add(gid)
    return pairs


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Score:
    """Tallies per category, and the numbers that did not pair up (for the drafter's author)."""

    tallies: dict[str, Tally]
    pairs: dict[str, str]
    spurious: tuple[Number, ...] = ()  # drafted, not in gold
    missed: tuple[Number, ...] = ()  # in gold, not drafted

    def unloaded(self) -> Score:
        """The score of a draft that does not load: its counts, none matched."""
        return Score({k: t.unloaded() for k, t in self.tallies.items()}, {},
                     self.spurious, self.missed)


def _match(draft: Iterable, gold: Iterable) -> tuple[Tally, list, list]:
    """Multiset matching: (tally, unmatched draft items, unmatched gold items)."""
    pool: dict[object, list] = {}
    d_items = list(draft)
    for item in d_items:
        pool.setdefault(item, []).append(item)
    missed = []
    g_items = list(gold)
    for item in g_items:
        bucket = pool.get(item)
        if bucket:
            bucket.pop()
        else:
            missed.append(item)
    spurious = [x for bucket in pool.values() for x in bucket]
    matched = len(g_items) - len(missed)
    return Tally(len(d_items), len(g_items), matched), spurious, missed


def _collect(ev: Evidence | None, names: Mapping[str, str], fn) -> list:
    out: list = []
    if ev is None:
        return out
    for entry in ev.file.studies:
        out.extend(fn(entry, ev.merged(entry), names.get(entry.id, f"draft:{entry.id}")))
    return out


def _safety(n: Number) -> bool:
    """A number about harm: a toxicity result or an adverse event (scored as one)."""
    return n.kind == "result" and n.context[1].split("@", 1)[0] == "toxicity"


def score(draft: Evidence | None, gold: Evidence) -> Score:
    """Compare a draft (None: there is none) with its gold file in every category, ids ignored."""
    pairs = pair_studies(draft, gold)
    gold_names = {e.id: e.id for e in gold.file.studies}
    d_nums = _collect(draft, pairs, iter_numbers)
    g_nums = _collect(gold, gold_names, iter_numbers)
    numbers, spurious, missed = _match(d_nums, g_nums)
    key, _, _ = _match([n for n in d_nums if n.key], [n for n in g_nums if n.key])
    arms, _, _ = _match(_collect(draft, pairs, iter_arms), _collect(gold, gold_names, iter_arms))
    pops, _, _ = _match(_collect(draft, pairs, iter_populations),
                        _collect(gold, gold_names, iter_populations))
    loose, _, _ = _match([(n.kind, n.slot, n.value) for n in d_nums],
                         [(n.kind, n.slot, n.value) for n in g_nums])
    safety, _, _ = _match([n for n in d_nums if _safety(n)], [n for n in g_nums if _safety(n)])
    studies = Tally(len(draft.file.studies) if draft else 0, len(gold.file.studies), len(pairs))
    tallies = {"numbers": numbers, "key numbers": key, "studies": studies, "arms": arms,
               "populations": pops, "numbers, context ignored": loose, "safety numbers": safety}
    return Score(tallies, pairs, tuple(sorted(spurious, key=Number.describe)),
                 tuple(sorted(missed, key=Number.describe)))
