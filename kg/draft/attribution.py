"""Which arm a value belongs to.

The arm named beside it, before it, or at its clause's start; "respectively"; or the arms in
the order a sentence (or the methods) names them. A mixin of ``Drafter`` shared by the rules
for medians, rates and counts.
"""

from __future__ import annotations

import re

from kg.draft.armlist import blank_brackets
from kg.draft.patterns import NUM, Arm
from kg.draft.state import DraftState, alias_re
from kg.numbers import Printed

# a section's label opening a sentence: "Results: In the A group, ..."
SECTION = r"\s*(?:[A-Z][a-z]+(?:\s+and\s+[A-Z][a-z]+)?:\s+)?"
# a sentence about the patients of one arm: "Of 402 women randomised to A, ..."
OPENED_RE = re.compile(SECTION + r"(?:of|among)\s+(?:the\s+)?[\d,]+\s+(?:[\w-]+\s+){0,2}?"
                       r"(?:randomi[sz]ed|assigned|allocated)\s+to\s", re.I)


# a count over its set, with its share or not, as two are compared in one bracket: "9/130
# (6.9%) vs. 6/130 (4.6%)", "(11/97 vs. 3/95)"
PAIRED_RE = re.compile(rf"(?<![\d/])(?P<c>{NUM})\s*/\s*(?P<n>{NUM})(?:\s*\((?P<pct>{NUM})\s?%)?")


