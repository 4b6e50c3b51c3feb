"""Each command loads only what it uses: heavy libraries stay out of commands that never need them.

Start-up is most of a small build and of every query, so an import slipping back to module level
(rdflib in ``kg query``, pyvis or pySHACL in ``kg build --no-html``) is a regression this catches.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.prefixes import PREFIXES
from tests.conftest import MINI

HEAVY = ["rdflib", "pyshacl", "pyvis", "IPython", "jinja2", "networkx", "yaml", "owlrl"]


def loaded_after(args: list[str]) -> set[str]:
    """Top-level packages of HEAVY imported by running ``kg ARGS`` in a fresh interpreter."""
    code = ("import json, sys\nfrom kg.cli import main\n"
            f"rc = main({args!r})\n"
            "top = {m.split('.')[0] for m in sys.modules}\n"
            f"print(json.dumps([rc, sorted(top & {set(HEAVY)!r})]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    rc, mods = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rc == 0, proc.stderr
    return set(mods)


def test_build_without_html_loads_no_page_or_pyshacl_library(tmp_path: Path):
    mods = loaded_after(["build", "--sources", str(MINI), "--out", str(tmp_path / "o"),
                         "--quiet", "--no-html"])
    assert mods.isdisjoint({"pyshacl", "pyvis", "IPython", "jinja2", "networkx", "owlrl"}), mods
    assert "yaml" in mods  # the check sees real imports: the build reads YAML


def test_query_on_oxigraph_loads_no_rdflib(tmp_path: Path):
    out = tmp_path / "o"
    loaded_after(["build", "--sources", str(MINI), "--out", str(out), "--quiet", "--no-html"])
    mods = loaded_after(["query", "--name", "drug-targets", "--graph", str(out / "graph.trig")])
    assert mods.isdisjoint({"rdflib", "pyshacl", "pyvis", "IPython", "jinja2", "networkx",
                            "yaml"}), mods


def test_the_plain_prefix_table_is_the_vocabulary_one():
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

    from kg import vocab

    assert vocab.PREFIXES is PREFIXES
    for prefix, ns in (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD), ("skos", SKOS),
                       ("dcterms", DCTERMS), ("prov", PROV), ("oa", vocab.OA._NS),
                       ("kg", vocab.KG._NS), ("kgi", vocab.KGI), ("biolink", vocab.BIOLINK)):
        assert PREFIXES[prefix] == str(ns), prefix
