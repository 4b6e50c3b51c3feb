"""Drafting rules for safety: adverse events per arm with grade, dose changes, discontinuations.

The printed forms: lists of events with their rates ("rash (44%), fatigue (31%)"), rates per arm
("neutropenia 71% vs 58%", "grade 3 rash occurred in 21% versus 8% of patients"), counts
("grade 3 or 4 diarrhoea occurred in 9 of 60 patients"), and dose modifications ("dose
reductions were needed in 38% of patients", "discontinued treatment because of adverse events").
Each becomes an ``adverse_events`` record of the study (``kg.model.SafetyResult``), one per event,
grade and arm, quoting its sentence; values go to an arm only as ``statistics`` would attribute
them (named beside the value, "respectively", or arm order), and never to a guessed arm.
"""

from __future__ import annotations

import itertools
import re

from kg.draft.lexicon import endpoint_mentions
from kg.draft.patterns import NUM, THRESHOLD_BEFORE_RE, Arm, blank_counts, dec, quote_of, slug
from kg.draft.state import DraftState
from kg.numbers import Printed, iter_numbers

CUE = re.compile(r"adverse (?:event|effect|reaction)s?|toxicit(?:y|ies)|side effects?|"
                 r"\bgrades?\s*(?:[1-5]|≥|>=|III|IV)|dose (?:reduction|interruption|delay)s?|"
                 r"discontinu\w+|withdr[ae]w\w* (?:because|due) |treatment-related death",
                 re.I)
# common adverse-event terms: a sentence giving one a pair of per-arm percentages is about harms
# even with no "adverse" or "grade" in it ("Peripheral oedema (38% vs 10%) was more frequent")
TERMS = re.compile(r"\b(?:nausea|vomiting|diarrh(?:o)?ea|constipation|fatigue|asthenia|rash|"
                   r"alopecia|mucositis|stomatitis|(?:febrile\s+)?neutropenia|leu[ck]openia|"
                   r"thrombocytopenia|an(?:a)?emia|neuropathy|hypertension|proteinuria|o?edema|"
                   r"hypoalbumin(?:a)?emia|arthralgia|myalgia|hand-foot)\b", re.I)
GRADE = re.compile(r"\bgrades?\s*(?P<min2>[1-5])\s+or\s+(?:higher|greater|above|more|worse)\b|"
                   r"\bgrades?\s*(?P<a>[1-5]|III|IV|II|I)\s*(?:(?:-|–|to|or|and|/)\s*"
                   r"(?P<b>[1-5]|IV|III))?|\bgrade\s*(?:≥|>=|⩾)\s*(?P<min>[1-5])|"
                   r"(?P<any>\bany[- ]grade|\ball grades?)", re.I)
ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
MODIFICATION = (
    ("dose-reduction", re.compile(r"dose (?:reduction|modification)s?|reduc\w+ (?:the|their) "
                                  r"dose", re.I)),
    ("dose-interruption", re.compile(r"dose (?:interruption|delay)s?|interrupt\w+", re.I)),
    ("discontinuation", re.compile(r"discontinu\w+|withdr[ae]w\w*|stopp\w+ treatment", re.I)),
)
# words before a value that are no event's name
NOT_EVENT = re.compile(r"^(?:and|or|of|the|a|an|in|with|were|was|included|including|were|"
                       r"most|common|frequent|patients?|events?|grade|any|all|[1-5]|or|vs|"
                       r"versus|respectively|occurred|reported|observed|toxicit(?:y|ies)|"
                       r"adverse|treatment[- ]related|related|drug[- ]related|serious|"
                       r"severe|than|for|group|arm|one|two|three|four|five|six|seven|eight|nine|"
                       r"ten|no|none|women|participants|)$", re.I)


def grade_of(text: str) -> str | None:
    """The grade stated last in ``text``: "3", "3-4", ">=3" or "any"; None when none is.

    The last, because a sentence may list several: "grade 3-4 neutropenia in 6% versus 47%, and
    grade 3 hand-foot syndrome in 21% versus 2%".
    """
    found = list(GRADE.finditer(text))
    if not found:
        return None
    mt = found[-1]
    if mt.group("any"):
        return "any"
    if mt.group("min") or mt.group("min2"):  # "grade 3 or higher"
        return f">={mt.group('min') or mt.group('min2')}"
    a = ROMAN.get(mt.group("a").upper(), mt.group("a"))
    b = mt.group("b")
    if b:
        b = ROMAN.get(b.upper(), b)
        return f"{a}-{b}" if int(b) > int(a) else a
    return a


