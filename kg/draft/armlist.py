"""Arms from a list in a sentence: "A versus B", "A or B", "A (n = 1), B and C (n = 2), or D".

A stage that is a plain function over a sentence and the lexicon: real abstracts put doses,
routes and arm sizes in brackets inside the list of arms, or give the arms only in the title.
Brackets are blanked before the list is split, and each side's regimen is the chain of drugs
joined by "plus", "and", "with" or "/" nearest the split.
"""

from __future__ import annotations

import re

from kg.draft.lexicon import Lexicon

SPLIT_RE = re.compile(r"\s*,?\s+(?:or|versus|vs\.?|v\.?|compared\s+with|compared\s+to|against)"
                      r"\s+(?:either\s+)?", re.I)
# what may stand between two drugs of one regimen: joiners, doses, schedules, blanked brackets
CHAIN_GAP = re.compile(r"(?:\s|[_\d.,·/+%-]|\b(?:plus|and|with|followed\s+by|then|combined\s+with|"
                       r"in\s+combination\s+with|mg|mg/m2|g|µg|daily|weekly|orally|oral|"
                       r"intravenous(?:ly)?|i\.v\.|iv|once|twice|every|\d-weekly|cycles?|of)\b)*",
                       re.I)
LIST_COMMA = re.compile(r",\s+")
ALONE_RE = re.compile(r"^\s*(?:alone|only|monotherapy)\b", re.I)


def blank_brackets(text: str) -> str:
    """The text with bracketed asides blanked with "_" (positions kept), to split a list of arms."""
    out = list(text)
    depth = 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        if depth:
            out[k] = "_"  # not white space: a split must not swallow the aside
        if ch in ")]" and depth:
            depth -= 1
    return "".join(out)


SHARED_AFTER = re.compile(r"\s+(?:after|before|following|prior\s+to|in\s+patients|among)\s|"
                          r",\s*(?:each\s+|both\s+)?followed\s+by\s", re.I)
SIDE_SPLIT = re.compile(r"\s(?:or|versus|vs\.?|v\.?)\s", re.I)


def cut_shared(tail: str) -> str:
    """The assignment's sides without what follows them all ("... or B after chemotherapy in").

    What comes after the last side is what every arm had, and may hold words ("or", a drug) that
    would read as another side; it is cut where it begins, past the first split, outside brackets.
    """
    blanked = blank_brackets(tail)
    first = SIDE_SPLIT.search(blanked)
    if first is None:
        return tail
    cut = SHARED_AFTER.search(blanked, first.end())
    return tail[:cut.start()] if cut else tail


def _chain(part: str, lex: Lexicon, from_end: bool) -> list[str]:
    """The regimen named at the end (left of a split) or start (right of it) of ``part``."""
    found = lex.find(part)
    if not found:
        return []
    seq = list(reversed(found)) if from_end else found
    edge = part[seq[0].end:] if from_end else part[:seq[0].start]
    # the regimen must stand at the split: only a few words may separate it from "versus"
    words = [w for w in re.findall(r"[A-Za-z]{3,}", edge) if not re.fullmatch(
        r"chemotherapy|therapy|treatment|regimen|with", w, re.I)]  # "versus X chemotherapy with B"
    if len(words) > (6 if from_end else 3):
        return []
    chain = [seq[0]]
    for nxt in seq[1:]:
        gap = part[nxt.end:chain[-1].start] if from_end else part[chain[-1].end:nxt.start]
        if not CHAIN_GAP.fullmatch(gap):
            break
        chain.append(nxt)
    if from_end:
        chain.reverse()
    return list(dict.fromkeys(x.key for x in chain))


