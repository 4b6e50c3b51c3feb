"""Every named query returns exactly what the typed evidence records say, no row more or less.

The expected answer of each query is derived here from the loader's records (``kg.model``:
studies, results, comparisons, findings, claims, contradictions, and the curated table rows),
never from SPARQL, on the shipped corpus and on the made-up mini corpus, and compared with the
query's rows on the columns named (a multiset: a missing or a repeated row fails). A named query
without an entry in ``EXPECTED`` fails ``test_every_named_query_is_proven``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from kg import model as m
from kg.assemble import BuildResult
from kg.builders import iris
from kg.builders.base import BuildInput
from kg.builders.tables import ROMAN, iter_linked_rows
from kg.paths import SOURCES_DIR
from kg.query.engine import OxigraphEngine
from kg.query.library import load_library
from kg.sources.loader import load_corpus

from .conftest import MINI

LIBRARY = load_library()
ALPHA = Decimal("0.05")
GROUPS = ("population", "experimental", "reference")


@dataclass
class Records:
    """A loaded corpus and the parameters its queries run with."""

    corpus: m.Corpus
    inp: BuildInput
    params: dict[str, dict[str, str]]
    drug: str
    biomarker: str
    document: str
    statement: str
    nct: str
    disease: str

    @property
    def studies(self) -> list[m.Study]:
        """Each study once, merged over its documents."""
        return list(self.corpus.studies.values())

    def of_drug(self, s: m.Study) -> bool:
        """Whether an arm of the study gives the drug."""
        return any(self.drug in a.regimen for a in s.arms)

    def linked_rows(self) -> list:
        """The curated table rows with their study."""
        return list(iter_linked_rows(self.inp))


def norm(value: object) -> str:
    """Numbers by value (0.60 and 0.6 are one), everything else as text; None as ''."""
    if value is None:
        return ""
    text = str(value)
    try:
        d = Decimal(text)
    except InvalidOperation:
        return text
    return format(d.normalize(), "f") if d.is_finite() else text


def name(s: m.Study) -> str:
    return s.acronym or s.label


def part(s: m.Study, key: str | None) -> m.Arm | m.Population | None:
    return next((g for g in (*s.arms, *s.populations) if g.id == key), None)


def shown(s: m.Study, key: str | None, full: bool = False) -> str:
    """A group's label as the graph gives it: a population with its size (n=...)."""
    g = part(s, key)
    text = g.label + (f" (n={g.size})" if isinstance(g, m.Population) and g.size is not None
                      else "")
    return f"{s.label}: {text}" if full else text


def significant(c: m.Comparison) -> bool | None:
    if c.significant is not None:
        return c.significant
    if c.p_value is not None:
        if c.p_qualifier in {"<", "<="}:
            return True if c.p_value <= ALPHA else None
        return c.p_value < ALPHA
    if c.measure == "hazard-ratio" and c.ci_low is not None and c.ci_high is not None:
        return not (c.ci_low <= 1 <= c.ci_high)
    return None


def favours(s: m.Study, c: m.Comparison, full: bool = False) -> str | None:
    """Experimental / reference / neither, or for marker groups the group that did better."""
    sig = significant(c)
    if c.kind == "treatment-effect":
        stated = {"favours-experimental": "experimental", "favours-reference": "reference",
                  "no-difference": "neither"}
        if c.direction:
            return stated[c.direction]
        if c.measure == "hazard-ratio" and c.estimate is not None and sig is not None:
            return "neither" if not sig else ("experimental" if c.estimate < 1 else "reference")
        return None
    if c.favoured:
        return shown(s, c.favoured, full)
    if c.direction == "no-difference":
        return "neither"
    if c.measure == "hazard-ratio" and c.estimate is not None and sig is not None \
            and len(c.groups) == 2:
        return shown(s, c.groups[0] if c.estimate < 1 else c.groups[1], full) if sig else "neither"
    return None


def benefit(s: m.Study, c: m.Comparison) -> str | None:
    return {"experimental": "benefit", "neither": "no benefit", "reference": "harm"}.get(
        favours(s, c) or "") if c.kind == "treatment-effect" else None


