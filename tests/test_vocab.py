"""The ontology is the only place terms are defined; code and ontology must agree."""

from __future__ import annotations

import ast
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.paths import ONTOLOGY_FILE, PACKAGE_DIR
from kg.vocab import KG, ONTOLOGY_IRI

ONTOLOGY = Graph().parse(ONTOLOGY_FILE)
DECLARED = {str(s)[len(ONTOLOGY_IRI):] for s in ONTOLOGY.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_IRI)}


def test_closed_namespace_lists_exactly_the_ontology_terms():
    in_code = set(KG.__annotations__)
    assert in_code - DECLARED == set(), "terms in kg/vocab.py missing from the ontology"
    assert DECLARED - in_code == set(), "ontology terms missing from kg/vocab.py"


def test_every_term_has_label_and_definition():
    for name in sorted(DECLARED):
        term = URIRef(ONTOLOGY_IRI + name)
        assert ONTOLOGY.value(term, RDFS.label), f"kg:{name} has no rdfs:label"
        assert ONTOLOGY.value(term, SKOS.definition), f"kg:{name} has no skos:definition"


def test_every_term_has_a_kind():
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}
    for name in DECLARED:
        types = set(ONTOLOGY.objects(URIRef(ONTOLOGY_IRI + name), RDF.type))
        assert types & kinds, f"kg:{name} is not a class, property or named individual"


def test_unknown_term_raises():
    try:
        KG.NoSuchTerm  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("KG is not closed")


def test_every_term_the_code_names_is_declared():
    used: set[str] = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "KG"):
                used.add(node.attr)
    assert used, "no KG terms found in the code"
    assert used - DECLARED == set()
    assert len(used) > 100


def test_alignments_use_known_vocabularies():
    allowed = ("https://w3id.org/biolink/vocab/", "https://schema.org/", "http://www.w3.org/",
               "http://purl.obolibrary.org/obo/", "http://www.ebi.ac.uk/efo/",
               "http://qudt.org/", "http://purl.org/dc/terms/")
    for _, o in ONTOLOGY.subject_objects(SKOS.exactMatch | SKOS.closeMatch):
        assert str(o).startswith(allowed), o


def test_ontology_is_used_by_the_export(tmp_path: Path):
    from kg.export.rdf import write_ontology

    write_ontology(tmp_path / "o.ttl")
    assert Graph().parse(tmp_path / "o.ttl").isomorphic(ONTOLOGY)
