"""Studies with their design, arms (regimens as first-class nodes), populations and endpoints."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg import model as m
from kg.builders import iris
from kg.builders.base import ENTITIES, BuildInput, Quad, builder, dec, lit
from kg.builders.entities import iter_xrefs
from kg.builders.terms import (
    BLINDING,
    ENDPOINT_ABBREV,
    ENDPOINT_TYPE,
    LINE,
    PHASE,
    POPULATION_KIND,
    STUDY_CLASS,
    UNIT,
    UNIT_SYMBOL,
)
from kg.ids import mint
from kg.vocab import KG

DESIGN_FLAGS = (("randomised", KG.randomised), ("placebo_controlled", KG.placeboControlled),
                ("single_arm", KG.singleArm), ("adaptive", KG.adaptive),
                ("multicentre", KG.multicentre),
                ("randomised_discontinuation", KG.randomisedDiscontinuation),
                ("biomarker_driven", KG.biomarkerDriven), ("terminated_early", KG.terminatedEarly))


def endpoint_label(e: m.Endpoint) -> str:
    """'PFS rate at 6 months' style label of an endpoint."""
    label = e.name if e.type == "other" and e.name else ENDPOINT_ABBREV[e.type]
    if e.timepoint is not None and e.timepoint_unit is not None:
        unit = UNIT_SYMBOL[e.timepoint_unit] if e.timepoint != 1 else e.timepoint_unit
        label += f" at {e.timepoint} {unit}"
    return label


def short_name(s: m.Study) -> str:
    """The study's name at the head of its parts' captions ('MISSION: placebo').

    A caption is 'study: part', and the pages read the part back after the first colon, so a
    name with a colon of its own (a drafted study is labelled with its paper's whole title,
    'SOLACE: a randomised phase II trial ...') would leak the rest of the title into every arm
    and population. Such a name gives way to the acronym, else to the title's text before the
    colon; a label without a colon (every curated one) is kept as it is.
    """
    if ":" not in s.label:
        return s.label
    return s.acronym or s.label.split(":", 1)[0].strip() or s.label.replace(":", " -")


def regimen_label(components: tuple[str, ...], ent: m.Entities) -> str:
    """Readable regimen name: 'sorafenib + erlotinib' in the source's order."""
    named = {**{k: v.label for k, v in ent.interventions.items()},
             **{k: v.label for k, v in ent.drugs.items()}}
    return " + ".join(named.get(c, c) for c in components)


def _design(s: m.Study, node: URIRef, g: str) -> Iterator[Quad]:
    d = s.design
    for p in d.phases:
        yield Quad(node, KG.phase, PHASE[p], g)
    for attr, prop in DESIGN_FLAGS:
        value = getattr(d, attr)
        if value is not None:
            yield Quad(node, prop, lit(value), g)
    if d.blinding:
        yield Quad(node, KG.blinding, BLINDING[d.blinding], g)
    if d.termination_reason:
        yield Quad(node, KG.terminationReason, lit(d.termination_reason), g)
    if d.allocation_ratio:
        yield Quad(node, KG.allocationRatio, lit(d.allocation_ratio), g)
    for factor in d.stratification:
        yield Quad(node, KG.stratificationFactor, lit(factor), g)
    for prop, value in ((KG.eligibilitySummary, s.eligibility),
                        (KG.sampleSizeAssumption, s.sample_size_assumption)):
        if value:
            yield Quad(node, prop, lit(value), g)
    for line in s.lines:
        yield Quad(node, KG.lineOfTherapy, LINE[line], g)
    for prop, value in ((KG.priorTherapy, s.prior_therapy), (KG.diseaseSetting, s.setting),
                        (KG.acronym, s.acronym)):
        if value:
            yield Quad(node, prop, lit(value), g)
    for prop, value in ((KG.enrolmentStart, s.enrolment_start),
                        (KG.enrolmentEnd, s.enrolment_end)):
        if value:
            yield Quad(node, prop, lit(value, datatype=XSD.gYearMonth), g)
    for ref in s.refs:
        yield Quad(node, KG.referenceNumber, lit(ref), g)


