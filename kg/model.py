"""Typed evidence records: what the curated evidence files say, before any RDF exists.

Size: over 400 lines because it is one record type per kind of statement, each short; split, they
would import each other.

Records are frozen dataclasses so builders can rely on them being complete and immutable; each
carries ``loc`` (file and line) so any later check can point a curator at the exact place.
Numbers are ``Decimal`` as written in the file (``0.30`` stays ``0.30``).
"""

from __future__ import annotations

from dataclasses import field, replace
from decimal import Decimal

from kg.model_prebuilt import record  # @dataclass(frozen=True, slots=True), compiled ahead


@record
class Loc:
    """A place in an input file, for error messages."""

    file: str
    line: int
    keys: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        """Render as ``file:line`` like compilers do, so editors can jump to it."""
        return f"{self.file}:{self.line}"

    def at(self, key: str) -> Loc:
        """The place of one field of this mapping (the mapping's own place if absent)."""
        first = key.split(".", 1)[0]
        return Loc(self.file, dict(self.keys).get(first, self.line))


@record
class Xref:
    """One identifier from the verified identifier table."""

    curie: str
    status: str  # "verified" or "verified_weak"
    evidence: str
    note: str = ""


@record
class Drug:
    """A drug entity: label, synonyms and verified identifiers."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    xrefs: tuple[Xref, ...]
    loc: Loc


@record
class NonDrugIntervention:
    """What an arm gives that is no drug: radiotherapy, surgery, exercise, usual care.

    ``unclassified`` marks a treatment a paper names without saying what it is ("high-dose
    chemotherapy", "the control condition", a brand the drug lexicon lacks): an intervention,
    typed no further until a curator makes it a drug or a non-drug intervention.
    """

    key: str
    label: str
    synonyms: tuple[str, ...]
    loc: Loc
    unclassified: bool = False


@record
class Target:
    """A protein target and the gene that encodes it (one record: HGNC, NCBI Gene, UniProt)."""

    symbol: str
    label: str
    synonyms: tuple[str, ...]
    xrefs: tuple[Xref, ...]
    loc: Loc


@record
class TargetFamily:
    """A named group of targets that a source mentions as one (RAF)."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    members: tuple[str, ...]
    note: str
    loc: Loc


@record
class Disease:
    """A disease or histology, with its place in the hierarchy."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    xrefs: tuple[Xref, ...]
    subtype_of: tuple[str, ...]
    note: str
    loc: Loc


@record
class Biomarker:
    """A biomarker or imaging parameter, optionally tied to a gene target."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    gene: str | None
    loc: Loc


@record
class Entities:
    """All entities of a corpus, keyed for lookup by the evidence files."""

    drugs: dict[str, Drug]
    targets: dict[str, Target]
    families: dict[str, TargetFamily]
    diseases: dict[str, Disease]
    biomarkers: dict[str, Biomarker]
    study_xrefs: dict[str, tuple[Xref, ...]]
    interventions: dict[str, NonDrugIntervention] = field(default_factory=dict)
    # verified MedDRA/CTCAE ids of adverse-event terms (identifier table: adverse_event_terms)
    adverse_event_terms: dict[str, tuple[Xref, ...]] = field(default_factory=dict)

    def target_or_family(self, key: str) -> Target | TargetFamily | None:
        """Resolve a target key that may name a single protein or a family."""
        return self.targets.get(key) or self.families.get(key)


@record
class Record:
    """Base of every evidence record: an id, the quotes that support it, and where it was read."""

    id: str
    quotes: tuple[str, ...]
    loc: Loc
    # the kg draft rule that proposed the record; empty once a curator has reviewed it
    drafted: str = field(default="", kw_only=True)


@record
class TargetInteraction(Record):
    """The drug acts on a target (protein or family)."""

    drug: str = ""
    target: str = ""
    action: str = "inhibitor"


@record
class Design:
    """Design attributes of a study; None means the source does not say."""

    phases: tuple[str, ...] = ()
    randomised: bool | None = None
    placebo_controlled: bool | None = None
    blinding: str | None = None
    single_arm: bool | None = None
    adaptive: bool | None = None
    multicentre: bool | None = None
    randomised_discontinuation: bool | None = None
    biomarker_driven: bool | None = None
    terminated_early: bool | None = None
    termination_reason: str | None = None
    allocation_ratio: str | None = None  # as printed, "2:1"
    stratification: tuple[str, ...] = ()


@record
class Dosing:
    """Dose and schedule of one intervention in an arm."""

    intervention: str
    dose: Decimal | None = None
    unit: str | None = None
    daily_frequency: int | None = None
    duration: Decimal | None = None
    duration_unit: str | None = None
    schedule: str | None = None


@record
class Arm(Record):
    """A study arm: its regimen (one or more interventions) and dosing."""

    label: str = ""
    regimen: tuple[str, ...] = ()
    dosing: tuple[Dosing, ...] = ()


@record
class Population(Record):
    """An analysis set or subgroup with its size."""

    label: str = ""
    kind: str = ""
    size: int | None = None
    parent: str | None = None
    arm: str | None = None
    histology: str | None = None
    biomarker: str | None = None
    biomarker_status: str | None = None
    age_group: str | None = None
    complement_of: tuple[str, ...] = ()
    derived: tuple[tuple[str, str], ...] = ()


@record
class Endpoint(Record):
    """An outcome measure of a study."""

    type: str = ""
    primary: bool = False
    timepoint: Decimal | None = None
    timepoint_unit: str | None = None
    timepoint_anchor: str | None = None
    marker: str | None = None
    name: str | None = None  # the outcome as the source names it (an "other" endpoint)


@record
class Result(Record):
    """A reported value for one endpoint in one arm and/or population."""

    endpoint: str = ""
    arm: str | None = None
    population: str | None = None
    statistic: str = ""
    value: Decimal | None = None
    unit: str | None = None
    count: int | None = None
    denominator: int | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    ci_level: Decimal | None = None
    derived: tuple[tuple[str, str], ...] = ()


@record
class Comparison(Record):
    """A comparison of two groups: p-value, optional effect estimate with CI, direction.

    ``kind`` says what is compared: arms (a treatment effect), groups defined by a marker or
    histology on one treatment (prognostic), or a treatment effect that differs between such
    groups (predictive). Only a treatment effect has an experimental and a reference side; the
    others name the group they ``favour``.
    """

    endpoint: str | None = None
    measure: str | None = None
    estimate: Decimal | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    ci_level: Decimal | None = None
    p_value: Decimal | None = None
    p_qualifier: str | None = None
    significant: bool | None = None
    direction: str | None = None
    experimental: str | None = None
    reference: str | None = None
    population: str | None = None
    method: str | None = None
    kind: str = "treatment-effect"
    groups: tuple[str, ...] = ()
    favoured: str | None = None
    derived: tuple[tuple[str, str], ...] = ()


@record
class TimePoint:
    """When a marker was measured: baseline, or a day/week/month (optionally of a cycle)."""

    baseline: bool = False
    value: Decimal | None = None
    unit: str | None = None
    cycle: int | None = None


@record
class Finding(Record):
    """A biomarker or imaging finding: marker state at a time, outcome, direction."""

    kind: str = "biomarker"
    label: str = ""
    marker: str = ""
    measurement_time: str | None = None
    marker_state: str | None = None
    endpoints: tuple[str, ...] = ()
    association: str | None = None
    population: str | None = None
    exploratory: bool | None = None
    measured_at: tuple[TimePoint, ...] = ()


@record
class Study(Record):
    """A study with everything nested under it."""

    label: str = ""
    kind: str = "clinical"
    acronym: str | None = None
    refs: tuple[int, ...] = ()
    part_of: str | None = None
    conditions: tuple[str, ...] = ()
    design: Design = field(default_factory=Design)
    lines: tuple[str, ...] = ()
    prior_therapy: str | None = None
    setting: str | None = None
    enrolment_start: str | None = None
    enrolment_end: str | None = None
    curated_ids: str | None = None
    arms: tuple[Arm, ...] = ()
    populations: tuple[Population, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    results: tuple[Result, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    findings: tuple[Finding, ...] = ()
    # For an entry that adds to a study another document defines: how it names that study
    # ("study", "nct", "acronym" or "identifiers", and the value); None for the defining entry.
    extends: tuple[str, str] | None = None
    eligibility: str | None = None
    sample_size_assumption: str | None = None
    adverse_events: tuple[SafetyResult, ...] = ()  # safety records (kg/sources/safety.py)
    harm_comparisons: tuple[HarmComparison, ...] = ()


@record
class Claim(Record):
    """A statement in prose: conclusion, tolerability, approval, mechanism ..."""

    kind: str = ""
    label: str = ""
    drugs: tuple[str, ...] = ()
    indications: tuple[str, ...] = ()
    studies: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    negated: bool = False
    direction: str | None = None
    rests_on: tuple[str, ...] = ()


@record
class Contradiction(Record):
    """Statements that disagree, with a machine-readable reason; all of them stay in the graph."""

    statements: tuple[str, ...] = ()
    reason: str = ""
    attribute: str | None = None
    note: str = ""


@record
class TableColumn:
    """A column of a parsed table: its header and what its cells mean for cross-checks."""

    key: str
    header: str
    role: str  # trial, phase, size, primary-endpoint, biomarker-prevalence, response, survival,
    #            comment


@record
class TableRowLink:
    """Which study (and, when stated, which of its populations) a table row describes."""

    trial: str
    study: str
    loc: Loc
    population: str | None = None


@record
class TableSpec:
    """How to find and read a table in a document's text, and how its rows map to studies."""

    id: str
    caption: str
    end: str
    row_pattern: str
    columns: tuple[TableColumn, ...]
    biomarker: str | None
    abbreviations: tuple[tuple[str, str], ...]
    rows: tuple[TableRowLink, ...]
    loc: Loc

    @property
    def label_column(self) -> str:
        """Key of the first column (the one that names the row)."""
        return self.columns[0].key

    @property
    def continued_column(self) -> str:
        """Key of the last column, which may wrap over several lines."""
        return self.columns[-1].key


@record
class Document:
    """Bibliographic record of a source document and how to read its text."""

    id: str
    text_file: str
    sha256: str
    kind: str
    title: str
    authors: tuple[str, ...]
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    page_count: int | None
    article_number: str | None
    publication_status: str | None
    keywords: tuple[str, ...]
    subject_areas: tuple[str, ...]
    curated_ids: str | None
    page_headers: tuple[str, ...]
    loc: Loc
    source_url: str | None = None
    doi: str | None = None  # as the text prints it; verified ids stay in the identifier table
    publication_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD


@record
class Explanation:
    """Numbers in a quoted span that are deliberately not modelled, and why (for kg audit)."""

    quote: str
    reason: str
    loc: Loc


@record
class EvidenceFile:
    """Everything curated from one source document."""

    path: str
    document: Document
    interactions: tuple[TargetInteraction, ...]
    studies: tuple[Study, ...]
    claims: tuple[Claim, ...]
    contradictions: tuple[Contradiction, ...]
    tables: tuple[TableSpec, ...] = ()
    explanations: tuple[Explanation, ...] = ()

    def iter_records(self) -> list[tuple[str, Record]]:
        """Every record with its corpus-wide id (nested study records as ``study/record``)."""
        out: list[tuple[str, Record]] = [(r.id, r) for r in self.interactions]
        for s in self.studies:
            out.append((s.id, s))
            for group in (s.arms, s.populations, s.endpoints, s.results, s.comparisons,
                          s.findings, s.adverse_events, s.harm_comparisons):
                out.extend((f"{s.id}/{r.id}", r) for r in group)
        out.extend((c.id, c) for c in self.claims)
        out.extend((c.id, c) for c in self.contradictions)
        return out


SHARED_PARTS = ("arms", "populations", "endpoints")
STATEMENT_PARTS = ("results", "comparisons", "findings", "adverse_events", "harm_comparisons")


def merge_studies(entries: list[Study]) -> Study:
    """One study from the entries of every document that describes it.

    The defining entry gives label and design; arms, populations and endpoints with the same id
    are one (the first stated wins), and each document's results, comparisons and findings are
    added.
    """
    base = next((e for e in entries if e.extends is None), entries[0])
    parts: dict[str, list] = {name: [] for name in (*SHARED_PARTS, *STATEMENT_PARTS)}
    for e in [base, *(e for e in entries if e is not base)]:
        for name in parts:
            have = {r.id for r in parts[name]}
            parts[name].extend(r for r in getattr(e, name) if r.id not in have)
    fields = {name: tuple(records) for name, records in parts.items()}
    return replace(base, **fields, extends=None)


@record
class Corpus:
    """A loaded, validated set of entities and evidence files, ready for the builders.

    ``studies`` holds each study once, merged over every document that describes it;
    ``owners`` names, for each study part (``study/part``), the document that states it first,
    which is where its node is described (other documents only add their evidence).
    """

    entities: Entities
    files: tuple[EvidenceFile, ...]
    texts: dict[str, str]  # document id -> source text
    studies: dict[str, Study] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Merge studies over documents, defining entries first."""
        entries: dict[str, list[tuple[int, str, Study]]] = {}
        for f in self.files:
            for s in f.studies:
                entries.setdefault(s.id, []).append(
                    (0 if s.extends is None else 1, f.document.id, s))
        for sid, found in entries.items():
            found.sort(key=lambda t: t[0])
            self.studies[sid] = merge_studies([s for _, _, s in found])
            self.owners.setdefault(sid, found[0][1])
            for _, doc, s in found:
                for name in (*SHARED_PARTS, *STATEMENT_PARTS):
                    for r in getattr(s, name):
                        self.owners.setdefault(f"{sid}/{r.id}", doc)

    def owns(self, doc: str, full_id: str) -> bool:
        """Whether ``doc`` is the document that describes this study or part."""
        return self.owners.get(full_id, doc) == doc


# ---------------------------------------------------------------- safety (issue 23)


@record
class SafetyResult(Record):
    """How many patients of an arm or population had an adverse event, a dose change or died.

    ``kind`` is ``adverse-event`` (``event`` names it as printed), ``dose-reduction``,
    ``dose-interruption``, ``discontinuation`` (because of adverse events) or ``death`` (on
    treatment). ``grade`` is ``any``, one grade ``3``, a range ``3-4`` or ``>=3`` (CTCAE 1 to 5);
    ``term`` names a verified MedDRA or CTCAE identifier in the identifier table, never typed here.
    """

    kind: str = "adverse-event"
    event: str | None = None
    term: str | None = None
    grade: str | None = None
    relatedness: str | None = None
    arm: str | None = None
    population: str | None = None
    count: int | None = None
    denominator: int | None = None
    percent: Decimal | None = None
    time_frame: str | None = None
    endpoint: str | None = None
    derived: tuple[tuple[str, str], ...] = ()

    def number_fields(self) -> tuple[str, ...]:
        """Fields holding numbers the record's quotes must print (see kg/sources/binding.py)."""
        return ("count", "denominator", "percent")


@record
class HarmComparison(Record):
    """Adverse events compared between an experimental and a reference arm.

    ``safety_direction`` (more, fewer or similar events with the experimental arm) is what the
    source states; without it, a ratio's CI or a p-value may decide it. ``results`` names the two
    arms' safety results when the source prints them.
    """

    event: str | None = None
    grade: str | None = None
    relatedness: str | None = None
    experimental: str = ""
    reference: str = ""
    population: str | None = None
    results: tuple[str, ...] = ()
    measure: str | None = None
    estimate: Decimal | None = None
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    ci_level: Decimal | None = None
    p_value: Decimal | None = None
    p_qualifier: str | None = None
    safety_direction: str | None = None

    def number_fields(self) -> tuple[str, ...]:
        """Fields holding numbers the record's quotes must print."""
        return ("estimate", "ci_low", "ci_high", "ci_level", "p_value")