VERB = re.compile(r"^(?:was|were|is|are|occurred|occurring|arose|arising|reported|observed|seen|"
                  r"developed|experienced|had|noted|needed|required|in|among|with|of|for|by)$",
                  re.I)


def event_before(text: str, start: int) -> str | None:
    """The event named right before a value: "rash (44%)", "neutropenia 71% vs 58%".

    When the value follows a verb ("grade 3 neutropenia was reported in 12%"), the event is the
    words before the verb; when it follows the name ("fatigue (31%)"), the words after the last
    verb or preposition.
    """
    clause = re.split(r"[;:(]|,\s(?!\d)|\band\b|\bincluded\b|\bincluding\b", text[:start])
    piece = next((c for c in reversed(clause) if re.search(r"[A-Za-z]{3}", c)), "")
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*|\d-\d", piece)]
    stops = [k for k, w in enumerate(words) if VERB.match(w)]
    # "... were rash": the name after the verb, unless only "patients" follows it ("X occurred
    # in 11 patients (12%)")
    if stops and not all(NOT_EVENT.match(w) for w in words[stops[-1] + 1:]):
        words = words[stops[-1] + 1:]
    elif stops:
        first = stops[0]
        while first > 0 and VERB.match(words[first - 1]):
            first -= 1
        words = words[:first]  # "neutropenia was reported in": the name before the verb
    while words and NOT_EVENT.match(words[0]):
        words.pop(0)
    while words and NOT_EVENT.match(words[-1]):
        words.pop()
    kept = [w for w in words if not re.fullmatch(r"grades?|III|IV|II|\d-\d|worse|higher|greater|"
                                                 r"above", w, re.I)]  # "grade 3 or worse"
    if all(re.fullmatch(r"at|least|one|any|toxic|events?|adverse|or|more", w, re.I)
           for w in kept):  # "At least one grade 3-4 toxic event": any
        kept = []
    if not kept and re.search(r"adverse\s+(?:events?|reactions?)|toxicit(?:y|ies)|toxic\s+events?",
                              piece, re.I):
        return "any adverse event"  # "treatment-related adverse events occurred in 34 of 50"
    if not kept or len(kept) > 5 or not any(len(w) > 3 for w in kept):
        return None
    return " ".join(kept)


def harm(event: str | None) -> bool:
    """Whether an event's name is no efficacy endpoint ("response rate 30%" is no harm)."""
    return event is None or all(t == "toxicity" for _, t in endpoint_mentions(event))