def groups_of(c: m.Comparison | m.Result | m.Finding) -> list[str]:
    if isinstance(c, m.Comparison):
        return [g for g in (c.population, c.experimental, c.reference, *c.groups) if g]
    return [c.population] if c.population else []


def about_biomarker(rec: Records, s: m.Study, st: m.Result | m.Comparison | m.Finding) -> bool:
    """In a group defined by the biomarker, or measuring it."""
    if any(getattr(part(s, g), "biomarker", None) == rec.biomarker for g in groups_of(st)):
        return True
    if isinstance(st, m.Finding):
        return st.marker == rec.biomarker
    if isinstance(st, m.Result):
        return next(e for e in s.endpoints if e.id == st.endpoint).marker == rec.biomarker
    return False


# --- expected answers, one function per named query: (columns, rows) -------------------------

Expected = tuple  # (columns, rows) or (columns, rows, which query rows the rows describe)


def table_results(rec: Records) -> list[tuple[m.Study, str, Decimal]]:
    """Results the curated tables state: (study, result id, percent)."""
    out = []
    for lr in rec.linked_rows():
        for col in lr.spec.columns:
            cell = lr.row.cell(col.key)
            if col.role == "biomarker-prevalence" and cell is not None:
                try:
                    value = Decimal(cell.text.rstrip("%").strip())
                except ArithmeticError:
                    continue
                out.append((lr.study, f"{lr.spec.id}-{col.key}".replace("_", "-"), value))
    return out


def table_findings(rec: Records) -> list[tuple[m.Study, str, str]]:
    """Findings the curated tables state: (study, finding id, marker)."""
    answers = {"higher", "yes", "equal", "no", "lower"}
    out = []
    for lr in rec.linked_rows():
        for col in lr.spec.columns:
            cell = lr.row.cell(col.key)
            if (col.role in {"response", "survival"} and cell is not None
                    and cell.text.lower() in answers and lr.spec.biomarker is not None):
                out.append((lr.study, f"{lr.spec.id}-{col.key}".replace("_", "-"),
                            lr.spec.biomarker))
    return out


def table_result_populations(rec: Records) -> list[tuple[m.Study, str]]:
    """The population of each table-stated result: the curator's, else the prose result's."""
    out = []
    for lr in rec.linked_rows():
        s = lr.study
        for col in lr.spec.columns:
            if col.role != "biomarker-prevalence" or lr.row.cell(col.key) is None:
                continue
            if lr.population:
                sid, pid = lr.population.split("/", 1)
                out.append((rec.corpus.studies[sid], pid))
                continue
            prose = [r.population for r in s.results
                     if next(e for e in s.endpoints if e.id == r.endpoint).type
                     == "biomarker-prevalence" and r.count is not None and r.denominator]
            sizes = [int(lr.row.cell(c.key).text) for c in lr.spec.columns if c.role == "size"
                     and lr.row.cell(c.key) is not None and lr.row.cell(c.key).text.isdigit()]
            by_size = [p.id for p in s.populations if p.kind in {"enrolled", "randomised"}
                       and p.parent is None and p.size is not None and p.size in sizes]
            pop = (prose[0] if prose else None) or (by_size[0] if by_size else None)
            if pop is not None:  # else the row's own "N = ..." population: no subgroup
                out.append((s, pop))
    return out


def outcomes(rec: Records) -> Expected:
    cols = ("result", "studyName", "statistic", "value", "count", "denominator", "ciLow",
            "ciHigh", "timePoint", "timeUnit")
    rows = []
    for s in rec.studies:
        for r in s.results:
            e = next(e for e in s.endpoints if e.id == r.endpoint)
            rows.append((iris.study_part(s.id, "result", r.id), name(s), r.statistic, r.value,
                         r.count, r.denominator, r.ci_low if r.ci_high is not None else None,
                         r.ci_high, e.timepoint, e.timepoint_unit if e.timepoint else None))
    for s, rid, value in table_results(rec):
        rows.append((iris.study_part(s.id, "result", rid), name(s), "proportion", value,
                     None, None, None, None, None, None))
    return cols, rows


