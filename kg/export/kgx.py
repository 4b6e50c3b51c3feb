"""KGX TSV export: ``nodes.tsv`` and ``edges.tsv`` with Biolink categories and predicates.

The SPARQL in ``kg/export/kgx/*.rq`` reads the built graph; predicates come from the ontology's
own ``skos:exactMatch``/``closeMatch`` mappings to Biolink, so the ontology stays the one place
that says what a property means. Every edge carries ``knowledge_level``, ``agent_type`` (manual
unless a statement behind it carries ``kg:agentType kg:TextMiningAgent``), the project's
``primary_knowledge_source``, its publications and its evidence: the quotes, the documents, the
evidence span ids and the character offsets in the shipped texts. Biolink has no slot for a
confidence interval, a p-value bound or a document offset, so those few columns carry a
``dti_kg_`` prefix (``EXTENSION_COLUMNS``); tests check every other column, every category,
predicate and enum value against the schema the ``biolink-model`` package ships. Every id is a
CURIE by KGX's own rule (`KGX_CURIE`), and ``context.jsonld`` beside the TSVs declares the
project's own prefixes (``regimen:``, ``study.mission.arm:`` ...), so KGX's validator, given
Biolink's context and this one, knows every prefix. The heavy ``kgx`` package is not needed: the
format is two TSV files and a prefix map.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.export.tables import open_graph, writable_folder
from kg.paths import PACKAGE_DIR
from kg.query.curies import KINDS
from kg.query.engine import Engine, Result, Term
from kg.query.formats import _short as short_term
from kg.vocab import BIOLINK, INSTANCE_IRI, KG

KGX_QUERIES = PACKAGE_DIR / "export" / "kgx"
KNOWLEDGE_SOURCE = "infores:dti-kg"  # the project's own infores id; not (yet) registered
MULTI = "|"  # KGX TSV separator of multivalued cells
# KGX's own rule for a CURIE (kgx.prefix_manager.PrefixManager.is_curie): no '/' or ':' in the
# local part; its Validator also wants the prefix in the JSON-LD context it is given.
KGX_CURIE = re.compile(r"^[^ <()>:]*:[^/ :]+$")
CONTEXT_FILE = "context.jsonld"  # the prefixes of this export that Biolink does not declare
EDGE_PREFIX, EDGE_NAMESPACE = "dti-kg-edge", "urn:dti-kg:edge:"  # ids of structural edges
CURIE_COLUMNS = ["id", "subject", "object", "publications", "has_supporting_studies",
                 "has_evidence"]  # edge cells that hold ids

NODE_COLUMNS = ["id", "category", "name", "xref", "synonym", "iri", "provided_by",
                "clinical_trial_phase"]
EDGE_COLUMNS = ["id", "subject", "predicate", "object", "category", "knowledge_level",
                "agent_type", "primary_knowledge_source", "publications", "has_supporting_studies",
                "has_evidence", "supporting_text",
                "dti_kg_text_offsets", "qualified_predicate", "object_aspect_qualifier",
                "object_direction_qualifier", "clinical_approval_status", "effect_size",
                "effect_type", "p_value", "dti_kg_p_value_as_stated", "dti_kg_ci_low",
                "dti_kg_ci_high", "dti_kg_ci_level", "supporting_study_cohort",
                "supporting_study_size", "dti_kg_evidence_level", "dti_kg_evidence_direction",
                "dti_kg_significant", "has_count", "has_total", "has_percentage", "dti_kg_arm",
                "dti_kg_grade", "dti_kg_relatedness", "dti_kg_time_frame"]
EXTENSION_COLUMNS = {
    "dti_kg_text_offsets": "start-end character offsets of each quote in its document's shipped "
                           "text, in the order of has_evidence and supporting_text",
    "dti_kg_p_value_as_stated": "the p-value with its qualifier as the source prints it "
                                "(p_value is filled only when the source gives it exactly)",
    "dti_kg_ci_low": "lower bound of the estimate's confidence interval",
    "dti_kg_ci_high": "upper bound of the estimate's confidence interval",
    "dti_kg_ci_level": "confidence level of that interval, e.g. 0.95",
    "dti_kg_evidence_level": "CIViC-style evidence level of the item, e.g. phase III randomised",
    "dti_kg_evidence_direction": "supports benefit, no benefit or harm",
    "dti_kg_significant": "true or false where statistical significance is known",
    "dti_kg_arm": "the trial arm an adverse-event rate was counted in",
    "dti_kg_grade": "CTCAE grade or grade range of the counted events: any, 3, 3-4, >=3, 5",
    "dti_kg_relatedness": "treatment-related or any cause, where the source says which",
    "dti_kg_time_frame": "over what time the events were counted, as the source says",
}

# The Biolink category of each kind of node. kg:Drug maps to biolink:Drug in the ontology; a drug
# with a ChEBI id is a chemical entity of that database, exported as the narrower SmallMolecule.
CATEGORIES = {str(KG.Drug): "biolink:Drug", str(KG.Regimen): "biolink:Treatment",
              str(KG.Protein): "biolink:Protein", str(KG.Gene): "biolink:Gene",
              str(KG.TargetFamily): "biolink:GeneFamily", str(KG.Disease): "biolink:Disease",
              str(KG.ClinicalTrial): "biolink:ClinicalTrial",
              str(KG.PreclinicalStudy): "biolink:Study", str(KG.SubstudyAnalysis): "biolink:Study",
              str(KG.Document): "biolink:Publication",
              # an event as printed ('hand-foot skin reaction') does not say disease or phenotype;
              # Biolink's class for exactly that case
              str(KG.AdverseEventTerm): "biolink:DiseaseOrPhenotypicFeature"}
# Identifier prefixes a node id is taken from, best first, per category (a subset of each
# category's Biolink id_prefixes, spelled as Biolink spells them); no such xref: the graph's IRI.
ID_PREFIXES = {"biolink:SmallMolecule": ["CHEBI", "UNII", "PUBCHEM.COMPOUND", "CHEMBL.COMPOUND",
                                         "DRUGBANK"],
               "biolink:Drug": ["CHEBI", "UNII", "PUBCHEM.COMPOUND", "CHEMBL.COMPOUND",
                                "DRUGBANK"],
               "biolink:Protein": ["UniProtKB"], "biolink:Gene": ["NCBIGene", "ENSEMBL", "HGNC"],
               "biolink:Disease": ["MONDO", "DOID", "EFO", "MESH", "NCIT"],
               "biolink:ClinicalTrial": ["CLINICALTRIALS"], "biolink:Publication": ["PMID", "doi"]}
BIOLINK_SPELLING = {"NCT": "CLINICALTRIALS", "DOI": "doi", "ENSEMBL": "ENSEMBL"}
PHASES = {str(KG.Phase1): "clinical_trial_phase_1", str(KG.Phase2): "clinical_trial_phase_2",
          str(KG.Phase3): "clinical_trial_phase_3"}
TO_DISEASE = "biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation"
EDGE_CATEGORIES = {"affects": "biolink:ChemicalAffectsGeneAssociation", "treats": TO_DISEASE,
                   "in_clinical_trials_for": TO_DISEASE,
                   "treats_or_applied_or_studied_to_treat": TO_DISEASE}
# How an action type is said in Biolink: an inhibitor decreases its target's activity.
ACTIONS = {str(KG.Inhibitor): {"qualified_predicate": "biolink:causes",
                              "object_aspect_qualifier": "activity",
                              "object_direction_qualifier": "decreased"}}
ADVERSE_EVENT = "biolink:has_adverse_event"
ADVERSE_EVENT_CATEGORY = "biolink:ChemicalOrDrugOrTreatmentAdverseEventAssociation"
EFFECT_TYPES = {str(KG.HazardRatio): "hazard_ratio"}  # Biolink's EffectTypeEnum
P_SIGNS = {str(KG.Equal): "p = {}", str(KG.LessThan): "p < {}", str(KG.LessThanOrEqual): "p ≤ {}",
           str(KG.QualifierUnstated): "p {} (qualifier not stated)"}


@dataclass
class Evidence:
    """The spans behind one statement, in document order."""

    spans: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    offsets: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)


def value(result: Result, i: int, name: str) -> str:
    """A cell's plain value ('' when unbound)."""
    term = result.rows[i].get(name)
    return "" if term is None else term.value


