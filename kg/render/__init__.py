"""HTML views of the graph: a networkx projection, pyvis networks, pages, report and GraphML."""
