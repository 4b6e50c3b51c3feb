"""Read the verified identifier table and the curated entities (drugs, targets, diseases...).

Entities are shared by every evidence file; their cross-references (family members, subtypes,
biomarker genes, identifier keys) are checked here, where they are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg import model as m
from kg.ids import CurieError, split_curie
from kg.sources.node import ID_RE, Node, file_label, read_mapping
from kg.sources.values import XREF_STATUSES
from kg.sources.yamlfile import LineDict, shape


def load_identifier_table(path: Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    """Read the verified identifier table: section -> key -> (label, [Xref])."""
    label = file_label(path)
    data = read_mapping(path, label, problems, "sections")
    table: dict[str, dict[str, Any]] = {}
    for section, entries in data.items():
        if section == "meta":
            continue
        if not isinstance(entries, dict):
            problems.append(f"{label}:{data.key_lines.get(str(section), 1)}: {section}: expected "
                            f"a mapping of entries, got {shape(entries)}")
            continue
        table[section] = {}
        for key, entry in entries.items():
            node = Node(entry, label, problems, f"{section}.{key}",
                        near=getattr(entries, "key_lines", {}).get(str(key), 1))
            if not node.ok():
                continue
            xrefs = []
            for idn in node.children("ids"):
                curie = idn.text("id", required=True) or ""
                status = idn.text("status", required=True) or ""
                if status == "UNVERIFIED" or curie.endswith(":UNVERIFIED"):
                    continue
                if status not in XREF_STATUSES:
                    idn.err("status", f"{status!r} is not one of verified, verified_weak, "
                                      "UNVERIFIED")
                    continue
                try:
                    split_curie(curie)
                except CurieError as exc:
                    idn.err("id", str(exc))
                    continue
                xrefs.append(m.Xref(curie, status, idn.text("evidence") or "",
                                    idn.text("note") or ""))
            table[section][str(key)] = {"label": node.text("label") or str(key),
                                        "xrefs": tuple(xrefs), "line": node.line}
    return table


def _xrefs(node: Node, table: dict[str, dict[str, Any]], section: str) -> tuple[m.Xref, ...]:
    key = node.text("identifiers")
    if key is None:
        return ()
    entry = table.get(section, {}).get(key)
    if entry is None:
        node.err("identifiers", f"{key!r} is not a key of section {section!r} in the identifier "
                                "table")
        return ()
    return entry["xrefs"]


def load_entities(path: Path, table: dict[str, dict[str, Any]], problems: list[str]
                  ) -> m.Entities:
    """Read drugs, non-drug interventions, targets, families, diseases and biomarkers."""
    label = file_label(path)
    root = Node(read_mapping(path, label, problems, "sections"), label, problems)
    drugs: dict[str, m.Drug] = {}
    targets: dict[str, m.Target] = {}
    families: dict[str, m.TargetFamily] = {}
    diseases: dict[str, m.Disease] = {}
    biomarkers: dict[str, m.Biomarker] = {}
    interventions: dict[str, m.NonDrugIntervention] = {}

    def each(section: str) -> Iterator[tuple[str, Node]]:
        entries = root.get(section, dict, default=LineDict())
        for key, entry in entries.items():
            node = Node(entry, label, problems, f"{section}.{key}",
                        near=getattr(entries, "key_lines", {}).get(str(key), 1))
            if node.ok():
                if not ID_RE.match(str(key).lower()):
                    node.err("key", f"{key!r} is not a valid key")
                yield str(key), node

    for key, n in each("drugs"):
        drugs[key] = m.Drug(key, n.text("label", True) or key, n.strings("synonyms"),
                            _xrefs(n, table, "drugs"), n.loc)
        n.close()
    for key, n in each("interventions"):
        if key in drugs or key == "placebo":
            n.err("key", f"{key!r} is a drug key too; an intervention key names no drug")
        kind = n.choice("kind", {"non-drug", "unclassified"}) or "non-drug"
        interventions[key] = m.NonDrugIntervention(key, n.text("label", True) or key,
                                                   n.strings("synonyms"), n.loc,
                                                   kind == "unclassified")
        n.close()
    for key, n in each("targets"):
        targets[key] = m.Target(key, n.text("label", True) or key, n.strings("synonyms"),
                                _xrefs(n, table, "targets"), n.loc)
        n.close()
    for key, n in each("families"):
        families[key] = m.TargetFamily(key, n.text("label", True) or key, n.strings("synonyms"),
                                       n.strings("members", True), n.text("note") or "", n.loc)
        for member in families[key].members:
            if member not in targets:
                n.err("members", f"{member!r} is not a target")
        n.close()
    for key, n in each("diseases"):
        diseases[key] = m.Disease(key, n.text("label", True) or key, n.strings("synonyms"),
                                  _xrefs(n, table, "diseases"), n.strings("subtype_of"),
                                  n.text("note") or "", n.loc)
        n.close()
    for key, n in each("biomarkers"):
        gene = n.text("gene")
        if gene is not None and gene not in targets:
            n.err("gene", f"{gene!r} is not a target")
        biomarkers[key] = m.Biomarker(key, n.text("label", True) or key, n.strings("synonyms"),
                                      gene, n.loc)
        n.close()
    root.close()
    for d in diseases.values():
        for parent in d.subtype_of:
            if parent not in diseases:
                problems.append(f"{d.loc}: diseases.{d.key}.subtype_of: {parent!r} is not a "
                                "disease")
    _check_acyclic(diseases, problems)
    study_xrefs = {k: v["xrefs"] for k, v in table.get("publications_and_trials", {}).items()}
    return m.Entities(drugs, targets, families, diseases, biomarkers, study_xrefs, interventions,
                      {k: v["xrefs"] for k, v in table.get("adverse_event_terms", {}).items()})


def _check_acyclic(diseases: dict[str, m.Disease], problems: list[str]) -> None:
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for parent in diseases[start].subtype_of:
            if parent == goal or (parent in diseases and parent not in seen
                                  and reaches(parent, goal, seen | {parent})):
                return True
        return False

    for key, d in diseases.items():
        if reaches(key, key, {key}):
            problems.append(f"{d.loc}: diseases.{key}.subtype_of: the hierarchy has a cycle")