def curie(iri: str) -> str:
    """An IRI of the graph as a CURIE that KGX accepts (`KGX_CURIE`).

    KGX refuses a local part with ``/`` or ``:``, so an instance IRI gets the per-kind prefix of
    its path (``regimen:erlotinib+sorafenib``, ``study.mission.arm:sorafenib``, as the query tools
    name them; ``+`` is fine for KGX) and the prefix map written beside the TSVs
    (`prefix_map`) expands it back to the graph's IRI.
    """
    if not iri.startswith(INSTANCE_IRI):
        return short_term(Term("uri", iri))
    ns, _, local = iri[len(INSTANCE_IRI):].rpartition("/")
    out = f"{ns.replace('/', '.') if ns else 'kgi'}:{local}"
    if "." in ns or not KGX_CURIE.match(out):  # a dot in a path segment would not read back
        raise ValueError(f"{iri}: cannot be named by a CURIE that KGX accepts")
    return out


def instance_namespace(prefix: str) -> str:
    """The namespace an instance prefix of `curie` stands for (``regimen`` -> ``.../regimen/``)."""
    return INSTANCE_IRI if prefix == "kgi" else INSTANCE_IRI + prefix.replace(".", "/") + "/"


def biolink(iri: str) -> str:
    """A Biolink IRI as a ``biolink:`` CURIE."""
    return "biolink:" + iri[len(str(BIOLINK)):] if iri.startswith(str(BIOLINK)) else iri


