"""What a printed number of patients counts: the enrolled or randomised total, an analysed set.

"450 patients were randomly assigned", "Of 538 randomized patients", "Efficacy data were
available in 296 patients", "Of the 58 assessable patients in the A group": each form says
which set the number is, and anything else ("25 of 119 patients who received A", "Two groups of
patients") is no total. A mixin of ``Drafter`` used by ``populations``.
"""

from __future__ import annotations

import re

from kg.draft.attribution import SECTION
from kg.draft.patterns import NUM, PATIENTS_RE, RANDOM_RE, SIZE_VERB_RE, Arm
from kg.draft.state import DraftState
from kg.numbers import Printed

# a total and a bracket of two sizes adding up to it: "210 women (104 A and 106 B)"
SUMMED_RE = re.compile(r"\s+(?:(?!of\b)[A-Za-z][\w-]*\s+){0,3}?(?:patients|women|participants|"
                       r"subjects)(?:\s+aged\s+[\d-]+|(?:\s+[a-z][\w-]*){1,3}?)?\s*\((?P<a>\d[\d,]*)\s+"
                       r"[^()\d]+?(?:,|\band\b)\s*(?P<b>\d[\d,]*)\s+[^()\d]+\)", re.I)


class TotalKinds(DraftState):
    """The rule that tells which set a number of patients is."""

    def _set_of_arm(self, text: str, p: Printed) -> Arm | None:
        """The arm an analysed set belongs to: "Of the 58 assessable patients in the A group"."""
        of = re.match(r"\s+(?:(?:evaluable|assessable|eligible)\s+)?(?:patients|cases|women|"
                      r"participants)\s+(?:in|on|of|receiving)\s+(?:the\s+)?(?P<arm>[^,;()]{1,40})",
                      text[p.end:], re.I)
        if of is None or len(self.d.arms) < 2 or not re.search(r"\bof\s+(?:the\s+)?$",
                                                               text[:p.start], re.I):
            return None
        return self.arm_near(of.group("arm"), 0, len(of.group("arm")))

    def _total_kind(self, text: str, p: Printed) -> str | None:
        """"enrolled" or "randomised" when ``p`` counts the study's patients, else None.

        "450 patients were randomly assigned", "Of 538 randomized patients", "A total of 291
        patients underwent randomization", "Of the 318 patients who underwent randomization".
        """
        after = text[p.end:p.end + 240]
        if re.match(r"\s+(?:patients|women)\s+(?:were\s+(?:given|treated)|received|underwent)\b"
                    r"[^.;()]*\(\s*group[\s-][A-D1-4]\b", after):
            return None  # "412 women were treated with A (group A)": that group's size
        if re.match(r"\s+(?:patients|women|participants|subjects)\s+(?:in|on)\s+(?:the\s+)?"
                    r"[^,;()\d]{1,40}?\s+(?:group|arm)\b", after, re.I):
            return None  # "3,412 women in the outreach group": that group's size
        if re.search(r"\b(?:group|arm)\s+of\s+$", text[:p.start], re.I):
            return None  # "a control group of 60 women treated with X": that group's size
        if re.match(r"\s+(?:evaluable|assessable|eligible)\s", after) and self._set_of_arm(text, p):
            return "analysed"  # "Of the 55 evaluable cases in the A group, ...": that arm's set
        if re.match(r"\s+(?:groups?|arms?|cohorts?|centres?|centers?|sites?|trials?)\b", after):
            return None  # "Two groups of matched patients were randomized": no patients
        of = re.search(rf"^{SECTION}(?:Of|Among)\s+(?:the\s+)?[\d,]+\s[^,;]{{0,60}},\s*$",
                       text[:p.start])
        verbs = re.match(r"\s+(?:were|was)\s+((?:(?:and\s+)?(?:enrolled|randomi[sz]ed|randomly\s+"
                         r"assigned|included|treated),?\s*)+)", after, re.I) if of else None
        if verbs:  # "Of 120 assessed for eligibility, 96 were enrolled, randomized, and treated"
            return "randomised" if RANDOM_RE.search(verbs.group(1)) else "enrolled"
        summed = SUMMED_RE.match(after)
        eligible = summed and re.search(r"evaluable|assessable|eligible", summed.group(), re.I)
        if summed and int(summed.group("a").replace(",", "")) + int(
                summed.group("b").replace(",", "")) == p.value and (eligible or not re.search(
                    r"\b(?:in|of|with|among|had|developed)\s+(?:the\s+)?$", text[:p.start],
                    re.I)):  # "rash occurred in 30 patients (12 on A and 18 on B)": events
            # "210 women (104 A and 106 B)", "Among the 240 eligible patients (121 ...
            # and 119 ...)", "Of 52 patients eligible for response (27 A, 25 B)"
            return "analysed" if eligible else \
                "randomised" if self.own_randomisation else "enrolled"
        if re.search(r"\b(?:available|evaluable|assessable|analy[sz]ed)\s+(?:in|for|from|on)\s+"
                     r"(?:the\s+)?$", text[:p.start], re.I) and PATIENTS_RE.match(after):
            return "analysed"  # "Efficacy data were available in 296 patients"
        if text == self.paper.title and re.search(r"\bin\s+$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|men|participants|subjects)\b", after,
                re.I):
            return "enrolled"  # a title's "Alphamab for hot flushes in 420 women"
        if re.search(r"^\s*(?:Of|Among)\s+(?:the\s+)?$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|participants)\s*,\s*\d[\d,]*\s+(?:were|"
                r"was)\s+(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed|treated\s+with)\b",
                after, re.I):
            return "randomised"  # "Of the 704 patients, 351 were assigned to A and 353 to B"
        if re.match(rf"\s+(?:patients|women|participants)\s+(?:were\s+)?(?:randomly\s+)?"
                    rf"(?:assigned|allocated|randomi[sz]ed)\s+to\s+[^,;.]{{1,60}}?,?\s+and\s+{NUM}\s+"
                    r"(?:patients\s+|women\s+)?to\b", after, re.I):
            return None  # "752 patients were randomly assigned to A and 748 to B": A's size
        if re.match(rf"\s+(?:patients|women|participants)\s+to\s+[^,;.]{{1,60}}?,?\s+and\s+{NUM}\s+"
                    r"(?:patients\s+|women\s+)?to\b", after, re.I):
            return None  # "we randomly assigned 80 patients to A and 76 patients to B"
        if re.search(r"\b(?:trial|(?:sub)?study|conducted|comparing\s[^.;]{3,120}?)\s+(?:in|of|"
                     r"among|including|enrolling)\s+$|\b(?:trial|study)\b[^.;]{0,60}?,\s+with\s+$",
                     text[:p.start], re.I) and PATIENTS_RE.match(
                         re.sub(r"^\s+(?:(?!(?:for|of|with|in|to|on|and|or)\b)[A-Za-z][\w-]*,?\s+)"
                                r"{1,3}?(?=(?:patients|women|"
                                r"participants|survivors)\b)", " ", after)):
            return "enrolled"  # "in a randomised trial in 48 older patients"
        if re.search(r"\bin\s+$", text[:p.start]) and re.match(
                r"\s+(?:[\w-]+\s+){0,3}?(?:patients|women|participants)\s+(?:who\s+were\s+)?"
                r"(?:randomly\s+assigned|randomi[sz]ed)\s+to\s+[^.;]{1,80}?\s(?:or|versus|vs\.?)\s",
                after, re.I) and not re.search(r"\b(?:occurred|developed|seen|observed|reported)"
                                               r"\s+in\s+$", text[:p.start], re.I):
            return "randomised"  # "counted in 480 older women randomly assigned to"
        if re.search(rf"(?:{NUM}\s+(?:\([^()]*\)\s+)?of|\bin|\bamong)\s+(?:the\s+)?$|{NUM}\s*/\s*$",
                     text[:p.start], re.I):
            return None  # "25 of 119 patients who received": a denominator, not a total
        if re.search(r"(?<!total )\bof\s+(?:the\s+)?$", text[:p.start], re.I) and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+"
                r"(?:to|into)\b", after, re.I):
            return None  # "Of 402 patients randomised to A": that arm's size
        arm_of = re.search(r"(?P<w>[\w+/-]+(?:\s+[\w+/-]+){0,2}?)\s+(?:regimen\s+)?(?:patients|"
                           r"women)\s*\(\s*n\s*=\s*$|\b(?:arm|group)\s+had\s+$", text[:p.start],
                           re.I)
        if arm_of and (arm_of.group("w") is None or
                       self.arm_near(arm_of.group("w"), 0, len(arm_of.group("w")))):
            return None  # "HD patients (n = 91)", "the low-dose arm had 37 patients": an arm's
        if re.search(r"\b(?:patients|women|men|adults|participants|subjects)(?:\s+(?:aged?|ages)\s+"
                     r"[\d\s–-]+(?:to\s+\d+\s+)?(?:years)?)?\s*\(\s*n\s*=\s*$",
                     text[:p.start], re.I):
            # "Women (n = 9,214) were randomly assigned"
            rest = re.sub(r"^[^()]*?\)(?:\s+(?:with|initiating|receiving|undergoing|living\s+with|"
                          r"starting|taking)\s+[^.;()]{3,80}?(?=\s+(?:were|was)\s)|,\s+"
                          r"stratified\s+by\s+[^.;()]{3,80}?,(?=\s+(?:were|was)\s))?", "",
                          after)  # "(n = 255) with X were", "were stratified by Y and randomized"
            verb = SIZE_VERB_RE.match(rest) or re.match(
                r"\s*(?:were|was)\s+stratified\b[^.;]{0,100}?\band\s+(?:randomly\s+assigned|"
                r"randomi[sz]ed|randomly\s+allocated)", rest, re.I)
            if verb:  # "Randomised women (n=120) received ...": randomised, whatever the verb
                return "randomised" if RANDOM_RE.search(verb.group()) or re.search(
                    r"randomi[sz]ed\s+\w+\s*\(\s*n\s*=\s*$", text[:p.start], re.I) \
                    else "enrolled"
        if re.match(r"\s+patients\s+randomi[sz]ed\b(?!\s+(?:to|into)\b)", after, re.I) and \
                re.search(r"\bof\s+$", text[:p.start], re.I):
            return "randomised"  # "Of 694 patients randomized, 688 were assessable"
        verb = re.search(r"\b(?P<v>randomly\s+(?:assigned|allocated)|randomi[sz]ed|enrolled|"
                         r"recruited|included|evaluated|studied)\s+(?:a\s+total\s+of\s+|"
                         r"approximately\s+|about\s+)?$",
                         text[:p.start], re.I)
        if verb and re.match(r"\s+(?:[\w-]+\s+){0,2}?(?:patients|women|participants|subjects|"
                             r"men|survivors)\b", after, re.I):
            # "we randomly assigned 2418 women", "the trial enrolled 733 patients"
            return "randomised" if RANDOM_RE.search(verb.group("v")) else "enrolled"
        if re.match(r"\s+(?:(?:patients|women|participants)\s+)?(?:\([^()]*\)\s+)?(?:were|was)\s+"
                    r"(?:evaluable|assessable|evaluated|analy[sz]ed)\b|\s+(?:evaluable|assessable)\s+"
                    r"patients\b|\s+(?:patients|women|participants)\s+completed\s+the\s+(?:trial|"
                    r"study)\b", after, re.I):
            return "analysed"  # "118 patients (98%) were assessable", "52 completed the trial"
        if re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:patients|women|participants)\s+(?:were|was)\s+"
                    r"included\s+in\s+the\s+analys[ie]s\b", after, re.I):
            return "analysed"  # "Eighty-four women free of relapse were included in the analyses"
        if re.match(r"\s+(?:(?:patients|women|participants)\s+)?could\s+be\s+(?:followed|evaluated|"
                    r"analy[sz]ed|assessed)\b", after, re.I):
            return "analysed"  # "Of the 64 women randomly assigned, 60 could be followed"
        if re.match(r"\s+(?:patients|women|participants)\s+remained\s+(?:for\s+evaluation|"
                    r"evaluable|in\s+the\s+analys[ie]s)\b", after, re.I):
            return "analysed"  # "so 49 patients remained for evaluation"
        if re.match(r"\s+of\s+these\s+(?:patients|women|participants)\s*\(\d[\d,]*\s+(?:in|to)\s",
                    after, re.I):
            return "analysed"  # "90 of these patients (46 in the A arm and 44 in the B arm)"
        if re.search(r"\bthe\s+remaining\s+$", text[:p.start], re.I) and PATIENTS_RE.match(
                after) and SIZE_VERB_RE.match(after[PATIENTS_RE.match(after).end():]) and \
                not RANDOM_RE.search(after[:60]) and any(
                x.get("parent") is None and x.get("size") for x in self.d.populations):
            return "analysed"  # "the remaining 126 patients were divided" after a total of 130
        if re.search(r"\b(?:inclusion|enrol?ment|accrual|recruitment)\s+of\s+$", text[:p.start],
                     re.I) and re.match(r"\s+(?:eligible\s+)?(?:patients|women|participants)\b",
                                        after, re.I) and not any(
                x.get("parent") is None and x.get("size") for x in self.d.populations):
            return "enrolled"  # "After inclusion of 171 eligible patients, ..."
        if re.search(r"(?:^\s*|\bfrom\s+)A\s+total\s+(?:sample\s+)?of\s+$", text[:p.start],
                     re.I) and re.match(
                r"\s+(?:[A-Za-z][\w-]*\s+){0,4}?(?:patients|women|participants|subjects|survivors)\b"
                r"(?![^.;]{0,60}\b(?:experienced|had|developed|died|achieved|responded|showed|"
                r"relapsed|reported)\b)", after, re.I) and not any(
                x.get("parent") is None and x.get("size") for x in self.d.populations):
            # "A total of 158 older lung cancer patients, all pretreated, ..."
            return "randomised" if RANDOM_RE.search(re.split(r"[.;]", after)[0]) else "enrolled"
        if re.match(r"\s+(?:patients\s+)?with\s+(?:[\w-]+\s+){1,5}?(?:were|was)\s+(?:randomi[sz]ed|"
                    r"randomly assigned)\b", after, re.I):
            return "randomised"  # "53 with stable disease were randomized"
        lead = r"\s+(?:patients\s+)?(?:were\s+)?(?:in\s+the\s+|per\s+)?"
        if re.match(lead + r"per[- ]protocol\b", after, re.I):
            return "per-protocol"
        if re.match(lead + r"intention[- ]to[- ]treat\b", after, re.I):
            return "intention-to-treat"
        # "101 patients (36 L, 19 A, and 46 others) were enrolled": the bracket is an aside
        after = re.sub(r"^(\s+\w+)\s*\([^()]*\)", r"\1", after)
        # "Forty-one older lung cancer survivors were ...": who, before the noun
        if not PATIENTS_RE.match(after):  # ("Of 538 randomized patients" keeps its word)
            after = re.sub(r"^\s+(?:[A-Za-z][\w-]*\s+){1,4}?(?=(?:patients|outpatients|women|"
                           r"participants|subjects|survivors)\b)", " ", after)
        pat = PATIENTS_RE.match(after)
        if not pat or re.search(r"\b(?:cohort|arm|group|phase|grade|stage|part|day|cycle|"
                                r"week)\s*$", text[:p.start], re.I):
            return None
        if re.search(r"randomi[sz]ed|randomly assigned", pat.group(), re.I):
            return "randomised"
        if re.search(r"enrolled", pat.group(), re.I):
            return "enrolled"
        rest = after[pat.end():]
        # "patients with X were ...", "women receiving X were ...": who they were, then the verb
        verb = SIZE_VERB_RE.match(rest)
        if not verb and re.match(r"\s+(?:with|receiving|undergoing|developing|requiring|in|"
                                 r"prescribed|taking|initiating|starting|"
                                 r"experiencing|suffering\s+from|having|"
                                 r"scheduled\s+for|treated\s+"
                                 r"with|from|between|aged|at|who|whose|hospitali[sz]ed|diagnosed|"
                                 r"operated|eligible|previously|consecutively)\s", rest):
            # "men with localised cancer who were fit for surgery were
            # randomized": who they were, then the verb, within the clause
            for mt in re.finditer(r"\b(?:were|was|received|had been|took part|participated)\b",
                                  rest):
                clause = rest[:mt.start()]
                if re.search(r"[;:]|\.\s|\d\s+(?:patients|women|men|participants|subjects)\b",
                             clause) or len(clause.split()) > 25:
                    break
                verb = SIZE_VERB_RE.match(rest[mt.start() - 1:])
                if verb:
                    break
        if not verb or (re.search(r"received", verb.group(), re.I) and (len(re.findall(
                r"\b(?:patients|women|participants)\s+received\b", text, re.I)) > 1
                or self.randomised_pop)):
            # "86 patients received A; 90 patients received B": the arms' sizes; "12 patients
            # received second-line B" after the randomised total: some of them, no total
            return None
        if re.match(r"\s+(?:developing|requiring|in)\s", rest) and not re.search(
                r"randomi|assigned|allocated|enrolled|included|recruited|registered|accrued",
                verb.group(), re.I):
            return None  # "Twelve patients developing rash were treated with ...": some of them
        if re.search(r"took part|participated", verb.group()) and self.own_randomisation:
            return "randomised"  # "390 women took part" in a trial that randomised them all
        return "randomised" if RANDOM_RE.search(verb.group()) else "enrolled"
