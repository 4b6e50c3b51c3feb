"""The project's prefix table as plain strings, importable without rdflib.

``kg query`` and ``kg serve`` on the default engine (pyoxigraph) need the prefixes to expand and
print CURIEs but nothing else of rdflib; importing rdflib costs them about a quarter of their
start-up. ``kg.vocab.PREFIXES`` is this table, and ``tests/test_vocab.py`` keeps it there.
"""

from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/dti-kg/ontology#"
INSTANCE_IRI = "https://w3id.org/dti-kg/id/"

PREFIXES: dict[str, str] = {
    "kg": ONTOLOGY_IRI,
    "kgi": INSTANCE_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "biolink": "https://w3id.org/biolink/vocab/",
}