def one_line(text: str) -> str:
    """Text for one TSV cell: whitespace (line breaks of the source) folded, no separator."""
    return " ".join(text.split()).replace(MULTI, "/")


def node_id(category: str, xrefs: list[str], iri: str) -> str:
    """The node's id: its best external identifier for the category, else the graph's IRI.

    An identifier is used only when exactly one of that prefix is known (a trial registered
    under several NCT numbers keeps the graph's IRI and lists them all as xrefs) and KGX takes
    it for a CURIE (a DOI has a ``/``: the document keeps the graph's CURIE, the DOI is an xref).
    """
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for x in xrefs:
        prefix, _, local = x.partition(":")
        by_prefix[BIOLINK_SPELLING.get(prefix, prefix)].append(local)
    for prefix in ID_PREFIXES.get(category, []):
        if len(by_prefix.get(prefix, [])) == 1 and KGX_CURIE.match(
                f"{prefix}:{by_prefix[prefix][0]}"):
            return f"{prefix}:{by_prefix[prefix][0]}"
    return curie(iri)


def biolink_xref(x: str) -> str:
    """An xref with its prefix spelled as Biolink spells it."""
    prefix, _, local = x.partition(":")
    return f"{BIOLINK_SPELLING.get(prefix, prefix)}:{local}"


def build_nodes(result: Result) -> tuple[list[dict[str, str]], dict[str, str]]:
    """KGX node rows and the map from graph IRI to node id."""
    rows, ids = [], {}
    for i in range(len(result.rows)):
        iri, cls = value(result, i, "node"), value(result, i, "class")
        xrefs = sorted(x for x in value(result, i, "xrefs").split(MULTI) if x)
        category = CATEGORIES[cls]
        if cls == str(KG.Drug) and any(x.startswith("CHEBI:") for x in xrefs):
            category = "biolink:SmallMolecule"
        ids[iri] = node_id(category, xrefs, iri)
        rows.append({"id": ids[iri], "category": category,
                     "name": one_line(value(result, i, "name")),
                     "xref": MULTI.join(biolink_xref(x) for x in xrefs),
                     "synonym": MULTI.join(sorted(one_line(s) for s in
                                                  value(result, i, "synonyms").split(MULTI) if s)),
                     "iri": iri, "provided_by": KNOWLEDGE_SOURCE,
                     "clinical_trial_phase": PHASES.get(value(result, i, "phase"), "")
                     if category == "biolink:ClinicalTrial" else ""})
    return rows, ids


def collect_evidence(result: Result) -> dict[str, Evidence]:
    """Evidence of every statement, by statement IRI."""
    out: dict[str, Evidence] = defaultdict(Evidence)
    for i in range(len(result.rows)):
        ev = out[value(result, i, "statement")]
        ev.spans.append(curie(value(result, i, "span")))
        ev.documents.append(value(result, i, "document"))
        ev.offsets.append(f"{value(result, i, 'start')}-{value(result, i, 'end')}")
        ev.quotes.append(one_line(value(result, i, "quote")))
        if value(result, i, "agent"):
            ev.agents.add(value(result, i, "agent"))
    return out


