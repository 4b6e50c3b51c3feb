"""Drug names beyond ``entities.yaml``, from an offline lexicon of DrugBank and MeSH names.

A real paper names drugs the entity file has never heard of (docetaxel, letrozole, "5-FU"); without
them no arm can be formed. The ``drug-named-entity-recognition`` package ships a dictionary of
about 100,000 drug names and synonyms mapped to canonical names and DrugBank ids. Only its data
file is read (its module would reach for the network to look up OMOP ids), and the ids it gives
are proposed as unverified candidates, never attached as verified identifiers.
"""

from __future__ import annotations

import bz2
import functools
import importlib.util
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "drug_named_entity_recognition"
DATA = "drug_ner_dictionary.pkl.bz2"
# names of the dictionary that are ordinary words in a trial report, not the drug meant
COMMON = {
    "water", "oxygen", "control", "standard", "placebo", "lead", "sodium", "chloride", "calcium",
    "iron", "zinc", "alcohol", "ethanol", "glucose", "sugar", "salt", "urea", "caffeine", "air",
    "serum", "blood", "plasma", "saline", "protein", "vitamin", "vitamins", "hormone", "hormones",
    "estrogen", "oestrogen", "progesterone", "testosterone", "insulin", "magnesium", "potassium",
    "nitrogen", "carbon", "silver", "gold", "copper", "sulfur", "talc", "starch", "gelatin",
    "cholesterol", "dextrose", "milk", "honey", "soy", "ginger", "green tea", "tea", "coffee",
    "histamine", "dopamine", "adrenaline", "collagen", "albumin", "thrombin", "heparin lock",
    "ice", "acid", "base", "sodium chloride", "fluoride", "iodine", "light", "benzyl", "oil",
    "castor oil", "aloe", "fat", "fish oil", "omega-3", "fiber", "fibre", "tar", "coal tar",
    "arginine", "glutamine", "glycine", "melatonin", "pollen", "latex", "nicotine", "cocaine",
    "maintain", "prevent", "prevention", "recover", "relief", "balance", "freedom", "concept",
    "complete", "advance", "response", "restore", "result", "today", "focus", "alert", "luminal",
    "indicators", "immunosorbent", "tris", "citrate", "estrogenic effect", "estrogenic effects",
    "hdl cholesterol", "ldl cholesterol", "human epidermal growth factor", "carbon dioxide",
}


@dataclass(frozen=True)
class DrugName:
    """A drug name found in a text, with the lexicon's canonical name and DrugBank id."""

    start: int
    end: int
    text: str
    canonical: str
    drugbank: str | None


def _data_file() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)  # located, not imported (no module code runs)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / DATA
    return path if path.exists() else None


@functools.cache
def lexicon() -> dict[str, tuple[str, str | None, bool]]:
    """Folded name -> (canonical name, DrugBank id, brand); empty when the package is missing.

    Kept: names of marketed drugs (a MedlinePlus page), DrugBank entries that are no protein of
    the body, and MeSH chemicals and drug classes; left out: receptors, enzymes and other
    proteins the dictionary also holds ("endoglin", "alkaline phosphatase").
    """
    path = _data_file()
    if path is None:
        return {}
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)  # noqa: S301 - the pinned package's own data file
    canon = data["drug_canonical_to_data"]
    brands = data["drug_variant_to_variant_data"]
    out: dict[str, tuple[str, str | None, bool]] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        name = variant.lower().strip()
        if not canonicals or name in COMMON or (len(name) < 4 and not re.search(r"\d", name)):
            continue
        if not re.search(r"[a-z]{3}", name):
            continue
        main = canonicals[0]
        info = canon.get(main, {})
        if not _a_drug(name, info):
            continue
        label = info.get("name", main)
        if "(" in label or "," in label:  # "paclitaxel (with polyoxyethylated castor oil)"
            label = variant
        out[name] = (label.lower(), info.get("drugbank_id"),
                     bool(brands.get(variant, {}).get("is_brand")))
    return out


DRUG_TREES = ("D02", "D03", "D04", "D26", "D27")  # MeSH: organic and heterocyclic compounds,
# polycyclic compounds, pharmaceutical preparations, chemical actions and uses (drug classes)


def _a_drug(name: str, info: dict) -> bool:
    if re.search(r"receptor|antigen|\bcells?\b|\bgene\b|enzyme|kinase\b", name):
        return False
    if info.get("medline_plus_id"):
        return True
    trees = re.findall(r"D\d\d", str(info.get("mesh_tree", "")))
    if trees and any(t in DRUG_TREES for t in trees):
        return True
    # a biologic with a DrugBank entry ("epoetin alfa", MeSH proteins), not an enzyme
    return bool(info.get("drugbank_id")) and not name.endswith("ase") and \
        not set(trees) <= {"D08", "D23"} if trees else bool(info.get("drugbank_id"))


WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")


def find_drugs(text: str) -> list[DrugName]:
    """Drug names of the lexicon in ``text``, longest first at a position, in text order."""
    names = lexicon()
    if not names:
        return []
    words = [(mt.start(), mt.end()) for mt in WORD.finditer(text)]
    out: list[DrugName] = []
    i = 0
    while i < len(words):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            a, b = words[i][0], words[i + n - 1][1]
            surface = text[a:b]
            key = " ".join(surface.lower().split())
            if key in names:
                hit = (n, a, b, surface, key)
                break
        if hit:
            n, a, b, surface, key = hit
            label, dbid, brand = names[key]
            if brand and surface.islower():  # "luminal A" is no brand of phenobarbital
                i += 1
                continue
            out.append(DrugName(a, b, surface, label, dbid))
            i += n
        else:
            i += 1
    return out