def hazard_ratios(rec: Records) -> Expected:
    cols = ("comparison", "study", "estimate", "ciLow", "ciHigh", "pValue", "favours")
    return cols, [(iris.study_part(s.id, "comparison", c.id), name(s), c.estimate, c.ci_low,
                   c.ci_high, c.p_value if c.p_qualifier else None, favours(s, c))
                  for s in rec.studies for c in s.comparisons
                  if c.measure == "hazard-ratio" and c.estimate is not None]


def effect_estimates(rec: Records) -> Expected:
    cols = ("study", "estimate", "ciLow", "ciHigh", "pValue", "favours")
    rows = {(iris.study(s.id), c.estimate, c.ci_low, c.ci_high,
             c.p_value if c.p_qualifier else None,
             favours(s, c, full=True))
            for s in rec.studies if rec.of_drug(s)
            for c in s.comparisons if c.estimate is not None and c.measure}
    return cols, rows  # SELECT DISTINCT: a set


def subgroup_results(rec: Records) -> Expected:
    """Results, comparisons and findings in a histology- or biomarker-defined group.

    Graded evidence items (made by the summaries builder) are left out of both sides.
    """
    cols = ("study", "subgroup", "kind", "benefit")
    rows = []
    for s in rec.studies:
        kinds = [("result", r, ("population",)) for r in s.results]
        kinds += [("comparison", c, ("population", "experimental")) for c in s.comparisons]
        kinds += [("finding", f, ("population",)) for f in s.findings]
        for kind, st, slots in kinds:
            keys = [getattr(st, slot) for slot in slots]
            if isinstance(st, m.Comparison):
                keys += list(st.groups)
            for key in keys:
                p = part(s, key)
                if not isinstance(p, m.Population):
                    continue
                for _defined in [x for x in (p.histology, p.biomarker) if x]:
                    rows.append((iris.study(s.id), shown(s, p.id, full=True), kind,
                                 benefit(s, st) if isinstance(st, m.Comparison) else None))
    for s, pop in table_result_populations(rec):
        p = part(s, pop)
        rows += [(iris.study(next(x.id for x in rec.studies if p in x.populations)),
                  shown(s, pop, full=True), "result", None)
                 for _ in [x for x in (p.histology, p.biomarker) if x]]
    return cols, rows, lambda row: row.get("kind") != "graded evidence"


def contradictions(rec: Records) -> Expected:
    cols = ("contradiction", "statement")
    records = {fid: r for f in rec.corpus.files for fid, r in f.iter_records()}
    rows = [(iris.contradiction(c.id), iris.record(st, records[st]))
            for f in rec.corpus.files for c in f.contradictions for st in c.statements]
    return cols, rows + cross_check_contradictions(rec)


def cross_check_contradictions(rec: Records) -> list[tuple]:
    """Contradictions that the table cross-checks find: the cell and the prose statement."""
    from kg.ids import mint

    out = []
    for lr, col, cell, agrees, statement in table_checks(rec):
        if not agrees:
            cid = mint("contradiction", f"{lr.spec.id}-{lr.study.id}-{col.key}".replace("_", "-"))
            out += [(cid, lr.cell_node(cell)), (cid, statement)]
    return out


def table_checks(rec: Records) -> list[tuple]:
    """(row, column, cell, agrees, prose statement) for every check a table cell makes."""
    out = []
    for lr in rec.linked_rows():
        s = lr.study
        for col in lr.spec.columns:
            cell = lr.row.cell(col.key)
            if cell is None:
                continue
            if col.role == "phase" and cell.text in ROMAN and s.design.phases:
                out.append((lr, col, cell, ROMAN[cell.text] in s.design.phases,
                            iris.study(s.id)))
            elif col.role == "size" and cell.text.isdigit():
                stated = [p for p in s.populations if p.kind in {"enrolled", "randomised"}
                          and p.size is not None and p.parent is None]
                if stated:
                    p = stated[0]
                    out.append((lr, col, cell, p.size == int(cell.text),
                                iris.study_part(s.id, "population", p.id)))
            elif col.role == "primary-endpoint" and cell.text in {"DCR", "ORR", "OS", "PFS",
                                                                   "RR"}:
                primary = [e for e in s.endpoints if e.primary]
                if primary:
                    out.append((lr, col, cell, primary[0].type == cell.text.lower(),
                                iris.study_part(s.id, "endpoint", primary[0].id)))
            elif col.role == "biomarker-prevalence":
                try:
                    value = Decimal(cell.text.rstrip("%").strip())
                except ArithmeticError:
                    continue
                for r in s.results:
                    ep = next(e for e in s.endpoints if e.id == r.endpoint)
                    if ep.type == "biomarker-prevalence" and r.count is not None \
                            and r.denominator:
                        prose = Decimal(100 * r.count) / Decimal(r.denominator)
                        out.append((lr, col, cell, abs(prose - value) < 1,
                                    iris.study_part(s.id, "result", r.id)))
                        break
    return out


