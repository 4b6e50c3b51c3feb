"""Arms a paper names by number or letter: "group 1", "(Group A, 38 women)", "in groups A and B".

Some reports give their groups no names but numbers: "randomly assigned to receive either 4
(group 1) or 8 (group 2) cycles of A/B", "12 patients received A (group A), 12 patients received
B (group B)", "Group 1 (N = 143) consisted of patients treated with ABC". Each defined group is an
arm called "group 1", "group A"; its regimen is what the lexicon knows in the words that define
it, else what the sentence gives every group ("... cycles of A/B"), else the treatment its words
name ("received tailored advice"), proposed as new. Groups given the same drugs
are told apart by their label. A mixin of ``Drafter``, tried after the arms named otherwise.
"""

from __future__ import annotations

import re

from kg.draft.grouparms import treatment_name
from kg.draft.lexicon import fold
from kg.draft.patterns import TIMING_RE, quote_of, slug
from kg.draft.state import DraftState

# what a group may be given: a treatment of no established kind too, named by its group
GIVEN = ("drug", "placebo", "intervention", "treatment")
LABEL = r"(?:[1-9]|[A-D]|I{1,3}|IV)\b"
# "A (group A)", "4 (group 1)", "not using (Group B, 39 patients)"
BRACKET_RE = re.compile(rf"\(\s*(?:the\s+)?group[\s-](?P<k>{LABEL})[^()]*\)", re.I)
# "Group 1 (N = 143) consisted of patients treated ... with X", "Group B: X"
LEAD_RE = re.compile(rf"^\s*group[\s-](?P<k>{LABEL})\s*(?:\([^()]*\))?\s*(?::|,?\s*(?:"
                     r"consisted\s+of|comprised|included|received|underwent|(?:was|were)\s+(?:treated|given)))"
                     r"(?P<what>[^.;]*)", re.I)
# "Group A (SLNB alone, 51 women) and group B (SLNB plus X, 53 women)": what, then its size
INLINE_RE = re.compile(rf"\bgroup[\s-](?P<k>{LABEL})\s*\((?P<what>[^(),;]+?)(?:[,;]\s*(?:n\s*=\s*)?"
                       r"\d[\d,]*\s*(?:women|patients|participants|subjects)?)?\s*\)", re.I)
# "Group 1 received X, group 2 received Y and group 3 similarly received Z": one sentence
EACH_RE = re.compile(rf"\bgroup[\s-](?P<k>{LABEL})\s+(?:(?:similarly|also|instead)\s+)?(?:received|"
                     r"underwent|(?:was|were)\s+(?:given|treated\s+with))\s+(?P<what>[^,;.]*?)"
                     r"(?=\s*[,;.]|\s+and\s+group\b|$)", re.I)
# what a side was given starts after such a verb
GIVEN_RE = re.compile(r"\b(?:received|receive|underwent|undergo|treated\s+(?:with|by)|given|"
                      r"with|(?:stratified|divided|allocated|assigned)\s+into)\s", re.I)
# what every group had, named after the last group: "... or 8 (group 2) cycles of A/B prior to"
TAIL_RE = re.compile(r"^[^.;]*?\b(?:cycles?|courses?|doses?)\s+of\s+(?P<what>[^.;,]*?)"
                     r"(?=\s+(?:prior|before|after|followed|in|for)\b|[.;,]|$)", re.I)


def defined_groups(text: str) -> list[re.Match[str]]:
    """The groups a sentence defines: two or more one after the other, or one it opens with."""
    many = next((m for m in (list(r.finditer(text)) for r in (EACH_RE, INLINE_RE))
                 if len(m) >= 2), [])
    lead = LEAD_RE.match(text)
    return many or ([lead] if lead else [])


class NumberedGroups(DraftState):
    """The rule that forms arms from groups a paper numbers or letters."""

    def _arms_by_numbered_groups(self) -> bool:
        """Arms "group 1", "group 2" (or A, B, C) where the text defines two to four of them."""
        defs: dict[str, tuple[int, str, str]] = {}  # label -> (sentence, what it got, its part)
        for i in range(len(self.spans)):
            text = self.sent(i)
            here = defined_groups(text)
            for mt in here:  # what all groups had after or before is no group's own
                what = mt.group("what") if mt.re is LEAD_RE else \
                    TIMING_RE.split(mt.group("what"))[0]
                defs.setdefault(mt.group("k").upper(), (i, what, mt.group()))
            if here:
                continue
            found = list(BRACKET_RE.finditer(text))
            tail = TAIL_RE.match(text[found[-1].end():]) if found else None
            prev = 0
            for mt in found:
                side = text[prev:mt.start()]
                verb = list(GIVEN_RE.finditer(side))
                what = side[verb[-1].end():] if verb else side
                if not self.lex.find(what, GIVEN) and tail:
                    # "either 4 (group 1) or 8 (group 2) cycles"
                    what = f"{what.strip()} {tail.group('what')}"
                defs.setdefault(mt.group("k").upper(), (i, what, text[prev:mt.end()]))
                prev = mt.end()
        if not 2 <= len(defs) <= 4:
            return False
        arms = []
        for k in sorted(defs):
            i, what, part = defs[k]
            regimen = list(dict.fromkeys(x.key for x in self.lex.find(what, GIVEN)))
            name = treatment_name(what) if not regimen else None
            if name is not None:  # "received tailored advice to ...": a treatment to propose
                regimen = [self.lex.names["treatment"].get(fold(name), slug(name))]
            if not regimen:
                return False  # a group whose treatment is not read: no arms rather than wrong
            arms.append((k, i, part, regimen))
        alike = len({frozenset(r) for _, _, _, r in arms}) < len(arms)
        for k, i, part, regimen in arms:
            self._make_arms([(part, regimen, None)], quote_of(self.sent(i)),  # type: ignore
                            [part], self.spans[i][0], self.sent(i))
            arm = self.d.arms[-1]
            if alike:  # one treatment given differently: each arm is its group
                arm.id, arm.label = slug(f"group-{k}"), f"group {k}: {arm.label}"
            arm.aliases = [a for a in arm.aliases if a not in {"control", "control group",
                                                               "control arm"}]
            arm.aliases += [f"group {k}", f"group {k.lower()}", f"groups {k}", f"group-{k}"]
        self.tag("arms-from-numbered-groups")
        return True
