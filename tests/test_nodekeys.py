"""``NodeKeys.since`` from the changed subjects alone finds what comparing every node finds.

A build notes each subject's block digests and the IRIs it points at; the next build hashes
again only the nodes those subjects (before and now) point at. Here made-up graphs are edited
(a label, a link added, a subject removed, a subject added) and the changed nodes found that
way must equal the ones found by hashing every node's statements again.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.render.pagecache import NodeKeys
from kg.render.readgraph import ReadGraph
from kg.vocab import KG

A, B, C, D = (URIRef(f"urn:x:{n}") for n in "abcd")
BASE = [(A, RDFS.label, Literal("A")), (A, KG.hasArm, B), (B, RDFS.label, Literal("B")),
        (C, KG.hasArm, B), (D, RDFS.label, Literal("D"))]


def _keys(triples: list, salt: str = "salt") -> NodeKeys:
    """Keys over ``triples``, each subject's digest being its statements' text."""
    subjects: dict[str, bytes] = {}
    for s, p, o in sorted(triples):
        subjects[str(s)] = subjects.get(str(s), b"") + f"{p} {o!r};".encode()
    return NodeKeys(ReadGraph(triples), subjects, salt)


def _parts(keys: NodeKeys) -> dict:
    """What a build keeps, after its drawings read every node both ways (and a literal)."""
    nodes = [str(n) for n in (A, B, C, D)] + [Literal("B")]
    keys.key("page", b"", nodes, nodes)
    return keys.parts()


EDITS = {
    "label": ([(A, RDFS.label, Literal("A2"))], [(A, RDFS.label, Literal("A"))]),
    "link added": ([(D, KG.hasArm, B), (D, KG.hasArm, C)], []),
    "link removed": ([], [(C, KG.hasArm, B)]),
    "subject removed": ([], [(A, RDFS.label, Literal("A")), (A, KG.hasArm, B)]),
    "subject added": ([(URIRef("urn:x:e"), KG.hasArm, D)], []),
    "points at a literal": ([(C, RDFS.seeAlso, Literal("B"))], []),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_changed_nodes_from_changed_subjects_equal_every_node_compared(edit: str):
    added, removed = EDITS[edit]
    last = _parts(_keys(BASE))
    now = [t for t in BASE if t not in removed] + added
    incremental, whole = _keys(now), _keys(now)
    incremental.since(last)
    whole.since({k: v for k, v in last.items() if k != "objects"})  # every node hashed
    assert incremental.changed is not None and whole.changed is not None
    assert incremental.changed == whole.changed
    assert any(incremental.changed)  # every edit changes some node's statements
    # and the parts the next build compares with are the same
    assert _parts(incremental)["in"] == _parts(whole)["in"]
    assert _parts(incremental)["out"] == _parts(whole)["out"]


def test_the_changed_subjects_are_not_trusted_across_code():
    keys = _keys(BASE, salt="other code")
    keys.since(_parts(_keys(BASE)))
    assert keys.changed is None  # not known: every key is checked
