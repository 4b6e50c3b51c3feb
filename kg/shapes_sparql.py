"""The SHACL shapes of ``ontology/shapes.ttl`` compiled to SPARQL, run over a pyoxigraph store.

pySHACL checks the shipped graph in about a second and a 100,000-triple one in several: it
walks every focus node in Python. The same constraints as SPARQL queries over the build's
pyoxigraph store take milliseconds, so every build runs these; pySHACL stays for
``kg validate --full`` and ``kg build --full-validation``. ``tests/test_shacl.py`` breaks the
built graph once for every constraint of every shape and requires both checks to report the
same focus nodes and paths.

Compiled: ``sh:targetClass`` (subclasses included, through the ontology in the store),
``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:minInclusive``,
``sh:maxInclusive``, ``sh:minLength``, ``sh:pattern``, ``sh:lessThan``, ``sh:lessThanOrEquals``,
``sh:disjoint``, and a node-level ``sh:or`` of property shapes with ``sh:minCount``. A shape using
anything else is refused when compiled, so the shapes cannot outgrow the check unnoticed. One
difference is Oxigraph's, not the compiler's: it stores ``xsd:nonNegativeInteger`` (and the other
integer subtypes) as ``xsd:integer``, so there ``sh:datatype xsd:nonNegativeInteger`` is checked
as an integer of at least 0.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

PRE = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
       "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
INTEGER_SUBTYPES = {XSD.nonNegativeInteger: ">= 0", XSD.positiveInteger: "> 0",
                    XSD.nonPositiveInteger: "<= 0", XSD.negativeInteger: "< 0"}
KNOWN = {SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.minInclusive,
         SH.maxInclusive, SH.minLength, SH.pattern, SH.lessThan, SH.lessThanOrEquals,
         SH.disjoint, SH.message, SH.name, SH.description}
NODE_KNOWN = {RDF.type, SH.targetClass, SH.property, SH["or"], URIRef(
    "http://www.w3.org/2000/01/rdf-schema#comment")}


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a query whose rows are violations (?f, and ?v if any)."""

    shape: str
    path: str  # the property IRI, "" for a node-level constraint
    component: str  # the SHACL constraint component, e.g. "MinCount"
    message: str
    sparql: str


def _n(term: object) -> str:
    if isinstance(term, Literal):
        return term.n3()
    return f"<{term}>"


def _target(classes: list[URIRef]) -> str:
    values = " ".join(_n(c) for c in classes)
    return f"VALUES ?class {{ {values} }} ?f rdf:type/rdfs:subClassOf* ?class ."


def _count(target: str, path: str, op: str, n: int) -> str:
    return (f"{PRE}SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} "
            f"OPTIONAL {{ ?f {path} ?v }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) {op} {n})")


def _values(target: str, path: str, condition: str) -> str:
    return (f"{PRE}SELECT DISTINCT ?f ?v WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} "
            f"?f {path} ?v . {condition} }}")


def _datatype(dt: URIRef) -> str:
    """A filter true for a value that is not a well-formed literal of the datatype."""
    if dt in INTEGER_SUBTYPES:
        return (f"FILTER(!isLiteral(?v) || datatype(?v) NOT IN ({_n(dt)}, {_n(XSD.integer)}) "
                f"|| !COALESCE(?v {INTEGER_SUBTYPES[dt]}, false))")
    if dt == XSD.string:
        return f"FILTER(!isLiteral(?v) || datatype(?v) != {_n(dt)})"
    # an ill-formed lexical form (\"abc\"^^xsd:integer) cannot be compared, not even to itself
    return (f"FILTER(!isLiteral(?v) || datatype(?v) != {_n(dt)} || !COALESCE(?v = ?v, false))")


