"""Read a paper: its bibliographic header (``Field: value`` lines or MEDLINE tags) and sentences.

The drafted quotes must be found verbatim in the shipped copy of the text, so the reader never
edits the text: it only finds where the abstract body lies and where its sentences start and end,
including sentences run together without a space ("were enrolled.Median ...").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

HEADER_FIELDS = {"title", "authors", "journal", "year", "pmid", "doi", "nct", "source",
                 "citation"}
HEADER_RE = re.compile(r"^(?P<key>[A-Za-z]+):[ \t]*(?P<value>.*)$")
MEDLINE_RE = re.compile(r"^(?P<tag>[A-Z]{2,4})\s*-\s(?P<value>.*)$")
NCT_RE = re.compile(r"\bNCT\d{8}\b")
DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s\[\]]+")
ABBREVIATIONS = ("vs.", "v.", "e.g.", "i.e.", "et al.", "approx.", "no.", "Fig.", "ca.", "Dr.")


@dataclass
class Paper:
    """A paper's text with what its header says and where its body lies."""

    text: str
    fields: dict[str, str] = field(default_factory=dict)
    body: tuple[int, int] = (0, 0)

    @property
    def title(self) -> str:
        """The title from the header, else the first line of the text."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return self.fields.get("title") or first

    @property
    def ncts(self) -> list[str]:
        """Registry ids printed anywhere in the text."""
        return sorted(set(NCT_RE.findall(self.text)))


def _medline(text: str) -> tuple[dict[str, str], tuple[int, int]] | None:
    """MEDLINE tags: TI, AB, AU/FAU, TA/JT, DP, PMID, LID ... [doi], SI ClinicalTrials.gov/NCT."""
    lines = text.splitlines(keepends=True)
    if not lines or not MEDLINE_RE.match(lines[0]) or not lines[0].startswith("PMID"):
        return None
    fields: dict[str, list[str]] = {}
    spans: dict[str, tuple[int, int]] = {}
    pos, tag = 0, None
    for line in lines:
        mt = MEDLINE_RE.match(line)
        if mt:
            tag = mt.group("tag")
            fields.setdefault(tag, []).append(mt.group("value").strip())
            spans.setdefault(tag, (pos + line.index(mt.group("value")), pos + len(line)))
            if tag == "AB":
                spans["AB"] = (pos + line.index(mt.group("value")), pos + len(line))
        elif tag and line.startswith("      "):
            fields[tag][-1] += " " + line.strip()
            if tag == "AB":
                spans["AB"] = (spans["AB"][0], pos + len(line))
        pos += len(line)
    out = {"pmid": fields.get("PMID", [""])[0], "title": fields.get("TI", [""])[0],
           "authors": "; ".join(fields.get("FAU") or fields.get("AU") or []),
           "journal": (fields.get("JT") or fields.get("TA") or [""])[0],
           "year": (re.findall(r"\d{4}", (fields.get("DP") or [""])[0]) or [""])[0]}
    for lid in fields.get("LID", []) + fields.get("AID", []):
        if "[doi]" in lid:
            out["doi"] = lid.replace("[doi]", "").strip()
    for si in fields.get("SI", []):
        found = NCT_RE.search(si)
        if found:
            out["nct"] = found.group()
    return {k: v for k, v in out.items() if v}, spans.get("AB", (0, len(text)))


def read_paper(text: str) -> Paper:
    """Split header from body; the body is the abstract the records are drafted from."""
    medline = _medline(text)
    if medline is not None:
        return Paper(text, medline[0], medline[1])
    fields: dict[str, str] = {}
    pos = 0
    for line in text.splitlines(keepends=True):
        mt = HEADER_RE.match(line.strip())
        if not line.strip():
            if fields:
                pos += len(line)
                break
            pos += len(line)
            continue
        if not mt or mt.group("key").lower() not in HEADER_FIELDS:
            break
        key, value = mt.group("key").lower(), mt.group("value").strip()
        if key == "authors" and ";" not in value:
            value = "; ".join(a.strip() for a in value.split(","))  # one separator for both
        fields[key] = value
        pos += len(line)
    body_start = pos if fields else 0
    if fields and "title" not in fields:
        fields["title"] = text[body_start:].strip().splitlines()[0]
    return Paper(text, fields, (body_start, len(text)))


_END = re.compile(r"(?<=[.!?])(?:[\"')\]]*)(?:\s+(?=[A-Z0-9(\[])|(?=[A-Z][a-z]))")
_HEADING = re.compile(r"(?:^|\n)\s*(?:[A-Z][A-Za-z ]{2,30}|[A-Z ]{3,30}):\s")


def sentences(paper: Paper) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the body, section headings cut off."""
    start, end = paper.body
    body = paper.text[start:end]
    cuts = {0, len(body)}
    for mt in _END.finditer(body):
        before = body[max(0, mt.start() - 8):mt.start()]
        if any(before.endswith(a) for a in ABBREVIATIONS):
            continue
        if re.search(r"\d\.$", before) and mt.end() < len(body) and body[mt.end()].isdigit():
            continue  # "P=.021" or a decimal, not an end
        cuts.add(mt.end())
    for mt in re.finditer(r"\n\s*\n", body):
        cuts.add(mt.end())
    for mt in _HEADING.finditer(body):  # "Methods:" or "RESULTS:" starts a sentence
        cuts.add(mt.end())
    out = []
    ordered = sorted(cuts)
    for a, b in itertools.pairwise(ordered):
        seg = body[a:b]
        lead = len(seg) - len(seg.lstrip())
        text = seg.strip()
        if len(text) > 3:
            out.append((start + a + lead, start + a + lead + len(text)))
    return out
