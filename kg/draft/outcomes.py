"""Reading an outcome's name from the words around its values.

"Grade 3 neutropenia occurred in 41% vs 28%" names "Grade 3 neutropenia"; "Three of the 94
patients in the A group had nosebleeds" names "nosebleeds". Used wherever values have no
endpoint type of their own (rates, counts, per-arm segments).
"""

from __future__ import annotations

import re

# words that qualify a rate and name no outcome on their own
MODIFIERS = frozenset({"cumulative", "actuarial", "estimated", "crude", "absolute", "relative",
                       "annual", "annualised", "annualized", "observed", "expected"})
# words that end an outcome's name when read backwards from its values
OUTCOME_STOP = re.compile(
    r"\b(?:was|were|is|are|had|has|have|occurred|developed|reported|experienced|observed|"
    r"showed|among|in|for|of|with|than|between|by|after|received|receiving|underwent|given|"
    r"randomi[sz]ed|assigned|allocated|treated|"
    r"while|whereas|patients|women|participants|group|groups|arm|arms|versus|vs|and|or|"
    r"made|accounted|accounting|represented|representing|constituted|"
    r"respectively|the|a|an|"
    r"rate|rates|incidences?|proportions?|percentages?|frequency|frequencies|numbers|significantly|"
    r"higher|lower|more|less|"
    r"reduced|increased|decreased|fell|dropped|declined|rose|improved|compared|diagnosed|seen|"
    r"noted|detected|on|at|during|within|from|to|up|through|"
    r"about|approximately|roughly|around|nearly|almost|half|third|quarter|results|methods|"
    r"findings|did|does|most|many|few|still|also|"
    r"differ|differed|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred)(?:-\w+)?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"cycles?|doses?|treatment|therapy|overall|total|all|each|both|only|those|these|this|"
    r"there|who|which|that|no|not|statistically|significant|difference|differences|number|"
    r"fewer|greater|better|worse|similar|likely|chose|opted|percent|cent)\b",
    re.I)


def outcome_name(text: str, start: int) -> str | None:
    """The outcome a run of values measures, read back from the values to the clause start.

    "Grade 3 neutropenia occurred in 41% vs 28%": "Grade 3 neutropenia"; "the rate of
    lymphoedema was 12% and 25%": "lymphoedema". None when no plain noun phrase is found.
    """
    names = outcome_names(text, start)
    return names[0] if names else None


def outcome_after(text: str, end: int) -> str | None:
    """The outcome named after a count or rate by what patients did or had.

    "Three (3%) of the 94 patients in the A group had nosebleeds": "nosebleeds";
    "112 (21.9%) received second-line betanib": "second-line betanib"; "40 (20%) needing
    repeat surgery in the A group": "repeat surgery".
    """
    had = re.match(r"[^.;]{0,50}?\b(?:(?:had|having|developed|developing|experienced|"
                   r"experiencing|reported|reporting|needed|needing|required|requiring|underwent|"
                   r"undergoing|received|gained|achieved|reached|completed|exhibited|found|thought|"
                   r"rated|preferred)\s+|(?=stopped\s))(?P<name>[a-z][\w\s-]{2,40}?)"
                   r"(?=\s*(?:[,.;(<>≥≤=]|$|\s+(?:as|and|while|compared|than|but|after|during|"
                   r"in\s+the|versus|vs)\b))",
                   text[end:], re.I)
    return re.sub(r"^(?:(?:an?|the|more|less|fewer|higher|lower|greater)\s+)+", "",
                  had.group("name"), flags=re.I) if had else None


def outcome_names(text: str, start: int) -> list[str]:
    """Every plain noun phrase before ``start`` that may name its outcome, nearest the start first.

    "More patients in the A group received physiotherapy (37% vs 19%)": "A", "physiotherapy";
    the caller skips the one that names an arm.
    """
    # a closed bracket defines or abbreviates ("the first event (relapse or death) had ...")
    before = re.sub(r"\([^()]*\)", " ", text[:start])
    clauses = re.split(r"[.;:(]|,\s(?!\d)|\b(?:while(?!\s+(?:receiving|taking|on|given|being)\b)|"
                       r"whereas|but)\b", before)
    # values in brackets after their clause: "... were more common with A (42% vs 27%)", and
    # after the arm a bracket opens with: "... had no pain (A 53%; B 50%)"
    near = [c for c in reversed(clauses[-2:]) if re.search(r"[A-Za-z]{3}", c)][:1]
    opened = text.rfind("(", 0, start)
    listed = opened > text.rfind(")", 0, start) and re.search(r"[A-Za-z]{3}", text[opened:start])
    if listed or re.search(r":[^:.;]*$", before):  # a list of values opens there: the clause
        near = [c for c in reversed(clauses[-3:]) if re.search(r"[A-Za-z]{3}", c)][:2]
    return [n for c in near for n in _clause_names(c)]


def _clause_names(clause: str) -> list[str]:
    """The plain noun phrases of one clause, nearest its start first ("no pain" keeps "no")."""
    words = re.findall(r"[A-Za-z][\w'-]*|\d+", clause)
    # the name is the longest run of words without a stop word, nearest the clause start
    runs: list[list[str]] = [[]]
    for w in words:
        if runs[-1] and all(x.lower() in MODIFIERS for x in runs[-1]) and \
                re.fullmatch(r"incidences?|rates?|risks?|proportions?", w, re.I):
            runs[-1].append(w)  # "Cumulative incidences were ...": that, if nothing else
            runs.append([])
        elif OUTCOME_STOP.fullmatch(w) or (re.fullmatch(r"\d+", w) and runs[-1] == []):
            runs.append(["no"] if w.lower() == "no" else [])  # "had no pain": "no pain"
        else:
            runs[-1].append(w)
    for r in runs:  # "Of these 152 tumours, 117 were": no number ends a name
        while r and re.fullmatch(r"\d+", r[-1]):
            r.pop()
    # "Cumulative incidence of relapse": relapse; the modifier's phrase only when none follows
    named = [" ".join(r[:6]) for r in runs if r and any(len(w) > 3 for w in r)]
    named.sort(key=lambda n: n.split()[0].lower() in MODIFIERS)
    return [n for n in named if len(n) >= 4 and not re.search(
        r"(?<![\w-])(?:patients?|women|participants|subjects|study|trial|analysis|median)(?![\w-])",
        n, re.I)]  # "on-study fractures" is an outcome
