"""What a group the paper names only generically ("the intervention group") was given.

Trials of programmes, devices and brands often call one arm "the study group", another "the control
group", and say elsewhere what the study group got: "randomly allocated to study group or
control group, and were given brand X or brand Y, respectively", "the intervention group was given
the services of a nurse", or only in the title, "Effect of telephone coaching on ...". An arm
whose treatment is the word "intervention" tells a reader nothing and proposes a junk name for
``entities.yaml``; these plain functions find the treatment's own name, shared by the drafter
(``GenericArms``) and the proposals (``kg/draft/unlinked.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.draft.grouparms import LEAD_RE, NAME_END_RE
from kg.draft.lexicon import fold
from kg.draft.patterns import slug
from kg.draft.state import DraftState

# what a paper calls the arm given the study's treatment
GENERIC_ARMS = {"study", "treatment", "treated", "experimental", "intervention", "trial",
                "test", "active"}
# and the comparator, when its group is said to get something ("a control group comprising
# usual activity"): named by that, still called the control group
DESCRIBED = GENERIC_ARMS | {"control"}
GIVEN = r"(?:received|receive|receiving|were\s+given|was\s+given|underwent|were\s+offered|got|" \
    r"getting)"
# "the services of a dietitian", "a course of": the thing given is what follows
SERVICE_RE = re.compile(r"^(?:the\s+)?(?:services?|support|use|help|course|programme|program)\s+"
                        r"of\s+(?:an?\s+|the\s+)?", re.I)
DOSE_RE = re.compile(r"^(?:an?\s+|the\s+)?(?:(?:injections?|infusions?|doses?)\s+of\s+)?"
                     r"(?:[\d.,/()]+\s*(?:mg|g|µg|mcg|ml|iu|units?)?(?:/m\(?2\)?|/kg)?\s+)?"
                     r"(?:(?:of|injection|infusion)\s+)*", re.I)
# titles that name the one thing tested: "Effect of X on ...", "X to improve ..."
TITLE_RES = (
    re.compile(r"^(?:the\s+)?(?:effects?|impact|efficacy|effectiveness|value|benefits?|role)\s+"
               r"of\s+(?:an?\s+|the\s+)?(?P<y>[A-Za-z][\w-]*(?:\s+[\w-]+){0,5}?)\s+"
               r"(?:on|in|for|among|to)\s", re.I),
    re.compile(r"^(?P<y>[A-Za-z][\w-]*(?:\s+[\w-]+){0,5}?)\s+to\s+(?:improve|reduce|increase|"
               r"prevent|promote|enhance|support|decrease)\b", re.I),
)
NOT_TREATMENT = re.compile(r"\b(?:cancer|carcinoma|patients?|women|trial|study|randomi[sz]ed|"
                           r"controlled|phase|survival|outcomes?|quality|two|kinds?|fewer|more|"
                           r"less|higher|lower|greater|better|worse|status|age|level|levels|"
                           r"timing|type|size|stage|grade|index|score|risk|years?|months?|"
                           r"weeks?|days?)\b", re.I)


@dataclass(frozen=True)
class Given:
    """The treatment a generic group was given, where the text names it."""

    name: str
    sentence: int  # the sentence's index, -1 for the title
    start: int  # where the name starts in that sentence (or title)


def _clean(part: str) -> str | None:
    """The name in a part ("an infusion of 40 mg/m2 brand X"), or None if it is no name."""
    part = " ".join(part.split()).strip(" ,.")
    part = SERVICE_RE.sub("", DOSE_RE.sub("", part))
    end = NAME_END_RE.search(part)
    name = LEAD_RE.sub("", part[:end.start()] if end else part).strip(" ,.-")
    words = name.split()
    if not 1 <= len(words) <= 6 or NOT_TREATMENT.search(name) or \
            any(not re.fullmatch(r"[A-Za-z][\w'/-]*", w) for w in words):
        return None
    return name


def find(text: str, name: str, start: int = 0) -> int:
    """Where ``name`` (its words one space apart) stands in ``text``, however spaced; -1 if not."""
    mt = re.compile(r"\s+".join(map(re.escape, name.split()))).search(text, start)
    return mt.start() if mt else -1


def _group(name: str) -> str:
    return rf"\b(?:the\s+)?{re.escape(name)}\s+(?:groups?|arms?)\b"


def _respectively(sentence: str, names: list[str]) -> list[tuple[str, int]] | None:
    """Each group's treatment from "to A group and B group, and received X or Y, respectively"."""
    if not re.search(r"\brespectively\b", sentence, re.I):
        return None
    at = [re.search(_group(n), sentence, re.I) for n in names]
    if not all(at) or [m.start() for m in at] != sorted(m.start() for m in at):  # type: ignore
        return None
    after = at[-1].end()  # type: ignore[union-attr]
    verb = re.compile(rf"\b{GIVEN}\s+", re.I).search(sentence, after)
    stop = re.search(r",?\s*respectively\b", sentence[after:], re.I)
    if verb is None or stop is None or verb.end() > after + stop.start():
        return None
    body = sentence[verb.end():after + stop.start()]
    cuts = [(m.start(), m.end()) for m in re.finditer(r",?\s+or\s+|,\s+", body)]
    if len(cuts) != len(names) - 1:
        return None
    bounds = [0, *(x for c in cuts for x in c), len(body)]
    out = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        name = _clean(body[a:b])
        if name is None:
            return None
        at = find(body, name, a)
        if at < 0:
            return None
        out.append((name, verb.end() + at))
    return out


