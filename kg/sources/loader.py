"""Load curated YAML (identifier table, entities, evidence files) into typed records.

Every problem is collected, not just the first, each as ``file:line: field: what is wrong``:
syntax errors, missing or unknown keys, wrong types, dangling references, duplicate ids, CURIEs
that do not fit their prefix, impossible numbers, and quotes not found in their source text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg import model as m
from kg.errors import InputError
from kg.ids import CurieError, split_curie
from kg.paths import SOURCES_DIR
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText
from kg.sources.binding import check_numbers_quoted
from kg.sources.completeness import check_evidence_files, check_texts
from kg.sources.linking import resolve_extensions, restatement_problem
from kg.sources.safety import check_safety, read_safety
from kg.sources.tables import TableError, match_row, parse_table
from kg.sources.yamlfile import CONFUSABLE, LineDict, oddities, read_yaml, shape, visible

# Controlled values the evidence files may use; builders map them to ontology individuals.
PHASES = {"1", "2", "3"}
BLINDING = {"open-label", "double-blind"}
LINES = {"first", "second", "third", "fourth", "pretreated"}
STUDY_KINDS = {"clinical", "preclinical", "substudy"}
POPULATION_KINDS = {"enrolled", "run-in", "randomised", "per-protocol", "intention-to-treat",
                    "analysed", "subgroup"}
ENDPOINT_TYPES = {"pfs", "os", "orr", "rr", "dcr", "pfs-rate", "survival-rate", "pr", "sd", "pd",
                  "toxicity", "biomarker-prevalence", "not-stated"}
UNITS = {"month", "week", "day", "year", "percent", "mg"}
STATISTICS = {"median", "rate", "proportion", "count"}
MEASURES = {"hazard-ratio"}
P_QUALIFIERS = {"=", "<", "<=", "unstated"}
DIRECTIONS = {"favours-experimental", "favours-reference", "no-difference"}
COMPARISON_KINDS = {"treatment-effect", "prognostic", "predictive"}
CLAIM_DIRECTIONS = {"benefit", "no-benefit", "harm"}
TIME_UNITS = {"day", "week", "month", "year"}
# Numbers a record may declare derived instead of quoted, and how each may be derived.
DERIVABLE = {"value": "count/denominator", "denominator": "size of", "size": "size of",
             "count": "size of"}
DERIVED_RE = re.compile(r"^(?:count/denominator|size of (?P<pop>[a-z0-9][a-z0-9.+-]*))$")
ASSOCIATIONS = {"better", "worse", "none"}
FINDING_KINDS = {"biomarker", "imaging"}
CLAIM_KINDS = {"conclusion", "tolerability", "approval", "non-approval", "mechanism", "activity",
               "hypothesis", "background"}
APPROVAL_CLAIMS = {"approval", "non-approval"}
CONFLICT_REASONS = {"attribute-differs", "opposite-findings"}
ACTIONS = {"inhibitor"}
COLUMN_ROLES = {"trial", "phase", "size", "primary-endpoint", "biomarker-prevalence", "response",
                "survival", "comment"}
XREF_STATUSES = {"verified", "verified_weak"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
RATIO_RE = re.compile(r"^\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


# ---------------------------------------------------------------- field reader


@dataclass
class Node:
    """Reads fields out of one YAML mapping, collecting problems instead of raising."""

    data: Any
    file: str
    problems: list[str]
    where: str = ""
    seen: set[str] = field(default_factory=set)
    near: int = 1  # the line to name when the data has none (a list item that is not a mapping)

    @property
    def line(self) -> int:
        """Line of the mapping itself (or the nearest line known, if it is not a mapping)."""
        return getattr(self.data, "line", 0) or self.near

    @property
    def loc(self) -> m.Loc:
        """Location of the mapping and of each of its keys, for records."""
        keys = tuple(getattr(self.data, "key_lines", {}).items())
        return m.Loc(self.file, self.line, keys)

    def ok(self) -> bool:
        """Whether the node is a mapping at all (reported once if not)."""
        if isinstance(self.data, dict):
            return True
        self.problems.append(f"{self.file}:{self.line}: {self.where or 'entry'}: "
                             f"expected a mapping, got {shape(self.data)}")
        return False

    def err(self, key: str, msg: str) -> None:
        """Record a problem at the key's line (or the mapping's line)."""
        line = getattr(self.data, "key_lines", {}).get(key, self.line)
        shown = key if key.isprintable() and not (set(key) & CONFUSABLE) else visible(key)
        name = f"{self.where}.{shown}" if self.where else shown
        self.problems.append(f"{self.file}:{line}: {name}: {msg}")

    def get(self, key: str, kind: type | tuple[type, ...], required: bool = False,
            default: Any = None) -> Any:
        """Return a field of the given type, or ``default`` after recording a problem."""
        self.seen.add(key)
        if not isinstance(self.data, dict) or key not in self.data or self.data[key] is None:
            if required:
                self.err(key, "required field is missing")
            return default
        value = self.data[key]
        blank = isinstance(value, str) and not value.strip()
        if blank or (required and value in ([], {})):
            self.err(key, "required field is empty" if required else "empty value; leave the "
                     "field out instead")
            return default
        if kind is Decimal and isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if kind is str and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return str(value)
        if kind is int and isinstance(value, bool):
            self.err(key, f"expected a whole number, got {value!r}")
            return default
        if not isinstance(value, kind):
            want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            want = {"Decimal": "number", "int": "whole number", "str": "text",
                    "bool": "true or false", "list": "list", "LineDict": "mapping",
                    "dict": "mapping"}.get(want, want)
            hint = oddities(value) if isinstance(value, str) else ""
            self.err(key, f"expected {want}, got {value!r}{hint}")
            return default
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        """A text field."""
        return self.get(key, str, required)

    def number(self, key: str, required: bool = False) -> Decimal | None:
        """A decimal field, kept exactly as written."""
        value = self.get(key, Decimal, required)
        if isinstance(value, Decimal) and not value.is_finite():
            self.err(key, f"expected a finite number, got {value}")
            return None
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        """A whole-number field."""
        return self.get(key, int, required)

    def flag(self, key: str) -> bool | None:
        """A true/false field; absent means the source does not say."""
        return self.get(key, bool)

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of text, also accepting a single text."""
        value = self.get(key, (list, str, int), required, default=[])
        if isinstance(value, (str, int)):
            value = [value]
        out = []
        for item in value:
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.err(key, f"expected text items, got {item!r}")
        return tuple(out)

    def choice(self, key: str, allowed: set[str], required: bool = False) -> str | None:
        """A text field restricted to a set of values."""
        value = self.text(key, required)
        if value is not None and value not in allowed:
            self.err(key, f"{value!r} is not one of {', '.join(sorted(allowed))}"
                          f"{oddities(value)}")
            return None
        return value

    def children(self, key: str, required: bool = False) -> Iterator[Node]:
        """Mappings in a list field."""
        items = self.get(key, list, required, default=[])
        prefix = f"{self.where}." if self.where else ""
        near = getattr(self.data, "key_lines", {}).get(key, self.line)
        for i, item in enumerate(items):
            yield Node(item, self.file, self.problems, f"{prefix}{key}[{i}]", near=near)

    def record_id(self) -> str:
        """The record's ``id``: lower case, digits, dots, plus and hyphens."""
        value = self.text("id", required=True) or "?"
        if value != "?" and not ID_RE.match(value):
            self.err("id", f"{value!r} must be lower case letters, digits, '.', '+' or '-'")
        return value

    def drafted(self) -> str:
        """The ``kg draft`` rule that proposed the record; a curator deletes it once reviewed."""
        value = self.text("drafted") or ""
        if value and not re.fullmatch(r"[a-z][a-z0-9-]*", value):
            self.err("drafted", f"{value!r} is not a rule name (lower case letters, digits, '-')")
        return value

    def quotes(self) -> tuple[str, ...]:
        """The supporting quote(s) of a record; at least one is required."""
        return self.strings("quote", required=True)

    def derived(self, allowed: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Numbers declared derived rather than quoted, checked against the record later.

        ``{value: count/denominator}`` or ``{field: size of <population id>}``.
        """
        data = self.get("derived", dict, default={})
        out = []
        for key, basis in data.items():
            if key not in allowed:
                self.err("derived", f"{key!r} cannot be declared derived here (allowed: "
                                    f"{', '.join(allowed)})")
            elif not isinstance(basis, str) or not DERIVED_RE.match(basis):
                self.err("derived", f"{key}: {basis!r} is not 'count/denominator' or "
                                    "'size of <population id>'")
            elif (basis == "count/denominator") != (key == "value"):
                self.err("derived", f"{key}: {basis!r} does not fit this field")
            else:
                out.append((str(key), basis))
        return tuple(out)

    def close(self) -> None:
        """Report keys that no reader asked for: a typo must not be silently ignored."""
        if isinstance(self.data, dict):
            for key in self.data:
                if key not in self.seen:
                    self.err(str(key), "unknown field")


# ---------------------------------------------------------------- identifier table


def load_identifier_table(path: Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    """Read the verified identifier table: section -> key -> (label, [Xref])."""
    label = _label(path)
    data = _read_mapping(path, label, problems, "sections")
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


def _read_mapping(path: Path, label: str, problems: list[str], what: str) -> LineDict:
    """Read a file that must hold a mapping; an empty file or another shape is one problem."""
    before = len(problems)
    data = read_yaml(path, label, problems)
    if isinstance(data, LineDict):
        return data
    if len(problems) == before:
        got = "nothing (the file is empty)" if data is None else shape(data)
        problems.append(f"{label}:1: {what}: expected a mapping of {what}, got {got}")
    empty = LineDict()
    empty.line, empty.key_lines = 1, {}
    return empty


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


# ---------------------------------------------------------------- entities


def load_entities(path: Path, table: dict[str, dict[str, Any]], problems: list[str]
                  ) -> m.Entities:
    """Read drugs, targets, families, diseases and biomarkers, checking cross-references."""
    label = _label(path)
    root = Node(_read_mapping(path, label, problems, "sections"), label, problems)
    drugs: dict[str, m.Drug] = {}
    targets: dict[str, m.Target] = {}
    families: dict[str, m.TargetFamily] = {}
    diseases: dict[str, m.Disease] = {}
    biomarkers: dict[str, m.Biomarker] = {}

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
    return m.Entities(drugs, targets, families, diseases, biomarkers, study_xrefs,
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


# ---------------------------------------------------------------- evidence files


def _timepoints(n: Node) -> Iterator[m.TimePoint]:
    """``measured_at``: ``baseline`` or ``{day|week|month|year: N, cycle: N}`` items."""
    for item in n.get("measured_at", list, default=[]):
        if item == "baseline":
            yield m.TimePoint(baseline=True)
            continue
        t = Node(item, n.file, n.problems, f"{n.where}.measured_at")
        if not t.ok():
            continue
        units = [u for u in TIME_UNITS if u in t.data]
        if len(units) != 1:
            t.err("measured_at", "give exactly one of day, week, month, year (or 'baseline')")
            t.seen.update(TIME_UNITS)
            t.close()
            continue
        value = t.number(units[0])
        cycle = t.integer("cycle")
        t.close()
        if value is not None:
            yield m.TimePoint(value=value, unit=units[0], cycle=cycle)


def _dosing(n: Node) -> m.Dosing:
    d = m.Dosing(n.text("intervention", True) or "", n.number("dose"), n.choice("unit", UNITS),
                 n.integer("daily_frequency"), n.number("duration"),
                 n.choice("duration_unit", UNITS), n.text("schedule"))
    n.close()
    return d


EXTENDS_KEYS = ("study", "nct", "acronym", "identifiers")


def _extends(n: Node) -> tuple[str, str] | None:
    """``extends: <study id>`` or ``extends: {nct|acronym|identifiers: value}``."""
    value = n.get("extends", (str, dict))
    if value is None:
        return None
    if isinstance(value, str):
        return "study", value
    if len(value) != 1 or next(iter(value)) not in EXTENDS_KEYS:
        n.err("extends", f"give a study id, or one of {', '.join(EXTENDS_KEYS)}: value")
        return None
    key, found = next(iter(value.items()))
    return str(key), str(found)


def _study(n: Node) -> m.Study:
    extends = _extends(n)
    # an entry adding to another document's study takes that study's id (resolved later)
    rid = n.record_id() if extends is None or "id" in n.data else ""
    design_node = Node(n.get("design", dict, default=LineDict()), n.file, n.problems,
                       f"{n.where}.design")
    phases = design_node.strings("phase")
    for p in phases:
        if p not in PHASES:
            design_node.err("phase", f"{p!r} is not one of {', '.join(sorted(PHASES))}")
    design = m.Design(
        phases=tuple(p for p in phases if p in PHASES),
        randomised=design_node.flag("randomised"),
        placebo_controlled=design_node.flag("placebo_controlled"),
        blinding=design_node.choice("blinding", BLINDING),
        single_arm=design_node.flag("single_arm"),
        adaptive=design_node.flag("adaptive"),
        multicentre=design_node.flag("multicentre"),
        randomised_discontinuation=design_node.flag("randomised_discontinuation"),
        biomarker_driven=design_node.flag("biomarker_driven"),
        terminated_early=design_node.flag("terminated_early"),
        termination_reason=design_node.text("termination_reason"),
        allocation_ratio=design_node.text("allocation_ratio"),
        stratification=design_node.strings("stratification"),
    )
    if design.allocation_ratio is not None and not RATIO_RE.match(design.allocation_ratio):
        design_node.err("allocation_ratio", f"{design.allocation_ratio!r} is not a ratio such "
                                            "as 2:1")
    design_node.close()
    lines = n.strings("line_of_therapy")
    for line in lines:
        if line not in LINES:
            n.err("line_of_therapy", f"{line!r} is not one of {', '.join(sorted(LINES))}")
    refs = []
    for r in n.strings("refs"):
        if r.isdigit():
            refs.append(int(r))
        else:
            n.err("refs", f"{r!r} is not a reference number")
    arms = []
    for a in n.children("arms"):
        if a.ok():
            arms.append(m.Arm(a.record_id(), a.quotes(), a.loc, a.text("label", True) or "",
                              a.strings("regimen", True),
                              tuple(_dosing(d) for d in a.children("dosing") if d.ok()),
                              drafted=a.drafted()))
            a.close()
    pops = []
    for p in n.children("populations"):
        if p.ok():
            pops.append(m.Population(
                p.record_id(), p.quotes(), p.loc, p.text("label", True) or "",
                p.choice("kind", POPULATION_KINDS, True) or "", p.integer("size"),
                p.text("parent"), p.text("arm"), p.text("histology"), p.text("biomarker"),
                p.text("biomarker_status"), p.text("age_group"), p.strings("complement_of"),
                p.derived(("size",)), drafted=p.drafted()))
            p.close()
    endpoints = []
    for e in n.children("endpoints"):
        if e.ok():
            endpoints.append(m.Endpoint(
                e.record_id(), e.quotes(), e.loc, e.choice("type", ENDPOINT_TYPES, True) or "",
                bool(e.flag("primary")), e.number("timepoint"), e.choice("timepoint_unit", UNITS),
                e.text("timepoint_anchor"), e.text("marker"), drafted=e.drafted()))
            e.close()
    results = []
    for r in n.children("results"):
        if r.ok():
            results.append(m.Result(
                r.record_id(), r.quotes(), r.loc, r.text("endpoint", True) or "", r.text("arm"),
                r.text("population"), r.choice("statistic", STATISTICS, True) or "",
                r.number("value"), r.choice("unit", UNITS), r.integer("count"),
                r.integer("denominator"), r.number("ci_low"), r.number("ci_high"),
                r.number("ci_level"), r.derived(("value", "denominator", "count")),
                drafted=r.drafted()))
            r.close()
    comparisons = []
    for c in n.children("comparisons"):
        if c.ok():
            comparisons.append(m.Comparison(
                c.record_id(), c.quotes(), c.loc, c.text("endpoint"), c.choice("measure", MEASURES),
                c.number("estimate"), c.number("ci_low"), c.number("ci_high"),
                c.number("ci_level"), c.number("p_value"), c.choice("p_qualifier", P_QUALIFIERS),
                c.flag("significant"), c.choice("direction", DIRECTIONS), c.text("experimental"),
                c.text("reference"), c.text("population"), c.text("method"),
                c.choice("kind", COMPARISON_KINDS)
                or ("prognostic" if c.get("groups", list) else "treatment-effect"),
                c.strings("groups"), c.text("favoured"), c.derived(()), drafted=c.drafted()))
            c.close()
    findings = []
    for f in n.children("findings"):
        if f.ok():
            findings.append(m.Finding(
                f.record_id(), f.quotes(), f.loc, f.choice("kind", FINDING_KINDS) or "biomarker",
                f.text("label", True) or "", f.text("marker", True) or "",
                f.text("measurement_time"), f.text("marker_state"), f.strings("endpoints"),
                f.choice("association", ASSOCIATIONS), f.text("population"),
                f.flag("exploratory"), tuple(_timepoints(f)), drafted=f.drafted()))
            f.close()
    study = m.Study(
        rid, n.quotes(), n.loc, n.text("label", extends is None) or "",
        n.choice("kind", STUDY_KINDS) or "clinical", n.text("acronym"), tuple(refs),
        n.text("part_of"), n.strings("conditions"), design, lines, n.text("prior_therapy"),
        n.text("setting"), n.text("enrolment_start"), n.text("enrolment_end"),
        n.text("curated_ids"), tuple(arms), tuple(pops), tuple(endpoints), tuple(results),
        tuple(comparisons), tuple(findings), extends, n.text("eligibility"),
        n.text("sample_size_assumption"), drafted=n.drafted(), **read_safety(n))
    n.close()
    return study


def _valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day."""
    import datetime

    parts = text.split("-")
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return False
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                      int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _document(n: Node) -> m.Document:
    headers = []
    for pattern in n.strings("page_headers"):
        try:
            re.compile(pattern)
            headers.append(pattern)  # only patterns that compile reach the text index
        except re.error as exc:
            n.err("page_headers", f"invalid regular expression {pattern!r}: {exc}")
    doc = m.Document(
        id=n.record_id(), text_file=n.text("text", True) or "", sha256=n.text("sha256", True) or "",
        kind=n.text("kind", True) or "", title=n.text("title", True) or "",
        authors=n.strings("authors"), journal=n.text("journal"), year=n.integer("year"),
        volume=n.text("volume"), issue=n.text("issue"), pages=n.text("pages"),
        page_count=n.integer("page_count"), article_number=n.text("article_number"),
        publication_status=n.text("publication_status"), keywords=n.strings("keywords"),
        subject_areas=n.strings("subject_areas"), curated_ids=n.text("curated_ids"),
        page_headers=tuple(headers), loc=n.loc, source_url=n.text("source_url"),
        doi=n.text("doi"), publication_date=n.text("publication_date"))
    if doc.source_url is not None and not re.match(r"^https?://\S+$", doc.source_url):
        n.err("source_url", f"{doc.source_url!r} is not an http(s) address")
    if doc.doi is not None and not DOI_RE.match(doc.doi):
        n.err("doi", f"{doc.doi!r} is not a DOI (10.NNNN/...)")
    if doc.publication_date is not None and not _valid_date(doc.publication_date):
        n.err("publication_date", f"{doc.publication_date!r} is not a date (YYYY, YYYY-MM or "
                                  "YYYY-MM-DD)")
    n.close()
    return doc


def _claim(n: Node) -> m.Claim:
    claim = m.Claim(
        n.record_id(), n.quotes(), n.loc, n.choice("kind", CLAIM_KINDS, True) or "",
        n.text("label", True) or "", n.strings("drugs"), n.strings("indications"),
        n.strings("studies"), n.strings("targets"), bool(n.flag("negated")),
        n.choice("direction", CLAIM_DIRECTIONS), n.strings("rests_on"),
        drafted=n.drafted())
    if claim.kind in APPROVAL_CLAIMS:  # a (non-)approval is of a drug, for a disease
        for key, value in (("drugs", claim.drugs), ("indications", claim.indications)):
            if not value:
                n.err(key, f"required for a claim of kind {claim.kind!r}")
    n.close()
    return claim


def _table(n: Node) -> m.TableSpec:
    columns = []
    for c in n.children("columns", required=True):
        if c.ok():
            columns.append(m.TableColumn(c.text("key", True) or "", c.text("header", True) or "",
                                         c.choice("role", COLUMN_ROLES, True) or "comment"))
            c.close()
    links = []
    for r in n.children("rows", required=True):
        if r.ok():
            links.append(m.TableRowLink(r.text("trial", True) or "", r.text("study", True) or "",
                                        r.loc, r.text("population")))
            r.close()
    abbreviations = n.get("abbreviations", dict, default={})
    spec = m.TableSpec(n.record_id(), n.text("caption", True) or "", n.text("end", True) or "",
                       n.text("row_pattern", True) or "", tuple(columns), n.text("biomarker"),
                       tuple((str(k), str(v)) for k, v in abbreviations.items()), tuple(links),
                       n.loc)
    try:
        groups = set(re.compile(spec.row_pattern).groupindex)
    except re.error as exc:
        n.err("row_pattern", f"invalid regular expression: {exc}")
        groups = set()
    if columns and groups and groups != {c.key for c in columns[1:]}:
        n.err("row_pattern", f"named groups {sorted(groups)} must be the column keys after the "
                             f"first, {[c.key for c in columns[1:]]}")
    n.close()
    return spec


def load_evidence_file(path: Path, problems: list[str]) -> m.EvidenceFile | None:
    """Parse one evidence file into records (structure only; references are checked later)."""
    label = _label(path)
    data = read_yaml(path, label, problems)
    if data is None:
        return None
    root = Node(data, label, problems)
    if not root.ok():
        return None
    doc_data = root.get("document", dict, True)
    if doc_data is None:
        return None  # reported once: without its document nothing in the file can be placed
    document = _document(Node(doc_data, label, problems, "document"))
    interactions = []
    for t in root.children("target_interactions"):
        if t.ok():
            interactions.append(m.TargetInteraction(
                t.record_id(), t.quotes(), t.loc, t.text("drug", True) or "",
                t.text("target", True) or "", t.choice("action", ACTIONS) or "inhibitor"))
            t.close()
    studies = [_study(s) for s in root.children("studies") if s.ok()]
    claims = [_claim(c) for c in root.children("claims") if c.ok()]
    contradictions = []
    for c in root.children("contradictions"):
        if c.ok():
            contradictions.append(m.Contradiction(
                c.record_id(), c.strings("quote"), c.loc, c.strings("statements", True),
                c.choice("reason", CONFLICT_REASONS, True) or "", c.text("attribute"),
                c.text("note", True) or ""))
            c.close()
    tables = [_table(t) for t in root.children("tables") if t.ok()]
    explanations = []
    for e in root.children("audit_explanations"):
        if e.ok():
            explanations.append(m.Explanation(e.text("quote", True) or "",
                                              e.text("reason", True) or "", e.loc))
            e.close()
    root.close()
    return m.EvidenceFile(label, document, tuple(interactions), tuple(studies), tuple(claims),
                          tuple(contradictions), tuple(tables), tuple(explanations))


# ---------------------------------------------------------------- semantic checks


def check_references(files: list[m.EvidenceFile], ent: m.Entities, problems: list[str]) -> None:
    """Check that every reference resolves and every number is possible."""
    all_ids: dict[str, m.Loc] = {}
    all_records: dict[str, m.Record] = {}
    # parts of a study's defining entry come first, restatements by other documents after
    first: list[tuple[str, str, m.Record]] = []
    later: list[tuple[str, str, m.Record]] = []
    for f in files:
        extending = {s.id for s in f.studies if s.extends is not None}
        for full_id, rec in f.iter_records():
            if isinstance(rec, m.Study) and rec.extends is not None:
                continue  # the entry of another document's study, resolved by its id
            bucket = later if full_id.split("/", 1)[0] in extending else first
            bucket.append((f.path, full_id, rec))
    for path, full_id, rec in first + later:
        prior = all_records.get(full_id)
        if prior is None:
            all_records[full_id], all_ids[full_id] = rec, rec.loc
        elif isinstance(rec, (m.Arm, m.Population, m.Endpoint)) and prior.loc.file != path:
            why = restatement_problem(prior, rec)
            if why is not None:
                problems.append(f"{rec.loc.at('id')}: id: {full_id!r} restates the part first "
                                f"stated at {all_ids[full_id]} with {why}; give this "
                                "document's part its own id")
        else:
            problems.append(f"{rec.loc.at('id')}: id: duplicate id {full_id!r} (first at "
                            f"{all_ids[full_id]})")
    doc_ids: dict[str, m.Loc] = {}
    for f in files:
        if f.document.id in doc_ids:
            problems.append(f"{f.document.loc}: document.id: duplicate document id "
                            f"{f.document.id!r} (first at {doc_ids[f.document.id]})")
        doc_ids[f.document.id] = f.document.loc
    study_ids = {s.id for f in files for s in f.studies}
    merged = {sid: m.merge_studies([s for f in files for s in f.studies if s.id == sid])
              for sid in study_ids}
    interventions = set(ent.drugs) | {"placebo"}

    def need(cond: bool, loc: m.Loc, fld: str, msg: str) -> None:
        if not cond:
            problems.append(f"{loc.at(fld)}: {fld}: {msg}")

    for f in files:
        if f.document.curated_ids is not None:
            need(f.document.curated_ids in ent.study_xrefs, f.document.loc, "document.curated_ids",
                 f"{f.document.curated_ids!r} is not in the identifier table")
        for t in f.interactions:
            need(t.drug in ent.drugs, t.loc, "drug", f"unknown drug {t.drug!r}")
            need(ent.target_or_family(t.target) is not None, t.loc, "target",
                 f"unknown target {t.target!r}")
        for s in f.studies:
            _check_study(s, merged[s.id], ent, study_ids, interventions, need)
        for c in f.claims:
            for d in c.drugs:
                need(d in ent.drugs, c.loc, "drugs", f"unknown drug {d!r}")
            for d in c.indications:
                need(d in ent.diseases, c.loc, "indications", f"unknown disease {d!r}")
            for d in c.studies:
                need(d in study_ids, c.loc, "studies", f"unknown study {d!r}")
            for d in c.targets:
                need(ent.target_or_family(d) is not None, c.loc, "targets",
                     f"unknown target {d!r}")
            for r in c.rests_on:
                rec = all_records.get(r)
                need(isinstance(rec, (m.Result, m.Comparison, m.SafetyResult, m.HarmComparison)),
                     c.loc, "rests_on",
                     f"{r!r} is not a result or comparison (write study-id/record-id)")
                need(r.split("/", 1)[0] in c.studies, c.loc, "rests_on",
                     f"{r!r} belongs to a study the claim does not name under 'studies'")
        for t in f.tables:
            for link in t.rows:
                need(link.study in study_ids, link.loc, "study", f"unknown study {link.study!r}")
                if link.population is not None:
                    full = link.population if "/" in link.population else \
                        f"{link.study}/{link.population}"
                    need(isinstance(all_records.get(full), m.Population), link.loc, "population",
                         f"unknown population {link.population!r} (a population id of the "
                         "linked study, or study-id/population-id)")
            if t.biomarker is not None:
                need(t.biomarker in ent.biomarkers, t.loc, "biomarker",
                     f"unknown biomarker {t.biomarker!r}")
        for c in f.contradictions:
            need(len(c.statements) >= 2, c.loc, "statements", "a contradiction links at least two "
                 "statements")
            for st in c.statements:
                need(st in all_ids, c.loc, "statements", f"unknown record {st!r}")


def _check_study(s: m.Study, ctx: m.Study, ent: m.Entities, study_ids: set[str],
                 interventions: set[str], need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """Check one document's entry of a study against the study merged over all documents."""
    arms = {a.id for a in ctx.arms}
    pops = {p.id: p for p in ctx.populations}
    endpoints = {e.id for e in ctx.endpoints}
    if s.part_of is not None:
        need(s.part_of in study_ids and s.part_of != s.id, s.loc, "part_of",
             f"unknown study {s.part_of!r}")
    if s.curated_ids is not None:
        need(s.curated_ids in ent.study_xrefs, s.loc, "curated_ids",
             f"{s.curated_ids!r} is not in the identifier table")
    for c in s.conditions:
        need(c in ent.diseases, s.loc, "conditions", f"unknown disease {c!r}")
    for label, value in (("enrolment_start", s.enrolment_start),
                         ("enrolment_end", s.enrolment_end)):
        if value is not None:
            need(bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)), s.loc, label,
                 f"{value!r} is not a YYYY-MM month")
    if s.enrolment_start and s.enrolment_end:
        need(s.enrolment_start <= s.enrolment_end, s.loc, "enrolment_end",
             "enrolment ends before it starts")
    for a in s.arms:
        for item in a.regimen:
            need(item in interventions, a.loc, "regimen", f"unknown intervention {item!r}")
        for d in a.dosing:
            need(d.intervention in a.regimen, a.loc, "dosing",
                 f"{d.intervention!r} is not in the arm's regimen")
            for label, value in (("dose", d.dose), ("duration", d.duration)):
                need(value is None or value > 0, a.loc, f"dosing.{label}",
                     f"must be positive, got {value}")
    for p in s.populations:
        need(p.size is None or p.size >= 0, p.loc, "size", f"must not be negative, got {p.size}")
        if p.parent is not None:
            parent = pops.get(p.parent)
            need(parent is not None and p.parent != p.id, p.loc, "parent",
                 f"unknown population {p.parent!r} in study {s.id!r}")
            if parent is not None and parent.size is not None and p.size is not None:
                need(p.size <= parent.size, p.loc, "size",
                     f"{p.size} is larger than its parent population {p.parent!r} "
                     f"({parent.size})")
        if p.arm is not None:
            need(p.arm in arms, p.loc, "arm", f"unknown arm {p.arm!r} in study {s.id!r}")
        if p.histology is not None:
            need(p.histology in ent.diseases, p.loc, "histology",
                 f"unknown disease {p.histology!r}")
        if p.biomarker is not None:
            need(p.biomarker in ent.biomarkers, p.loc, "biomarker",
                 f"unknown biomarker {p.biomarker!r}")
        for other in p.complement_of:
            need(other in pops and other != p.id, p.loc, "complement_of",
                 f"unknown population {other!r} in study {s.id!r}")
        _check_derived(p, s, pops, need)
    for e in s.endpoints:
        need(e.timepoint is None or e.timepoint > 0, e.loc, "timepoint",
             f"must be positive, got {e.timepoint}")
        need((e.timepoint is None) == (e.timepoint_unit is None), e.loc, "timepoint_unit",
             "timepoint and timepoint_unit go together")
        if e.marker is not None:
            need(e.marker in ent.biomarkers, e.loc, "marker", f"unknown biomarker {e.marker!r}")
        need(e.type != "biomarker-prevalence" or e.marker is not None, e.loc, "marker",
             "a biomarker-prevalence endpoint names its marker")
    for r in s.results:
        need(r.endpoint in endpoints, r.loc, "endpoint",
             f"unknown endpoint {r.endpoint!r} in study {s.id!r}")
        if r.arm is not None:
            need(r.arm in arms, r.loc, "arm", f"unknown arm {r.arm!r} in study {s.id!r}")
        if r.population is not None:
            need(r.population in pops, r.loc, "population",
                 f"unknown population {r.population!r} in study {s.id!r}")
        need(r.value is not None or r.count is not None, r.loc, "value",
             "a result needs a value or a count")
        need(r.value is None or r.unit is not None, r.loc, "unit", "a value needs a unit")
        _check_numbers(r, need)
        _check_derived(r, s, pops, need)
    for c in s.comparisons:
        if c.endpoint is not None:
            need(c.endpoint in endpoints, c.loc, "endpoint",
                 f"unknown endpoint {c.endpoint!r} in study {s.id!r}")
        _check_comparison_sides(c, s.id, arms, pops, need)
        if c.population is not None:
            need(c.population in pops, c.loc, "population",
                 f"unknown population {c.population!r} in study {s.id!r}")
        need((c.p_value is None) == (c.p_qualifier is None), c.loc, "p_qualifier",
             "p_value and p_qualifier go together")
        need((c.estimate is None) or c.measure is not None, c.loc, "measure",
             "an estimate needs a measure")
        _check_numbers(c, need)
    for fnd in s.findings:
        need(fnd.marker in ent.biomarkers, fnd.loc, "marker", f"unknown biomarker {fnd.marker!r}")
        for ep in fnd.endpoints:
            need(ep in ENDPOINT_TYPES, fnd.loc, "endpoints", f"{ep!r} is not an endpoint type")
        if fnd.population is not None:
            need(fnd.population in pops, fnd.loc, "population",
                 f"unknown population {fnd.population!r} in study {s.id!r}")
    check_safety(s, ctx, set(ent.adverse_event_terms), need)