class Safety(DraftState):
    """Rules that find adverse events, dose modifications and discontinuations."""

    def safety(self) -> None:
        """Every safety sentence of the results into ``adverse_events`` records."""
        for i in range(len(self.spans)):
            text = self.sent(i)
            # the terms are no cue in a trial whose title names them: they are its outcomes
            # ("... for nausea and vomiting after chemotherapy")
            terms = re.search(TERMS.pattern + rf"\s*\(?\s*{NUM}\s?%\s*(?:vs\.?|versus|v\.?)"
                              rf"\s*{NUM}\s?%", text, re.I) and not TERMS.search(
                                  self.paper.title or "")
            if not (CUE.search(text) or terms) or not re.search(r"\d|\b(?:one|two|three|no)\b",
                                                                 text):
                continue
            if re.match(r"\s*(?:BACKGROUND|Background|METHODS|Methods)\b", text):
                continue
            kind = next((k for k, pattern in MODIFICATION if pattern.search(text)), None)
            if kind and not re.search(r"\b(?:adverse|toxicit|because of|due to|owing to)",
                                      text, re.I) and kind == "discontinuation":
                kind = None  # stopping for progression is no safety event
            self._percentages(i, text, kind)
            if kind:  # "X occurred in 68% of patients, and 63% required a dose reduction"
                self._percentages(i, text, None, besides=kind)
            self._counts(i, text, kind)

    def _percentages(self, i: int, text: str, kind: str | None, besides: str | None = None
                     ) -> None:
        """Adverse events and dose modifications with their percentages.

        With ``kind`` only the clauses that name it; with ``besides`` the other clauses.
        """
        masked = re.sub(r"\(\s*\d+(?:\.\d+)?\s*%?\s*(?:CI|confidence)[^)]*\)", lambda m:
                        " " * len(m.group()), blank_counts(text))
        pcts = [p for p in iter_numbers(masked, words=False) if p.percent
                and self.spans[i][0] + p.start not in self.d.used
                and not THRESHOLD_BEFORE_RE.search(masked[:p.start])]  # "at least 25%"
        if kind or besides:  # "a response rate of 55%; discontinuation in 9% and 15%": the
            cue = dict(MODIFICATION)[kind or besides]  # cue's clause
            bounds = [0, *(m.end() for m in re.finditer(r";|,\s+(?:and|but)\s", masked)),
                      len(masked) + 1]
            pcts = [p for p in pcts if any(a <= p.start < b and bool(cue.search(masked[a:b])) is
                                           (besides is None)
                                           for a, b in itertools.pairwise(bounds))]
        runs: list[list[Printed]] = []
        for p in pcts:
            gap = masked[runs[-1][-1].end:p.start] if runs else ""
            if runs and re.fullmatch(r"\s*%?\s*\)?\s*(?:,|/|vs\.?|versus|v\.?|and|or|to|compared\s+"
                                     r"with)\s*(?:\d+\s*\(\s*)?", gap.replace("%", ""), re.I):
                runs[-1].append(p)
            else:
                runs.append([p])
        last: str | None = None
        for k, run in enumerate(runs):
            event = None if kind else event_before(text, run[0].start)
            if event and self.arm_near(event, 0, len(event)) is not None:
                # "... in the A group and 139 (71%) of 197 in the B group": the last event;
                # "Grade 3/4 adverse events were more frequent with A (45% vs 31%)": any
                event = last if k else "any adverse event" if re.search(
                    r"adverse\s+(?:events?|reactions?)|toxicit", text[:run[0].start],
                    re.I) else None
            last = event
            if (kind is None and event is None) or not harm(event):
                continue
            arms = self._safety_arms(text, run, masked)
            if arms is None:
                continue
            grade = grade_of(text[:run[0].start]) if kind is None else None
            for p, arm in zip(run, arms, strict=True):
                # "58 (24%) of 239 patients": the count and denominator beside the percentage
                c = re.search(rf"(?<![\w.])(?P<c>{NUM})\s*(?:(?:patients|women|participants)\s*)?"
                              r"\(\s*$", text[:p.start])  # "22 (18%)", "22 patients (18%)"
                n = re.match(rf"\s*\)\s+(?:of|out of)\s+(?:the\s+)?(?P<n>{NUM})\b", text[p.end:])
                count = (int(dec(c.group("c"))), c.start("c")) if c and "." not in c.group(
                    "c") else None
                of = re.search(rf"(?<![\w.])(?P<c>{NUM})\s+(?:of|out of)\s+(?:the\s+)?$",
                               text[:c.start("c")]) if c and count else None
                if of and count and "." not in of.group("c") and int(of.group("c")) <= count[0]:
                    # "12 of 80 patients (15%)": 80 is the denominator
                    denominator: tuple[int, int] | None = count
                    count = (int(of.group("c")), of.start("c"))
                else:
                    denominator = (int(dec(n.group("n"))), p.end + n.start("n")) if n and \
                        count and "." not in n.group("n") and count[0] <= int(dec(
                            n.group("n"))) else None
                square = re.match(r"\s*\[\s*N\s*=\s*(?P<c>\d+)\s*\]", text[p.end:], re.I)
                if count is None and square:  # "8% [N=1]"; "(n = 60)" would be a group's size
                    count = (int(square.group("c")), p.end + square.start("c"))
                self._add(i, text, kind or "adverse-event", event, grade, arm, percent=p,
                          count=count, denominator=denominator)

    def _counts(self, i: int, text: str, kind: str | None) -> None:
        found = list(re.finditer(rf"(?P<c>{NUM}|[a-z]+(?:-[a-z]+)?)\s+(?:of|out of)\s+(?:the\s+)?"
                                 rf"(?P<n>{NUM})\b(?:\s+patients)?(?!\s*%)", text, re.I))
        # "X occurred in 58 of 266 (21.8%) vs 21 of 265 (7.9%)": two arms' counts, named by none,
        # in the order of the arms (as ``rates`` reads counts with percentages)
        in_order = len(found) == len(self.d.arms) == 2 and bool(re.fullmatch(
            r"\s*(?:\(\s*[\d.]+\s*%\s*\))?\s*(?:vs\.?|versus|v\.?)\s*",
            text[found[0].end():found[1].start()], re.I)) and not self.arms_named(text)
        last: str | None = None
        for k, mt in enumerate(found):
            c = next((p for p in iter_numbers(text) if p.start == mt.start("c")), None)
            n = next((p for p in iter_numbers(text) if p.start == mt.start("n")), None)
            if c is None or n is None or c.value > n.value or self.spans[i][0] + mt.start() \
                    in self.d.used:
                continue
            event = None if kind else event_before(text, mt.start())
            if event and k and self.arm_near(event, 0, len(event)) is not None:
                event = last  # "... in the A group and 139 (71%) of 197 in the B group"
            last = event
            if (kind is None and event is None) or not harm(event):
                continue
            arms = self._safety_arms(text, [c], text) if len(self.d.arms) != 1 else [
                self.d.arms[0]]
            if arms is None and in_order:
                arms = [self.d.arms[k]]
            if arms is None:
                continue
            grade = grade_of(text[:mt.start()]) if kind is None else None
            # "11 of 64 patients (17%)": the percentage printed with them
            pm = re.match(r"\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s?%\s*\)", text[mt.end():])
            pct = next((p for p in iter_numbers(text, words=False) if pm and
                        p.start == mt.end() + pm.start("p")), None)
            self._add(i, text, kind or "adverse-event", event, grade, arms[0],
                      count=(int(c.value), c.start), denominator=(int(n.value), n.start),
                      percent=pct if pct is not None and abs(
                          100 * c.value / n.value - pct.value) <= 1 else None)

    def _safety_arms(self, text: str, run: list[Printed], masked: str
                     ) -> list[Arm | None] | None:
        """The arm of each value, or None when it cannot be told (then nothing is drafted)."""
        if len(self.d.arms) == 1:
            return [self.d.arms[0]] * len(run) if len(run) == 1 else None
        if len(self.d.arms) < 2:
            return [None] * len(run) if len(run) == 1 else None
        arms = self._attribute(text, run, masked)
        if all(arms):
            return arms
        named = self.arms_named(text)
        if len(run) == 1 and len(named) == 1:
            return [named[0]]
        # "neutropenia (24%) and nausea (15%) in the daily arm and neutropenia (33%) ... in
        # the weekly arm": a list's values are the arm named after the list
        after = masked[run[-1].end:] if len(run) == 1 else ""
        mt = re.search(r"\bin\s+(?:the\s+)?(?P<g>[\w+/ -]{1,40}?)\s+(?:arm|group)\b", after)
        arm = self.arm_near(mt.group("g"), 0, len(mt.group("g"))) if mt and not re.search(
            r"\b(?:than|compared|versus|vs|whereas|while)\b|;", after[:mt.start()], re.I) else None
        return [arm] if arm is not None else None

    def _add(self, i: int, text: str, kind: str, event: str | None, grade: str | None,
             arm: Arm | None, percent: Printed | None = None,
             count: tuple[int, int] | None = None,
             denominator: tuple[int, int] | None = None) -> None:
        """One record; ``count`` and ``denominator`` are (value, offset in the sentence)."""
        name = event or kind
        rid = slug("-".join(x for x in (name, f"g{grade}" if grade and grade != "any" else "",
                                        arm.id if arm else "") if x))
        rec: dict = {"id": rid, "kind": kind}
        if kind == "adverse-event":
            rec["event"] = event
        if grade:
            rec["grade"] = grade
        if re.search(r"treatment[- ]related|drug[- ]related", text, re.I):
            rec["relatedness"] = "treatment-related"
        if arm is not None:
            rec["arm"] = arm.id
        if percent is not None:
            rec["percent"] = percent.value
            self.use(i, percent)
        for key, given in (("count", count), ("denominator", denominator)):
            if given is not None:
                rec[key] = given[0]
                self.d.used.add(self.spans[i][0] + given[1])
        rec["quote"] = quote_of(text)
        self.d.adverse_events.append(rec)