def generic_treatments(sentences: list[str], title: str, names: list[str]) -> dict[str, Given]:
    """For each generic name among the arms' ``names``, what that group was given.

    First a "respectively" sentence that gives every group its treatment; else, for the one
    generic group of a paper, the title's "Effect of X on" (the paper's own name for what it
    tests); else "the intervention group received X" (or "... for X", "... comprising X").
    A generic group of which the text names no treatment is left out.
    """
    generic = [n for n in names if n.lower() in GENERIC_ARMS]
    described = [n for n in names if n.lower() in DESCRIBED]
    if not described:
        return {}
    for k, text in enumerate(sentences):
        found = _respectively(text, names)
        if found:
            return {n: Given(x, k, at) for n, (x, at) in zip(names, found, strict=True)
                    if n in described}
    out: dict[str, Given] = {}
    if len(generic) == 1:
        for pattern in TITLE_RES:
            mt = pattern.search(title.strip())
            name = _clean(mt.group("y")) if mt else None
            if mt and name and find(title, name) >= 0:
                out[generic[0]] = Given(name, -1, find(title, name))
                break
    for n in described:
        for k, text in enumerate(sentences):
            # "the treatment group (n = 36) for a strength programme", "... comprising X"
            # "... and a study group of 62 women treated with X"; "study group (n = 91, treated
            # with X ...)"
            mt = re.search(_group(n) + r"\s*\(\s*(?:n\s*=\s*\d+\s*[,;]\s*)?(?:treated\s+(?:with|"
                           r"by)|receiving|given)\s+", text, re.I) or \
                re.search(_group(n) + r"(?:\s*\([^()]*\)|\s+of\s+\d+\s+(?:cases|patients|women))?"
                           rf"\s+(?:{GIVEN}|treated\s+(?:by|with)|for(?=\s+(?!(?:about|"
                           r"approximately|up|at|one|two|three|four|five|six|eight|ten|twelve)\b)"
                           r"[A-Za-z])|comprising|consisting\s+of)\s+", text, re.I)
            name = _clean(text[mt.end():]) if mt else None
            if mt and name and n not in out and find(text, name, mt.end()) >= 0:
                out[n] = Given(name, k, find(text, name, mt.end()))
                break
    return out


class GenericArms(DraftState):
    """The rule that names a generic arm by what it was given (a mixin of ``Drafter``)."""

    def _name_generic_arms(self) -> None:
        """Give each arm whose one component is a generic word the treatment the text names.

        The arm keeps what the paper calls it ("the intervention group") as aliases.
        """
        arms = [a for a in self.d.arms if len(a.regimen) == 1 and
                a.regimen[0].lower() in DESCRIBED]
        if not arms:
            return
        found = generic_treatments([self.sent(i) for i in range(len(self.spans))],
                                   self.paper.title or "", [a.label for a in self.d.arms])
        for arm in arms:
            given = found.get(arm.label)
            if given is None:
                continue
            regimen = list(dict.fromkeys(x.key for x in self.lex.find(given.name))) or \
                [self.lex.names["treatment"].get(fold(given.name), slug(given.name))]
            if any(set(regimen) == set(a.regimen) for a in self.d.arms):
                continue  # what another arm is: the text was not read right
            arm.aliases += [arm.label, given.name, f"{given.name} group"]
            arm.id, arm.label, arm.regimen = slug("-".join(regimen)), given.name, regimen