def _arm(inp: BuildInput, s: m.Study, a: m.Arm, g: str) -> Iterator[Quad]:
    ent = inp.corpus.entities
    node = iris.study_part(s.id, "arm", a.id)
    regimen = iris.regimen(a.regimen)
    yield Quad(iris.study(s.id), KG.hasArm, node, g)
    yield Quad(node, RDF.type, KG.Arm, g)
    yield Quad(node, RDFS.label, lit(f"{short_name(s)}: {a.label}"), g)
    yield Quad(node, KG.usesRegimen, regimen, g)
    yield Quad(regimen, RDF.type, KG.Regimen, ENTITIES)
    yield Quad(regimen, RDFS.label, lit(regimen_label(tuple(sorted(a.regimen)), ent)),
               ENTITIES)
    for item in a.regimen:
        yield Quad(regimen, KG.hasComponent, iris.intervention(item, ent), ENTITIES)
    for d in a.dosing:
        dose = mint("study", s.id, "arm", a.id, "dosing", d.intervention)
        yield Quad(node, KG.hasDosing, dose, g)
        yield Quad(dose, RDF.type, KG.Dosing, g)
        yield Quad(dose, RDFS.label, lit(f"{d.intervention} {d.schedule or ''}".strip()), g)
        yield Quad(dose, KG.intervention, iris.intervention(d.intervention, ent), g)
        if d.dose is not None:
            yield Quad(dose, KG.doseValue, dec(d.dose), g)
        if d.unit:
            yield Quad(dose, KG.doseUnit, UNIT[d.unit], g)
        if d.daily_frequency is not None:
            yield Quad(dose, KG.dailyFrequency, lit(d.daily_frequency), g)
        if d.duration is not None:
            yield Quad(dose, KG.durationValue, dec(d.duration), g)
        if d.duration_unit:
            yield Quad(dose, KG.durationUnit, UNIT[d.duration_unit], g)
        if d.schedule:
            yield Quad(dose, KG.scheduleText, lit(d.schedule), g)
    yield from inp.evidence(g, a, node)


def population_context(node: URIRef, p: m.Population, g: str) -> Iterator[Quad]:
    """What defines a subgroup (histology, biomarker and status), on any node it qualifies."""
    if p.histology:
        yield Quad(node, KG.histology, iris.disease(p.histology), g)
    if p.biomarker:
        yield Quad(node, KG.definedByBiomarker, iris.biomarker(p.biomarker), g)
    if p.biomarker_status:
        yield Quad(node, KG.biomarkerStatus, lit(p.biomarker_status), g)


def _population(inp: BuildInput, s: m.Study, p: m.Population, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "population", p.id)
    yield Quad(iris.study(s.id), KG.hasPopulation, node, g)
    yield Quad(node, RDF.type, KG.Population, g)
    label = f"{short_name(s)}: {p.label}" + (f" (n={p.size})" if p.size is not None else "")
    yield Quad(node, RDFS.label, lit(label), g)
    yield Quad(node, KG.populationKind, POPULATION_KIND[p.kind], g)
    if p.size is not None:
        yield Quad(node, KG.size, lit(p.size), g)
    if p.parent:
        yield Quad(node, KG.subsetOf, iris.study_part(s.id, "population", p.parent), g)
    if p.arm:
        yield Quad(node, KG.inArm, iris.study_part(s.id, "arm", p.arm), g)
    yield from population_context(node, p, g)
    for other in p.complement_of:
        yield Quad(node, KG.complementOf, iris.study_part(s.id, "population", other), g)
    if p.age_group:
        yield Quad(node, KG.ageGroup, lit(p.age_group), g)
    yield from derivations(s, p, node, g)
    yield from inp.evidence(g, p, node)


DERIVED_PROPERTY = {"value": KG.value, "count": KG.count, "denominator": KG.denominator,
                    "size": KG.size}


