"""KGX export: every category, predicate, column and enum value is Biolink's; evidence is kept."""

from __future__ import annotations

import csv
import importlib.resources
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from kg.export.kgx import (
    CURIE_COLUMNS,
    EDGE_COLUMNS,
    EXTENSION_COLUMNS,
    ID_PREFIXES,
    NODE_COLUMNS,
    curie,
    write_kgx,
)
from kg.paths import SOURCES_DIR
from kg.query.engine import OxigraphEngine


@cache
def schema() -> dict:
    """The Biolink model as the biolink-model package ships it."""
    path = importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def class_name(curie: str) -> str:
    """biolink:ChemicalAffectsGeneAssociation -> 'chemical affects gene association'."""
    local = curie.removeprefix("biolink:")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", local).lower()


def ancestors(kind: str, name: str) -> list[str]:
    chain, table = [name], schema()[kind]
    while table.get(chain[-1], {}).get("is_a"):
        chain.append(table[chain[-1]]["is_a"])
    return chain


def is_category(curie: str, root: str) -> bool:
    name = class_name(curie)
    return (curie.startswith("biolink:") and name in schema()["classes"]
            and not schema()["classes"][name].get("mixin") and root in ancestors("classes", name))


def is_predicate(curie: str) -> bool:
    name = curie.removeprefix("biolink:").replace("_", " ")
    return (curie.startswith("biolink:") and name in schema()["slots"]
            and "related to" in ancestors("slots", name))


def is_slot(column: str) -> bool:
    return column.replace("_", " ") in schema()["slots"]


@cache
def biolink_prefixes() -> dict[str, str]:
    """The prefix map the biolink-model package ships (what Biolink's JSON-LD context declares)."""
    path = (importlib.resources.files("biolink_model") / "prefixmaps"
            / "biolink-model-prefix-map.json")
    return json.loads(path.read_text(encoding="utf-8"))


