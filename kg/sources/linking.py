"""One study, many documents: resolve entries that add to a study another document defines.

An evidence file names such a study with ``extends:`` — its id, or its registry id (NCT, from the
identifier table), its acronym or its identifier-table key — and then states this document's
arms, populations, endpoints, results, comparisons and findings about it. Parts restated with
the same id are the same node and must agree; statements are this document's own.
"""

from __future__ import annotations

from dataclasses import replace

from kg import model as m


def study_index(files: list[m.EvidenceFile], ent: m.Entities
                ) -> dict[tuple[str, str], set[str]]:
    """(key kind, value) -> ids of defining studies: by id, NCT, acronym and table key."""
    index: dict[tuple[str, str], set[str]] = {}
    for f in files:
        for s in f.studies:
            if s.extends is not None:
                continue
            keys = [("study", s.id)]
            if s.acronym:
                keys.append(("acronym", s.acronym.lower()))
            if s.curated_ids:
                keys.append(("identifiers", s.curated_ids))
                xrefs = ent.study_xrefs.get(s.curated_ids, ())
                keys += [("nct", x.curie.split(":", 1)[1].upper())
                         for x in xrefs if x.curie.startswith("NCT:")]
            for key in keys:
                index.setdefault(key, set()).add(s.id)
    return index


def resolve_extensions(files: list[m.EvidenceFile], ent: m.Entities, problems: list[str]
                       ) -> list[m.EvidenceFile]:
    """Give every ``extends:`` entry the id of the study it adds to, or report why not."""
    index = study_index(files, ent)
    out = []
    for f in files:
        own = {s.id for s in f.studies if s.extends is None}
        studies = []
        for s in f.studies:
            if s.extends is None:
                studies.append(s)
                continue
            kind, value = s.extends
            key = (kind, value.lower() if kind == "acronym" else
                   value.upper() if kind == "nct" else value)
            found = index.get(key, set())
            where = f"{s.loc.at('extends')}: extends"
            if not found:
                problems.append(f"{where}: no study of another document has {kind} {value!r}")
            elif len(found) > 1:
                problems.append(f"{where}: {kind} {value!r} matches several studies "
                                f"({', '.join(sorted(found))}); name the study id")
            elif (target := next(iter(found))) in own:
                problems.append(f"{where}: {target!r} is defined in this same file; add to it "
                                "there")
            elif s.id and s.id != target:
                problems.append(f"{s.loc.at('id')}: id: {s.id!r} differs from the study it "
                                f"extends ({target!r}); leave the id out")
            else:
                studies.append(replace(s, id=target, extends=("study", target)))
        out.append(replace(f, studies=tuple(studies)))
    return out


def restatement_problem(a: m.Record, b: m.Record) -> str | None:
    """Why a part restated by another document under the same id is not the same part."""
    if type(a) is not type(b):
        return "a different kind of record"
    if isinstance(a, m.Arm) and isinstance(b, m.Arm) and set(a.regimen) != set(b.regimen):
        return f"a different regimen ({' + '.join(b.regimen)} vs {' + '.join(a.regimen)})"
    if isinstance(a, m.Population) and isinstance(b, m.Population):
        if a.kind != b.kind:
            return f"a different kind ({b.kind} vs {a.kind})"
        if None not in (a.size, b.size) and a.size != b.size:
            return f"a different size ({b.size} vs {a.size})"
        if None not in (a.parent, b.parent) and a.parent != b.parent:
            return f"a different parent ({b.parent} vs {a.parent})"
    if isinstance(a, m.Endpoint) and isinstance(b, m.Endpoint) and \
            (a.type, a.timepoint, a.timepoint_unit) != (b.type, b.timepoint, b.timepoint_unit):
        return "a different endpoint type or time point"
    return None
