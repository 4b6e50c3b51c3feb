"""SPARQL over the built graph: engines (pyoxigraph, rdflib), named queries, result formats."""
