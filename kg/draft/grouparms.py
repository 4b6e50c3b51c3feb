"""Arms named by what a paper calls its groups, when no known drug or intervention forms them.

A stage that is a plain function over one sentence. Many trials compare things no drug lexicon
names: "randomly assigned to a walking (n = 31) or control (n = 29) group", "randomised into
a study group and a control group", "assigned to the booklet plus a phone call (72
patients) or the phone call alone (70 patients)". Each side of the assignment gives a name:
the words before "group" or "arm", else the side itself with its schedule cut off, split into
components at "plus", "with" or "and". A name must be a short phrase of words; anything else
(a dose, a clause, a number of cycles) gives no arms at all, rather than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.draft.armlist import blank_brackets, cut_shared, dose_of
from kg.numbers import iter_numbers

ASSIGN_RE = re.compile(
    r"\b(?:randomly\s+(?:assigned|allocated|divided|distributed|selected)|randomi[sz]ed|"
    r"allocated|assigned|divided)\b(?P<gap>[^.;]{0,200}?)\b(?:into|to|between|among)\s+"
    r"(?!a\s+\d+\s*:|\d)(?:(?:the|this)\s+(?:study|trial)\s*:\s*|(?:one\s+of\s+)?(?:the\s+)?"
    r"(?:following\s+)?(?:two|three|four|2|3|4)\s+(?:study\s+|treatment\s+)?(?:groups?|arms?)\s*:\s*)?",
    # "the study: 31 had A", "two groups: a ...", "one of two study arms: A (control arm) or B"
    re.I)
# the adjective, not the verb: "a randomized study to compare", "randomised, double-blind trial"
NOT_ASSIGNING = re.compile(r"\b(?:study|trial|phase|design|fashion|manner|controlled|"
                           r"double|open|blind)\b", re.I)
SIDES_RE = re.compile(r"\s*,?\s+(?:or|versus|vs\.?|v\.?|compared\s+with)\s+|,\s+and\s+|\s+and\s+",
                      re.I)
# the sides in a bracket, each with its size: "were randomly assigned (812 to A, 809 to B)"
# or "were randomized (24 preoperative chemotherapy and 25 postoperative chemotherapy)"
BRACKET_RE = re.compile(r"\b(?:randomly\s+(?:assigned|allocated)|randomi[sz]ed)\s*\((?=\d[\d,]*\s+"
                        r"(?:to\s+)?[A-Za-z][^()]+(?:,|\band\b)\s*\d[\d,]*\s+(?:to\s+)?[A-Za-z]"
                        r"[^()]+\))", re.I)
# one thing had or not, the groups' brackets before it: "to have (41 women) or not have
# (39) X", "by either using (Group A, 44 women) or not using (Group B, 46 women) X"
NOT_FORM_RE = re.compile(r"\b(?P<v>undergo|receive|have|use|using|receiving|having)\s*"
                         r"(?P<a>\([^()]*\))\s+or\s+not(?:\s+(?P=v))?\s*(?P<b>\([^()]*\))\s+"
                         r"(?:(?:a|an|the)\s+)?(?P<x>[A-Za-z][\w -]{2,60}?)"
                         r"(?=\s*[.,;(]|\s+(?:in|for|during|after|before|with|at|on|by|to)\b|$)",
                         re.I)
ABBR_BRACKET = re.compile(r"\s*\((?:[A-Za-z]+-)?[A-Z]{1,6}\)")  # "(IT)", "(non-IT)"
# "Randomised patients (n=188) received HD or standard-dose (SD) chemotherapy"
RECEIVED_RE = re.compile(r"\brandomi[sz]ed\s+(?:patients|women|participants|subjects)\s*"
                         r"(?:\([^()]*\)\s*)?(?:received|were\s+given|underwent)\s+(?=[^.;]*\sor\s)",
                         re.I)
# where a side's name ends: its schedule, dose, route or what follows the assignment
NAME_END_RE = re.compile(
    r"\s*(?:[_,:;]|\b(?:for|during|on|at|every|daily|weekly|before|after|in|given|administered|"
    r"applied|delivered|receiving|who|which|that|were|was|consisting|including|using|"
    r"(?<!followed )by|from|alone|only|arms?|groups?|cohorts?|respectively|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|twelve)\b|\d)", re.I)
# a size before the side's name: "88 to AB and 90 to examplinib"
SIZE_LEAD_RE = re.compile(r"^\d[\d,]*\s+(?!(?:mg|g|µg|mcg|ml|iu|units?|cycles?|weeks?|months?|"
                          r"days?|courses?|doses?|fractions?|gy)\b)(?:(?:\w+\s+)?(?:to|in|on|into)\s+|"
                          r"(?:(?:patients|women)\s+)?(?:had|received|underwent)\s+)?",
                          re.I)  # "31 had A, 29 had B", "30 patients received A (group A), ..."
JOIN_RE = re.compile(r"\s+(?:plus|with|and|combined\s+with|followed\s+by|\+)\s+|\s*\+\s*", re.I)
LEAD_RE = re.compile(r"^(?:(?:the|a|an|to|either|receive|undergo|one|of|two|three|four|treatment|"
                     r"therapy|with|use|application|injection|administration)\s+)+", re.I)
# a side that names its group in brackets: "(the sentinel-node group)", "(the weekly arm)"
OWN_NAME_RE = re.compile(r"\((?:the\s+)?(?P<name>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,3}?)\s+"
                         r"(?:group|arm)\)", re.I)
# words that are not a name by themselves: the group is named by something else
NOT_NAMES = {"using", "not", "no", "both", "each", "either", "two", "three", "four", "groups",
             "group", "arms", "arm", "patients", "women", "men", "participants", "subjects",
             "treatment", "treatments", "therapy", "one", "other", "same", "different",
             "following", "sequence", "order", "ratio", "blocks", "trial", "receive",
             "cycles", "cycle", "doses", "dose", "schedule", "schedules", "regimen", "regimens",
             "randomly", "equally", "centre", "center", "stratified", "undergo", "use",
             "preoperative", "postoperative", "adjuvant", "neoadjuvant", "concomitant", "balance",
             "compare", "evaluate", "assess", "determine", "investigate", "examine", "test",
             "mg", "g", "ml", "gy", "iu", "units"}


@dataclass(frozen=True)
class Side:
    """One side of an assignment: its text, its name, and the names of its components."""

    start: int  # where the side starts in the sentence
    text: str
    name: str
    components: tuple[str, ...]


def _name(side: str, blanked: str) -> str | None:
    """The name a side gives its group, or None when it gives none."""
    span = re.match(r"\s*(?:to\s+)?(?:an?\s+)?\d+[- ](?:years?|months?|weeks?|days?)(?:-long)?\s+",
                    side, re.I)
    if span:  # "to a 1-year walking programme": the programme, not its length
        side, blanked = side[span.end():], blanked[span.end():]
    lead = re.match(r"\s*(?:to\s+)?(?:treatment|therapy|a\s+regimen)\s+including\s+", side, re.I)
    if lead:  # "to treatment including intraventricular chemotherapy": what it includes
        side, blanked = side[lead.end():], blanked[lead.end():]
    group = re.search(r"\b(?:groups?|arms?|cohorts?)\b", blanked, re.I)
    if group and blanked[:group.start()].strip(" _"):
        name = side[:group.start()]
        name = re.sub(r"\([^()]*\)", " ", name)  # "walking (n = 31) or control group"
    else:
        end = NAME_END_RE.search(blanked)
        name = side[:end.start()] if end else side
    name = re.sub(ABBR_BRACKET.pattern, "", name)  # "intraventricular (IT) chemotherapy"
    if group and re.fullmatch(r"\s*(?:to\s+)?(?:the\s+|an?\s+)?treatment\s*", name, re.I):
        return "treatment"  # "to the treatment group (n = 29) ...": a generic group
    name = LEAD_RE.sub("", " ".join(name.split())).strip(" ,.-")
    name = re.sub(r"(?:\s+(?:with|plus|and|of|the|a|an|to))+$", "", name, flags=re.I)
    if re.fullmatch(r"no\s+(?:further\s+|additional\s+)?(?:treatment|therapy|intervention)", name,
                    re.I):
        return name  # "34 had no treatment": the untreated arm
    words = name.split()
    if not words or len(words) > 6 or not any(re.fullmatch(r"[A-Za-z][\w'-]*", w) and
                                              w.lower() not in NOT_NAMES for w in words):
        return None
    if any(not re.fullmatch(r"[A-Za-z0-9][\w'/-]*", w) for w in words):
        return None  # a bracket, a quote or a sign: not a plain phrase
    return name


def treatment_name(phrase: str) -> str | None:
    """The name a phrase gives what a group received, cut before its purpose.

    "tailored advice to lower their sugar intake": "tailored advice"; None when the phrase
    names nothing plain.
    """
    phrase = re.split(r"\s+to\s+(?!the\b|a\b|an\b)(?=[a-z]+\s)", phrase, maxsplit=1)[0]
    return _name(phrase, _blank(phrase))


def _blank(text: str) -> str:
    """Brackets blanked with "_", but an abbreviation's with spaces.

    The abbreviation is part of the name it follows ("intraventricular (IT) chemotherapy").
    """
    out = blank_brackets(text)
    for mt in ABBR_BRACKET.finditer(text):
        out = out[:mt.start()] + " " * len(mt.group()) + out[mt.end():]
    return out


def _assignment(sentence: str) -> re.Match[str] | None:
    """The sentence's assignment, from whichever of its verbs assigns.

    "In a trial with randomisation, 150 women were then assigned to ...": the second.
    """
    pos = 0
    while (mt := ASSIGN_RE.search(sentence, pos)) is not None:
        if not NOT_ASSIGNING.search(mt.group("gap")):
            return mt
        pos = mt.start() + 1
    return None


def group_sides(sentence: str) -> list[Side]:
    """The sides of the sentence's assignment with their names; empty when it names none.

    Two to four sides, each named, with different names; otherwise nothing.
    """
    mt = BRACKET_RE.search(sentence) or _assignment(sentence) or RECEIVED_RE.search(sentence)
    if mt is None:
        return []
    tail = sentence[mt.end():]
    without = NOT_FORM_RE.search(tail)
    if without:  # "to have (41 women) or not have (39) X": X, and no X, each side's
        x = without.group("x")  # text its bracket ("(Group A, 38 women)": its name, its size)
        return [Side(mt.end() + without.start(g), without.group(g), name, (name,))
                for g, name in (("a", x), ("b", f"no {x}"))]
    if mt.re is BRACKET_RE:  # "randomly assigned (812 to A, 809 to B)"
        tail = tail[:tail.find(")")].replace(",", " or")
    stop = re.search(r";|\.\s|\.$|,\s*(?:stratified|respectively|and\s+(?:were|was|then|"
                     r"followed|monitored|treated|received))", blank_brackets(tail))
    if stop:  # where the assignment ends, never inside a bracket ("(30 mg; n = 421)")
        tail = tail[:stop.start()]
    tail = cut_shared(tail)
    blanked = _blank(tail)
    cuts = [(m.start(), m.end()) for m in SIDES_RE.finditer(blanked)]
    if re.search(r"\s(?:or|versus|vs\.?|v\.?|compared\s+with)\s", blanked, re.I):
        # "A plus B or C": "or" separates the sides; without it ("to a study group and a
        # control group") "and" does
        cuts = [c for c in cuts if "and" not in blanked[c[0]:c[1]].lower()]
    first = cuts[0][0] if len(cuts) == 1 and "and" not in blanked[slice(*cuts[0])] else 0
    if first and not re.search(r"\b(?:and|plus|with|followed|then)\b|\+", blanked[:first], re.I):
        # "to placebo, A 10 mg or A 40 mg": a list of sides before the last one's "or"
        cuts = sorted(cuts + [(m.start(), m.end()) for m in re.finditer(
            r",\s+(?=[A-Za-z])(?!(?:every|each|daily|weekly|twice|once|given|for|on|at|in|"
            r"over|during|as|until|per|then)\b)", blanked[:first], re.I)])
    if len(re.findall(r"\b(?:groups?|arms?)\b", blanked, re.I)) >= 3:
        # "to a control group, a letter group or a text group": a list of groups
        cuts = sorted(cuts + [(m.start("c"), m.end()) for m in re.finditer(
            r"\b(?:group|arm)(?P<c>,)\s+(?!and\b|or\b)", blanked, re.I)])
    if re.match(r"\d[\d,]*\s+(?:(?:patients|women)\s+)?(?:had|received|underwent)\s", blanked):
        # "31 had A, 29 had B and 34 had C": a comma before each size
        cuts += [(m.start(), m.end()) for m in re.finditer(r",\s+(?=\d)", blanked)]
    cuts = sorted(set(cuts))  # a comma cut by both rules is one cut
    bounds = [0, *(x for c in cuts for x in c), len(tail)]
    sides: list[Side] = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        lead = SIZE_LEAD_RE.match(tail[a:b])
        a += lead.end() if lead else 0
        if sides and len(cuts) == 1 and re.fullmatch(r"not|none|no|without", blanked[a:b].split(
                "_")[0].strip(), re.I):
            # "to receive radiotherapy (n = 176) or not (n = 181)": the other arm goes without
            name = f"no {sides[0].name}"
            sides.append(Side(mt.end() + a, tail[a:b], name, (name,)))
            continue
        own = OWN_NAME_RE.search(tail[a:b])
        if own:  # "to A followed by B (the B group)": the side's own name for its group
            given = _name(tail[a:a + own.start()], blanked[a:a + own.start()])
            name = own.group("name")
            what = given or name
        else:
            name = what = _name(tail[a:b], blanked[a:b])
            said = re.search(r"\b(?:group|arm)\s*\((?P<d>[A-Za-z][^(),;=]{2,60}?)\s*[,;]\s*n\s*=",
                             tail[a:b], re.I)
            if said:  # "the INTRA group (intratumoral tracer injection, n=44)": what it got
                what = said.group("d")
        if name is None or what is None:
            return []
        parts = tuple(p for p in (LEAD_RE.sub("", x).strip() for x in JOIN_RE.split(what)) if p)
        sides.append(Side(mt.end() + a, tail[a:b], name, parts))
    names = [s.name.lower() for s in sides]
    if len(set(names)) < len(sides):  # "to A 10 mg or A 40 mg": each side named with its dose
        sides = [Side(s.start, s.text, f"{s.name} {dose_of(s.text)}", s.components)
                 if names.count(s.name.lower()) > 1 and dose_of(s.text) else s for s in sides]
    if not 2 <= len(sides) <= 4 or len({s.name.lower() for s in sides}) < len(sides):
        return []
    return _shared_head(sides)


def _shared_head(sides: list[Side]) -> list[Side]:
    """"level-I or level-III axillary clearance": the first side is a level of the same thing.

    Two sides, the first one hyphened word sharing its prefix or suffix with the second's first
    word, the second longer: the first takes the second's head ("level-I axillary clearance").
    """
    if len(sides) != 2 or len(sides[0].name.split()) != 1 or len(sides[1].name.split()) < 2:
        return sides
    one, (two, *head) = sides[0].name, sides[1].name.split()
    prefix, suffix = re.match(r"\w+-", one), re.search(r"-[a-z]+$", one)
    if not ((prefix and two.startswith(prefix.group())) or
            (suffix and two.endswith(suffix.group()))):
        return sides
    name = " ".join([one, *head])
    return [Side(sides[0].start, sides[0].text, name, (name,)), sides[1]]


# "the betanib group", "the alphamab (n = 271) and betanib (n = 266) groups"
_NAME = r"[A-Za-z][\w'/+-]*(?:\s+[A-Za-z][\w'/+-]*){0,2}?"
PAIR_RE = re.compile(rf"\bthe\s+(?P<a>{_NAME})(?:\s*\([^()]*\))?\s*,?\s+(?:and|or|versus|vs\.?)\s+"
                     rf"(?:the\s+)?(?P<b>{_NAME})(?:\s*\([^()]*\))?\s+(?:groups|arms)\b", re.I)
# "in Epi-CH group": "in" may stand for "in the"
ONE_RE = re.compile(rf"\b(?:the|in(?!\s+the\b))\s+(?P<a>{_NAME})\s+(?:group|arm)\b"
                    r"(?!\s*(?:\d|[A-D]\b|I+\b))", re.I)
# a subgroup's name, not an arm's: "the older group", "the node-positive arm"
SUBGROUP_WORD = re.compile(r"(?:.*-)?(?:positive|negative|risk|age|aged|older|younger|"
                           r"menopausal|premenopausal|postmenopausal|responders?|nonresponders?|"
                           r"treated|evaluable|sub|other|same|latter|former|first|second|third|"
                           r"each|both|all|whole|entire|total|overall|intent-to-treat|itt|"
                           r"in|of|the|a|an|to|and|or|with|was|were|this|that|these)$", re.I)
# a group named by its schedule or dose gives the study's one drug on that schedule
SCHEDULE_RE = re.compile(r"(?:weekly|daily|monthly|every[- ]\d+[- ]weeks?|\d+[- ]weekly|"
                         r"(?:high|low|standard|conventional)[- ]dose|dose[- ]dense|"
                         r"\d+(?:\.\d+)?[- ]?mg)", re.I)
CONTROL_NAMES = {"control", "placebo", "observation", "usual care", "standard care", "no treatment"}


def _mention_name(name: str) -> str | None:
    words = name.split()
    if any(SUBGROUP_WORD.fullmatch(w) for w in words) or \
            all(w.lower() in NOT_NAMES for w in words):
        return None
    return " ".join(words)


SUMMED_RE = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:patients|women|participants|subjects)\s*\("
                       r"(?P<a>\d[\d,]*)\s+(?P<x>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)\s*"
                       r"(?:,|\band\b)\s*(?P<b>\d[\d,]*)\s+(?P<y>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)"
                       r"{0,2}?)\s*\)", re.I)


def summed_names(sentence: str) -> list[str]:
    """Two groups named with sizes that add up to the total before them.

    "Two hundred fifty-eight women (131 control and 127 intervention)": "control" and
    "intervention"; nothing when the sizes do not add up or a name is no group's name.
    """
    for total in iter_numbers(sentence):
        mt = SUMMED_RE.match(sentence, total.end)
        if mt is None:
            continue
        a, b = (Decimal(mt.group(g).replace(",", "")) for g in "ab")
        names = [_mention_name(mt.group(g)) for g in "xy"]
        if a + b == total.value and all(names) and names[0] != names[1]:
            return [n for n in names if n]
    return []


def mention_names(sentences: list[str]) -> list[tuple[str, int, tuple[str, ...]]]:
    """The arms a paper names only where it reports them, 2 or 3: (name, sentence, other names).

    "731 in the examplinib arm and 729 in the observation arm", "the alphamab (n = 271) and
    betanib (n = 266) groups". Names from a pair ("the A and B groups") come first; otherwise
    every "the X group" of the paper, which must then name two or three arms; a control comes
    last. Empty when the mentions do not settle the arms.
    """
    pairs: list[tuple[str, int]] = []
    ones: list[tuple[str, int]] = []
    for k, text in enumerate(sentences):
        pairs += [(name, k) for name in summed_names(text)]
        for mt in PAIR_RE.finditer(text):
            a, b = _mention_name(mt.group("a")), _mention_name(mt.group("b"))
            if a and b and a.lower() != b.lower():
                pairs += [(a, k), (b, k)]
        for mt in ONE_RE.finditer(text):
            a = _mention_name(mt.group("a"))
            if a:
                ones.append((a, k))
    seen: dict[str, tuple[str, int]] = {}
    controls: list[str] = []  # "the observation arm" and "the control arm" are one arm
    for name, k in pairs or ones:
        if name.lower() in CONTROL_NAMES:
            controls.append(name)
            name = controls[0]
        # "the case management group" and "the case manager group" are one group
        seen.setdefault(" ".join(w[:5] for w in name.lower().split()), (name, k))
    if not 2 <= len(seen) <= (3 if pairs else 2):
        return []  # three names read one at a time may be one arm's synonyms
    if not pairs and not controls and not all(SCHEDULE_RE.fullmatch(n) for n, _ in seen.values()) \
            and not any(
            all(re.search(rf"\b{re.escape(n)}\s+(?:group|arm)", x, re.I) for n, _ in seen.values())
            for x in sentences):
        return []  # two names never set side by side may be one arm's ("the intervention group")
    out = [x for x in seen.values() if x[0] not in controls]
    return [(n, k, ()) for n, k in out] + [
        (n, k, tuple(dict.fromkeys(c for c in controls if c != n)))
        for n, k in seen.values() if n in controls]


# "A (either) with (n = 64) or without (n = 61) B": A plus B, and A alone
WITH_OR_WITHOUT_RE = re.compile(r"(?P<with>(?:either\s+)?with\s*(?:\([^()]*\))?)\s+or\s+"
                                r"(?P<without>without\s*(?:\([^()]*\))?)\s+(?P<b>[^,.;()]{1,60})",
                                re.I)


def with_or_without(text: str) -> tuple[re.Match[str], str | None, str | None] | None:
    """The "with or without" of a sentence, and the names of what all arms get and what one adds.

    "women receiving preoperative chemotherapy with or without 6 months of X": "preoperative
    chemotherapy" and "X"; a name is None where the words give none (the lexicon may know them).
    """
    mt = WITH_OR_WITHOUT_RE.search(text)
    if mt is None:
        return None
    lead = re.search(r"\b(?:receiving|received|receive|undergoing|underwent|of|to)\s+"
                     r"(?P<n>(?:[\w-]+\s+){0,3}?[\w-]+)\s*$", text[:mt.start()], re.I)
    added = re.sub(r"^(?:\d+|one|two|three|four|six)\s+(?:years?|months?|weeks?|cycles?|courses?)"
                   r"\s+of\s+", "", mt.group("b").strip(), flags=re.I)
    return mt, treatment_name(lead.group("n")) if lead else None, treatment_name(added)