def _check_comparison_sides(c: m.Comparison, sid: str, arms: set[str],
                            pops: dict[str, m.Population],
                            need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """A treatment effect compares arms; a prognostic or predictive one names two groups."""
    for label, g in (("experimental", c.experimental), ("reference", c.reference)):
        if g is not None:
            need(g in arms, c.loc, label,
                 f"unknown arm {g!r} in study {sid!r}" if g not in pops else
                 f"{g!r} is a population: a comparison of groups of patients defined by a marker "
                 "or histology is 'kind: prognostic' (or predictive) with 'groups:'")
    for g in c.groups:
        need(g in pops, c.loc, "groups", f"unknown population {g!r} in study {sid!r}")
    if c.kind == "prognostic":
        need(c.experimental is None and c.reference is None, c.loc, "kind",
             "a prognostic comparison has groups, not experimental and reference arms")
    if c.kind == "predictive":
        need(c.experimental is not None and c.reference is not None, c.loc, "kind",
             "a predictive comparison contrasts an arm-versus-arm effect between groups")
    if c.kind != "treatment-effect":
        need(len(c.groups) in (0, 2), c.loc, "groups", "name the two groups compared")
        need(c.direction in (None, "no-difference"), c.loc, "direction",
             f"{c.direction!r} is for treatment effects; say which group did better with "
             "'favoured:'")
    else:
        need(not c.groups, c.loc, "groups", "a treatment effect compares arms (experimental, "
                                            "reference), not groups")
    if c.favoured is not None:
        need(c.favoured in c.groups, c.loc, "favoured", f"{c.favoured!r} is not one of the "
                                                        "comparison's groups")
        need(c.direction is None, c.loc, "favoured", "give either favoured or direction")


def _check_derived(r: m.Result | m.Population, s: m.Study, pops: dict[str, m.Population],
                   need: Callable[[bool, m.Loc, str, str], None]) -> None:
    """A number declared ``size of <population>`` must equal that population's size."""
    for name, basis in r.derived:
        value = getattr(r, name, None)
        need(value is not None, r.loc, "derived", f"{name} is declared derived but not given")
        if not basis.startswith("size of ") or value is None:
            continue
        other = pops.get(basis.removeprefix("size of "))
        if other is None:
            need(False, r.loc, "derived", f"{name}: unknown population in {basis!r} in study "
                                          f"{s.id!r}")
        else:
            need(other.size == value, r.loc, name,
                 f"{value} is declared the {basis} but that population "
                 + (f"has size {other.size}" if other.size is not None else "states no size"))


def _check_numbers(r: m.Result | m.Comparison, need: Callable[[bool, m.Loc, str, str], None]
                   ) -> None:
    """Impossible numbers: CI order, estimate outside CI, p outside [0,1], counts and percents."""
    if r.ci_low is not None or r.ci_high is not None:
        need(r.ci_low is not None and r.ci_high is not None, r.loc, "ci_low",
             "a confidence interval needs both ci_low and ci_high")
        if r.ci_low is not None and r.ci_high is not None:
            need(r.ci_low <= r.ci_high, r.loc, "ci_low",
                 f"CI low {r.ci_low} is above CI high {r.ci_high}")
            point = r.value if isinstance(r, m.Result) else r.estimate
            if point is not None and r.ci_low <= r.ci_high:
                need(r.ci_low <= point <= r.ci_high, r.loc,
                     "value" if isinstance(r, m.Result) else "estimate",
                     f"{point} lies outside its CI {r.ci_low}-{r.ci_high}")
    if r.ci_level is not None:
        need(0 < r.ci_level < 1, r.loc, "ci_level", f"must be a fraction in (0, 1), got "
                                                    f"{r.ci_level}")
    if isinstance(r, m.Comparison):
        if r.p_value is not None:
            need(0 <= r.p_value <= 1, r.loc, "p_value", f"{r.p_value} is not in [0, 1]")
        if r.measure == "hazard-ratio" and r.estimate is not None:
            need(r.estimate > 0, r.loc, "estimate", f"a hazard ratio must be positive, got "
                                                    f"{r.estimate}")
        return
    if r.unit == "percent" and r.value is not None:
        need(0 <= r.value <= 100, r.loc, "value", f"{r.value}% is not between 0 and 100")
    if r.value is not None and r.unit in {"month", "week", "day", "year"}:
        need(r.value >= 0, r.loc, "value", f"a duration cannot be negative, got {r.value}")
    if r.count is not None:
        need(r.count >= 0, r.loc, "count", f"must not be negative, got {r.count}")
    if r.count is not None and r.denominator is not None:
        need(r.denominator > 0, r.loc, "denominator", f"must be positive, got {r.denominator}")
        need(r.count <= r.denominator, r.loc, "count",
             f"{r.count} is above its denominator {r.denominator}")
        if r.unit == "percent" and r.value is not None and r.denominator > 0:
            exact = Decimal(100 * r.count) / Decimal(r.denominator)
            places = max(0, -int(r.value.as_tuple().exponent))
            # one unit in the last stated place: sources round (8.77 -> 8.8) or truncate
            # (25/57 = 43.86 printed as 43.8); anything further off is a real disagreement
            tolerance = Decimal(1) / Decimal(10) ** places
            need(abs(exact - r.value) <= tolerance, r.loc, "value",
                 f"{r.count}/{r.denominator} is {exact:.2f}%, not {r.value}%")


# ---------------------------------------------------------------- quotes


def locate_all(files: list[m.EvidenceFile], texts: dict[str, SourceText], problems: list[str]
               ) -> None:
    """Check that every quote of every record occurs exactly once in its document's text."""
    for f in files:
        source = texts.get(f.document.id)
        if source is None:
            continue
        records: list[m.Record | m.Explanation] = [r for _, r in f.iter_records()]
        records += list(f.explanations)
        for rec in records:
            quotes = rec.quotes if isinstance(rec, m.Record) else (rec.quote,)
            for q in quotes:
                try:
                    source.locate(q)
                except (QuoteNotFound, QuoteAmbiguous) as exc:
                    short = q if len(q) <= 80 else q[:77] + "..."
                    what = "not found" if isinstance(exc, QuoteNotFound) else "ambiguous"
                    problems.append(f"{rec.loc.at('quote')}: quote: {what} in "
                                    f"{f.document.text_file}: {short!r}: {exc}")


def check_tables(files: list[m.EvidenceFile], texts: dict[str, SourceText],
                 problems: list[str]) -> None:
    """Parse every table and check that its rows and the row-to-study links match one to one."""
    for f in files:
        source = texts.get(f.document.id)
        if source is None:
            continue
        for spec in f.tables:
            if not spec.columns or not _compiles(spec.row_pattern):
                continue  # reported while loading; a table is read with its columns and pattern
            try:
                rows = parse_table(source.text, spec)
            except TableError as exc:
                problems.append(f"{spec.loc}: tables.{spec.id}: {exc}")
                continue
            linked = set()
            for link in spec.rows:
                row = match_row(rows, link.trial, spec.label_column)
                if row is None:
                    problems.append(f"{link.loc.at('trial')}: trial: no row of {spec.id} reads "
                                    f"{link.trial!r}")
                else:
                    linked.add(row.index)
            for row in rows:
                if row.index not in linked:
                    first = row.cells[0].text
                    problems.append(f"{spec.loc}: tables.{spec.id}.rows: row {first!r} is not "
                                    "linked to a study")


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def read_text(doc: m.Document, texts_dir: Path, problems: list[str]) -> str | None:
    """Read a document's source text and check it against the recorded checksum."""
    path = texts_dir / doc.text_file
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{doc.loc.at('text')}: document.text: cannot read {doc.text_file}: "
                        f"{exc.strerror}")
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != doc.sha256:
        problems.append(f"{doc.loc.at('sha256')}: document.sha256: {doc.text_file} has checksum "
                        f"{digest}, the "
                        f"evidence file says {doc.sha256}; offsets would not match the text")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{doc.loc.at('text')}: document.text: {doc.text_file} is not UTF-8 "
                        f"({exc.reason})")
        return None


