"""The overview of a large graph: studies grouped by indication and phase, not drawn one by one.

At 1,000x the overview holds 3,000 studies: drawn one by one, the page takes a minute to settle
and shows nothing legible. Above a threshold each study joins one group, which the page lists and
expands on click (kg.js); at or below it the overview stays as it is.
"""

from __future__ import annotations

from kg.render import multigraph as nx  # networkx's MultiDiGraph without importing networkx
from kg.render.projection import Info, canonical, wrap

AGGREGATE_ABOVE = 80  # studies: above this the overview draws groups of them, not each one


def _phase(attrs: dict) -> str:
    phases = sorted(v for k, v in attrs["info"].facts if k == "phase")
    return ", ".join(phases) or "phase not stated"


def aggregated_overview(p: nx.MultiDiGraph, limit: int = AGGREGATE_ABOVE) -> nx.MultiDiGraph:
    """The overview with its studies grouped by indication and phase, when there are many.

    Above ``limit`` studies each study joins one group (the first of its indications by label,
    and its phase); a group node says how many studies it holds and which drugs they test, and
    lists its studies (caption, label, page, IRI) for the page to expand on click. At or below
    ``limit`` the overview is returned as it is.
    """
    studies = [n for n, kind in p.nodes(data="kind") if kind == "study"]
    if len(studies) <= limit:
        return p
    out = nx.MultiDiGraph(name=p.graph.get("name", "overview"))
    for n, attrs in p.nodes(data=True):
        if attrs["kind"] != "study":
            out.add_node(n, **attrs)
    groups: dict[str, dict] = {}
    for s in sorted(studies):
        attrs = p.nodes[s]
        diseases = sorted((p.nodes[o]["label"], o) for o in p.successors(s)
                          if p.nodes[o]["kind"] == "disease")
        disease = diseases[0] if diseases else ("indication not stated", "")
        phase = _phase(attrs)
        gid = f"group:{disease[1] or 'none'}|{phase}"
        group = groups.setdefault(gid, {"disease": disease, "phase": phase, "members": [],
                                        "drugs": set()})
        group["members"].append([attrs.get("caption", attrs["label"]).replace("\n", " "),
                                 attrs["label"], attrs["info"].page or "", s])
        group["drugs"].update(o for o in p.successors(s) if p.nodes[o]["kind"] == "drug")
    for gid, group in sorted(groups.items()):
        n = len(group["members"])
        name = group["disease"][0]
        label = f"{name}, {group['phase']}: {n} studies"
        inf = Info("group", "group of studies", label,
                   facts=[("studies", str(n)), ("indication", name), ("phase", group["phase"]),
                          ("drugs tested", str(len(group["drugs"])))])
        caption = f"{wrap(name, 28)}\n{group['phase']}: {n} studies"
        out.add_node(gid, label=label, caption=caption, kind="group", info=inf, evidence=n,
                     members=group["members"])
        if group["disease"][1]:
            out.add_edge(gid, group["disease"][1], label="studies")
        for d in sorted(group["drugs"]):
            out.add_edge(gid, d, label="tests")
    for s, o, attrs in p.edges(data=True):
        if p.nodes[s]["kind"] != "study" and p.nodes[o]["kind"] != "study":
            out.add_edge(s, o, **attrs)
    return canonical(out)
