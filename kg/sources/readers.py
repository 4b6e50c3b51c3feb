"""One reader per kind of record in an evidence file: YAML mapping in, typed record out.

Each reader asks its ``Node`` for exactly the fields of its record (so an unknown field is
reported) and checks what can be checked on the record alone; references between records are
checked later, over all files (kg/sources/references.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg import model as m
from kg.sources.node import Node
from kg.sources.safety import read_safety
from kg.sources.values import (
    ACTIONS,
    APPROVAL_CLAIMS,
    ASSOCIATIONS,
    BLINDING,
    CLAIM_DIRECTIONS,
    CLAIM_KINDS,
    COLUMN_ROLES,
    COMPARISON_KINDS,
    CONFLICT_REASONS,
    DIRECTIONS,
    DOI_RE,
    ENDPOINT_TYPES,
    FINDING_KINDS,
    LINES,
    MEASURES,
    P_QUALIFIERS,
    PHASES,
    POPULATION_KINDS,
    RATIO_RE,
    STATISTICS,
    STUDY_KINDS,
    TIME_UNITS,
    UNITS,
)
from kg.sources.yamlfile import LineDict


def _timepoints(n: Node) -> Iterator[m.TimePoint]:
    """``measured_at``: ``baseline`` or ``{day|week|month|year: N, cycle: N}`` items."""
    for item in n.get("measured_at", list, default=[]):
        if item == "baseline":
            yield m.TimePoint(baseline=True)
            continue
        t = Node(item, n.file, n.problems, f"{n.where}.measured_at")
        if not t.ok():
            continue
        units = [u for u in TIME_UNITS if u in t.data]
        if len(units) != 1:
            t.err("measured_at", "give exactly one of day, week, month, year (or 'baseline')")
            t.seen.update(TIME_UNITS)
            t.close()
            continue
        value = t.number(units[0])
        cycle = t.integer("cycle")
        t.close()
        if value is not None:
            yield m.TimePoint(value=value, unit=units[0], cycle=cycle)


def _dosing(n: Node) -> m.Dosing:
    d = m.Dosing(n.text("intervention", True) or "", n.number("dose"), n.choice("unit", UNITS),
                 n.integer("daily_frequency"), n.number("duration"),
                 n.choice("duration_unit", UNITS), n.text("schedule"))
    n.close()
    return d


EXTENDS_KEYS = ("study", "nct", "acronym", "identifiers")


def _extends(n: Node) -> tuple[str, str] | None:
    """``extends: <study id>`` or ``extends: {nct|acronym|identifiers: value}``."""
    value = n.get("extends", (str, dict))
    if value is None:
        return None
    if isinstance(value, str):
        return "study", value
    if len(value) != 1 or next(iter(value)) not in EXTENDS_KEYS:
        n.err("extends", f"give a study id, or one of {', '.join(EXTENDS_KEYS)}: value")
        return None
    key, found = next(iter(value.items()))
    return str(key), str(found)


def read_study(n: Node) -> m.Study:
    """A study with its design, arms, populations, endpoints, results, comparisons, findings."""
    extends = _extends(n)
    # an entry adding to another document's study takes that study's id (resolved later)
    rid = n.record_id() if extends is None or "id" in n.data else ""
    design_node = Node(n.get("design", dict, default=LineDict()), n.file, n.problems,
                       f"{n.where}.design")
    phases = design_node.strings("phase")
    for p in phases:
        if p not in PHASES:
            design_node.err("phase", f"{p!r} is not one of {', '.join(sorted(PHASES))}")
    design = m.Design(
        phases=tuple(p for p in phases if p in PHASES),
        randomised=design_node.flag("randomised"),
        placebo_controlled=design_node.flag("placebo_controlled"),
        blinding=design_node.choice("blinding", BLINDING),
        single_arm=design_node.flag("single_arm"),
        adaptive=design_node.flag("adaptive"),
        multicentre=design_node.flag("multicentre"),
        randomised_discontinuation=design_node.flag("randomised_discontinuation"),
        biomarker_driven=design_node.flag("biomarker_driven"),
        terminated_early=design_node.flag("terminated_early"),
        termination_reason=design_node.text("termination_reason"),
        allocation_ratio=design_node.text("allocation_ratio"),
        stratification=design_node.strings("stratification"),
    )
    if design.allocation_ratio is not None and not RATIO_RE.match(design.allocation_ratio):
        design_node.err("allocation_ratio", f"{design.allocation_ratio!r} is not a ratio such "
                                            "as 2:1")
    design_node.close()
    lines = n.strings("line_of_therapy")
    for line in lines:
        if line not in LINES:
            n.err("line_of_therapy", f"{line!r} is not one of {', '.join(sorted(LINES))}")
    refs = []
    for r in n.strings("refs"):
        if r.isdigit():
            refs.append(int(r))
        else:
            n.err("refs", f"{r!r} is not a reference number")
    arms = []
    for a in n.children("arms"):
        if a.ok():
            arms.append(m.Arm(a.record_id(), a.quotes(), a.loc, a.text("label", True) or "",
                              a.strings("regimen", True),
                              tuple(_dosing(d) for d in a.children("dosing") if d.ok()),
                              drafted=a.drafted()))
            a.close()
    pops = []
    for p in n.children("populations"):
        if p.ok():
            pops.append(m.Population(
                p.record_id(), p.quotes(), p.loc, p.text("label", True) or "",
                p.choice("kind", POPULATION_KINDS, True) or "", p.integer("size"),
                p.text("parent"), p.text("arm"), p.text("histology"), p.text("biomarker"),
                p.text("biomarker_status"), p.text("age_group"), p.strings("complement_of"),
                p.derived(("size",)), drafted=p.drafted()))
            p.close()
    endpoints = []
    for e in n.children("endpoints"):
        if e.ok():
            endpoints.append(m.Endpoint(
                e.record_id(), e.quotes(), e.loc, e.choice("type", ENDPOINT_TYPES, True) or "",
                bool(e.flag("primary")), e.number("timepoint"), e.choice("timepoint_unit", UNITS),
                e.text("timepoint_anchor"), e.text("marker"), e.text("name"),
                drafted=e.drafted()))
            e.close()
    results = []
    for r in n.children("results"):
        if r.ok():
            results.append(m.Result(
                r.record_id(), r.quotes(), r.loc, r.text("endpoint", True) or "", r.text("arm"),
                r.text("population"), r.choice("statistic", STATISTICS, True) or "",
                r.number("value"), r.choice("unit", UNITS), r.integer("count"),
                r.integer("denominator"), r.number("ci_low"), r.number("ci_high"),
                r.number("ci_level"), r.derived(("value", "denominator", "count")),
                drafted=r.drafted()))
            r.close()
    comparisons = []
    for c in n.children("comparisons"):
        if c.ok():
            comparisons.append(m.Comparison(
                c.record_id(), c.quotes(), c.loc, c.text("endpoint"), c.choice("measure", MEASURES),
                c.number("estimate"), c.number("ci_low"), c.number("ci_high"),
                c.number("ci_level"), c.number("p_value"), c.choice("p_qualifier", P_QUALIFIERS),
                c.flag("significant"), c.choice("direction", DIRECTIONS), c.text("experimental"),
                c.text("reference"), c.text("population"), c.text("method"),
                c.choice("kind", COMPARISON_KINDS)
                or ("prognostic" if c.get("groups", list) else "treatment-effect"),
                c.strings("groups"), c.text("favoured"), c.derived(()), drafted=c.drafted()))
            c.close()
    findings = []
    for f in n.children("findings"):
        if f.ok():
            findings.append(m.Finding(
                f.record_id(), f.quotes(), f.loc, f.choice("kind", FINDING_KINDS) or "biomarker",
                f.text("label", True) or "", f.text("marker", True) or "",
                f.text("measurement_time"), f.text("marker_state"), f.strings("endpoints"),
                f.choice("association", ASSOCIATIONS), f.text("population"),
                f.flag("exploratory"), tuple(_timepoints(f)), drafted=f.drafted()))
            f.close()
    study = m.Study(
        rid, n.quotes(), n.loc, n.text("label", extends is None) or "",
        n.choice("kind", STUDY_KINDS) or "clinical", n.text("acronym"), tuple(refs),
        n.text("part_of"), n.strings("conditions"), design, lines, n.text("prior_therapy"),
        n.text("setting"), n.text("enrolment_start"), n.text("enrolment_end"),
        n.text("curated_ids"), tuple(arms), tuple(pops), tuple(endpoints), tuple(results),
        tuple(comparisons), tuple(findings), extends, n.text("eligibility"),
        n.text("sample_size_assumption"), drafted=n.drafted(), **read_safety(n))
    n.close()
    return study


def _valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day."""
    import datetime

    parts = text.split("-")
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return False
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                      int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def read_document(n: Node) -> m.Document:
    """The source document: its text file and checksum, and its bibliographic record."""
    headers = []
    for pattern in n.strings("page_headers"):
        try:
            re.compile(pattern)
            headers.append(pattern)  # only patterns that compile reach the text index
        except re.error as exc:
            n.err("page_headers", f"invalid regular expression {pattern!r}: {exc}")
    doc = m.Document(
        id=n.record_id(), text_file=n.text("text", True) or "", sha256=n.text("sha256", True) or "",
        kind=n.text("kind", True) or "", title=n.text("title", True) or "",
        authors=n.strings("authors"), journal=n.text("journal"), year=n.integer("year"),
        volume=n.text("volume"), issue=n.text("issue"), pages=n.text("pages"),
        page_count=n.integer("page_count"), article_number=n.text("article_number"),
        publication_status=n.text("publication_status"), keywords=n.strings("keywords"),
        subject_areas=n.strings("subject_areas"), curated_ids=n.text("curated_ids"),
        page_headers=tuple(headers), loc=n.loc, source_url=n.text("source_url"),
        doi=n.text("doi"), publication_date=n.text("publication_date"))
    if doc.source_url is not None and not re.match(r"^https?://\S+$", doc.source_url):
        n.err("source_url", f"{doc.source_url!r} is not an http(s) address")
    if doc.doi is not None and not DOI_RE.match(doc.doi):
        n.err("doi", f"{doc.doi!r} is not a DOI (10.NNNN/...)")
    if doc.publication_date is not None and not _valid_date(doc.publication_date):
        n.err("publication_date", f"{doc.publication_date!r} is not a date (YYYY, YYYY-MM or "
                                  "YYYY-MM-DD)")
    n.close()
    return doc