def evidence_columns(evs: list[Evidence], ids: dict[str, str]) -> dict[str, str]:
    """Edge columns for the evidence of the statements an edge rests on."""
    spans = [s for ev in evs for s in ev.spans]
    documents = sorted({ids.get(d, curie(d)) for ev in evs for d in ev.documents})
    agents = {a for ev in evs for a in ev.agents}
    agent = "text_mining_agent" if str(KG.TextMiningAgent) in agents else "manual_agent"
    return {"knowledge_level": "knowledge_assertion", "agent_type": agent,
            "primary_knowledge_source": KNOWLEDGE_SOURCE,
            "publications": MULTI.join(documents),
            "has_evidence": MULTI.join(spans),
            "supporting_text": MULTI.join(q for ev in evs for q in ev.quotes),
            "dti_kg_text_offsets": MULTI.join(o for ev in evs for o in ev.offsets)}


def structural_id(subject: str, predicate: str, obj: str) -> str:
    """A stable id for an edge that is not itself a statement of the graph."""
    digest = hashlib.sha256(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]
    return f"{EDGE_PREFIX}:{digest}"


def build_edges(engine: Engine, ids: dict[str, str], evidence: dict[str, Evidence]
                ) -> list[dict[str, str]]:
    """Every KGX edge: drug-target, drug-indication (one per evidence item), entity links."""
    edges: list[dict[str, str]] = []
    res = run(engine, "targets")
    for i in range(len(res.rows)):
        stmt = value(res, i, "statement")
        predicate = biolink(value(res, i, "predicate"))
        edge = {"id": curie(stmt), "subject": ids[value(res, i, "subject")],
                "predicate": predicate, "object": ids[value(res, i, "object")],
                "category": EDGE_CATEGORIES[predicate.split(":")[1]],
                **evidence_columns([evidence.get(stmt, Evidence())], ids),
                **ACTIONS.get(value(res, i, "action"), {})}
        edges.append(edge)
    res = run(engine, "items")
    for i in range(len(res.rows)):
        stmt, summarised = value(res, i, "statement"), value(res, i, "summarises")
        predicate = biolink(value(res, i, "predicate"))
        evs = [evidence.get(stmt, Evidence()), evidence.get(summarised, Evidence())]
        edge = {"id": curie(stmt), "subject": ids[value(res, i, "subject")],
                "predicate": predicate, "object": ids[value(res, i, "object")],
                "category": EDGE_CATEGORIES[predicate.split(":")[1]],
                **evidence_columns(evs, ids),
                "has_supporting_studies": ids.get(value(res, i, "study"), ""),
                "supporting_study_cohort": one_line(value(res, i, "cohort")),
                "supporting_study_size": value(res, i, "size"),
                "dti_kg_evidence_level": value(res, i, "level"),
                "dti_kg_evidence_direction": value(res, i, "direction"),
                "dti_kg_significant": value(res, i, "significant")}
        if predicate == "biolink:treats":
            edge["clinical_approval_status"] = "approved_for_condition"
        edge.update(estimate_columns(res, i))
        edges.append(edge)
    res = run(engine, "links")
    for i in range(len(res.rows)):
        s, o = ids[value(res, i, "subject")], ids[value(res, i, "object")]
        predicate = biolink(value(res, i, "predicate"))
        edges.append({"id": structural_id(s, predicate, o), "subject": s, "predicate": predicate,
                      "object": o, "knowledge_level": "knowledge_assertion",
                      "agent_type": "manual_agent", "primary_knowledge_source": KNOWLEDGE_SOURCE})
    return edges + adverse_event_edges(engine, ids, evidence)