def table_cross_checks(rec: Records) -> Expected:
    return ("column", "cell", "agrees"), [(col.header, cell.text, str(agrees).lower())
                                          for _, col, cell, agrees, _ in table_checks(rec)]


def biomarker_evidence(rec: Records) -> Expected:
    cols = ("kind", "statement")
    rows = []
    for s in rec.studies:
        if not rec.of_drug(s):
            continue
        for kind, group in (("result", s.results), ("comparison", s.comparisons),
                            ("finding", s.findings)):
            rows += [(kind, iris.study_part(s.id, kind, st.id)) for st in group
                     if about_biomarker(rec, s, st)]
    for s, rid, _ in table_results(rec):
        if rec.of_drug(s) and rec.biomarker in {lr.spec.biomarker for lr in rec.linked_rows()
                                                if lr.study.id == s.id}:
            rows.append(("result", iris.study_part(s.id, "result", rid)))
    for s, fid, marker in table_findings(rec):
        if rec.of_drug(s) and marker == rec.biomarker:
            rows.append(("finding", iris.study_part(s.id, "finding", fid)))
    records = {fid: r for f in rec.corpus.files for fid, r in f.iter_records()}
    for f in rec.corpus.files:
        for c in f.contradictions:
            about = on_drug = False
            for full in c.statements:
                r = records[full]
                sid = full.split("/", 1)[0] if "/" in full else None
                s = rec.corpus.studies.get(sid) if sid else None
                if isinstance(r, m.Claim):
                    about |= any(any(p.biomarker == rec.biomarker
                                     for p in rec.corpus.studies[x].populations)
                                 for x in r.studies)
                    on_drug |= rec.drug in r.drugs
                elif s is not None and isinstance(r, (m.Result, m.Comparison, m.Finding)):
                    about |= about_biomarker(rec, s, r)
                    on_drug |= rec.of_drug(s)
            if about and on_drug:
                rows.append(("contradiction", iris.contradiction(c.id)))
    return cols, rows


def endpoint_labels() -> dict[str, str]:
    """Endpoint type keys to their labels in the ontology (data, not a query answer)."""
    from rdflib import Graph
    from rdflib.namespace import RDFS

    from kg.builders.terms import ENDPOINT_TYPE
    from kg.paths import ONTOLOGY_FILE

    onto = Graph().parse(ONTOLOGY_FILE)
    return {k: str(onto.value(v, RDFS.label)) for k, v in ENDPOINT_TYPE.items()}


def primary_endpoints(rec: Records) -> Expected:
    cols = ("study", "endpoint", "timePoint")
    labels = endpoint_labels()
    rows = []
    for s in rec.studies:
        primary = [e for e in s.endpoints if e.primary]
        tables = [lr.row.cell(c.key).text for lr in rec.linked_rows() if lr.study.id == s.id
                  for c in lr.spec.columns if c.role == "primary-endpoint"
                  and lr.row.cell(c.key) is not None
                  and lr.row.cell(c.key).text in {"DCR", "ORR", "OS", "PFS", "RR"}]
        if not primary:  # the prose names none: a table may
            rows += [(name(s), labels[t.lower()], None) for t in tables]
        if not primary and not tables:
            rows.append((name(s), "not stated", None))
        rows += [(name(s), labels[e.type], e.timepoint) for e in primary]
    return cols, [(st, ep, tp) for st, ep, tp in rows]


def drug_studies(rec: Records) -> Expected:
    return ("study",), [(iris.study(s.id),) for s in rec.studies if rec.of_drug(s)]


