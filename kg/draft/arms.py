"""Drafting rules for arms: what each arm of the study gave, its doses, and its size where named.

A mixin of ``Drafter``. Arms come from the assignment read with the lexicon, a list of arms
(``armlist``), "a randomised trial comparing A with B", the names an assignment gives its groups
(``grouparms``), one drug at two doses, or, unrandomised, the drugs its patients received.
"""

from __future__ import annotations

import difflib
import itertools
import re

from kg.draft.armlist import arm_list, blank_brackets, cut_shared, dose_of, part_names
from kg.draft.dosing import dosing
from kg.draft.genericarms import GENERIC_ARMS
from kg.draft.grouparms import SCHEDULE_RE, group_sides, mention_names, with_or_without
from kg.draft.lexicon import fold
from kg.draft.patterns import ARM_SIZE_RE, RANDOM_RE, TIMING_RE, Arm, quote_of, slug
from kg.draft.state import DraftState

# the comparator of two arms is "the control group", unless the first arm is the control
CONTROLS = {"control", "placebo", "usual-care", "observation", "standard-care", "no-treatment"}
CONTROL_RE = re.compile(r"(?:(?:usual|routine|standard|conventional|best-supportive)(?:-medical)?"
                        r"-care|standard-of-care|no-(?:further-|additional-)?(?:treatment|"
                        r"intervention|therapy)|observation|placebo|control)")  # a comparator's


def _control(regimen: list[str]) -> bool:
    """Whether an arm's regimen is a comparator's: placebo, observation, usual care."""
    return bool(CONTROLS & set(regimen)) or any(CONTROL_RE.fullmatch(k) for k in regimen)


def _control_index(arms: list) -> int:
    """Which of two arms is the comparator: placebo or care, else the one the other adds to."""
    (_, first, _), (_, second, _) = arms[:2]
    if _control(first) or (set(first) < set(second) and not _control(second)):
        return 0
    return 1