# KGX's own test of a CURIE (kgx.prefix_manager.PrefixManager.is_curie), copied here on purpose:
# the test must not share the exporter's constant.
KGX_IS_CURIE = re.compile(r"^[^ <()>:]*:[^/ :]+$")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def kgx(written: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kgx")
    write_kgx(OxigraphEngine(written / "graph.trig"), out)
    return out


@pytest.fixture(scope="module")
def nodes(kgx: Path) -> list[dict[str, str]]:
    return read_tsv(kgx / "nodes.tsv")


@pytest.fixture(scope="module")
def edges(kgx: Path) -> list[dict[str, str]]:
    return read_tsv(kgx / "edges.tsv")


def test_the_checks_reject_what_biolink_does_not_have():
    """The checks below can fail: made-up or misplaced terms are refused."""
    assert is_predicate("biolink:treats") and is_predicate("biolink:in_clinical_trials_for")
    assert not is_predicate("biolink:cures_completely")  # made up
    assert not is_predicate("biolink:p_value")  # a real slot, but not a predicate
    assert not is_predicate("kg:treats")
    assert is_category("biolink:SmallMolecule", "named thing")
    assert not is_category("biolink:Pill", "named thing")
    assert not is_category("biolink:ChemicalAffectsGeneAssociation", "named thing")
    assert not is_slot("hazard_ratio") and not is_slot("dti_kg_ci_low")
    assert is_slot("supporting_text") and is_slot("knowledge_level")


def test_every_node_category_is_a_biolink_class(nodes):
    assert nodes
    for n in nodes:
        for category in n["category"].split("|"):
            assert is_category(category, "named thing"), (n["id"], category)


def test_every_predicate_and_edge_category_is_biolink(edges):
    assert {e["predicate"] for e in edges} >= {"biolink:affects", "biolink:treats",
                                                "biolink:in_clinical_trials_for"}
    for e in edges:
        assert is_predicate(e["predicate"]), (e["id"], e["predicate"])
        if e["category"]:
            assert is_category(e["category"], "association"), (e["id"], e["category"])


def test_every_column_is_a_biolink_slot_or_a_declared_extension(kgx):
    for name, declared in (("nodes.tsv", NODE_COLUMNS), ("edges.tsv", EDGE_COLUMNS)):
        header = (kgx / name).read_text(encoding="utf-8").splitlines()[0].split("\t")
        assert header == declared
        for column in header:
            if column in EXTENSION_COLUMNS:
                assert column.startswith("dti_kg_") and not is_slot(column), column
            else:
                assert is_slot(column), f"{name}: {column} is not a Biolink slot"
    assert set(EXTENSION_COLUMNS) <= set(EDGE_COLUMNS)


def test_enum_valued_columns_hold_permissible_values(nodes, edges):
    enums, slots = schema()["enums"], schema()["slots"]
    checked = set()
    for rows in (nodes, edges):
        for row in rows:
            for column, cell in row.items():
                enum = slots.get(column.replace("_", " "), {}).get("range")
                if cell and enum in enums:
                    assert cell in enums[enum]["permissible_values"], (row["id"], column, cell)
                    checked.add(column)
    assert {"knowledge_level", "agent_type", "object_aspect_qualifier", "effect_type",
            "clinical_trial_phase", "clinical_approval_status"} <= checked


@pytest.fixture(scope="module")
def context(kgx: Path) -> dict[str, str]:
    return json.loads((kgx / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def test_every_id_is_a_curie_kgx_accepts_with_a_known_prefix(nodes, edges, context):
    """KGX's Validator: ids, subjects and objects are proper CURIEs of a declared prefix."""
    assert not set(context) & set(biolink_prefixes()), "Biolink's prefixes are not redeclared"
    cells = [("node", n["id"], n["id"]) for n in nodes]
    cells += [(e["id"], column, c) for e in edges for column in CURIE_COLUMNS
              for c in e[column].split("|") if c]
    assert len(cells) > 500
    for where, column, value in cells:
        assert KGX_IS_CURIE.match(value), f"{where} {column}: {value} is not a proper CURIE"
        prefix = value.split(":", 1)[0]
        assert prefix in context or prefix in biolink_prefixes(), (where, column, value)
    assert {"regimen", "target-family", "evidence-item", "dti-kg-edge"} <= set(context)
    assert any(n["id"] == "regimen:erlotinib+sorafenib" for n in nodes)


def test_the_curie_check_refuses_what_kgx_refuses():
    for bad in ("kgi:regimen/erlotinib+sorafenib", "doi:10.1093/annonc/x", "urn:dti-kg:edge:ab",
                "no-colon", "a b:c"):
        assert not KGX_IS_CURIE.match(bad), bad
    assert KGX_IS_CURIE.match("regimen:erlotinib+sorafenib")
    with pytest.raises(ValueError, match="cannot be named"):
        curie("https://w3id.org/dti-kg/id/study/a.b/arm/x")


def test_own_curies_expand_to_the_graphs_iris(nodes, context):
    """The context reads every node id back to the IRI it names; a DOI is an xref, not the id."""
    own = [n for n in nodes if n["id"].split(":")[0] in context]
    assert len(own) > 10
    for n in own:
        prefix, local = n["id"].split(":", 1)
        assert context[prefix] + local == n["iri"], n["id"]
    documents = [n for n in nodes if n["category"] == "biolink:Publication"]
    assert documents and all(not n["id"].startswith("doi:") for n in documents)
    assert any(x.startswith("doi:10.") for n in documents for x in n["xref"].split("|"))


def test_node_ids_use_the_categorys_biolink_prefixes(nodes, context):
    classes = schema()["classes"]
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    for category, prefixes in ID_PREFIXES.items():
        assert set(prefixes) <= set(classes[class_name(category)]["id_prefixes"]), category
    for n in nodes:
        prefix = n["id"].split(":")[0]
        allowed = classes[class_name(n["category"])].get("id_prefixes") or []
        assert prefix in allowed or prefix in context, (n["id"], n["category"])
    assert any(n["id"].startswith("UniProtKB:") for n in nodes)
    assert any(n["id"].startswith("MONDO:") for n in nodes)


def test_every_edge_has_provenance_and_ends_that_are_nodes(nodes, edges):
    ids = {n["id"] for n in nodes}
    for e in edges:
        assert e["subject"] in ids and e["object"] in ids, e["id"]
        assert e["knowledge_level"] and e["agent_type"], e["id"]
        assert e["primary_knowledge_source"] == "infores:dti-kg"
        for column in ("has_supporting_studies", "publications"):
            assert all(v in ids for v in e[column].split("|") if v), (e["id"], column)


def test_evidence_quotes_are_the_source_text_at_their_offsets(written, edges):
    ox = OxigraphEngine(written / "graph.trig")
    files = {r["doc"].value.rsplit("/", 1)[-1]: r["file"].value for r in ox.query(
        "SELECT ?doc ?file WHERE { ?doc <https://w3id.org/dti-kg/ontology#sourceFile> ?file }"
    ).rows}
    checked = 0
    for e in edges:
        if e["predicate"] in {"biolink:affects", "biolink:treats",
                              "biolink:in_clinical_trials_for"}:
            assert e["has_evidence"], f"{e['id']} has no evidence"
        spans, quotes = e["has_evidence"].split("|"), e["supporting_text"].split("|")
        offsets = e["dti_kg_text_offsets"].split("|")
        assert len(spans) == len(quotes) == len(offsets), e["id"]
        for span, quote, where in zip(spans, quotes, offsets, strict=True):
            if not span:
                continue
            doc = span.split(":")[0].split(".")[1]
            text = (SOURCES_DIR / "texts" / Path(files[doc]).name).read_text(encoding="utf-8")
            start, end = map(int, where.split("-"))
            assert " ".join(text[start:end].split()).replace("|", "/") == quote, span
            checked += 1
    assert checked >= sum(1 for e in edges if e["has_evidence"]) > 80


def test_hazard_ratios_ride_on_the_edges_they_qualify(written, edges):
    ox = OxigraphEngine(written / "graph.trig")
    estimates = {r["item"].value: r for r in ox.query(
        "PREFIX kg: <https://w3id.org/dti-kg/ontology#> SELECT ?item ?hr ?low ?high WHERE { "
        "?item kg:summarises ?c . ?c kg:measure kg:HazardRatio ; kg:estimate ?hr ; "
        "kg:ciLow ?low ; kg:ciHigh ?high }").rows}
    with_hr = {e["id"]: e for e in edges if e["effect_type"] == "hazard_ratio"}
    assert len(with_hr) == len(estimates) > 5
    for iri, r in estimates.items():
        e = with_hr[curie(iri)]
        assert float(e["effect_size"]) == float(r["hr"].value)
        assert float(e["dti_kg_ci_low"]) == float(r["low"].value)
        assert float(e["dti_kg_ci_high"]) == float(r["high"].value)
    squamous = with_hr["evidence-item:escape--os-squamous-hr--squamous-nsclc"]
    assert "HR=1.85 95% CI 1.22–2.81" in squamous["supporting_text"]
    assert squamous["effect_size"] == "1.85" and squamous["dti_kg_evidence_direction"] == "harm"
    exact = [e for e in with_hr.values() if e["p_value"]]
    bounded = [e for e in with_hr.values() if "<" in e["dti_kg_p_value_as_stated"]]
    assert exact and all(e["dti_kg_p_value_as_stated"] == f"p = {e['p_value']}" for e in exact)
    assert all(not e["p_value"] for e in bounded)


def test_every_summary_edge_of_the_graph_is_backed_by_a_kgx_edge(written, nodes, edges):
    ox = OxigraphEngine(written / "graph.trig")
    by_iri = {n["iri"]: n["id"] for n in nodes}
    mapped = {r["p"].value: r["b"].value.replace("https://w3id.org/biolink/vocab/", "biolink:")
              for r in ox.query(
                  "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?p ?b WHERE { "
                  "?p skos:exactMatch|skos:closeMatch ?b FILTER(STRSTARTS(STR(?b), "
                  "'https://w3id.org/biolink/vocab/')) }").rows}
    summaries = ox.query(
        "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/dti-kg/id/graph/summaries> "
        "{ ?s ?p ?o } }").rows
    triples = {(e["subject"], e["predicate"], e["object"]) for e in edges}
    assert summaries
    for r in summaries:
        edge = (by_iri[r["s"].value], mapped[r["p"].value], by_iri[r["o"].value])
        assert edge in triples, edge


def test_a_drafted_statement_is_exported_as_text_mining(written, tmp_path):
    """Statements marked kg:agentType kg:TextMiningAgent (kg draft) say so; the rest are manual."""
    graph = tmp_path / "graph.trig"
    shutil.copy(written / "ontology.ttl", tmp_path / "ontology.ttl")
    drafted = "https://w3id.org/dti-kg/id/interaction/sorafenib--kdr"
    graph.write_text((written / "graph.trig").read_text(encoding="utf-8")
                     + f"\n<{drafted}> <https://w3id.org/dti-kg/ontology#agentType> "
                       "<https://w3id.org/dti-kg/ontology#TextMiningAgent> .\n",
                     encoding="utf-8")
    write_kgx(OxigraphEngine(graph), tmp_path / "kgx")
    agents = {e["id"]: e["agent_type"] for e in read_tsv(tmp_path / "kgx" / "edges.tsv")}
    assert agents["interaction:sorafenib--kdr"] == "text_mining_agent"
    assert agents["interaction:sorafenib--braf"] == "manual_agent"


def test_cli_without_a_built_graph_says_so(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "kgx", "--out",
                           str(tmp_path / "k"), "--graph", str(tmp_path / "none.trig")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "build the graph first" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "k").exists()