def drug_targets(rec: Records) -> Expected:
    ent = rec.corpus.entities
    rows = []
    for f in rec.corpus.files:
        for i in f.interactions:
            if i.drug != rec.drug:
                continue
            members = ent.families[i.target].members if i.target in ent.families else ()
            rows += [(iris.target(t, ent), q) for t in (i.target, *members) for q in i.quotes]
    return ("target", "quote"), rows


def indication_studies(rec: Records) -> Expected:
    diseases = rec.corpus.entities.diseases

    def under(key: str) -> bool:
        return key == rec.disease or any(under(p) for p in diseases[key].subtype_of)
    return ("study", "condition"), {(iris.study(s.id), iris.disease(c)) for s in rec.studies
                                    for c in s.conditions if under(c)}


def combination_partners(rec: Records) -> Expected:
    pairs = {(d, tuple(sorted(a.regimen))) for s in rec.studies for a in s.arms
             if rec.drug in a.regimen for d in a.regimen if d != rec.drug}
    return ("partner",), [(iris.drug(d),) for d, _ in pairs]  # one row per partner and regimen


def biomarker_associations(rec: Records) -> Expected:
    label = {k: b.label for k, b in rec.corpus.entities.biomarkers.items()}
    rows = [(iris.study(s.id), label[f.marker]) for s in rec.studies for f in s.findings]
    rows += [(iris.study(s.id), label[marker]) for s, _, marker in table_findings(rec)]
    return ("study", "marker"), rows


def evidence_for(rec: Records) -> Expected:
    records = {str(iris.record(fid, r)): r for f in rec.corpus.files
               for fid, r in f.iter_records()}
    r = records[rec.statement]
    return ("quote",), [(q,) for q in dict.fromkeys(r.quotes)]


def study_by_nct(rec: Records) -> Expected:
    keys = {key for key, xrefs in rec.corpus.entities.study_xrefs.items()
            if any(x.curie == f"NCT:{rec.nct}" for x in xrefs)}
    studies = [s.id for s in rec.studies if s.curated_ids in keys]
    rows = []
    for sid in studies:
        s = rec.corpus.studies.get(sid)
        if s is not None:  # one row per arm and primary endpoint
            n = max(1, len(s.arms)) * max(1, len([e for e in s.endpoints if e.primary]))
            n *= len({f.document.id for f in rec.corpus.files for x in f.studies if x.id == sid})
            rows += [(iris.study(sid),)] * n
    return ("study",), rows


def document_statements(rec: Records) -> Expected:
    """Every record of the document that carries quotes, once per quote (ids only)."""
    f = next(f for f in rec.corpus.files if f.document.id == rec.document)
    return ("statement", "quote"), [(iris.record(fid, r), q) for fid, r in f.iter_records()
                                    if not isinstance(r, m.Contradiction)
                                    for q in dict.fromkeys(r.quotes)]


def approved_vs_investigational(rec: Records) -> Expected:
    """Approved where an approval claim names drug and indication."""
    ent = rec.corpus.entities
    return ("drug", "indication"), {
        (ent.drugs[d].label, ent.diseases[i].label) for f in rec.corpus.files
        for c in f.claims if c.kind == "approval" and not c.negated
        for d in c.drugs for i in c.indications}, lambda row: row["status"].startswith("approved")


APPROVAL_LEVEL = "regulatory approval statement"


def drug_indication_evidence(rec: Records) -> Expected:
    """Every drug a claim or a study's arm puts to the test appears as a therapy."""
    ent = rec.corpus.entities
    return ("therapy", "indication"), {
        (ent.drugs[d].label, ent.diseases[i].label) for f in rec.corpus.files for c in f.claims
        if c.kind == "approval" and not c.negated for d in c.drugs for i in c.indications
    }, lambda row: row["bestLevel"] == APPROVAL_LEVEL


def harm_subgroups(rec: Records) -> Expected:
    """Treatment effects of the drug favouring the reference arm in a subgroup; claims on them."""
    rows = []
    for s in rec.studies:
        if not rec.of_drug(s):
            continue
        for c in s.comparisons:
            p = part(s, c.population)
            if (favours(s, c) == "reference" and isinstance(p, m.Population)
                    and p.kind == "subgroup"):
                rows.append(("comparison", c.estimate))
                rows += [("claim", None) for f in rec.corpus.files for cl in f.claims
                         if f"{s.id}/{c.id}" in cl.rests_on and rec.drug in cl.drugs]
    return ("statement", "estimate"), rows


