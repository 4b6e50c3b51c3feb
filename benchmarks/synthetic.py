"""Generate synthetic corpora shaped like the shipped one, at a chosen multiple of its size.

Each synthetic study has the real corpus's shape: a design sentence, two arms (one a
combination), a randomised population and a biomarker subgroup, PFS and OS endpoints, four
results, two hazard ratios with CI and p-values, a biomarker finding and a conclusion, every one
quoted from a generated text with line breaks, like PDF extraction. Scale 1 is about a thousand
statement triples (three studies), so scale 1,000 is about a million, the top of the benchmark.
Entities and identifiers are the real ones (no identifier is invented).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import textwrap
from pathlib import Path

from kg.paths import SOURCES_DIR

STUDIES_PER_SCALE = 3
STUDIES_PER_DOCUMENT = 10
DRUGS = ["sorafenib", "erlotinib", "gemcitabine", "cisplatin", "paclitaxel", "carboplatin"]
DISEASES = ["nsclc", "squamous-nsclc", "nonsquamous-nsclc", "sts", "leiomyosarcoma", "hcc"]
MARKERS = ["kras-mutation", "egfr-mutation", "vegf", "bfgf", "timp-1"]


def _study(rnd: random.Random, sid: str, ref: int) -> tuple[list[str], str]:
    """Sentences of one study and its evidence-file entry."""
    drug, partner = rnd.sample(DRUGS, 2)
    disease = rnd.choice(DISEASES)
    marker = rnd.choice(MARKERS)
    n = rnd.randint(60, 900)
    sub = rnd.randint(10, n // 3)
    pfs_a, pfs_b = round(rnd.uniform(3, 9), 1), round(rnd.uniform(1, 5), 1)
    os_a, os_b = round(rnd.uniform(6, 18), 1), round(rnd.uniform(5, 15), 1)
    hr1, hr2 = round(rnd.uniform(0.4, 0.95), 2), round(rnd.uniform(0.6, 1.3), 2)
    lo1, hi1 = round(hr1 * 0.7, 2), round(hr1 * 1.3, 2)
    lo2, hi2 = round(hr2 * 0.7, 2), round(hr2 * 1.3, 2)
    p1, p2 = rnd.choice(["0.001", "0.012", "0.03"]), rnd.choice(["0.21", "0.48", "0.77"])
    name = sid.upper()
    s = [
        f"In the {name} trial, a randomised phase II study, {n} patients were assigned to "
        f"{drug} with {partner} or to {partner} with placebo [{ref}].",
        f"The primary endpoint of {name} was progression-free survival.",
        f"Of the {name} patients, {sub} had a {marker} result and formed a subgroup.",
        f"In {name}, median PFS was {pfs_a} months with {drug} and {pfs_b} months with placebo "
        f"(HR={hr1}, 95% CI {lo1}-{hi1}; p={p1}).",
        f"In {name}, median OS was {os_a} months versus {os_b} months (HR={hr2}, 95% CI "
        f"{lo2}-{hi2}; p={p2}).",
        f"In {name}, a high baseline {marker} level was related to shorter PFS.",
        f"The {name} investigators concluded that {drug} with {partner} was active.",
    ]
    q = [line.replace('"', '\\"') for line in s]
    entry = f"""
  - id: {sid}
    label: "{name} randomised phase II study of {drug} with {partner}"
    refs: [{ref}]
    conditions: [{disease}]
    line_of_therapy: [pretreated]
    design: {{phase: 2, randomised: true, placebo_controlled: true}}
    quote: "{q[0]}"
    arms:
      - {{id: combo, label: {drug} + {partner}, regimen: [{drug}, {partner}], quote: "{q[0]}"}}
      - {{id: control, label: {partner} + placebo, regimen: [{partner}, placebo], quote: "{q[0]}"}}
    populations:
      - {{id: randomised, label: randomised, kind: randomised, size: {n}, quote: "{q[0]}"}}
      - {{id: subgroup, label: {marker} subgroup, kind: subgroup, size: {sub}, parent: randomised,
         biomarker: {marker}, biomarker_status: tested, quote: "{q[2]}"}}
    endpoints:
      - {{id: pfs, type: pfs, primary: true, quote: "{q[1]}"}}
      - {{id: os, type: os, quote: "{q[4]}"}}
    results:
      - {{id: pfs-a, endpoint: pfs, arm: combo, population: randomised, statistic: median,
         value: {pfs_a}, unit: month, quote: "{q[3]}"}}
      - {{id: pfs-b, endpoint: pfs, arm: control, population: randomised, statistic: median,
         value: {pfs_b}, unit: month, quote: "{q[3]}"}}
      - {{id: os-a, endpoint: os, arm: combo, population: randomised, statistic: median,
         value: {os_a}, unit: month, quote: "{q[4]}"}}
      - {{id: os-b, endpoint: os, arm: control, population: randomised, statistic: median,
         value: {os_b}, unit: month, quote: "{q[4]}"}}
    comparisons:
      - {{id: pfs-hr, endpoint: pfs, experimental: combo, reference: control,
         population: randomised, measure: hazard-ratio, estimate: {hr1},
         ci_low: {lo1}, ci_high: {hi1}, ci_level: 0.95,
         p_value: {p1}, p_qualifier: "=", quote: "{q[3]}"}}
      - {{id: os-hr, endpoint: os, experimental: combo, reference: control, population: randomised,
         measure: hazard-ratio, estimate: {hr2}, ci_low: {lo2}, ci_high: {hi2}, ci_level: 0.95,
         p_value: {p2}, p_qualifier: "=", quote: "{q[4]}"}}
    findings:
      - {{id: marker, label: high baseline {marker} related to shorter PFS, marker: {marker},
         measurement_time: baseline, marker_state: high, endpoints: [pfs], association: worse,
         population: subgroup, quote: "{q[5]}"}}"""
    claim = f"""
  - id: {sid}-conclusion
    kind: conclusion
    label: {name} concluded the combination was active
    drugs: [{drug}, {partner}]
    indications: [{disease}]
    studies: [{sid}]
    quote: "{q[6]}\""""
    return s, entry + "\n" + "CLAIM" + claim