class Arms(DraftState):
    """Rules that find the arms and what each gave."""

    def arms(self) -> None:
        """Arms from the randomisation sentence, or one arm for a single-arm study."""
        self.own_randomisation = bool(RANDOM_RE.search(self.paper.title or "") or any(re.search(
            r"\b(?:were|was|been)\s+(?:\w+ly\s+(?:and\s+)?)?(?:randomi[sz]ed|assigned|allocated)\b|"
            r"\brandomly\s+divided\b|"
            r"\bwe\s+randomi[sz]ed\b|\brandomly\s+assigned\b", self.sent(i), re.I)
            for i in range(len(self.spans))))
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.search(r"(?:randomly assigned|randomi[sz]ed(?!\s+(?:phase|trial|study|"  # verb
                           r"controlled|clinical|double|open|multi|placebo))|allocated)"
                           r"[^.;]*?(?<!up )(?<!according )\bto\b", text, re.I)
            if not mt:
                continue
            tail = text[mt.end():]
            # where the assignment ends, never inside a bracket
            end = re.search(r"\.\s|;|\. The|, stratified|\. Random", blank_brackets(tail))
            tail = cut_shared(tail[:end.start()] if end else tail)
            each = re.search(r",?\s*(?:each|both)\s+(?:added to|given with|combined with|plus|"
                             r"in combination with|with)\s+(.*)$", tail, re.I)
            last_or = max((m.end() for m in re.finditer(r"\s(?:or|versus|vs\.?)\s", tail)),
                          default=-1)
            shared = re.search(r",\s*(?:(?:each|both|all)\s+)?(?:given|administered)\s+(?:with|"
                               r"together with|in combination with)\s+(.*)$", tail[last_or:],
                               re.I) if last_or >= 0 else None
            backbone: list[str] = []
            clause = (each.start(), each.group(1)) if each else \
                (last_or + shared.start(), shared.group(1)) if shared else None
            if clause is not None:
                backbone = [x.key for x in self.lex.find(clause[1]) if x.kind == "drug"]
                if not backbone and re.match(r"(?:the\s+)?(?:same\s+)?chemotherapy", clause[1],
                                             re.I):
                    # "received pemetrexed and cisplatin ... and were randomised to A or placebo,
                    # given with chemotherapy": the chemotherapy is named before the assignment
                    backbone = [x.key for x in self.lex.find(text[:mt.start()])
                                if x.kind == "drug"]
                tail = tail[:clause[0]]
            parts = re.split(r"\s*(?:,?\s+or\s+|\s+versus\s+|\s+vs\.?\s+|\s+v\s+)\s*", tail)
            sized = len(parts) == 2 and re.fullmatch(  # each side closed by its own size
                r"(?:[^,()]+\(\s*n\s*=\s*\d[^()]*\)\s*,\s*)+[^,()]+\(\s*n\s*=\s*\d[^()]*\)\s*",
                parts[0], re.I)
            if len(parts) == 2 and "," in parts[0] and (sized or not re.search(
                    r"\b(?:and|plus|with|followed|then)\b|\+|/", parts[0], re.I)):
                # "to placebo, alphamab 300 mg, or alphamab 900 mg": three arms, not two
                commas = [m.start() for m in re.finditer(",", blank_brackets(parts[0]))]
                bounds = [0, *commas, len(parts[0])]
                pieces = [parts[0][a:b].strip(" ,") for a, b in itertools.pairwise(bounds)]
                if len(pieces) >= 2 and all(self.lex.find(x) for x in pieces):
                    parts = [*pieces, parts[1]]
            if len(parts) == 2 and re.search(r"\balone\s*$", blank_brackets(parts[0])) and \
                    re.match(r"\s*(?:with|plus)\s", parts[1]):
                parts[1] = f"{parts[0]} {parts[1]}"  # "A alone or with B": A and B
            arms = []
            for part in parts:
                # "A or B after surgery": what all arms had before or after is no arm's part
                part = TIMING_RE.split(part)[0]
                neg = [x for x in self.lex.find(part.strip(), ("treatment", "intervention"))
                       if x.start == 0 and re.match(r"(?:no|without)\s", part.strip(), re.I)]
                found = neg[:1] or self.lex.find(part)  # "no adjuvant A" is that arm, not A's
                regimen = [x.key for x in found]
                if not regimen and not re.search(r"\balone\b|same|control|standard|"
                                                  r"chemotherapy", part, re.I):
                    if re.search(r"[A-Za-z]{3}", part):
                        arms = []  # a side the lexicon cannot read: the group names do better
                        break
                    continue
                regimen = list(dict.fromkeys(regimen + [b for b in backbone
                                                        if b not in regimen]))
                letter = re.search(r"\barm ([A-D])\b", part)
                arms.append((part, regimen, letter.group(1) if letter else None))
            arms = self._comparators(arms)
            if len({(frozenset(r), dose_of(p)) for p, r, _ in arms}) < len(arms):
                continue  # two arms alike: the sides were not read (a group's name does better)
            if len(arms) >= 2:
                self._make_arms(arms, quote_of(text), [a[0] for a in arms], self.spans[i][0],
                                text)
                return
        if self._arms_with_or_without() or self._arms_by_syntax() or \
                self._arms_by_comparison() or self._arms_by_schedule() or self._arms_by_groups() \
                or self._arms_by_dose() or self._arms_by_mentions() or \
                self._arms_by_numbered_groups() or self._arms_with_or_without(new_names=True):
            return
        if self.own_randomisation:
            return  # a randomised trial whose arms were not read has no arm, never one wrong arm
        self._single_arm()  # type: ignore[attr-defined]

    def _arms_by_syntax(self) -> bool:
        """Arms from a list (``armlist.arm_list``) in an assignment sentence, else the title."""
        order = [i for i in range(len(self.spans)) if RANDOM_RE.search(self.sent(i))]
        order += [i for i in range(min(3, len(self.spans))) if i not in order]
        texts = [(self.sent(i), self.spans[i][0]) for i in order]
        title = self.paper.title
        if title and title in self.paper.text:
            texts.insert(1 if order else 0, (title, self.paper.text.index(title)))
        for text, offset in texts:  # offset: where the text starts in the paper
            found = arm_list(text, self.lex)
            if len(found) >= 2:
                self._make_arms([(part, regimen, None) for part, regimen in found],
                                quote_of(text), [part for part, _ in found], offset, text)
                self.tag("arms-from-list")
                return True
        return False

    def _arms_by_comparison(self) -> bool:
        """Arms from "a trial comparing A with B" in a randomised study's own sentence.

        "a randomized trial comparing alphamab 40 mg every 4 weeks with placebo", "whether A
        was active compared with B": each side as the lexicon knows it; both named, different.
        """
        if not self.own_randomisation and not self.d.design.get("randomised"):
            return False
        for i in range(len(self.spans)):
            text = self.sent(i)
            mt = re.search(r"\bcompar(?:ing|ed|es)\s+(?!with\b|to\b)(?P<a>[^.;]{1,100}?)\s+"
                           r"(?:with|to|versus|vs\.?)\s+(?P<b>[^.;]{1,100})", text, re.I) or \
                re.search(r"(?:^|[,;:]\s*)(?P<a>[^.;,]{1,100}?)\s+(?:was\s+|were\s+)?compared\s+"
                          r"(?:with|to)\s+(?P<b>[^.;]{1,100})", text, re.I) or \
                re.match(r"\s*Compared\s+(?:with|to)\s+(?P<b>[^,.;]{1,80}),\s*(?P<a>[^,.;(]{1,80})",
                         text)  # "Compared with those given A alone, patients given B ..."
            if not mt or re.match(r"(?:the|two|both|three)\s+(?:arms|groups|regimens)\b",
                                  mt.group("a"), re.I):
                continue
            b = re.split(r"\s+(?:in|among|for)\s+(?:\d|patients|women|men|participants|"
                         r"subjects|those|postmenopausal|premenopausal)|,|\s+after\s|\s+before\s",
                         mt.group("b"))[0]
            sides = [(mt.group("a"), mt.start("a")), (b, mt.start("b"))]
            regimens = [list(dict.fromkeys(x.key for x in self.lex.find(s))) for s, _ in sides]
            if not all(regimens) or set(regimens[0]) == set(regimens[1]):
                continue
            arms = [(s, r, None) for (s, _), r in zip(sides, regimens, strict=True)]
            self._make_arms(arms, quote_of(text), [s for s, _ in sides], self.spans[i][0], text)
            self.tag("arms-from-comparison")
            return True
        return False

    def _arms_with_or_without(self, new_names: bool = False) -> bool:
        """Arms "A with (n = 64) or without (n = 61) B" (A or B may be new if ``new_names``)."""
        texts = [(self.sent(i), self.spans[i][0]) for i in range(len(self.spans))]
        title = self.paper.title or ""
        if title and title in self.paper.text:
            texts.insert(0, (title, self.paper.text.index(title)))
        for text, offset in texts:
            if (found := with_or_without(text)) is None:
                continue  # "A with or without B", either name new to the lexicon (proposed)
            mt, base_name, added_name = found
            known = self.lex.find(text[max(0, mt.start() - 80):mt.start()])
            new = {n: self.lex.names["treatment"].get(fold(n), slug(n))
                   for n in (base_name, added_name) if n and new_names}
            added = [x.key for x in self.lex.find(mt.group("b"))[:1]] or [
                v for k, v in new.items() if k == added_name]
            base = [known[-1].key] if known else [v for k, v in new.items() if k == base_name]
            if not base or not added or base[0] in added:
                continue
            arms = [(mt.group("with"), [*base, *added], None), (mt.group("without"), base, None)]
            self._make_arms(arms, quote_of(text), [mt.group("with"), mt.group("without")],
                            offset, text)
            self.tag("arms-with-or-without")
            return True
        return False

    def _arms_by_dose(self) -> bool:
        """Two arms of one drug at two doses, in a randomised trial.

        "A randomised study of alphamab 15 mg (n = 48) and 45 mg (n = 46)".
        """
        if not self.own_randomisation:
            return False
        dose = r"\d+(?:\.\d+)?\s*(?:mg|g|µg|mcg)(?:/(?:m2|m\(2\)|kg|d|day))?"
        for i in range(len(self.spans)):
            text = self.sent(i)
            for x in self.lex.find(text, ("drug",)):
                mt = re.match(rf"\s+(?P<a>{dose}\s*(?:\([^()]*\))?)\s*,?\s*(?:and|or|versus|vs\.?)"
                              rf"\s+(?P<b>{dose}\s*(?:\([^()]*\))?)", text[x.end:])
                if not mt:
                    continue
                parts = [text[x.start:x.end + mt.end("a")], mt.group("b")]
                if dose_of(parts[0]) is None or dose_of(parts[0]) == dose_of(parts[1]):
                    continue
                self._make_arms([(p, [x.key], None) for p in parts], quote_of(text), parts,
                                self.spans[i][0], text)
                self.tag("arms-by-dose")
                return True
        return False

    def _arms_by_groups(self) -> bool:
        """Arms from the names an assignment gives its groups (``grouparms``).

        A side's components are the drugs and interventions the lexicon knows in it, else the
        treatment it names, under the key its name gives: an unclassified intervention the draft
        proposes for ``entities.yaml`` until the curator adds it.
        """
        for i in range(len(self.spans)):
            text = self.sent(i)
            if not (sides := group_sides(text)):
                continue
            arms = []
            for side in sides:
                regimen: list[str] = []
                for comp in side.components:
                    found = [x.key for x in self.lex.find(comp)]
                    if re.match(r"(?:no|without)\s", comp, re.I):
                        # "no radiotherapy" gives no radiotherapy: only a name of the whole
                        found = [x.key for x in self.lex.find(comp) if x.start == 0]
                    regimen += found or [self.lex.names["treatment"].get(fold(comp), slug(comp))]
                arms.append((side.text, list(dict.fromkeys(regimen)), None))
            before = len(self.d.arms)
            self._make_arms(arms, quote_of(text), [s.text for s in sides], self.spans[i][0],
                            text)
            # also the head noun of what only it gets ("the booklet group" for "a booklet plus")
            heads = [{c.split()[-1].lower() for c in s.components} for s in sides]
            alike = len({frozenset(r) for _, r, _ in arms}) < len(arms)
            for k, (arm, side) in enumerate(zip(self.d.arms[before:], sides, strict=True)):
                if alike:  # same components, given differently: each arm is its group's name
                    arm.id, arm.label = slug(side.name), side.name
                own = any(s.name.lower() == "control" for s in sides)  # "(control arm)"
                arm.aliases = [a for a in arm.aliases if not (own and a.startswith("control"))] + [
                    f"{side.name} group", f"{side.name} arm", side.name]
                letter = re.search(r"\bgroup\s+([A-D1-4])\b", side.text, re.I)
                if letter:  # "(Group A, 38 women)": the group's own name too
                    arm.aliases += [f"group {letter.group(1)}", f"groups {letter.group(1)}"]
                others = set().union(*(h for j, h in enumerate(heads) if j != k))
                arm.aliases += [f"{c.split()[-1]} group" for c in side.components
                                if len(c.split()) > 1 and c.split()[-1].lower() not in others]
            self.tag("arms-from-groups")
            return True
        return False

    def _arms_by_mentions(self) -> bool:
        """Arms a paper names only where it reports them ("in the fenretinide arm", ``grouparms``).

        Each arm is what the lexicon knows in its name, else the name as an unclassified
        treatment; its quote is the sentence that first names it.
        """
        found = mention_names([self.sent(i) for i in range(len(self.spans))])
        if not found:
            return False
        text = self.paper.text
        drugs = {text[x.start:x.end].lower(): x.key for x in self.lex.find(text, ("drug",))}
        title = [x.key for x in self.lex.find(self.paper.title or "", ("drug",))]
        arms = []
        for name, _k, _others in found:
            regimen = list(dict.fromkeys(x.key for x in self.lex.find(name)))
            close = difflib.get_close_matches(name.lower(), drugs, n=1, cutoff=0.85)
            if close and not any(x.kind == "drug" for x in self.lex.find(name)) and \
                    close[0] != name.lower():  # "the palcitaxel group" of a paper giving paclitaxel
                regimen = [drugs[close[0]]]
            if not regimen and (name.lower() in GENERIC_ARMS or SCHEDULE_RE.fullmatch(name)) \
                    and len(title) == 1:
                # "the study group", "the weekly arm" of a paper titled by its one drug
                regimen = title
            arms.append((name, regimen or
                         [self.lex.names["treatment"].get(fold(name), slug(name))], None))
        schedules = all(SCHEDULE_RE.fullmatch(n) for n, _, _ in found)
        if len({frozenset(r) for _, r, _ in arms}) < len(arms) and not schedules:
            return False
        for (name, k, others), arm in zip(found, arms, strict=True):
            self._make_arms([arm], quote_of(self.sent(k)), [name])
            made = self.d.arms[-1]
            if schedules:  # one drug on two schedules: each arm is its schedule's
                made.id, made.label = slug(f"{made.id}-{name}"), f"{made.label} {name}"
            made.aliases += [f"{n} {w}" for n in (name, *others) for w in ("group", "arm")]
            made.aliases += [name, *others]
        if len(arms) == 2:  # the comparator is "the control group", as for any two arms
            self.d.arms[-1].aliases += ["control group", "control arm", "control"]
        self.tag("arms-from-mentions")
        return True

    def _comparators(self, arms: list) -> list:
        """Fill an arm named without a known drug ("CAPOX alone", "the same chemotherapy").

        It is the experimental arm's backbone: its drugs less the study drug the title names
        first.
        """
        named = [a for a in arms if a[1]]
        if not named or len(arms) < 2:
            return named
        first = named[0][1]
        title_drugs = [x.key for x in self.lex.find(self.paper.title) if x.kind == "drug"]
        study = [d for d in title_drugs[:1] if d in first] or first[:1]
        out = []
        for part, regimen, letter in arms:
            if not regimen:
                regimen = [d for d in first if d not in study and d != "placebo"]
                if not regimen:
                    continue
            out.append((part, regimen, letter))
        return out

    def _make_arms(self, arms: list, quote: str, part_texts: list[str],
                   offset: int | None = None, source: str | None = None) -> None:
        """Arms from (part, regimen, letter), with the dosing and size each part prints.

        ``source`` (at ``offset`` in the paper) is the sentence the parts come from.
        """
        all_drugs = [set(r) for _, r, _ in arms]
        own_names = part_names(part_texts)  # "CT (docetaxel ...)", "Arm A: ...", "(...; AC-P)"
        for (_part, regimen, letter), part, given in zip(arms, part_texts, own_names, strict=True):
            others = set().union(*(s for s in all_drugs if s != set(regimen))) if \
                len(arms) > 1 else set()
            own = [r for r in regimen if r not in others] or regimen
            names = {**self.lex.entities.interventions, **self.lex.entities.drugs}
            label = " + ".join(names[r].label if r in names else r for r in regimen)
            aliases = [f"{n}{w}" for n in given for w in ("", " group", " arm")]
            for r in own:
                e = names.get(r)
                aliases += [e.label, *e.synonyms] if e else [r]
            # the abbreviations the text defines for this arm's own components ("TAM")
            aliases += [abbr for abbr, parts in self.lex.local.items()
                        if {x.key for x in parts} <= set(own) or
                        {x.key for x in parts} == set(regimen)]
            for r in own:  # "conventional-schedule chemotherapy": "conventional-schedule patients"
                words = (names[r].label if r in names else r.replace("-", " ")).split()
                if len(words) > 1 and words[-1].lower() in {"chemotherapy", "therapy", "treatment",
                                                            "regimen", "care", "group"} and \
                        words[0].lower() not in {"no", "non", "without"}:  # "no" names no arm
                    aliases.append(" ".join(words[:-1]))
            for r in own:  # "patent blue dye (PB)": "the PB group" is this arm
                words = (names[r].label if r in names else r.replace("-", " ")).split()
                # also a first part's: "conventional-schedule (CS) chemotherapy"
                for name in (" ".join(words[:n]) for n in range(len(words), 0, -1)):
                    defined = (rf"(?<![\w-]){re.escape(name)}\s*"
                               r"\((?P<a>(?-i:(?:non-)?[A-Z][A-Za-z0-9-]{0,7}))(?:[,;][^()]*)?\)")
                    for mt in re.finditer(defined, self.paper.text, re.I):  # not another arm's
                        a = mt.group("a")  # abbreviation ("B (AC-B)", AC-B being A, C then B)
                        aliases += [a, f"{a} group", f"{a} arm"] * (not {
                            x.key for x in self.lex.local.get(a, [])} - set(regimen))
            named = re.search(r"\((?:the\s+)?(?P<g>[\w+/-]{1,12})\s+(?:group|arm)(?:[,;][^()]*)?\)",
                              part)
            if named:  # "A plus B (AB group)": the arm's own name
                g = named.group("g")
                aliases += [g, f"{g} group", f"{g} arm"]
            if letter:
                aliases.append(f"arm {letter}")
                label = f"arm {letter}: {label}"
            # the comparator is "the control arm": placebo or care, else what the other adds to
            if len(arms) == 2 and regimen is arms[_control_index(arms)][1]:
                aliases += ["control group", "control arm", "control"]
            key = "-".join(regimen)
            if sum(set(r) == set(regimen) for _, r, _ in arms) > 1 and dose_of(part):
                label += f" {dose_of(part)}"  # arms of one drug at two doses
                key += f"-{dose_of(part)}"
                aliases += [label, f"{label.split(' + ')[-1]}", str(dose_of(part))]
            aid, n = slug(key), 2  # a long regimen's id is cut short: two may meet
            while any(a.id == aid for a in self.d.arms):
                aid, n = f"{slug(key)[:36]}-{n}", n + 1
            arm = Arm(aid, label, regimen, quote, aliases)
            arm.dosing = dosing(part, regimen, self.lex.entities.drugs)
            if offset is not None and source is not None and part in source:
                # the arm's size where it is named: "(250 mg; n = 313)", "(386 women)",
                # "(Group A, 38 women)"
                n = ARM_SIZE_RE.search(part)
                if n:
                    g = next(k for k in ("n", "n2", "n3") if n.group(k))  # "(11)": a bracket alone
                    arm.size = (int(re.sub(r"\D", "", n.group(g))),
                                offset + source.index(part) + n.start(g))
            self.d.arms.append(arm)
