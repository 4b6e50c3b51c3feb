"""Blanking the statistics printed in brackets, so that only per-arm values are read as values.

"PFS (8.3 v 6.9 months; HR, 0.81; 95% CI ...)": the values that open the bracket stay, the HR,
CI and p-value are blanked; positions are kept, so every offset still points into the sentence.
"""

from __future__ import annotations

import re

from kg.draft.patterns import NUM, blank_counts


def mask_statistics(text: str) -> str:
    """The sentence with statistics in brackets (HR, CI, P) blanked, positions kept.

    Per-arm values that open such a bracket stay: "PFS (8.3 v 6.9 months; HR, 0.81; ...)".
    """
    text = blank_counts(text)
    # "3.1 (2.2-4.8) months", "10.2 [7.1-15.5] months": a value's interval before its unit
    text = re.sub(rf"(?<=\d)\s*[(\[]\s*{NUM}\s*[-–]\s*{NUM}\s*[)\]](?=\s*(?:months?|weeks?|"
                  r"years?|days?|mo)\b)", lambda m: " " * len(m.group()), text)
    out = list(text)
    for mt in re.finditer(r"\([^()]*(?:\([^()]*\)[^()]*)*\)|\[[^\]]*\]", text):
        inner = mt.group()
        # a range or quartiles are no result: "5.3 months (range, 2.1 to 14.2 months)"
        # and so is a bare range after a value: "6.8 months (3-11 months)"
        stat = re.search(r"\b(?:HR|CI|P|p|hazard|confidence|[nN]\s*=|range|IQR|"
                         r"interquartile)\b|%\s*CI|/|^\(\s*[\d.]+\s*[-\u2013]\s*[\d.]+\s*"
                         r"(?:%|months?|weeks?|years?|days?)\s*\)$", inner)
        if stat:
            unit = r"\s*(?:%|per\s?cent\b|months?|weeks?|mo)?"
            # "(6.1% in the A group versus 5.2% in the B group; ...)": each value's arm
            # ... or its label after it: "(2.0%, A; 1.4%, B; P = .39)"
            arm = r"(?:\s+(?:in|with|for|on)\s[^();\d]{0,60}?|,\s*[A-Za-z][\w -]{0,25}?(?=\s*;))?"
            lead = re.match(rf"[(\[]\s*(?:\w[\w -]{{0,45}}?[,:;]\s*){{0,2}}{NUM}{unit}{arm}"
                            rf"(?:\s*(?:v\.?|vs\.?|versus|,|;|and|,\s*and)\s*"
                            rf"(?:[A-Za-z][\w -]{{0,20}}?:\s*)?"  # "(A: 41%, B: 57%; P = 0.01)"
                            rf"{NUM}{unit}{arm})+"
                            # "(64% and 58% for those in the A arm and the B arm, respectively;"
                            rf"(?:\s+(?:for|in|with|among|on)\s[^();\d]{{0,90}}?)?"
                            rf"(?:,?\s*respectively)?\s*[;,]", inner)
            # "(57 events with A vs 92 with B, hazard ratio ...)": counts with their arms
            counts = re.match(rf"[(\[]\s*{NUM}\s+(?:[A-Za-z-]+\s+){{0,3}}?(?:with|in|on)\s+"
                              rf"[^,;()\d]{{1,40}}?\s*(?:v\.?|vs\.?|versus|and|,)\s*{NUM}\s+"
                              rf"(?:[A-Za-z-]+\s+){{0,3}}?(?:with|in|on)\s+[^,;()\d]{{1,40}}?[;,]",
                              inner)
            # "(progression in the A group versus the B group, 241 events versus 267 events, HR
            # ...)": the arms' counts after what they count
            pair = re.match(rf"[(\[]\s*[^()\d;]{{3,90}}?,\s*{NUM}\s+[a-z]+\s*(?:v\.?|vs\.?|"
                            rf"versus|and)\s*{NUM}\s+[a-z]+\s*[;,]", inner)
            counts = counts or pair
            # "(overall response rate 39%, 95% CI: 29-49%)": one named value before its CI
            named = re.match(rf"[(\[]\s*(?!(?:absolute\s+|relative\s+)?(?:difference|"
                             rf"reduction|increase|improvement|change|delta)\b)"
                             rf"[A-Za-z][\w -]{{2,40}}?\s+{NUM}\s?%\s*[,;]\s*"
                             rf"(?=\d+\s?%\s*(?:CI|confidence))", inner)
            # "than the B group (23.7%; difference = 15.6%, ...)": one arm's value; "longer
            # with A (9.9 months; 95% CI, ...) than with B (5.8 months; 95% CI, ...)" too
            single = re.match(rf"[(\[]\s*{NUM}\s?(?:%|months?|weeks?|years?|days?|mo)\s*;", inner)
            lead = lead or counts or named or single
            keep = lead.end() if lead and lead.end() <= stat.start() else 0
            for k in range(mt.start() + keep, mt.end()):
                out[k] = " "
        elif re.fullmatch(rf"[(\[]\s*{NUM}\s*(?:,|-|–|to)\s*{NUM}\s*[)\]]", inner) and \
                re.search(r"percentile|quartile|\bIQR\b|\brange", text, re.I):
            # "11 [8, 15] days, with the 25th and 75th percentiles": quartiles, no values
            for k in range(mt.start(), mt.end()):
                out[k] = " "
    return "".join(out)
