"""Cross-reference checks over all evidence files: every id resolves, no id is stated twice.

Runs after every file is read, on the records of all of them, because a study may be described
by several documents and a claim may rest on another file's result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg import model as m
from kg.sources.linking import restatement_problem
from kg.sources.number_rules import check_numbers
from kg.sources.safety import check_safety
from kg.sources.values import ENDPOINT_TYPES


def check_references(files: list[m.EvidenceFile], ent: m.Entities, problems: list[str]) -> None:
    """Check that every reference resolves and every number is possible."""
    all_ids: dict[str, m.Loc] = {}
    all_records: dict[str, m.Record] = {}
    # parts of a study's defining entry come first, restatements by other documents after
    first: list[tuple[str, str, m.Record]] = []
    later: list[tuple[str, str, m.Record]] = []
    for f in files:
        extending = {s.id for s in f.studies if s.extends is not None}
        for full_id, rec in f.iter_records():
            if isinstance(rec, m.Study) and rec.extends is not None:
                continue  # the entry of another document's study, resolved by its id
            bucket = later if full_id.split("/", 1)[0] in extending else first
            bucket.append((f.path, full_id, rec))
    for path, full_id, rec in first + later:
        prior = all_records.get(full_id)
        if prior is None:
            all_records[full_id], all_ids[full_id] = rec, rec.loc
        elif isinstance(rec, (m.Arm, m.Population, m.Endpoint)) and prior.loc.file != path:
            why = restatement_problem(prior, rec)
            if why is not None:
                problems.append(f"{rec.loc.at('id')}: id: {full_id!r} restates the part first "
                                f"stated at {all_ids[full_id]} with {why}; give this "
                                "document's part its own id")
        else:
            problems.append(f"{rec.loc.at('id')}: id: duplicate id {full_id!r} (first at "
                            f"{all_ids[full_id]})")
    doc_ids: dict[str, m.Loc] = {}
    for f in files:
        if f.document.id in doc_ids:
            problems.append(f"{f.document.loc}: document.id: duplicate document id "
                            f"{f.document.id!r} (first at {doc_ids[f.document.id]})")
        doc_ids[f.document.id] = f.document.loc
    entries: dict[str, list[m.Study]] = {}  # each study's entries in file order, in one pass
    for f in files:
        for s in f.studies:
            entries.setdefault(s.id, []).append(s)
    study_ids = set(entries)
    merged = {sid: m.merge_studies(found) for sid, found in entries.items()}
    interventions = set(ent.drugs) | {"placebo"} | set(ent.interventions)

    def need(cond: bool, loc: m.Loc, fld: str, msg: str) -> None:
        if not cond:
            problems.append(f"{loc.at(fld)}: {fld}: {msg}")

    for f in files:
        if f.document.curated_ids is not None:
            need(f.document.curated_ids in ent.study_xrefs, f.document.loc, "document.curated_ids",
                 f"{f.document.curated_ids!r} is not in the identifier table")
        for t in f.interactions:
            need(t.drug in ent.drugs, t.loc, "drug", f"unknown drug {t.drug!r}")
            need(ent.target_or_family(t.target) is not None, t.loc, "target",
                 f"unknown target {t.target!r}")
        for s in f.studies:
            _check_study(s, merged[s.id], ent, study_ids, interventions, need)
        for c in f.claims:
            for d in c.drugs:
                need(d in ent.drugs, c.loc, "drugs", f"unknown drug {d!r}")
            for d in c.indications:
                need(d in ent.diseases, c.loc, "indications", f"unknown disease {d!r}")
            for d in c.studies:
                need(d in study_ids, c.loc, "studies", f"unknown study {d!r}")
            for d in c.targets:
                need(ent.target_or_family(d) is not None, c.loc, "targets",
                     f"unknown target {d!r}")
            for r in c.rests_on:
                rec = all_records.get(r)
                need(isinstance(rec, (m.Result, m.Comparison, m.SafetyResult, m.HarmComparison)),
                     c.loc, "rests_on",
                     f"{r!r} is not a result or comparison (write study-id/record-id)")
                need(r.split("/", 1)[0] in c.studies, c.loc, "rests_on",
                     f"{r!r} belongs to a study the claim does not name under 'studies'")
        for t in f.tables:
            for link in t.rows:
                need(link.study in study_ids, link.loc, "study", f"unknown study {link.study!r}")
                if link.population is not None:
                    full = link.population if "/" in link.population else \
                        f"{link.study}/{link.population}"
                    need(isinstance(all_records.get(full), m.Population), link.loc, "population",
                         f"unknown population {link.population!r} (a population id of the "
                         "linked study, or study-id/population-id)")
            if t.biomarker is not None:
                need(t.biomarker in ent.biomarkers, t.loc, "biomarker",
                     f"unknown biomarker {t.biomarker!r}")
        for c in f.contradictions:
            need(len(c.statements) >= 2, c.loc, "statements", "a contradiction links at least two "
                 "statements")
            for st in c.statements:
                need(st in all_ids, c.loc, "statements", f"unknown record {st!r}")


def _check_study(s: m.Study, ctx: m.Study, ent: m.Entities, study_ids: set[str],
                 interventions: set[str], need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """Check one document's entry of a study against the study merged over all documents."""
    arms = {a.id for a in ctx.arms}
    pops = {p.id: p for p in ctx.populations}
    endpoints = {e.id for e in ctx.endpoints}
    if s.part_of is not None:
        need(s.part_of in study_ids and s.part_of != s.id, s.loc, "part_of",
             f"unknown study {s.part_of!r}")
    if s.curated_ids is not None:
        need(s.curated_ids in ent.study_xrefs, s.loc, "curated_ids",
             f"{s.curated_ids!r} is not in the identifier table")
    for c in s.conditions:
        need(c in ent.diseases, s.loc, "conditions", f"unknown disease {c!r}")
    for label, value in (("enrolment_start", s.enrolment_start),
                         ("enrolment_end", s.enrolment_end)):
        if value is not None:
            need(bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)), s.loc, label,
                 f"{value!r} is not a YYYY-MM month")
    if s.enrolment_start and s.enrolment_end:
        need(s.enrolment_start <= s.enrolment_end, s.loc, "enrolment_end",
             "enrolment ends before it starts")
    for a in s.arms:
        for item in a.regimen:
            need(item in interventions, a.loc, "regimen", f"unknown intervention {item!r}")
        for d in a.dosing:
            need(d.intervention in a.regimen, a.loc, "dosing",
                 f"{d.intervention!r} is not in the arm's regimen")
            for label, value in (("dose", d.dose), ("duration", d.duration)):
                need(value is None or value > 0, a.loc, f"dosing.{label}",
                     f"must be positive, got {value}")
    for p in s.populations:
        need(p.size is None or p.size >= 0, p.loc, "size", f"must not be negative, got {p.size}")
        if p.parent is not None:
            parent = pops.get(p.parent)
            need(parent is not None and p.parent != p.id, p.loc, "parent",
                 f"unknown population {p.parent!r} in study {s.id!r}")
            if parent is not None and parent.size is not None and p.size is not None:
                need(p.size <= parent.size, p.loc, "size",
                     f"{p.size} is larger than its parent population {p.parent!r} "
                     f"({parent.size})")
        if p.arm is not None:
            need(p.arm in arms, p.loc, "arm", f"unknown arm {p.arm!r} in study {s.id!r}")
        if p.histology is not None:
            need(p.histology in ent.diseases, p.loc, "histology",
                 f"unknown disease {p.histology!r}")
        if p.biomarker is not None:
            need(p.biomarker in ent.biomarkers, p.loc, "biomarker",
                 f"unknown biomarker {p.biomarker!r}")
        for other in p.complement_of:
            need(other in pops and other != p.id, p.loc, "complement_of",
                 f"unknown population {other!r} in study {s.id!r}")
        _check_derived(p, s, pops, need)
    for e in s.endpoints:
        need(e.timepoint is None or e.timepoint > 0, e.loc, "timepoint",
             f"must be positive, got {e.timepoint}")
        need((e.timepoint is None) == (e.timepoint_unit is None), e.loc, "timepoint_unit",
             "timepoint and timepoint_unit go together")
        if e.marker is not None:
            need(e.marker in ent.biomarkers, e.loc, "marker", f"unknown biomarker {e.marker!r}")
        need(e.type != "biomarker-prevalence" or e.marker is not None, e.loc, "marker",
             "a biomarker-prevalence endpoint names its marker")
        need(e.type != "other" or bool(e.name), e.loc, "name",
             "an endpoint of type other gives the outcome's name as the source prints it")
    for r in s.results:
        need(r.endpoint in endpoints, r.loc, "endpoint",
             f"unknown endpoint {r.endpoint!r} in study {s.id!r}")
        if r.arm is not None:
            need(r.arm in arms, r.loc, "arm", f"unknown arm {r.arm!r} in study {s.id!r}")
        if r.population is not None:
            need(r.population in pops, r.loc, "population",
                 f"unknown population {r.population!r} in study {s.id!r}")
        need(r.value is not None or r.count is not None, r.loc, "value",
             "a result needs a value or a count")
        need(r.value is None or r.unit is not None, r.loc, "unit", "a value needs a unit")
        check_numbers(r, need)
        _check_derived(r, s, pops, need)
    for c in s.comparisons:
        if c.endpoint is not None:
            need(c.endpoint in endpoints, c.loc, "endpoint",
                 f"unknown endpoint {c.endpoint!r} in study {s.id!r}")
        _check_comparison_sides(c, s.id, arms, pops, need)
        if c.population is not None:
            need(c.population in pops, c.loc, "population",
                 f"unknown population {c.population!r} in study {s.id!r}")
        need((c.p_value is None) == (c.p_qualifier is None), c.loc, "p_qualifier",
             "p_value and p_qualifier go together")
        need((c.estimate is None) or c.measure is not None, c.loc, "measure",
             "an estimate needs a measure")
        check_numbers(c, need)
    for fnd in s.findings:
        need(fnd.marker in ent.biomarkers, fnd.loc, "marker", f"unknown biomarker {fnd.marker!r}")
        for ep in fnd.endpoints:
            need(ep in ENDPOINT_TYPES, fnd.loc, "endpoints", f"{ep!r} is not an endpoint type")
        if fnd.population is not None:
            need(fnd.population in pops, fnd.loc, "population",
                 f"unknown population {fnd.population!r} in study {s.id!r}")
    check_safety(s, ctx, set(ent.adverse_event_terms), need)