def read_claim(n: Node) -> m.Claim:
    """A prose claim of the source, with what it is about."""
    claim = m.Claim(
        n.record_id(), n.quotes(), n.loc, n.choice("kind", CLAIM_KINDS, True) or "",
        n.text("label", True) or "", n.strings("drugs"), n.strings("indications"),
        n.strings("studies"), n.strings("targets"), bool(n.flag("negated")),
        n.choice("direction", CLAIM_DIRECTIONS), n.strings("rests_on"),
        drafted=n.drafted())
    if claim.kind in APPROVAL_CLAIMS:  # a (non-)approval is of a drug, for a disease
        for key, value in (("drugs", claim.drugs), ("indications", claim.indications)):
            if not value:
                n.err(key, f"required for a claim of kind {claim.kind!r}")
    n.close()
    return claim


def read_table(n: Node) -> m.TableSpec:
    """How to parse a table out of the text, and which study each of its rows is."""
    columns = []
    for c in n.children("columns", required=True):
        if c.ok():
            columns.append(m.TableColumn(c.text("key", True) or "", c.text("header", True) or "",
                                         c.choice("role", COLUMN_ROLES, True) or "comment"))
            c.close()
    links = []
    for r in n.children("rows", required=True):
        if r.ok():
            links.append(m.TableRowLink(r.text("trial", True) or "", r.text("study", True) or "",
                                        r.loc, r.text("population")))
            r.close()
    abbreviations = n.get("abbreviations", dict, default={})
    spec = m.TableSpec(n.record_id(), n.text("caption", True) or "", n.text("end", True) or "",
                       n.text("row_pattern", True) or "", tuple(columns), n.text("biomarker"),
                       tuple((str(k), str(v)) for k, v in abbreviations.items()), tuple(links),
                       n.loc)
    try:
        groups = set(re.compile(spec.row_pattern).groupindex)
    except re.error as exc:
        n.err("row_pattern", f"invalid regular expression: {exc}")
        groups = set()
    if columns and groups and groups != {c.key for c in columns[1:]}:
        n.err("row_pattern", f"named groups {sorted(groups)} must be the column keys after the "
                             f"first, {[c.key for c in columns[1:]]}")
    n.close()
    return spec




def read_interaction(t: Node) -> m.TargetInteraction:
    """A drug acting on a target, as the source states it."""
    rec = m.TargetInteraction(t.record_id(), t.quotes(), t.loc, t.text("drug", True) or "",
                              t.text("target", True) or "",
                              t.choice("action", ACTIONS) or "inhibitor")
    t.close()
    return rec


def read_contradiction(c: Node) -> m.Contradiction:
    """Statements that disagree, kept side by side (never resolved)."""
    rec = m.Contradiction(c.record_id(), c.strings("quote"), c.loc, c.strings("statements", True),
                          c.choice("reason", CONFLICT_REASONS, True) or "", c.text("attribute"),
                          c.text("note", True) or "")
    c.close()
    return rec


def read_explanation(e: Node) -> m.Explanation:
    """Why a number the audit finds in the text is deliberately not modelled."""
    rec = m.Explanation(e.text("quote", True) or "", e.text("reason", True) or "", e.loc)
    e.close()
    return rec
