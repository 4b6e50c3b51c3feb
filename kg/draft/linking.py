"""Which known study a drafted paper reports, if any: never the wrong trial.

A paper is attached to a study the sources already hold only on strong evidence: a registry id it
prints, or an acronym it uses for its own trial (in the title, or in a sentence that is not
background: "after interim findings of the ACRONYM trial, ..." names another trial) whose design
agrees with what the paper describes (its arms' drugs, its phase). A study that merely looks the
same (same drugs, disease and size, no shared name) is proposed in the draft's header with the
evidence for the link, never attached. When a paper is attached, what it restates is mapped onto
the reviewed study's own records, and what differs gets a new id: a draft never changes, hides or
drops a reviewed record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import model as m
from kg.draft.reading import Paper, sentences

# a clause that cites another trial rather than naming this one
BACKGROUND_CUE = re.compile(
    r"\b(?:after|following|based on|findings|results|reported|previous(?:ly)?|prior|earlier|"
    r"in light of|since|as in|like|unlike|similar to|extension of|confirmed|shown|showed|"
    r"demonstrated|established|led to|excluded)\b", re.I)
BACKGROUND_HEAD = re.compile(r"\s*(?:BACKGROUND|Background|INTRODUCTION|Introduction|"
                             r"Rationale|RATIONALE|Context|CONTEXT)\b")


@dataclass
class Link:
    """How a draft relates to the studies already in the sources folder."""

    extends: dict | None = None  # the study block's ``extends`` when attached
    study: str | None = None  # the attached study's id
    notes: list[str] = field(default_factory=list)  # header lines for the curator


def own_acronym_use(paper: Paper, acronym: str) -> bool:
    """Whether the paper uses ``acronym`` for its own trial (title, or a non-background clause)."""
    name = re.compile(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])")
    if name.search(paper.title):
        return True
    for a, b in sentences(paper):
        text = paper.text[a:b]
        found = name.search(text)
        if not found:
            continue
        if BACKGROUND_HEAD.match(text) or BACKGROUND_CUE.search(text[:found.start()]):
            continue
        return True
    return False


def _drugs(study: m.Study) -> set[str]:
    return {d for a in study.arms for d in a.regimen if d != "placebo"}


def _disagreement(study: m.Study, arms: list[list[str]], phase: str | None) -> str | None:
    """Why the paper's design does not fit ``study`` (None when it does or cannot be told)."""
    drafted = {d for regimen in arms for d in regimen if d != "placebo"}
    known = _drugs(study)
    if drafted and known and not drafted <= known:
        return f"its arms give {', '.join(sorted(drafted - known))}, which {study.id} does not"
    if phase and study.design.phases and phase not in study.design.phases:
        return f"it is phase {phase}, {study.id} is phase {'/'.join(study.design.phases)}"
    return None


def _size(study: m.Study) -> int | None:
    sizes = [p.size for p in study.populations if p.size and not p.arm and not p.parent]
    return max(sizes) if sizes else None


def link(paper: Paper, acronym: str | None, corpus: m.Corpus | None, arms: list[list[str]],
         phase: str | None, conditions: list[str], size: int | None) -> Link:
    """Attach to a known study on a registry id or an own, agreeing acronym; else propose."""
    out = Link()
    if corpus is None:
        return out
    for nct in paper.ncts:
        for s in corpus.studies.values():
            xrefs = corpus.entities.study_xrefs.get(s.curated_ids or "", ())
            if any(x.curie == f"NCT:{nct}" for x in xrefs):
                out.extends, out.study = {"nct": nct}, s.id
                return out
    for s in corpus.studies.values():
        if not s.acronym:
            continue
        named = acronym is not None and s.acronym.lower() == acronym.lower()
        if not named and not own_acronym_use(paper, s.acronym):
            if re.search(rf"(?<![\w-]){re.escape(s.acronym)}(?![\w-])", paper.text):
                out.notes.append(f"# {s.acronym} ({s.id}) is named only as background here, so "
                                 "this draft is a study of its own.")
            continue
        why = _disagreement(s, arms, phase)
        if why:
            out.notes.append(f"# {s.acronym} ({s.id}) is named, but not attached to: {why}.")
            continue
        out.extends, out.study = {"acronym": s.acronym}, s.id
        return out
    drafted = {d for regimen in arms for d in regimen if d != "placebo"}
    for s in corpus.studies.values():
        same_drugs = bool(drafted) and drafted == _drugs(s)
        same_disease = bool(set(conditions) & set(s.conditions))
        same_size = size is not None and size == _size(s)
        if same_drugs and same_disease and same_size:
            out.notes.append(
                f"# This paper may report {s.id} ({s.label[:60]}): same drugs "
                f"({', '.join(sorted(drafted))}), disease and size ({size}). If it does, replace "
                f"the study's id line with `extends: {{study: {s.id}}}`.")
    return out