def cross_document_checks(rec: Records) -> Expected:
    """A check for every statement that two documents state of one study."""
    return ("check",), []


def find(rec: Records) -> Expected:
    """Nodes whose name, synonym or identifier contains the text (entities only)."""
    text = rec.params.get("find", {}).get("text", "VEGFR2").lower()
    ent = rec.corpus.entities
    rows = set()
    for key, t in ent.targets.items():
        if any(text in x.lower() for x in (t.label, *t.synonyms, key, *(x.curie for x in t.xrefs))):
            rows.add((iris.target(key, ent),))
            rows |= {(iris.interaction(i.drug, key),) for f in rec.corpus.files
                     for i in f.interactions if i.target == key}
    return ("node",), rows, lambda row: "/protein/" in row["node"] or "/interaction/" in row["node"]


def adverse_events(rec: Records) -> Expected:
    """Each safety result once per matching reference-arm record (or once), each harm comparison.

    A reference arm is the reference of the study's comparisons or a placebo arm; a match has the
    same kind, event, grade and relatedness. The full columns are proven on the safety fixture
    (tests/test_safety.py); here every statement must come back as often as that rule says.
    """
    rows = []
    for s in rec.studies:
        s = rec.corpus.studies.get(s.id, s)
        arms = {a.id: a for a in s.arms}
        pops = {p.id: p for p in s.populations}
        refs = {c.reference for c in (*s.harm_comparisons, *s.comparisons) if c.reference}
        refs |= {a for a, arm in arms.items() if "placebo" in arm.regimen}

        def arm_of(r: m.SafetyResult, pops=pops) -> str | None:
            return r.arm or (pops[r.population].arm if r.population in pops else None)

        def key(r: m.SafetyResult) -> tuple:
            return (r.kind, r.event, r.grade or ("5" if r.kind == "death" else None),
                    r.relatedness)

        for r in s.adverse_events:
            n = len([o for o in s.adverse_events if key(o) == key(r) and arm_of(o) in refs
                     and arm_of(o) != arm_of(r)])
            rows += [(iris.study_part(s.id, "adverse-event", r.id),)] * max(1, n)
        rows += [(iris.study_part(s.id, "harm-comparison", c.id),) for c in s.harm_comparisons]
    return ("result",), rows


EXPECTED: dict[str, Callable[[Records], Expected]] = {
    "adverse-events": adverse_events,
    "outcomes": outcomes, "hazard-ratios": hazard_ratios, "effect-estimates": effect_estimates,
    "subgroup-results": subgroup_results, "contradictions": contradictions,
    "biomarker-evidence": biomarker_evidence, "primary-endpoints": primary_endpoints,
    "drug-studies": drug_studies, "drug-targets": drug_targets,
    "indication-studies": indication_studies, "combination-partners": combination_partners,
    "biomarker-associations": biomarker_associations, "evidence-for": evidence_for,
    "study-by-nct": study_by_nct, "document-statements": document_statements,
    "approved-vs-investigational": approved_vs_investigational,
    "drug-indication-evidence": drug_indication_evidence, "harm-subgroups": harm_subgroups,
    "cross-document-checks": cross_document_checks, "table-cross-checks": table_cross_checks,
    "find": find,
}


def test_every_named_query_is_proven():
    """A new .rq file needs an expected answer here before the suite is green."""
    files = {q.name for q in LIBRARY.values()}
    assert files == set(EXPECTED), (f"named queries without a completeness test: "
                                    f"{sorted(files - set(EXPECTED))}; stale entries: "
                                    f"{sorted(set(EXPECTED) - files)}")


CORPORA = {
    "shipped": (SOURCES_DIR, dict(drug="sorafenib", biomarker="kras-mutation",
                                  document="santoro-2013", nct="NCT00863746", disease="nsclc",
                                  statement="https://w3id.org/dti-kg/id/study/mission/"
                                            "comparison/pfs-hr")),
    "mini": (MINI, dict(drug="examplinib", biomarker="egfr-mutation",
                        document="examplinib-abstract", nct="NCT00000000", disease="nsclc",
                        statement="https://w3id.org/dti-kg/id/study/examplinib-phase2/"
                                  "result/pr-rate")),
}