def arm_list(text: str, lex: Lexicon) -> list[tuple[str, list[str]]]:
    """(part, regimen) for each arm of "A versus B" / "A or B" in ``text``; [] if none."""
    masked = blank_brackets(text)
    # "5 or more years", "2 or 3 cycles", "aged 70 or older": an amount, no second side
    cuts = [mt for mt in SPLIT_RE.finditer(masked) if not (
        re.search(r"\d\s*$", masked[:mt.start()]) and re.match(
            r"(?:\d|(?:more|less|greater|fewer|older|younger|higher|lower|longer|over)\b)",
            masked[mt.end():], re.I))]
    if not cuts:
        return []
    if cuts[-1].group().lstrip().startswith(","):  # "A (n=1), B and C (n=2), or D": a list
        head = cuts[-1].start()
        start = next((x.start for x in lex.find(masked[:head])), head)
        cuts = [*(mt for mt in LIST_COMMA.finditer(masked, start, head)), *cuts]
        cuts.sort(key=lambda mt: mt.start())
    bounds = [0, *(c for mt in cuts for c in (mt.start(), mt.end())), len(text)]
    parts = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    out: list[tuple[str, list[str]]] = []
    for n, (a, b) in enumerate(parts):
        seg = masked[a:b]
        if n == 0:  # "A for infection prophylaxis in surgery compared with B": the
            # first side is named before what it is for or where it is given
            head = re.split(r"\s(?:for|in(?!\s+combination)|among)\s", seg, maxsplit=1)[0]
            # ... unless a drug follows ("A for six cycles followed by B", "given in cycles with B")
            seg = head if head != seg and lex.find(head) and not lex.find(
                seg[len(head):], ("drug",)) else seg
        left = _chain(seg, lex, from_end=True) if n < len(parts) - 1 else []
        right = _chain(seg, lex, from_end=False) if n > 0 else []
        if n == 0:
            regimen = left
        elif n == len(parts) - 1:
            regimen = right
        else:  # a middle part: "A versus B versus C" names one regimen
            regimen = right or left
        if not regimen and n > 0 and ALONE_RE.match(seg) is None and out:
            regimen = []
        out.append((text[a:b], regimen))
    # "A or placebo, in combination with B": B, after the comma, is every arm's
    shared = re.search(r",\s*(?:each\s+|both\s+|all\s+)?(?:given\s+|administered\s+)?(?:in\s+"
                       r"combination\s+with|together\s+with|combined\s+with)\s",
                       masked[parts[-1][0]:])
    if shared and len(out) >= 2:
        common = _chain(masked[parts[-1][0] + shared.end():], lex, from_end=False)
        if common:
            out = [(part, [*(k for k in r if k not in common), *common]) for part, r in out]
    named = [(part, regimen) for part, regimen in out if regimen]
    # two arms of one regimen are two doses ("examplinib 200 mg/day, or examplinib 600 mg/day")
    keys = {(tuple(sorted(r)), dose_of(part)) for part, r in named}
    if len(named) < 2 or len(keys) < len(named):
        return []
    return named


DOSE_RE = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(mg/m2|mg/m²|mg/kg|mg|µg|mcg|g|IU|U)\b")


def dose_of(part: str) -> str | None:
    """The first dose a part prints ("900 mg"), to tell arms of one drug apart."""
    mt = DOSE_RE.search(part)
    return f"{mt.group(1)} {mt.group(2)}" if mt else None


def part_names(parts: list[str]) -> list[list[str]]:
    """The names each part of an assignment gives its own arm, beyond its drugs.

    "to CT (docetaxel ...) or ET (letrozole ...)": "CT", "ET"; "Arm A: A 5 mg/kg; or Arm B:
    ...": "arm A"; "PG (paclitaxel plus gemcitabine ...; AC-PG)": "AC-PG"; "standard care group
    (SC)": "SC". A name two parts share names neither.
    """
    found = []
    for part in parts:
        names = []
        lead = re.match(r"\s*(?:to\s+)?(?:receive\s+)?(?:either\s+)?"
                        r"(?P<n>(?-i:[A-Z][A-Za-z0-9-]{1,9}))\s*\(", part, re.I)
        if lead:
            names.append(lead.group("n"))
        label = re.match(r"\s*(?:to\s+)?(?:either\s+)?(?P<n>arm|group)\s+(?P<k>[A-D1-4])\s*:", part,
                         re.I)
        if label:
            names.append(f"arm {label.group('k')}")
        names += [m.group("a") for m in re.finditer(  # "(...; AC-PG)", "standard care group (SC)"
            r"(?:[;,]|\b(?:group|arm))\s*\(?\s*(?P<a>(?-i:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|"
            r"[A-Z]{2,6}))\s*\)", part, re.I)]
        found.append(names)
    shared = {n for names in found for n in names if sum(n in x for x in found) > 1}
    return [[n for n in names if n not in shared] for names in found]