def restate(records: dict[str, list[dict]], study: m.Study) -> None:
    """Map a paper's restated arms, populations and endpoints onto the reviewed study's own.

    An arm with the same regimen, a population of the same kind, size and arm, an endpoint of
    the same type and time point are the reviewed records: arms and populations are restated
    under the reviewed ids (the build checks that they agree, and both documents then support
    them), endpoints point at the reviewed ones. Anything else that collides with a reviewed id
    is drafted under a new id, so no reviewed record is changed.
    """
    rename: dict[str, dict[str, str]] = {"arm": {}, "population": {}, "endpoint": {}}
    by_regimen = {frozenset(a.regimen): a.id for a in study.arms}
    restated: set[str] = set()
    for a in records["arms"]:  # the same regimen: the reviewed arm, restated under its id
        same = by_regimen.get(frozenset(a["regimen"]))
        if same:
            rename["arm"][a["id"]] = same
            a["id"] = same
            restated.add(same)
    taken = {a.id for a in study.arms} - restated
    _fresh([a for a in records["arms"] if a["id"] not in restated], taken, rename["arm"])
    for p in records["populations"]:
        if p.get("arm"):
            p["arm"] = rename["arm"].get(p["arm"], p["arm"])
    pops = {(p.kind, p.size, p.arm): p for p in study.populations}
    restated = set()
    for p in records["populations"]:
        same = pops.get((p.get("kind"), p.get("size"), p.get("arm")))
        if same:  # the reviewed population restated: its id, and its parent as reviewed
            rename["population"][p["id"]] = same.id
            p["id"] = same.id
            if same.parent:
                p["parent"] = same.parent
            else:
                p.pop("parent", None)
            restated.add(same.id)
    _fresh([p for p in records["populations"] if p["id"] not in restated],
           {p.id for p in study.populations} - restated, rename["population"])
    for p in records["populations"]:
        if p.get("parent") and p["id"] not in restated:
            p["parent"] = rename["population"].get(p["parent"], p["parent"])
    ends = {(e.type, e.timepoint, e.timepoint_unit, e.name): e.id for e in study.endpoints}
    kept = []
    for e in records["endpoints"]:
        same = ends.get((e["type"], e.get("timepoint"), e.get("timepoint_unit"), e.get("name")))
        if same:
            rename["endpoint"][e["id"]] = same
        else:
            kept.append(e)
    records["endpoints"] = kept
    _fresh(records["endpoints"], {e.id for e in study.endpoints}, rename["endpoint"])
    for key in ("results", "comparisons", "adverse_events"):
        for r in records.get(key, []):
            for ref, kind in (("arm", "arm"), ("experimental", "arm"), ("reference", "arm"),
                              ("population", "population"), ("endpoint", "endpoint")):
                if ref in r:
                    r[ref] = rename[kind].get(r[ref], r[ref])
            if "groups" in r:
                r["groups"] = [rename["population"].get(g, g) for g in r["groups"]]


def _fresh(records: list[dict], taken: set[str], rename: dict[str, str]) -> None:
    """Give records whose id a reviewed record holds a new one (``id-draft``, ``id-draft-2``)."""
    for r in records:
        if r["id"] in taken:
            new, n = f"{r['id']}-draft", 1
            while new in taken:
                n += 1
                new = f"{r['id']}-draft-{n}"
            rename[r["id"]] = new
            r["id"] = new
        taken.add(r["id"])
