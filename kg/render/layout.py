"""A fixed, readable layout for the overview, computed before the page is drawn.

Columns from left to right: targets, drugs (the most connected one in the middle), indications
as a tree (each subtype under its parent, indented), then the studies in the order of their
indications so each sits near the disease it studies. Rows are spaced by the estimated height
of their labels, so nothing overlaps at the first frame and no physics has to run.
"""

from __future__ import annotations

from kg.render import multigraph as nx  # networkx's MultiDiGraph without importing networkx

FONT = 14  # px at scale 1: the page opens at scale 1, so labels are 14 px on screen
CHAR = 8.0  # a generous average glyph width at that size
LINE = 18.0
COLUMNS = {"target": -430.0, "drug": -250.0, "disease": -60.0, "study": (170.0, 370.0)}


def label_size(caption: str) -> tuple[float, float]:
    """Estimated width and height of a caption on the canvas (with a little margin)."""
    lines = caption.split("\n")
    return max(len(x) for x in lines) * CHAR + 12, len(lines) * LINE + 12


def _column(nodes: list[str], captions: dict[str, str], gap: float, below: bool
            ) -> list[float]:
    """Centre-aligned y positions for a column, each row as tall as its label needs."""
    heights = [label_size(captions[n])[1] + gap + (24 if below else 0) for n in nodes]
    total = sum(heights)
    ys, y = [], -total / 2
    for h in heights:
        ys.append(y + h / 2)
        y += h
    return ys


def _disease_order(p: nx.MultiDiGraph, diseases: list[str]) -> list[tuple[str, int]]:
    """Diseases depth-first: each parent followed by its subtypes (with their depth)."""
    parent = {s: o for s, o, lab in p.edges(data="label") if lab == "subtype of"}
    out: list[tuple[str, int]] = []

    def visit(d: str, depth: int) -> None:
        out.append((d, depth))
        for child in sorted(c for c in diseases if parent.get(c) == d):
            visit(child, depth + 1)

    def weight(d: str) -> tuple[int, str]:
        return (-sum(1 for _ in p.predecessors(d)), p.nodes[d]["label"])

    for root in sorted((d for d in diseases if parent.get(d) not in diseases), key=weight):
        visit(root, 0)
    return out


def overview_positions(p: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Canvas coordinates for every node of the overview projection."""
    kinds: dict[str, list[str]] = {"target": [], "drug": [], "disease": [], "study": []}
    for n, kind in p.nodes(data="kind"):
        group = {"protein": "target", "family": "target", "placebo": "drug",
                 "group": "study"}.get(kind, kind)
        kinds.setdefault(group, []).append(n)
    captions = {n: a.get("caption", a["label"]) for n, a in p.nodes(data=True)}
    pos: dict[str, tuple[float, float]] = {}

    targets = sorted(kinds["target"], key=lambda n: captions[n].lower())
    for n, y in zip(targets, _column(targets, captions, 6, True), strict=True):
        pos[n] = (COLUMNS["target"], y)

    drugs = sorted(kinds["drug"], key=lambda n: (-p.out_degree(n), captions[n]))
    if drugs:  # the most connected drug in the middle, the others above and below it
        order = drugs[1:][::2][::-1] + drugs[:1] + drugs[1:][1::2]
        for n, y in zip(order, _column(order, captions, 10, True), strict=True):
            pos[n] = (COLUMNS["drug"], y)

    diseases = _disease_order(p, kinds["disease"])
    rank = {d: i for i, (d, _) in enumerate(diseases)}
    names = [d for d, _ in diseases]
    for (n, depth), y in zip(diseases, _column(names, captions, 4, True), strict=True):
        pos[n] = (COLUMNS["disease"] + 24 * depth, y)

    def place(s: str) -> tuple[int, str]:
        studied = [rank[o] for o in p.successors(s) if o in rank]
        return (min(studied) if studied else len(rank), captions[s])

    studies = sorted(kinds["study"], key=place)
    half = (len(studies) + 1) // 2
    columns = list(zip(COLUMNS["study"], (studies[:half], studies[half:]), strict=True))
    if any(p.nodes[n]["kind"] == "group" for n in studies):  # groups of studies: wider boxes
        columns = [(COLUMNS["study"][0] + 60, studies)]
    for col, group in columns:
        for n, y in zip(group, _column(group, captions, 12, False), strict=True):
            pos[n] = (col, y)

    rest = [n for n in p.nodes if n not in pos]  # any other kind: a row along the bottom
    bottom = max((y for _, y in pos.values()), default=0) + 80
    for i, n in enumerate(sorted(rest)):
        pos[n] = (-400 + 160 * (i % 6), bottom + 60 * (i // 6))
    return pos


def view(p: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> dict:
    """Open the layout at scale 1 around the middle of its labels' extent (not just nodes')."""
    if not positions:
        return {"scale": 1, "x": 0, "y": 0}
    xs: list[float] = []
    ys: list[float] = []
    for n, (x, y) in positions.items():
        w, h = label_size(p.nodes[n].get("caption", p.nodes[n]["label"]))
        xs += [x - w / 2, x + w / 2]
        ys += [y - h, y + h]
    return {"scale": 1, "x": (min(xs) + max(xs)) / 2, "y": (min(ys) + max(ys)) / 2}