def params_for(values: dict[str, str]) -> dict[str, dict[str, str]]:
    """The parameters each query runs with on a corpus (defaults where they fit it)."""
    drug, bio = f"drug:{values['drug']}", f"biomarker:{values['biomarker']}"
    out: dict[str, dict[str, str]] = {}
    for q in LIBRARY.values():
        given = {}
        for p in q.params:
            if p.name == "drug" and p.default != "any":
                given["drug"] = drug
            elif p.name == "biomarker" and p.default != "any":
                given["biomarker"] = bio
            elif p.name == "document":
                given["document"] = f"document:{values['document']}"
            elif p.name == "statement":
                given["statement"] = values["statement"]
            elif p.name == "nct":
                given["nct"] = values["nct"]
            elif p.name == "disease" and p.default != "any":
                given["disease"] = f"disease:{values['disease']}"
        out[q.name] = given
    return out


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_case(request, real: BuildResult, mini: BuildResult
                ) -> tuple[Records, OxigraphEngine]:
    folder, values = CORPORA[request.param]
    corpus, texts = load_corpus(Path(folder))
    rec = Records(corpus, BuildInput(corpus, texts), params_for(values), **values)
    built = real if request.param == "shipped" else mini
    return rec, OxigraphEngine.over(built.store)


def query_rows(engine: OxigraphEngine, name_: str, params: dict[str, str],
               cols: tuple[str, ...], keep: Callable[[dict], bool] = lambda row: True
               ) -> Counter:
    result = engine.query(LIBRARY[name_].bind(params))
    return Counter(tuple(norm(r[c].value) if c in r else "" for c in cols)
                   for r in result.rows if keep({k: t.value for k, t in r.items()}))


@pytest.mark.parametrize("query", sorted(LIBRARY))
def test_named_query_returns_exactly_the_records(query: str, corpus_case) -> None:
    rec, engine = corpus_case
    if query not in EXPECTED:
        pytest.fail(f"{query}: no expected answer derived from the records")
    cols, rows, *keep = EXPECTED[query](rec)
    expected = Counter(tuple(norm(v) for v in row) for row in rows)
    got = query_rows(engine, query, rec.params[query], cols, *keep)
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{query} on {rec.document}: {sum(missing.values())} expected rows missing, "
        f"{sum(extra.values())} unexpected\n missing: {sorted(missing)[:5]}\n"
        f" extra: {sorted(extra)[:5]}")


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_tables_never_cut_a_word_or_drop_a_column(width: int, real: BuildResult) -> None:
    """Every named query as a terminal table: each word, number and IRI whole, every column."""
    from kg.query.formats import records, short, table

    engine = OxigraphEngine.over(real.store)
    for q in LIBRARY.values():
        result = engine.query(q.bind())
        text = table(result, width)
        tokens = set(text.split())
        for r in result.rows:
            for v, term in r.items():
                missing = set(short(term).split()) - tokens
                assert not missing, f"{q.name} at {width}: {v} cut: {sorted(missing)[:3]}"
        blocks = "one record per block" in text.splitlines()[-1]
        if result.rows:
            shown = (set(text.splitlines()[0].split()) if not blocks
                     else {line.split()[0] for line in text.splitlines()
                           if line[:1].strip() and not line.startswith(("-[", "("))})
            used = {v for r in result.rows for v in r}
            assert used <= shown, f"{q.name} at {width}: columns dropped: {used - shown}"
        if blocks:
            assert text.startswith("-[ row 1 ]")
        else:
            assert max(len(line) for line in text.splitlines()[:-1] or [""]) <= width, (q.name,
                                                                                     width)
    assert records(["a"], [["x"]], 40)[0].startswith("-[ row 1 ]")


def test_readme_counts_the_named_queries_of_the_library() -> None:
    """The querying manual's number of named queries is the library's."""
    import re

    from kg.paths import PROJECT_DIR

    text = (PROJECT_DIR / "docs" / "querying.md").read_text(encoding="utf-8")
    said = re.findall(r"shows all (\d+) with their parameters", text)
    assert said == [str(len(LIBRARY))], (said, len(LIBRARY))