# ---------------------------------------------------------------- entry point


def load_corpus(sources: Path = SOURCES_DIR,
                read_evidence: Callable[[Path, list[str]], m.EvidenceFile | None] | None = None
                ) -> tuple[m.Corpus, dict[str, SourceText]]:
    """Load and validate everything under ``sources``; raise InputError listing all problems.

    Layout: ``identifiers.yaml``, ``entities.yaml``, ``evidence/*.yaml``, ``texts/*.txt``.
    ``read_evidence`` parses one evidence file (the build cache passes its cached reader).
    """
    read_evidence = read_evidence or load_evidence_file
    problems: list[str] = []
    sources = Path(sources)
    if not sources.is_dir():
        raise InputError([f"{sources}: sources folder not found"])
    table = load_identifier_table(sources / "identifiers.yaml", problems)
    entities = load_entities(sources / "entities.yaml", table, problems)
    paths = sorted((sources / "evidence").glob("*.yaml"))
    if not paths:
        problems.append(f"{sources / 'evidence'}: no evidence files (*.yaml) found")
    files = [f for f in (read_evidence(p, problems) for p in paths) if f is not None]
    files = resolve_extensions(files, entities, problems)
    check_evidence_files(paths, files, problems, _label)
    check_texts(sources / "texts", paths, files, problems, _label)
    check_references(files, entities, problems)
    texts: dict[str, str] = {}
    indexed: dict[str, SourceText] = {}
    for f in files:
        text = read_text(f.document, sources / "texts", problems)
        if text is not None:
            texts[f.document.id] = text
            doi = f.document.doi
            if doi is not None and doi.lower() not in text.lower():
                problems.append(f"{f.document.loc.at('doi')}: document.doi: {doi!r} is not "
                                f"printed in {f.document.text_file}; a DOI the text does not "
                                "print belongs in the identifier table, verified")
            indexed[f.document.id] = SourceText(text, f.document.page_headers)
    locate_all(files, indexed, problems)
    check_numbers_quoted(files, problems)
    check_tables(files, indexed, problems)
    if problems:
        raise InputError(problems)
    return m.Corpus(entities, tuple(files), texts), indexed


def _label(path: Path) -> str:
    """Path as shown in messages: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
