"""The ontology's term names, parsed from the file or taken from the loaded closed namespace."""

from __future__ import annotations

import json
import subprocess
import sys

from kg.query import terms

PARSED = ("import json, sys\nfrom kg.query.terms import ontology_terms\n"
          "print(json.dumps([ontology_terms(), 'kg.vocab' in sys.modules,\n"
          "                  'rdflib' in sys.modules]))")


def test_the_names_a_build_takes_from_kg_vocab_are_those_kg_query_parses():
    out = subprocess.run([sys.executable, "-c", PARSED], capture_output=True, text=True,
                         check=True)
    parsed, vocab_loaded, rdflib_loaded = json.loads(out.stdout)
    assert not vocab_loaded and not rdflib_loaded  # kg query's way: the file, no rdflib
    import kg.vocab  # noqa: F401 - loaded, as in a build

    terms.ontology_terms.cache_clear()
    try:
        assert terms.ontology_terms() == parsed
    finally:
        terms.ontology_terms.cache_clear()
    assert "Drug" in parsed and "hasArm" in parsed and len(parsed) > 100