def _property_checks(shape: str, target: str, g: Graph, prop: BNode) -> list[Check]:
    unknown = {p for p in g.predicates(prop, None)} - KNOWN
    if unknown:
        raise ValueError(f"{shape}: the fast check cannot compile {sorted(unknown)}")
    path_iri = g.value(prop, SH.path)
    if not isinstance(path_iri, URIRef):
        raise ValueError(f"{shape}: only a single property as sh:path is compiled")
    path = _n(path_iri)
    custom = g.value(prop, SH.message)
    out = []

    def add(component: str, message: str, sparql: str) -> None:
        out.append(Check(shape, str(path_iri), component, str(custom or message), sparql))

    for n in g.objects(prop, SH.minCount):
        add("MinCount", f"fewer than {n} value(s)", _count(target, path, "<", int(n)))
    for n in g.objects(prop, SH.maxCount):
        add("MaxCount", f"more than {n} value(s)", _count(target, path, ">", int(n)))
    for cls in g.objects(prop, SH["class"]):
        add("Class", f"value is not a {cls}", _values(
            target, path, f"FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* {_n(cls)} }}"))
    for dt in g.objects(prop, SH.datatype):
        add("Datatype", f"value is not an {dt}", _values(target, path, _datatype(dt)))
    for pred, comp, op, condition in (
            (SH.minInclusive, "MinInclusive", ">=", "FILTER(!COALESCE(?v >= {}, false))"),
            (SH.maxInclusive, "MaxInclusive", "<=", "FILTER(!COALESCE(?v <= {}, false))"),
            (SH.lessThan, "LessThan", "<", "?f {} ?w . FILTER(!COALESCE(?v < ?w, false))"),
            (SH.lessThanOrEquals, "LessThanOrEquals", "<=",
             "?f {} ?w . FILTER(!COALESCE(?v <= ?w, false))")):
        for bound in g.objects(prop, pred):  # a number, or the property holding the bound
            add(comp, f"value is not {op} {bound}",
                _values(target, path, condition.format(_n(bound))))
    for n in g.objects(prop, SH.minLength):
        add("MinLength", f"value shorter than {n}", _values(
            target, path, f"FILTER(isBlank(?v) || STRLEN(STR(?v)) < {int(n)})"))
    for pattern in g.objects(prop, SH.pattern):
        add("Pattern", f"value does not match {pattern}", _values(
            target, path, f"FILTER(isBlank(?v) || !REGEX(STR(?v), {_n(Literal(str(pattern)))}))"))
    for other in g.objects(prop, SH.disjoint):
        add("Disjoint", f"value is also a value of {other}", _values(
            target, path, f"?f {_n(other)} ?v ."))
    return out


def _or_check(shape: str, target: str, g: Graph, node: BNode) -> Check:
    """A node-level sh:or whose members each require one value of a property."""
    members = list(Collection(g, g.value(node, SH["or"])))
    paths = []
    for m in members:
        if set(g.predicates(m, None)) - {SH.path, SH.minCount} or g.value(m, SH.minCount) != \
                Literal(1):
            raise ValueError(f"{shape}: only sh:or of 'sh:minCount 1' members is compiled")
        paths.append(_n(g.value(m, SH.path)))
    none = " ".join(f"FILTER NOT EXISTS {{ ?f {p} ?x{i} }}" for i, p in enumerate(paths))
    return Check(shape, "", "Or", f"has none of {', '.join(paths)}",
                 f"{PRE}SELECT DISTINCT ?f WHERE {{ {target} {none} }}")


COMPILED = Path(__file__).resolve().parent / "validation" / "shapes.json"


@cache
def compile_shapes(shapes: Path) -> tuple[Check, ...]:
    """Every constraint of every node shape in the file, as SPARQL.

    Shapes with the bytes of the ones compiled into ``kg/validation/shapes.json`` are read
    from there: compiling them (parsing the Turtle, walking the shapes) was a tenth of the
    shipped corpus's import floor in every build. Other shapes are compiled; their file is
    parsed by pyoxigraph into rdflib terms (rdflib's parser took most of the time).
    ``tests/test_shacl.py`` checks the stored file against a fresh compile.
    """
    from kg.triples import read_turtle, to_graph

    stored = _stored(hashlib.sha256(shapes.read_bytes()).hexdigest())
    if stored is not None:
        return stored
    return compile_graph(to_graph(read_turtle(shapes)))


def _stored(digest: str) -> tuple[Check, ...] | None:
    """The checks stored for shapes of this SHA-256, if those are the stored ones."""
    try:
        data = json.loads(COMPILED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("shapes_sha256") != digest:
        return None
    return tuple(Check(*row) for row in data["checks"])


def stored_json(shapes: Path) -> str:
    """The text of ``kg/validation/shapes.json`` for a shapes file: its digest, its checks."""
    from kg.triples import read_turtle, to_graph

    checks = compile_graph(to_graph(read_turtle(shapes)))
    rows = ",\n".join(json.dumps(list(astuple(c)), ensure_ascii=False) for c in checks)
    digest = hashlib.sha256(shapes.read_bytes()).hexdigest()
    return f'{{"shapes_sha256": "{digest}",\n "checks": [\n{rows}\n]}}\n'


def compile_graph(g: Graph) -> tuple[Check, ...]:
    """Every constraint of every node shape in a graph of shapes, as SPARQL."""
    out: list[Check] = []
    for node in sorted(g.subjects(RDF.type, SH.NodeShape), key=str):
        shape = str(node)
        unknown = set(g.predicates(node, None)) - NODE_KNOWN
        if unknown:
            raise ValueError(f"{shape}: the fast check cannot compile {sorted(unknown)}")
        target = _target(sorted(g.objects(node, SH.targetClass), key=str))
        for prop in g.objects(node, SH.property):
            out += _property_checks(shape, target, g, prop)  # type: ignore[arg-type]
        if g.value(node, SH["or"]) is not None:
            out.append(_or_check(shape, target, g, node))  # type: ignore[arg-type]
    return tuple(out)


if __name__ == "__main__":  # python -m kg.shapes_sparql: write kg/validation/shapes.json again
    from kg.paths import SHAPES_FILE

    COMPILED.write_text(stored_json(SHAPES_FILE), encoding="utf-8")
