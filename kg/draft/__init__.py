"""``kg draft``: draft an evidence file from a paper's text, for a curator to review.

The drafter reads the text (plain, with ``Field: value`` header lines, or PubMed MEDLINE),
proposes every record it can find with the sentence that states it, and writes a copy of the text
and the draft into a sources folder. A draft always builds: it is loaded with the same loader as
curated files, and any record the loader rejects is dropped and listed at the top of the file.
Identifiers are attached only from the verified identifier table; a known trial (registry id or
acronym) is attached to the existing study with ``extends``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import model as m
from kg.draft.extract import Drafter, quote_of, slug
from kg.draft.lexicon import Lexicon
from kg.draft.linking import link, restate
from kg.draft.reading import DOI_RE, Paper, read_paper, sentences
from kg.draft.redraft import RedraftError, Reviewed, keep_reviewed, reviewed_in
from kg.draft.unlinked import add_to_entities, proposal_lines, unlinked_names
from kg.draft.writer import block, unique_ids, unique_in, value
from kg.numbers import iter_numbers
from kg.paths import SOURCES_DIR
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText
from kg.sources.loader import InputError, load_corpus, load_entities, load_identifier_table


class DraftError(Exception):
    """The paper cannot be drafted (unreadable, empty, or the sources folder is broken)."""


@dataclass
class DraftReport:
    """What was written and what the curator must look at."""

    evidence: Path
    text: Path
    records: int
    dropped: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    attached_to: str | None = None
    unlinked: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # names --add-names wrote to entities.yaml


def _existing(sources: Path) -> m.Corpus | None:
    """The corpus already in the sources folder, to attach a known trial to its study."""
    try:
        return load_corpus(sources)[0]
    except InputError:
        return None  # sources that do not load: draft without linking to a known trial


ABBREVIATED = {"NSCLC", "SCLC", "HCC", "RCC", "AML", "CRC", "OS", "PFS", "ORR", "DCR", "HR",
               "CI", "ITT", "RECIST", "ECOG", "GEJ", "STS", "EGFR", "HER2", "BRAF", "MET"}


def _defined_by(words: list[str], abbreviation: str) -> bool:
    """Whether ``abbreviation`` abbreviates the words before it: its letters are their initials.

    "doxorubicin and cyclophosphamide (AC)", "progressive disease (PD)".
    """
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    initials = [w[0].lower() for w in words[-(len(letters) + 3):] if w[:1].isalpha()]
    k = 0
    for c in initials:
        if k < len(letters) and c == letters[k]:
            k += 1
    return k == len(letters)


def _acronym(paper: Paper, lex: Lexicon) -> str | None:
    """A trial acronym the title (or the opening of the body) gives in brackets.

    Not an abbreviation the words before it define ("(AC)" after "doxorubicin and
    cyclophosphamide"), nor a short one (trial names have four letters or a digit: "ATAC",
    "BIG 1-98"), nor a drug, disease or biomarker name.
    """
    opening = paper.title + " " + paper.text[paper.body[0]:paper.body[1]][:600]
    for mt in re.finditer(r"\(([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\)", opening):
        name = mt.group(1)
        if len(name) < 4 and not re.search(r"\d", name):
            continue
        if _defined_by(re.findall(r"[A-Za-z][\w-]*", opening[:mt.start()]), name):
            continue
        if name.upper() not in ABBREVIATED and not lex.find(name, ("drug", "disease",
                                                                   "biomarker")):
            return name
    return None


def compose(paper: Paper, doc_id: str, text_name: str, lex: Lexicon, corpus: m.Corpus | None,
            drop: set[str], reviewed: Reviewed | None = None
            ) -> tuple[list[str], int, str | None, list[str], list[str]]:
    """The draft's lines, record count, the study it extends, unplaced numbers, and notes.

    The notes tell the curator about known studies the paper names or resembles.
    """
    d = Drafter(paper, lex.with_abbreviations(paper.text)).run()
    sha = hashlib.sha256(paper.text.encode("utf-8")).hexdigest()
    acronym = _acronym(paper, lex)
    sizes = [p["size"] for p in d.populations if p.get("size") and not p.get("arm")
             and not p.get("parent")]
    found = link(paper, acronym, corpus, [a.regimen for a in d.arms], d.design.get("phase"),
                 d.conditions, max(sizes) if sizes else None)
    # the reviewed study this paper reports, when it is one the sources hold
    known = corpus.studies[found.study] if found.study and corpus is not None else None
    doc: dict = {"id": doc_id, "text": text_name, "sha256": sha,
                 "kind": "draft by kg draft (review before use)", "title": quote_of(paper.title)}
    f = paper.fields
    if f.get("authors"):
        doc["authors"] = [a.strip() for a in f["authors"].split(";") if a.strip()]
    if f.get("journal"):
        doc["journal"] = f["journal"]
    if re.fullmatch(r"\d{4}", f.get("year", "")):
        doc["year"] = int(f["year"])
    doi = f.get("doi") or (DOI_RE.search(paper.text).group() if DOI_RE.search(paper.text)
                           else None)
    if doi and doi.rstrip(".").lower() in paper.text.lower():
        doc["doi"] = doi.rstrip(".")
    sid = slug(doc_id)
    study: dict = {}
    if known:
        study["extends"] = found.extends
    else:
        study["id"] = sid
        study["label"] = quote_of(paper.title)
        if acronym:
            study["acronym"] = acronym
        if d.conditions:
            study["conditions"] = d.conditions
        study.update(d.study)
        design = {k: v for k, v in d.design.items()}
        if "phase" in design:
            design["phase"] = [design["phase"]]
        if design:
            study["design"] = design
    source = SourceText(paper.text)

    def unique(q: str) -> bool:
        try:
            source.locate(q)
        except (QuoteNotFound, QuoteAmbiguous):
            return False
        return True

    body = [quote_of(paper.text[a:b]) for a, b in sentences(paper)]
    candidates = [q for q in dict.fromkeys([*d.design_quotes, quote_of(paper.title), *body])
                  if unique(q) and not re.fullmatch(r"[\w ]{1,40}:", q)]  # not a heading
    study["quote"] = candidates[:3] if d.design_quotes else candidates[:1]
    if "extends" not in study:
        study["drafted"] = "design-sentences"
    arms = [{"id": a.id, "label": a.label, "regimen": a.regimen, **(
        {"dosing": a.dosing} if a.dosing else {}), "quote": a.quote, "drafted": a.rule}
        for a in d.arms]
    unique_in(arms)
    records = {"arms": arms, "populations": d.populations,
               "endpoints": list(d.endpoints.values()), "results": [], "comparisons": [],
               "adverse_events": list(d.adverse_events)}
    whole = {"randomised", "enrolled"}
    for r in d.results:
        pop = r.get("population", "") if r.get("population") not in whole else ""
        rid = slug("-".join(x for x in (r["endpoint"], r.get("arm") or "all", pop) if x))
        records["results"].append({"id": rid, **r})
    for c in d.comparisons:
        pop = c.get("population", "") if c.get("population") not in whole else ""
        short = {"risk-ratio": "rr", "odds-ratio": "or"}.get(c.get("measure", ""), "hr")
        cid = slug("-".join(x for x in (c["endpoint"], short if "estimate" in c else "p", pop)
                            if x))
        records["comparisons"].append({"id": cid, **c})
    taken: set[str] = set()
    if known:  # the study's statements keep their ids
        restate(records, known)
        taken = {r.id for part in (known.results, known.comparisons, known.findings)
                 for r in part}
    unique_ids(records, taken)  # one id space a study
    reviewed = reviewed or Reviewed()
    keep_reviewed(records, reviewed)
    if reviewed.study is not None:
        study = dict(reviewed.study)
    for key, recs in records.items():
        records[key] = [r for r in recs if f"{key}/{r['id']}" not in drop]
    _drop_dangling(records, known)
    lines = ["document:"] + [f"  {k}: {value(v)}" for k, v in doc.items()]
    first = next(k for k in ("extends", "id") if k in study)
    lines += ["", "studies:", f"  - {first}: {value(study[first])}"]
    lines += [f"    {k}: {value(v)}" for k, v in study.items() if k != first]
    for key in ("arms", "populations", "endpoints", "results", "comparisons", "adverse_events"):
        lines += block(key, records[key], 4)
    claims = []
    if not known and d.claims:
        for c in d.claims:
            c = {"id": slug(f"{doc_id}-conclusion"), **c, "studies": [sid]}
            if not c["negated"]:
                c.pop("negated")
            claims.append(c)
        unique_in(claims)
        claims = [c for c in claims if f"claims/{c['id']}" not in drop]
    ids = {c.get("id") for c in reviewed.claims}
    claims = [*reviewed.claims, *(c for c in claims if c.get("id") not in ids)]
    if claims:
        lines += ["", *block("claims", claims, 0)]
    count = 1 + sum(len(v) for v in records.values()) + len(claims)
    start, end = paper.body
    unplaced = []
    for p in iter_numbers(paper.text[start:end]):
        pos = start + p.start
        if pos not in d.used:
            line = paper.text.count("\n", 0, pos) + 1
            unplaced.append(f"{text_name}:{line}: {p.text}")
    return lines, count, found.study, unplaced, found.notes


def _drop_dangling(records: dict[str, list[dict]], study: m.Study | None = None) -> None:
    """Remove references to arms, populations or endpoints that are not there.

    Those of the known ``study`` a draft extends are there: its restated parts point at them.
    """
    arms = {a["id"] for a in records["arms"]} | {a.id for a in (study.arms if study else ())}
    pops = {p["id"] for p in records["populations"]} | {
        p.id for p in (study.populations if study else ())}
    for p in records["populations"]:
        if p.get("parent") not in pops:
            p.pop("parent", None)
        if p.get("arm") not in arms:
            p.pop("arm", None)
    endpoints = {e["id"] for e in records["endpoints"]} | {
        e.id for e in (study.endpoints if study else ())}
    for key in ("results", "comparisons"):
        keep = []
        for r in records[key]:
            for ref in ("arm", "experimental", "reference"):
                if ref in r and r[ref] not in arms:
                    r.pop(ref)
            if r.get("population") not in pops:
                r.pop("population", None)
            sides = {"experimental", "reference"} <= set(r) or (
                len(r.get("groups", ())) == 2 and set(r["groups"]) <= pops)
            if r.get("endpoint") in endpoints and (key != "comparisons" or sides):
                keep.append(r)
        records[key] = keep
    for r in records.get("adverse_events", []):
        if r.get("arm") not in arms:
            r.pop("arm", None)


def _record_at(lines: list[str], line: int) -> str | None:
    """The record a 1-based line of the draft belongs to, as ``section/id``."""
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    mt = re.match(r"\s*- \{id: ([^,}]+)", text)
    if not mt:
        return None
    for back in range(line - 1, -1, -1):
        head = re.match(r"\s*(\w+):\s*$", lines[back])
        if head:
            return f"{head.group(1)}/{mt.group(1)}"
    return None


def draft_paper(paper_path: Path, sources: Path = SOURCES_DIR, doc_id: str | None = None,
                add_names: bool = False) -> DraftReport:
    """Draft ``paper_path`` into ``sources``: ``texts/ID.txt`` and ``evidence/ID.yaml``.

    With ``add_names`` the names the entity file lacks are added to it (labels only) and the
    paper is drafted with them, in the same pass.
    """
    try:
        raw = Path(paper_path).read_bytes()
    except OSError as exc:
        raise DraftError(f"{paper_path}: cannot read it: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftError(f"{paper_path}: not UTF-8 text") from exc
    if not text.strip():
        raise DraftError(f"{paper_path}: the file is empty")
    doc_id = doc_id or slug(Path(paper_path).stem)
    if not re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", doc_id):
        raise DraftError(f"--id {doc_id!r}: use lower case letters, digits, '.', '+' or '-'")
    sources = Path(sources)
    problems: list[str] = []
    table = load_identifier_table(sources / "identifiers.yaml", problems)
    entities = load_entities(sources / "entities.yaml", table, problems)
    if problems:
        raise DraftError("the sources folder's entities do not load:\n" + "\n".join(problems))
    text_path = sources / "texts" / f"{doc_id}.txt"
    evidence = sources / "evidence" / f"{doc_id}.yaml"
    if text_path.exists() and text_path.read_bytes() != raw:
        raise DraftError(f"{text_path} exists with another text; give another --id")
    had_text = text_path.exists()
    previous = evidence.read_bytes() if evidence.exists() else None
    try:
        reviewed = reviewed_in(evidence) if previous is not None else Reviewed()
    except RedraftError as exc:
        raise DraftError(str(exc)) from exc
    if previous is not None:  # drafting again: the corpus without the earlier draft
        evidence.unlink()
    try:
        corpus = _existing(sources)
    finally:
        if previous is not None:
            evidence.write_bytes(previous)
    paper = read_paper(text)
    lex = Lexicon(entities)
    text_path.parent.mkdir(parents=True, exist_ok=True)
    evidence.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_bytes(raw)
    drop: set[str] = set()
    dropped: list[str] = []
    names = unlinked_names(paper.text, *paper.body, lex, paper.title or "")
    entities_file = sources / "entities.yaml"
    entities_before = entities_file.read_bytes()
    added: list[str] = []
    try:
        if add_names and names:
            add_to_entities(entities_file, names, text_path.name)
            entities = load_entities(entities_file, table, problems)
            if problems:  # cannot happen for labels alone; the entity file is restored below
                raise DraftError("adding the names broke entities.yaml:\n" + "\n".join(problems))
            added = [f"{u.kind[:-1]} {u.label}" for u in names]
            lex = Lexicon(entities)
            names = unlinked_names(paper.text, *paper.body, lex, paper.title or "")
        proposals = proposal_lines(names, paper.text, text_path.name)
        for _ in range(12):
            lines, count, attached, unplaced, notes = compose(paper, doc_id, text_path.name,
                                                              lex, corpus, drop, reviewed)
            header = _header(unplaced, dropped, [*proposals, *notes])
            evidence.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
            try:
                load_corpus(sources)
                return DraftReport(evidence, text_path, count, dropped, unplaced, attached,
                                   [f"{u.kind[:-1]} {u.label}" for u in names], added)
            except InputError as exc:
                bad = _failing(exc.problems, evidence, len(header), lines)
                mine = bad & reviewed.keys()
                if mine:  # a curator's record is never dropped: they fix it, nothing is lost
                    raise DraftError("a reviewed record of the earlier draft does not load; "
                                     f"fix it in {evidence} and draft again:\n" + "\n".join(
                                         p for p in exc.problems if evidence.name in p)) from exc
                if not bad - drop:
                    raise DraftError("the draft does not load:\n" + "\n".join(
                        p for p in exc.problems if evidence.name in p)) from exc
                for b in sorted(bad - drop):
                    dropped.append(b)
                drop |= bad
        raise DraftError("the draft could not be made to load")
    except BaseException:  # nothing is lost: an earlier draft and its review work come back
        entities_file.write_bytes(entities_before)
        if not had_text:
            text_path.unlink(missing_ok=True)
        if previous is None:
            evidence.unlink(missing_ok=True)
        else:
            evidence.write_bytes(previous)
        raise


def _failing(problems: list[str], evidence: Path, offset: int, lines: list[str]) -> set[str]:
    out = set()
    for p in problems:
        mt = re.match(rf".*{re.escape(evidence.name)}:(\d+):", p)
        if mt:
            rec = _record_at(lines, int(mt.group(1)) - offset)
            if rec:
                out.add(rec)
    return out


def _header(unplaced: list[str], dropped: list[str], proposals: list[str]) -> list[str]:
    out = ["# DRAFT written by `kg draft`: every record below is a proposal, marked `drafted:`",
           "# with the rule that made it. Check each against its quote, complete what is missing,",
           "# delete its `drafted:` field, then `kg build` and `kg audit`; `kg draft --check FILE`",
           "# lists what is still unreviewed.", "#", *proposals]
    if dropped:
        out.append("# Records dropped because the build rejected them:")
        out += [f"#   {d}" for d in dropped]
    if unplaced:
        out.append(f"# Numbers of the text not placed in any record ({len(unplaced)}):")
        out += [f"#   {u}" for u in unplaced]
    return [*out, ""]