def derivations(s: m.Study, r: m.Result | m.Population | m.SafetyResult, node: URIRef, g: str,
                properties: dict[str, URIRef] = DERIVED_PROPERTY) -> Iterator[Quad]:
    """Say how each number the source does not print was obtained, and from what."""
    for name, basis in r.derived:
        d = URIRef(f"{node}/derived/{name}")
        yield Quad(node, KG.hasDerivation, d, g)
        yield Quad(d, RDF.type, KG.Derivation, g)
        yield Quad(d, RDFS.label, lit(f"{name}: {basis}"), g)
        yield Quad(d, KG.derivedAttribute, properties[name], g)
        if basis == "count/denominator":
            yield Quad(d, KG.derivationMethod, KG.ComputedFromCountAndDenominator, g)
            yield Quad(d, KG.derivedFrom, node, g)
        else:
            yield Quad(d, KG.derivationMethod, KG.TakenFromPopulationSize, g)
            pop = basis.removeprefix("size of ")
            yield Quad(d, KG.derivedFrom, iris.study_part(s.id, "population", pop), g)


def _endpoint(inp: BuildInput, s: m.Study, e: m.Endpoint, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "endpoint", e.id)
    yield Quad(iris.study(s.id), KG.hasEndpoint, node, g)
    yield Quad(node, RDF.type, KG.Endpoint, g)
    yield Quad(node, RDFS.label, lit(f"{short_name(s)}: {endpoint_label(e)}"), g)
    yield Quad(node, KG.endpointType, ENDPOINT_TYPE[e.type], g)
    yield Quad(node, KG.isPrimary, lit(e.primary), g)
    if e.timepoint is not None:
        yield Quad(node, KG.timePointValue, dec(e.timepoint), g)
    if e.timepoint_unit:
        yield Quad(node, KG.timePointUnit, UNIT[e.timepoint_unit], g)
    if e.timepoint_anchor:
        yield Quad(node, KG.timePointAnchor, lit(e.timepoint_anchor), g)
    if e.marker:
        yield Quad(node, KG.marker, iris.biomarker(e.marker), g)
    yield from inp.evidence(g, e, node)


@builder("studies", "studies with design, arms and regimens, populations, endpoints")
def iter_studies(inp: BuildInput) -> Iterator[Quad]:
    """Every study and its structure, in the graph of the document that describes it."""
    for f in inp.corpus.files:
        g = f.document.id
        for s in f.studies:
            node = iris.study(s.id)
            if s.extends is not None:  # another document's study: this document's evidence
                yield Quad(node, KG.describedIn, iris.document(g), g)
                for ref in s.refs:
                    yield Quad(node, KG.referenceNumber, lit(ref), g)
                yield from inp.evidence(g, s, node)
                yield from _parts(inp, s, g)
                continue
            yield Quad(node, RDF.type, STUDY_CLASS[s.kind], g)
            yield Quad(node, RDFS.label, lit(s.label), g)
            yield Quad(node, KG.describedIn, iris.document(g), g)
            if s.part_of:
                yield Quad(node, KG.partOf, iris.study(s.part_of), g)
            for c in s.conditions:
                yield Quad(node, KG.studiesCondition, iris.disease(c), g)
            yield from _design(s, node, g)
            if s.curated_ids:
                xrefs = inp.corpus.entities.study_xrefs[s.curated_ids]
                yield from iter_xrefs(node, "study", s.id, xrefs)
            yield from inp.evidence(g, s, node)
            yield from _parts(inp, s, g)


def _parts(inp: BuildInput, s: m.Study, g: str) -> Iterator[Quad]:
    """Arms, populations and endpoints, each one node however many documents restate it.

    A part another document states first gets only this document's evidence.
    """
    parts = ((s.arms, _arm, "arm"), (s.populations, _population, "population"),
             (s.endpoints, _endpoint, "endpoint"))
    for records, emit, kind in parts:
        for r in records:
            if inp.corpus.owns(g, f"{s.id}/{r.id}"):
                yield from emit(inp, s, r, g)  # type: ignore[operator]
            else:
                yield from inp.evidence(g, r, iris.study_part(s.id, kind, r.id))