def generate(scale: int, out: Path, seed: int = 42) -> Path:
    """Write a corpus of ``scale`` units into ``out`` (identifiers, entities, evidence, texts)."""
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "evidence").mkdir(parents=True)
    (out / "texts").mkdir()
    shutil.copyfile(SOURCES_DIR / "identifiers.yaml", out / "identifiers.yaml")
    shutil.copyfile(SOURCES_DIR / "entities.yaml", out / "entities.yaml")
    total = max(1, scale * STUDIES_PER_SCALE)
    for d in range(0, total, STUDIES_PER_DOCUMENT):
        doc = f"syn-{d // STUDIES_PER_DOCUMENT:05d}"
        sentences, studies, claims = [], [], []
        for i in range(d, min(total, d + STUDIES_PER_DOCUMENT)):
            s, entry = _study(rnd, f"syn-{i:06d}", i + 1)
            study, claim = entry.split("CLAIM")
            sentences += s
            studies.append(study)
            claims.append(claim)
        text = f"Synthetic document {doc}\n\n" + "\n".join(
            textwrap.fill(" ".join(sentences[k:k + 7]), 90)
            for k in range(0, len(sentences), 7)) + "\n"
        (out / "texts" / f"{doc}.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        (out / "evidence" / f"{doc}.yaml").write_text(
            f"document:\n  id: {doc}\n  text: {doc}.txt\n  sha256: {digest}\n"
            f"  kind: synthetic benchmark document\n  title: Synthetic document {doc}\n"
            "studies:" + "".join(studies) + "\nclaims:" + "".join(claims) + "\n",
            encoding="utf-8")
    return out
