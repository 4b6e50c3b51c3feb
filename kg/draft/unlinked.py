"""Names of drugs and diseases a paper uses that the entity file does not know.

The drafter only links what ``entities.yaml`` names; a new drug or disease would otherwise vanish
from the draft without a word. These patterns find the likely ones (drug name stems of the INN
scheme, code names such as ``ABC-1234``, a dose after a word, and disease head nouns) so the draft
can propose them as entity entries, without identifiers, for the curator to add and draft again.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.draft.armlist import blank_brackets
from kg.draft.druglex import find_drugs
from kg.draft.genericarms import DESCRIBED, Given, generic_treatments
from kg.draft.grouparms import (
    JOIN_RE,
    SCHEDULE_RE,
    group_sides,
    mention_names,
    treatment_name,
    with_or_without,
)
from kg.draft.lexicon import Lexicon, fold
from kg.draft.numberedgroups import BRACKET_RE as GROUP_BRACKET_RE
from kg.draft.numberedgroups import GIVEN, GIVEN_RE, defined_groups

# INN stems of antineoplastic and supportive drugs, enough to tell a drug name from prose
STEMS = ("nib", "mab", "lisib", "ciclib", "parib", "platin", "taxel", "rubicin", "tecan",
         "degib", "sertib", "lutamide", "mustine", "trexate", "citabine", "uracil", "limus",
         "zomib", "fenib", "tinib", "cept", "leukin", "kinra", "stim", "relix", "stat", "ifene",
         "strant", "dronate", "retinide")
DRUG_RE = re.compile(rf"\b[A-Za-z][a-z]{{3,}}(?:{'|'.join(STEMS)})\b")
CODE_RE = re.compile(r"\b(?!NCT|ISRCTN|EudraCT|CTCAE|RECIST|ECOG)[A-Z]{2,5}-?\d{3,6}\b")
DOSED_RE = re.compile(r"\b([a-z][a-z-]{4,})\s+\d[\d.,]*\s*(?:mg|µg|mcg|g)\b")
NOT_DRUGS = {"placebo", "daily", "twice", "orally", "given", "weekly", "dose", "doses", "total",
             "starting", "combination", "respectively", "between", "receive", "received"}
DISEASE_RE = re.compile(r"\b((?:[A-Za-z][\w'-]*\s+){0,5}?)(cancers?|[a-z]*(?:carcinoma|sarcoma|"
                        r"lymphoma|melanoma|myeloma|mesothelioma|glioma|blastoma)s?|"
                        r"leuka?emias?)\b")
# a subgroup's marker or state ("HER2-negative", "platinum-resistant") is not part of the disease
STATE_RE = re.compile(r".+-(?:positive|negative|high|low|methylated|unmethylated|overexpressing|"
                      r"mutant|mutated|resistant|refractory|sensitive|amplified)$", re.I)
# a clause boundary: the disease name starts after it
CLAUSE = {"may", "can", "will", "might", "could", "is", "are", "was", "were", "has", "have",
          "that", "which", "sensitize", "sensitise", "sensitizes", "sensitises", "inhibition"}
MODIFIERS = {"advanced", "metastatic", "recurrent", "unresectable", "locally", "refractory",
             "relapsed", "previously", "treated", "untreated", "stage", "iii", "iv", "inoperable",
             "progressive", "with", "of", "and", "or", "in", "patients", "the", "a", "an",
             "solid", "for", "had", "who", "whose", "their", "all", "other", "measurable",
             "resected", "newly", "diagnosed", "primary", "first-line", "second-line", "high-grade",
             "low-grade", "type", "to", "on", "by", "from", "versus", "vs", "than", "these",
             "this", "those", "such", "abstract", "background", "methods", "results", "purpose",
             "conclusions", "objective", "many", "most", "some"}


# what arms give besides drugs, as trial reports name it; the label proposed is the name printed
NON_DRUG_RE = re.compile(
    r"\b(?:(?:whole[- ]breast |partial[- ]breast |postmastectomy |adjuvant |hypofractionated |"
    r"accelerated )?(?:radiotherapy|radiation therapy|irradiation)|"
    r"(?:breast[- ]conserving |conservative )?surgery|(?:modified radical |radical )?mastectomy|"
    r"lumpectomy|quadrantectomy|(?:sentinel (?:lymph[- ])?node|SLN) biopsy|"
    r"axillary (?:lymph node )?dissection|axillary (?:lymph )?node sampling|"
    r"(?:aerobic |resistance |supervised |home-based )?"
    r"exercise(?: training| programme| program| intervention)?|yoga|tai chi|qigong|"
    r"acupuncture|electroacupuncture|massage|physiotherapy|physical therapy|hypnosis|"
    r"relaxation training|"
    r"(?:cognitive[- ]behaviou?ral |group )?(?:therapy sessions|psychotherapy)|counsell?ing|"
    r"(?:usual|standard|routine)(?: wound| medical| nursing)? care|observation|"
    r"no (?:further )?treatment|"
    r"no (?:adjuvant |further )?(?:chemotherapy|radiotherapy|irradiation|intervention)|"
    r"(?:dietary|diet) intervention|nurse case management|telephone follow-up|"
    r"[a-z]+-(?:based|containing) chemotherapy|"
    r"decision aid|educational (?:intervention|programme|program|booklet))\b", re.I)


RADIATION = {"radiotherapy", "radiation therapy", "irradiation"}

# words that may stand in a disease's name before its head noun: sites, histologies, subtypes
SITE_WORD = re.compile(
    r"[a-z]+(?:al|ous|ic|ary|ory|ive|ar|oid|ile|ine|eal|ial|ian|ate)|breast|lung|colon|rectum|liver|"
    r"cell|small|non-small|squamous|skin|head|neck|bone|brain|prostate|bladder|kidney|stomach|"
    r"thyroid|triple-negative|lobular|ductal|multifocal|multicentric|male|her2-positive|"
    r"her2-negative|hormone-receptor-positive|node-positive|node-negative|occult|germ|"
    r"soft-tissue|soft|tissue|hodgkin|non-hodgkin|b-cell|t-cell|large|clear|papillary|basal|"
    r"estrogen-receptor-positive|er-positive|er-negative|endometrial|ovarian|cervical|"
    r"pancreatic|gastric|esophageal|oesophageal|hepatocellular|renal|urothelial")
NOT_SITE = {"knowledge", "about", "better", "informed", "suitable", "increasing", "decreasing",
            "parity", "detects", "three", "so", "average", "central", "original", "several",
            "usual", "total", "initial", "potential", "local", "general", "clinical", "actual",
            "annual", "individual", "additional", "eventual", "natural", "mammographic",
            "large", "sporadic", "previous", "primary", "final", "typical", "critical", "causal"}


@dataclass(frozen=True)
class Unlinked:
    """A name the entity file does not know, where the text first uses it."""

    kind: str  # "drugs", "interventions" or "diseases", the section of entities.yaml
    key: str
    label: str
    offset: int
    synonyms: tuple[str, ...] = ()
    candidate: str | None = None  # an identifier the lexicon gives: proposed, never verified
    unclassified: bool = False  # a treatment named by a group, of no established kind


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def described(text: str, name: str) -> str | None:
    """What a group named by a short word was given: "the INTRA group (intratumoral injection,"."""
    said = re.search(rf"\b{re.escape(name)}\s+(?:group|arm)\s*\((?P<d>[a-z][^(),;=]{{3,60}}?)"
                     r"\s*[,;)]", text)
    return said.group("d") if said and not re.search(r"\d|\bn\b", said.group("d")) else None


def long_form(text: str, abbr: str) -> str | None:
    """What the text defines an abbreviation as: "breast self-examination (BSE)" for "BSE".

    The fewest words before the bracket that start with the abbreviation's first letter and
    hold its letters in order ("low-dose radiotherapy (LD-RT)").
    """
    if not re.fullmatch(r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)?", abbr) or \
            sum(c.isupper() for c in abbr) < 2:
        return None
    letters = [c.lower() for c in abbr if c.isalpha()]
    defined = rf"((?:[A-Za-z][\w'-]*\s+){{0,5}}[A-Za-z][\w'-]*)\s*\(\s*{re.escape(abbr)}\s*\)"
    for mt in re.finditer(defined, text):
        words = mt.group(1).split()
        for n in range(1, len(words) + 1):
            cand = words[-n:]
            if cand[0][0].lower() != letters[0] or n > len(letters):
                continue
            rest = iter("".join(cand).lower())
            if all(c in rest for c in letters):
                return " ".join(cand).lower() if not any(w.isupper() for w in cand) else \
                    " ".join(cand)
    return None


def unlinked_names(text: str, start: int, end: int, lex: Lexicon, title: str = ""
                   ) -> list[Unlinked]:
    """Drug and disease names in ``text[start:end]`` that ``lex`` cannot link, first use first.

    ``title`` may say what a generic group ("the intervention group") was given.
    """
    body = text[start:end]
    kinds = ("drug", "placebo", "intervention", "disease", "biomarker")
    known = [(x.start, x.end) for x in lex.find(body, kinds)]

    def linked(a: int, b: int) -> bool:
        return any(s < b and a < e for s, e in known)

    found: dict[tuple[str, str], Unlinked] = {}

    def add(kind: str, label: str, a: int, b: int, synonym: str = "",
            candidate: str | None = None, unclassified: bool = False) -> None:
        if unclassified and not synonym and (full := long_form(text, label)):
            label, synonym = full, label  # "BSE": "breast self-examination", as defined
        # "no examplinib" names an arm of its own, though its drug is known
        without = unclassified and re.match(r"(?:no|without)\s", label, re.I) and not any(
            x.start == 0 for x in lex.find(label, kinds))
        if (not without and (linked(a, b) or lex.find(label, kinds) or (
                synonym and lex.find(synonym, kinds)))) or fold(label) in lex.names["treatment"]:
            return
        key = (kind, _key(label))
        if not key[1]:
            return
        if key not in found:
            found[key] = Unlinked(kind, key[1], label, start + a, (), candidate, unclassified)
        if synonym and synonym.lower() != label.lower() and synonym not in found[key].synonyms:
            u = found[key]
            found[key] = Unlinked(u.kind, u.key, u.label, u.offset, (*u.synonyms, synonym),
                                  u.candidate, u.unclassified)
        taken.append((a, b))

    taken: list[tuple[int, int]] = []
    for hit in find_drugs(body):  # names of the drug lexicon first: real drugs, real spellings
        add("drugs", hit.canonical, hit.start, hit.end, hit.text, hit.drugbank and
            f"DRUGBANK:{hit.drugbank}")
    known += taken
    for mt in NON_DRUG_RE.finditer(body):  # radiotherapy, surgery, exercise, usual care ...
        label = " ".join(mt.group().lower().split())
        if label in RADIATION:  # one treatment under one key in every paper, as printed too
            add("interventions", "radiotherapy", mt.start(), mt.end(),
                synonym=label if label != "radiotherapy" else "")
            continue
        add("interventions", label, mt.start(), mt.end())
    spelt = {body[x.start:x.end].lower() for x in lex.find(body, ("drug",))} | \
        {hit.text.lower() for hit in find_drugs(body)}
    for mt in DRUG_RE.finditer(body):
        if mt.group().lower() not in spelt and difflib.get_close_matches(
                mt.group().lower(), spelt, n=1, cutoff=0.85):
            continue  # "palcitaxel" in a paper giving paclitaxel: a misprint, not a new drug
        add("drugs", mt.group().lower(), mt.start(), mt.end())
    known += taken
    sentences = _sentences(body)
    grouped = False
    texts = [x for _, x in sentences]

    def given(comp: str, got: dict[str, Given]) -> tuple[str, int] | None:
        """What a generic group ("intervention") was given, and where (``genericarms``)."""
        g = got.get(comp) if comp.lower() in DESCRIBED else None
        if g is None:
            return None
        where = sentences[g.sentence][0] + g.start if g.sentence >= 0 else text.find(g.name) - start
        return g.name, where

    for at, sentence in sentences:  # what the groups of an assignment are named
        sides = group_sides(sentence)
        got = generic_treatments(texts, title, [s.name for s in sides]) if sides else {}
        for side in sides:
            grouped = True
            for comp in side.components:
                a = at + max(sentence.find(comp, side.start), side.start)
                comp, a = given(comp, got) or (comp, a)
                add("interventions", comp, a, a + len(comp), unclassified=True)
    for at, sentence in sentences:  # "20 received X (group A), 20 received Y (group B)"
        prev = 0
        for mt in GROUP_BRACKET_RE.finditer(sentence):
            side = sentence[prev:mt.start()]
            verb = list(GIVEN_RE.finditer(side))
            # "... into X (group-A, n=258) or Y (group-B, n=256)": a later side after its "or"
            alt = re.match(r"\s*,?\s*(?:or|versus|vs\.?)\s+(?!not\b|no\b)(?=\w)", side) \
                if prev else None
            prev = mt.end()
            if not verb and not alt:
                continue
            given = side[verb[-1].end() if verb else alt.end():].strip()
            # "adjuvant therapy based on X schedules (group B)": the treatment, not its basis
            given = re.split(r"\s+(?:based\s+on|consisting\s+of|according\s+to)\s", given)[0]
            for part in JOIN_RE.split(given):
                if re.fullmatch(r"[(\w][\w()'-]*(?:\s+[\w'-]+){0,3}", part) and \
                        not re.match(r"\d+\s|(?:the|a|an|either)\b", part, re.I):
                    a = at + sentence.find(part, mt.start() - len(side))
                    add("interventions", part, a, a + len(part), unclassified=True)
    for at, sentence in sentences:  # "receiving X with or without Y": X and Y, when new
        for name in (with_or_without(sentence) or (None, None, None))[1:]:
            if name and not lex.find(name) and (k := sentence.find(name)) >= 0:
                add("interventions", name, at + k, at + k + len(name), unclassified=True)
    defined = [(at, mt) for at, sentence in sentences for mt in defined_groups(sentence)]
    for at, mt in defined if 2 <= len(defined) <= 4 else []:
        # "Group 1 (n = 40) received tailored advice to ...": what no lexicon names
        name = None if lex.find(mt.group("what"), GIVEN) else treatment_name(mt.group("what"))
        # one plain treatment: a combination or an abbreviation is named by its parts
        if name is not None and not re.search(r"\b(?:plus|and|with|or)\b|\+|[A-Z]{2}", name):
            a = at + mt.start("what") + mt.group("what").find(name)
            add("interventions", name, a, a + len(name), unclassified=True)
    if not grouped:  # else the arms a paper names only where it reports them
        drugs = list(spelt)
        found_names = mention_names(texts)
        got = generic_treatments(texts, title, [n for n, _, _ in found_names])
        for name, k, _others in found_names:
            at, sentence = sentences[k]
            a = at + sentence.find(name)
            name, a = given(name, got) or (name, a)
            close = difflib.get_close_matches(name.lower(), drugs, n=1, cutoff=0.85)
            # a misspelt drug is no new name, nor a schedule ("the weekly arm")
            if not lex.find(name) and not close and not SCHEDULE_RE.fullmatch(name):
                said = described(body, name)  # "the INTRA group (intratumoral injection, n=35)"
                add("interventions", said or name, a, a + len(name), synonym=name if said else "",
                    unclassified=True)
    for mt in CODE_RE.finditer(body):
        add("drugs", mt.group(), mt.start(), mt.end())
    for mt in DOSED_RE.finditer(body):
        if mt.group(1).lower() not in NOT_DRUGS and DRUG_RE.fullmatch(mt.group(1)):
            add("drugs", mt.group(1).lower(), mt.start(1), mt.end(1))
    for mt in DISEASE_RE.finditer(body):
        words = mt.group(1).split()
        cut = [i for i, w in enumerate(words) if w.lower().strip(",") in CLAUSE | MODIFIERS - {
            "and", "or"} or STATE_RE.match(w) or (  # "liposarcoma and synovial sarcoma"
                w.lower() in {"and", "or"} and i and re.search(r"(?:oma|syndrome|cancer)s?$",
                                                             words[i - 1].lower()))]
        if cut:
            words = words[cut[-1] + 1:]
        # a disease name is its head noun with site and histology words before it; anything
        # else ("knowledge about", "stage II", "three large") ends the name
        keep = 0
        for w in reversed(words):
            if not SITE_WORD.fullmatch(w.lower().strip(",")) or w.lower() in NOT_SITE:
                break
            keep += 1
        words = words[len(words) - keep:] if keep else []
        while words and words[0].lower() in MODIFIERS:
            words.pop(0)
        if not words:  # "advanced cancer": no site, nothing to propose
            continue
        head = mt.group(2)
        singular = head[:-1] if head.endswith("s") else head
        label = " ".join([*(w.lower() for w in words), singular])
        a = mt.end() - len(head) - len(" ".join(words)) - 1
        add("diseases", label, a, mt.end())
    # "ABI-007" read as a drug's code is no unclassified treatment too, whichever came first
    drugs = {u.key for u in found.values() if u.kind == "drugs"}
    return sorted((u for u in found.values() if not (u.kind == "interventions" and u.key in drugs)),
                  key=lambda u: u.offset)


def _sentences(body: str) -> list[tuple[int, str]]:
    """The sentences of ``body`` with where each starts (a full stop and a space end one).

    A blank line ends one too: a title without a full stop is no part of the first sentence.
    """
    out, at = [], 0
    for mt in re.finditer(r"[.;]\s+|\n\s*\n|$", blank_brackets(body)):  # never in a bracket
        out.append((at, body[at:mt.start() + 1]))
        at = mt.end()
    return out


def _flow(text: str) -> str:
    """A YAML flow scalar: plain where that is safe, else quoted."""
    if re.fullmatch(r"[A-Za-z0-9][\w .+-]*", text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def proposal_lines(names: list[Unlinked], text: str, text_name: str) -> list[str]:
    """Comment lines proposing ``entities.yaml`` entries for the names, with where each is used.

    An identifier the drug lexicon gives is shown in the trailing comment as an unverified
    candidate: only the verified identifier table may attach identifiers.
    """
    if not names:
        return []
    out = ["# Names not in entities.yaml, so not linked in this draft. Add the right ones to",
           "# entities.yaml (identifiers only from the verified table, or none), then draft again:"]
    for kind in ("drugs", "interventions", "diseases"):
        picked = [u for u in names if u.kind == kind]
        if picked:
            out.append(f"#   {kind}:")
        for u in picked:
            line = text.count("\n", 0, u.offset) + 1
            out.append(f"#     {_entry(u, f'{text_name}:{line}', ', ')}")
    return out


def _entry(u: Unlinked, where: str, sep: str) -> str:
    """``key: {label: ..., synonyms: [...]}    # where`` with any candidate id as a comment."""
    entry = f"label: {_flow(u.label)}"
    if u.unclassified:
        entry += ", kind: unclassified"
    if u.synonyms:
        entry += f", synonyms: [{', '.join(_flow(x) for x in u.synonyms)}]"
    if u.candidate:
        where += f"{sep}candidate {u.candidate} (unverified)"
    return f"{u.key}: {{{entry}}}    # {where}"


def add_to_entities(path: Path, names: list[Unlinked], source: str) -> None:
    """Add the names to ``entities.yaml`` under their sections, label (and synonyms) only.

    What ``kg draft --add-names`` does for a curator who accepts the proposals: each entry is
    written with a comment naming the paper it came from and any unverified candidate id, and
    never with identifiers (only the verified table attaches those).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    for kind in ("drugs", "interventions", "diseases"):
        picked = [u for u in names if u.kind == kind]
        if not picked:
            continue
        new = [f"  {_entry(u, f'added by kg draft --add-names from {source}', '; ')}"
               for u in picked]
        at = next((i for i, ln in enumerate(lines) if re.fullmatch(rf"{kind}:\s*", ln)), None)
        if at is None:
            lines += ["", f"{kind}:", *new]
        else:
            lines[at + 1:at + 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
