"""The one arm of a study that randomised no one: what its patients received.

A mixin of ``Drafter``, run when no assignment formed arms and the paper randomised no one
itself. The arm is what the sentence saying what patients received, underwent or were treated
with names ("All patients underwent examplinib treatment"), else what the title names ("Examplinib
for older patients with lung cancer"); treatments given before ("after
radiotherapy", "previously treated with trastuzumab") are not the arm's.
"""

from __future__ import annotations

import re

from kg.draft.patterns import quote_of
from kg.draft.state import DraftState

GIVEN_RE = re.compile(r"received|were treated with|was given|were given|underwent|evaluated|"
                      r"assessed", re.I)
# what comes after these was given before the study's treatment
BEFORE_RE = re.compile(r"\b(?:previously|pretreated|after|following|refractory|who had|"
                       r"progress\w*|prior)\b", re.I)


class SingleArm(DraftState):
    """The rule that forms the one arm of a study without randomisation."""

    def _single_arm(self) -> None:
        """One arm of the drugs (or treatments) the patients were given, if the text names any.

        Not in a paper that calls its study randomised: arms it did not read are no one arm.
        """
        if self.d.design.get("randomised"):
            return
        for i in range(len(self.spans)):
            text = self.sent(i)
            verb = GIVEN_RE.search(text)
            if verb and not re.search(r"\b(?:excluded|ineligible|not\s+eligible)\b", text, re.I):
                given = BEFORE_RE.split(text[verb.end():], maxsplit=1)[0]
                # "who had received prior B were excluded": what was given before is no arm
                regimen = list(dict.fromkeys(x.key for x in self.lex.find(given))) or (list(
                    dict.fromkeys(x.key for x in self.lex.find(text))) if given.strip() else [])
                if regimen:
                    self._make_arms([(text, regimen, None)],  # type: ignore[attr-defined]
                                    quote_of(text), [text])
                    self.tag("single-arm-treatment")
                    return
        title = self.paper.title or ""
        if title and title in self.paper.text:
            named = self.lex.find(BEFORE_RE.split(title, maxsplit=1)[0], ("drug", "intervention"))
            regimen = list(dict.fromkeys(x.key for x in named))
            if regimen:
                self._make_arms([(title, regimen, None)],  # type: ignore[attr-defined]
                                quote_of(title), [title])
                self.tag("single-arm-from-title")