def _check_comparison_sides(c: m.Comparison, sid: str, arms: set[str],
                            pops: dict[str, m.Population],
                            need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """A treatment effect compares arms; a prognostic or predictive one names two groups."""
    for label, g in (("experimental", c.experimental), ("reference", c.reference)):
        if g is not None:
            need(g in arms, c.loc, label,
                 f"unknown arm {g!r} in study {sid!r}" if g not in pops else
                 f"{g!r} is a population: a comparison of groups of patients defined by a marker "
                 "or histology is 'kind: prognostic' (or predictive) with 'groups:'")
    for g in c.groups:
        need(g in pops, c.loc, "groups", f"unknown population {g!r} in study {sid!r}")
    if c.kind == "prognostic":
        need(c.experimental is None and c.reference is None, c.loc, "kind",
             "a prognostic comparison has groups, not experimental and reference arms")
    if c.kind == "predictive":
        need(c.experimental is not None and c.reference is not None, c.loc, "kind",
             "a predictive comparison contrasts an arm-versus-arm effect between groups")
    if c.kind != "treatment-effect":
        need(len(c.groups) in (0, 2), c.loc, "groups", "name the two groups compared")
        need(c.direction in (None, "no-difference"), c.loc, "direction",
             f"{c.direction!r} is for treatment effects; say which group did better with "
             "'favoured:'")
    else:
        need(not c.groups, c.loc, "groups", "a treatment effect compares arms (experimental, "
                                            "reference), not groups")
    if c.favoured is not None:
        need(c.favoured in c.groups, c.loc, "favoured", f"{c.favoured!r} is not one of the "
                                                        "comparison's groups")
        need(c.direction is None, c.loc, "favoured", "give either favoured or direction")


def _check_derived(r: m.Result | m.Population, s: m.Study, pops: dict[str, m.Population],
                   need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """A number declared ``size of <population>`` must equal that population's size."""
    for name, basis in r.derived:
        value = getattr(r, name, None)
        need(value is not None, r.loc, "derived", f"{name} is declared derived but not given")
        if not basis.startswith("size of ") or value is None:
            continue
        other = pops.get(basis.removeprefix("size of "))
        if other is None:
            need(False, r.loc, "derived", f"{name}: unknown population in {basis!r} in study "
                                          f"{s.id!r}")
        else:
            need(other.size == value, r.loc, name,
                 f"{value} is declared the {basis} but that population "
                 + (f"has size {other.size}" if other.size is not None else "states no size"))