def adverse_event_edges(engine: Engine, ids: dict[str, str], evidence: dict[str, Evidence]
                        ) -> list[dict[str, str]]:
    """``has_adverse_event`` from what an arm was given to each event counted in that arm.

    The subject is the arm's drug when its regimen is one drug, else the regimen (a placebo arm's
    events are the placebo regimen's: Biolink's adverse event is whatever happened during
    treatment, related or not). The rate rides on the edge: Biolink's ``has_count``,
    ``has_total`` and ``has_percentage``, and the grade, relatedness, arm and time frame. A
    result naming no event (a dose reduction) has no object and gives no edge.
    """
    edges = []
    res = run(engine, "adverse-events")
    for i in range(len(res.rows)):
        result, components = value(res, i, "result"), value(res, i, "components").split(MULTI)
        therapy = components[0] if len(components) == 1 and components[0] in ids else \
            value(res, i, "regimen")
        edges.append({"id": curie(result), "subject": ids[therapy], "predicate": ADVERSE_EVENT,
                      "object": ids[value(res, i, "event")], "category": ADVERSE_EVENT_CATEGORY,
                      **evidence_columns([evidence.get(result, Evidence())], ids),
                      "has_supporting_studies": ids.get(value(res, i, "study"), ""),
                      "supporting_study_cohort": one_line(value(res, i, "cohort")),
                      "supporting_study_size": value(res, i, "size"),
                      "has_count": value(res, i, "count"),
                      "has_total": value(res, i, "denominator"),
                      "has_percentage": value(res, i, "percent"),
                      "dti_kg_arm": one_line(value(res, i, "arm")),
                      "dti_kg_grade": value(res, i, "grade"),
                      "dti_kg_relatedness": value(res, i, "relatedness"),
                      "dti_kg_time_frame": one_line(value(res, i, "timeFrame"))})
    return edges


def estimate_columns(res: Result, i: int) -> dict[str, str]:
    """Effect size, its type, CI and p-value of the comparison an item summarises."""
    if not value(res, i, "estimate"):
        return {}
    cols = {"effect_size": value(res, i, "estimate"),
            "effect_type": EFFECT_TYPES.get(value(res, i, "measure"), ""),
            "dti_kg_ci_low": value(res, i, "ciLow"), "dti_kg_ci_high": value(res, i, "ciHigh"),
            "dti_kg_ci_level": value(res, i, "ciLevel")}
    p, qualifier = value(res, i, "pValue"), value(res, i, "pQualifier")
    if p:
        cols["dti_kg_p_value_as_stated"] = P_SIGNS.get(qualifier, "p {}").format(p)
        if qualifier == str(KG.Equal):
            cols["p_value"] = p
    return cols


def run(engine: Engine, name: str) -> Result:
    """Run one of the KGX queries."""
    return engine.query((KGX_QUERIES / f"{name}.rq").read_text(encoding="utf-8"))


def to_tsv(columns: list[str], rows: list[dict[str, str]]) -> str:
    """KGX TSV: a header row, one row per node or edge, empty cells for absent values."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                        escapechar=None)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def kgx_rows(engine: Engine) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The KGX nodes and edges of the graph behind ``engine``."""
    nodes, ids = build_nodes(run(engine, "nodes"))
    edges = build_edges(engine, ids, collect_evidence(run(engine, "evidence")))
    return nodes, edges


def prefix_map(nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> dict[str, str]:
    """The prefixes of the export's ids that are the project's own, with their namespaces.

    Identifier prefixes (``CHEBI``, ``UniProtKB``, ...) are Biolink's and are not redeclared; a
    consumer merges this map with Biolink's context.
    """
    used = {n["id"].split(":", 1)[0] for n in nodes}
    for e in edges:
        used.update(c.split(":", 1)[0] for column in CURIE_COLUMNS
                    for c in e.get(column, "").split(MULTI) if c)
    out = {p: instance_namespace(p) for p in used if p == "kgi" or p.split(".")[0] in KINDS}
    if EDGE_PREFIX in used:
        out[EDGE_PREFIX] = EDGE_NAMESPACE
    return dict(sorted(out.items()))


def write_kgx(engine: Engine, out: Path) -> list[Path]:
    """Write ``nodes.tsv``, ``edges.tsv`` and the JSON-LD context of their own prefixes."""
    nodes, edges = kgx_rows(engine)
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "nodes.tsv", out / "edges.tsv", out / CONTEXT_FILE]
    files[0].write_text(to_tsv(NODE_COLUMNS, nodes), encoding="utf-8")
    files[1].write_text(to_tsv(EDGE_COLUMNS, edges), encoding="utf-8")
    context = {"@context": prefix_map(nodes, edges)}
    files[2].write_text(json.dumps(context, indent=2) + "\n", encoding="utf-8")
    return files


def export_kgx(graph: Path, out: Path) -> list[Path]:
    """``kg export kgx``: load the built graph and write KGX TSV into ``out``."""
    engine = open_graph(graph)
    writable_folder(out)
    return write_kgx(engine, out)