class Attribution(DraftState):
    """Rules that attribute printed values to arms."""

    def _attribute(self, text: str, run: list[Printed], masked: str) -> list[Arm | None]:
        """Which arm each value of a run belongs to (none in a single-arm study)."""
        if len(self.d.arms) < 2:
            return [None] * len(run)
        owners = [self._bracket_owner(masked, p) for p in run]
        if all(owners) and len({id(a) for a in owners}) == len(owners):
            # "in the A group (30 [68%]) than in the B group (25 [54%])": each bracket's arm
            return owners
        named = []
        for k, p in enumerate(run):
            if k + 1 < len(run):
                stop = run[k + 1].start
            else:  # up to the next number: "16.1 months (95% CI ...) with quenvastat vs 16.4"
                # not past the clause, nor into the other side of a contrast, nor past another
                # value (a denominator is no value: "68% among the 746 assigned to B")
                digit = next((m for m in re.finditer(
                    r"\d[\d,.·]*|;|\b(?:than|versus|vs|compared|whereas|while)\b",
                    masked[p.end:p.end + 90]) if not re.match(
                        r"\d[\d,]*\s+(?:patients|women|participants|subjects|randomly|who|were)\b|"
                        r"\d+-[A-Za-z]|"  # a digit of a name: "5-fluorouracil"
                        r"\d[\d.]*\s*(?:mg|g|µg|mcg)\b",  # a dose names an arm: "A 900 mg"
                        masked[p.end + m.start():p.end + m.start() + 40]) and not re.search(
                        r"\b(?:groups?|arms?|cohorts?)\s+$",  # "in group 1": the arm's name
                        masked[max(0, p.end + m.start() - 12):p.end + m.start()], re.I)), None)
                stop = min(len(text), p.end + (digit.start() if digit else 90))
            named.append(self.arm_near(masked, p.end, stop))
        if len(run) == 1 and OPENED_RE.match(text):
            # "Of 402 randomised to A, 118 (29%) later received B": A's, whatever it received
            opened = self._lead_arm(text[:run[0].start])
            if opened is not None:
                return [opened]
        if all(named) and len(set(id(a) for a in named)) == len(named):
            return named
        if len(run) == 1 and named[0] is None:
            # "In the A group, the accuracy of the B-node status was 97%": the clause's arm
            context = self._clause_arm(text, run[0].start)
            if context is not None:
                return [context]
        # the arm named right before each value: "(alphamab, 26%; betanib, 22%)", "treated
        # with alphamab (38%) than ... with betanib (18%)", "alphamab median TTP, 8.8 months"
        before = [self._arm_before(masked, run[k - 1].end if k else 0, p.start)
                  for k, p in enumerate(run)]
        if all(before) and len(set(id(a) for a in before)) == len(before) and (
                len(run) > 1 or named[0] is None):
            return before
        clause = re.split(r"[;)]|\.\s", text[run[-1].end:])[0]
        respectively = re.search(r"respectively", clause[:120], re.I)
        if len(run) == len(self.d.arms) or respectively:
            compared = None if respectively else self._by_comparative(text, run)
            if compared:
                return compared
            order = self._arm_order(text, run[0].start)
            named_after = self._arms_after(clause)
            if len(run) < len(self.d.arms) and len(named_after) == len(run):
                # "(64% and 58% for those in the A arm and those in the B arm, respectively)"
                return named_after
            return [order[k] if k < len(order) else None for k in range(len(run))]
        if len(run) == 1 and named[0] is None:
            context = self._clause_arm(text, run[0].start)
            if context is not None:
                return [context]
            whole = self.arms_named(text)  # one value in a sentence naming one arm whole
            if len(whole) == 1 and self._arms_in(text) == whole:  # and no other by any name
                return whole
            # one value in a clause naming one arm whole: "Six (7%) complete responses occurred
            # with A, while four (4%) occurred with B"
            bounds = list(re.finditer(r";|\bwhile\b|\bwhereas\b|\bbut\b|\bcompared\b|"
                                      r"\bthan\b|\bversus\b|\bvs\b", text))
            a = max((m.end() for m in bounds if m.end() <= run[0].start), default=0)
            b = min((m.start() for m in bounds if m.start() >= run[0].end), default=len(text))
            whole = self.arms_named(text[a:b]) if (a, b) != (0, len(text)) else []
            if len(whole) == 1:
                return whole
        return [named[k] for k in range(len(run))]

    def _bracket_owner(self, text: str, p: Printed) -> Arm | None:
        """The arm a value's bracket follows at once: "the A group (68%)", "with B (25 [54%]".

        The value opens the bracket, or follows only the count it is the share of; or it follows
        the arm's label and a colon: "(A: 41%, B: 57%)".
        """
        mt = re.search(r"[(\[]\s*(?:\d[\d,]*\s*[(\[]\s*)?$|\s*[:=]\s*$", text[:p.start])
        if mt is None:
            return None
        before = text[max(0, mt.start() - 60):mt.start()]
        owners = {id(arm): arm for arm in self.d.arms for alias in arm.aliases if re.search(
            alias_re(alias) + r"(?:\s+(?:group|arm|cohort|patients|women))?\s*$", before,
            0 if len(alias) <= 3 and alias.isupper() else re.I)}
        return next(iter(owners.values())) if len(owners) == 1 else None

    def _pair_in_bracket(self, text: str, mt: re.Match[str]) -> Arm | None:
        """The arm of one of two counts compared in a bracket, in the order named before it.

        "did not differ between the A and B groups (9/130 (6.9%) vs. 6/130 (4.6%), p=0.42)", or
        compared so in a sentence that names both arms first.
        """
        depth, start = 0, -1
        for k in range(mt.start() - 1, -1, -1):  # the bracket the count stands in
            depth += {")": 1, "(": -1}.get(text[k], 0)
            if depth < 0:
                start = k
                break
        if len(self.d.arms) != 2:
            return None
        start = max(start, 0)  # or the sentence's only pair: "... in X: 25/44 (57%) vs 13/40"
        inner = text[start:]
        forms = [m for m in PAIRED_RE.finditer(inner)]
        if len(forms) != 2 or not re.fullmatch(r"\)?\s*(?:vs\.?|versus|v\.?)\s*",
                                               inner[forms[0].end():forms[1].start()]):
            return None
        order = self._arm_order(text, start + forms[0].start())
        named = self._arms_in(text[:start + forms[0].start()])
        k = next((k for k, f in enumerate(forms) if start + f.start() == mt.start("c")), None)
        # or only the one a sentence is about: "more in the A arm stopped (x vs y)"
        one = len(named) == 1 and re.search(
            r"\b(?:in|among)\s+the\s+[^,;()]{1,40}?\s+(?:group|arm)\b", text[:start], re.I)
        return order[k] if k is not None and (len(named) == 2 or one) else None

    def _by_comparative(self, text: str, run: list[Printed]) -> list[Arm] | None:
        """Two arms' values ordered by what the sentence says of them.

        "patients given B had fewer falls (34% versus 11%)": B has the smaller value,
        whichever order the values come in; "more", "higher", "longer" give it the larger.
        Only with two arms, two different values and one arm named before the comparative.
        """
        if len(run) != 2 or len(self.d.arms) != 2 or run[0].value == run[1].value:
            return None
        clause = blank_brackets(text[:run[0].start])
        clause = re.split(r";|\.\s", clause)[-1]
        words = list(re.finditer(r"\b(?P<less>fewer|lower|less|shorter|reduced|decreased)\b|"
                                 r"\b(?P<more>more|higher|greater|longer|increased|superior)\b",
                                 clause, re.I))
        if not words:
            return None
        word = words[-1]
        # the subject: the arm named after the clause's last comma before the word ("Compared
        # with those given A alone, patients given B had fewer ...")
        lead = clause[:word.start()].rsplit(",", 1)[-1]
        own = self.arm_near(lead, 0, len(lead))
        if own is None or re.search(r"\bthan\b|\bcompared\b|\bversus\b|\bvs\b",
                                    clause[word.end():], re.I):
            return None  # the other arm named after the word: the usual order applies
        other = next(a for a in self.d.arms if a is not own)
        low = run[0].value < run[1].value
        first_is_own = low if word.group("less") else not low
        return [own, other] if first_is_own else [other, own]

    def _arms_after(self, clause: str) -> list[Arm]:
        """The arms a clause names one by one as "the A arm", "the B group", in that order."""
        out: list[Arm] = []
        for mt in re.finditer(r"\b(?:the\s+)?(?P<n>[\w+/-]+(?:\s+[\w+/-]+){0,4}?)\s+"
                              r"(?:arm|group)\b", clause, re.I):
            arm = self.arm_near(mt.group("n"), 0, len(mt.group("n")))
            if arm is not None and arm not in out:
                out.append(arm)
        return out

    def _arm_before(self, text: str, start: int, pos: int) -> Arm | None:
        """The arm named last before ``pos`` (after ``start``).

        Only with at most a few words, no number and no contrast word between the name and the
        value.
        """
        window = self.unhyphen(text[max(start, pos - 60):pos])
        best: tuple[int, Arm, int] | None = None
        for arm in self.d.arms:
            for alias in arm.aliases:
                for mt in re.finditer(alias_re(alias), window, re.I):
                    if best is None or mt.end() > best[0]:
                        best = (mt.end(), arm, mt.start())
        if best is None or re.search(r"\d\s*%?\s*(?:[\w-]+\s+){0,2}?(?:for|in|with|on|among)\s+"
                                     r"(?:the\s+)?$", window[:best[2]], re.I):
            return None  # "51% for the A group, 60% for ...": A is the value before's
        # "in the A arm: 60 patients (23%)": the count the value is the share of is no gap
        gap = re.sub(r"[:,]?\s*\d[\d,]*(?:\s+(?:patients|women|participants|subjects|cases))?"
                     r"\s*[(\[]\s*$", " (", window[best[0]:])
        # "with A (31%)", "given A had a higher response rate (26%)": a few words, or a short clause
        # whose verb follows the arm
        words = len(re.findall(r"[A-Za-z]+", gap))
        if re.search(r"\d", gap) or words > 6 or (words > 4 and not re.match(
                r"\s*(?:had|has|showed|achieved|experienced|reached)\b", gap, re.I)) or \
                re.search(r"\b(?:than|versus|vs|compared|and|or|while|whereas)\b", gap, re.I):
            return None
        # "with examplinib plus erlotinib were rash (44%)": the chain names the combination arm
        whole = self.arms_named(window[max(0, best[0] - 40):best[0]])
        return whole[0] if len(whole) == 1 else best[1]

    def _clause_arm(self, text: str, pos: int) -> Arm | None:
        """The arm a clause opens with, for a value in it.

        "In the daily arm, the response rate was 19%"; "...; in control group, survival at
        2 years was 58%".
        """
        flat = blank_brackets(text)  # a bracket's ";" ends no clause: "(nine PR; 95% CI, ...)"
        start = max(flat.rfind(";", 0, pos), flat.rfind(". ", 0, pos)) + 1
        # "..., while in the B group 41% ...": a clause of its own
        turns = [m.end() for m in re.finditer(
            r"(?:,\s*|\s)(?:while|whereas|but)\s+(?!receiving|taking|on\b|given)", flat[start:pos])]
        start += turns[-1] if turns else 0
        own = self._lead_arm(text[start:pos])
        if own is not None:
            return own
        named = self._arms_in(text)
        if start and len(named) == 1 and not self._arms_in(text[start:]):
            # "In study group, 7 achieved PR ...; the total rate of response was 18%", "There were
            # 4 PR in control group; the total rate of response was 12%": the sentence's one arm
            return named[0]
        k = next((k for k in range(1, len(self.spans)) if self.sent(k) == text), 0)
        prev = self._lead_arm(self.sent(k - 1)) if k and not named and not re.search(
            r"\b(?:all|whole|overall\s+population|total|entire|both|each|either|every)\b", text,
            re.I) else None
        if prev is not None and (self._arms_in(self.sent(k - 1)) == [prev] or OPENED_RE.match(
                self.sent(k - 1))) and re.search(r"\d", self.sent(k - 1)):
            # the sentence before reported that arm's values
            # "In the daily arm, the response rate was 19%. Median response duration was 5.3
            # months": a sentence naming no arm goes on with the arm the one before opened with
            return prev
        return None

    def _arms_in(self, text: str) -> list[Arm]:
        """The arms a text names by any of their names."""
        return [arm for arm in self.d.arms if any(  # "A", "B": capitals only, never "a"
            re.search(alias_re(alias), text,
                      0 if len(alias) <= 3 and alias.isupper() else re.I)
            for alias in arm.aliases)]

    def _lead_arm(self, text: str) -> Arm | None:
        """The arm a text opens with ("In the weekly arm, ...", "Of the 31 in study group,")."""
        lead = re.match(SECTION + r"(?:in|among|for|within|of)\s+(?:the\s+)?"
                        r"(?P<g>[^,;:()%]{1,50}?)\s*,", text, re.I) or re.match(
            # "in the B group a second cancer was found in 6%": no comma, the group word ends it
            SECTION + r"(?:in|among|within)\s+(?:the\s+)?(?P<g>[^,;:()%\d]{1,40}?\s+(?:group|arm))"
                      r"\s+(?!\d)", text, re.I)
        return self.arm_near(lead.group("g"), 0, len(lead.group("g"))) if lead else None

    def _arm_order(self, text: str, before: int) -> list[Arm]:
        """Arms in the order the sentence names them before the values, else methods order."""
        mentions = []
        for arm in self.d.arms:
            pos = [m.start() for a in arm.aliases
                   for m in re.finditer(alias_re(a), text[:before],
                                        re.I)]
            if pos:
                mentions.append((min(pos), arm))
        if len(mentions) == 1 and len(self.d.arms) == 2 and re.search(
                r"\b(?:in|with|among|for)\s+(?:the\s+)?[^,;()]{1,40}?\s+(?:group|arm)\s+(?:[^;()]|"
                r"\([^()]*\)){0,80}[(\[][^()]*$", text[:before], re.I):
            # "more in the A group at 2 hours (47% vs 21%)": the named arm's value first
            first = mentions[0][1]
            return [first, next(a for a in self.d.arms if a is not first)]
        if len(mentions) == len(self.d.arms):
            order = [a for _, a in sorted(mentions, key=lambda t: t[0])]
            # "Compared with A alone, patients given B had fewer (11% versus 34%)": B's first
            return order[::-1] if re.match(r"\s*compared\s+(?:with|to)\b", text, re.I) and \
                len(order) == 2 else order
        # "(36% v 54%; P = .002) with the use of A than with B": the order named after them
        end = re.search(r"\.\s|$", text[before:])
        after = text[before:before + end.start()] if end else text[before:]
        later = []
        for arm in self.d.arms:
            pos = [m.start() for a in arm.aliases
                   for m in re.finditer(alias_re(a), after, re.I)]
            if pos:
                later.append((min(pos), arm))
        if len(later) == len(self.d.arms) and re.search(
                r"\b(?:than|versus|vs\.?|v\.?|compared\s+with|and)\b", after, re.I):
            return [a for _, a in sorted(later, key=lambda t: t[0])]
        if len(mentions) == 1 and len(self.d.arms) == 2 and any(re.search(
                alias_re(a) + r"\s*\(\s*$", text[:before], re.I) for a in mentions[0][1].aliases):
            # "more lost bone while receiving B (7.4% v 2.2%)": the arm the bracket follows first
            return [mentions[0][1], next(a for a in self.d.arms if a is not mentions[0][1])]
        return list(self.d.arms)
