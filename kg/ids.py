"""Deterministic IRI minting and CURIE handling.

Instance IRIs are readable and stable (``kgi:study/mission/arm/sorafenib``): they are built from
curated record ids, never from counters, hashes of memory addresses or uuids, so two builds of the
same input mint the same IRIs. CURIE prefixes follow bioregistry's spelling; each has the pattern
its local part must match, so a mistyped identifier is caught before it reaches the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from kg.vocab import KGI

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


@dataclass(frozen=True, slots=True)
class Prefix:
    """A CURIE prefix: where its IRIs live and what a valid local id looks like."""

    name: str
    uri_prefix: str
    pattern: str


# Patterns from bioregistry (simplified where bioregistry's is looser than the ids we hold).
PREFIX_TABLE: dict[str, Prefix] = {
    p.name: p
    for p in (
        Prefix("CHEBI", "http://purl.obolibrary.org/obo/CHEBI_", r"^\d+$"),
        Prefix("DRUGBANK", "https://go.drugbank.com/drugs/", r"^DB\d{5}$"),
        Prefix("PUBCHEM.COMPOUND", "https://pubchem.ncbi.nlm.nih.gov/compound/", r"^\d+$"),
        Prefix("CHEMBL.COMPOUND", "https://www.ebi.ac.uk/chembl/compound_report_card/",
               r"^CHEMBL\d+$"),
        Prefix("NCIT", "http://purl.obolibrary.org/obo/NCIT_", r"^[CR]\d+$"),
        Prefix("ATC", "http://www.whocc.no/atc_ddd_index/?code=",
               r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$"),
        Prefix("MESH", "http://id.nlm.nih.gov/mesh/", r"^[CDMQ]\d+$"),
        Prefix("WIKIDATA", "http://www.wikidata.org/entity/", r"^[QP]\d+$"),
        Prefix("UNII", "https://precision.fda.gov/uniisearch/srs/unii/", r"^[0-9A-Z]{10}$"),
        Prefix("KEGG.DRUG", "https://www.kegg.jp/entry/", r"^D\d+$"),
        Prefix("CAS", "https://commonchemistry.cas.org/detail?cas_rn=", r"^\d{1,7}-\d{2}-\d$"),
        Prefix("RXNORM", "https://identifiers.org/rxnorm:", r"^\d+$"),
        Prefix("HGNC", "https://identifiers.org/hgnc:", r"^\d{1,5}$"),
        Prefix("NCBIGene", "https://identifiers.org/ncbigene:", r"^\d+$"),
        Prefix("UniProtKB", "http://purl.uniprot.org/uniprot/",
               r"^([A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})|([OPQ][0-9][A-Z0-9]{3}[0-9])$"),
        Prefix("ENSEMBL", "https://identifiers.org/ensembl:", r"^ENS[A-Z]*[FPTG]\d{11}$"),
        Prefix("MONDO", "http://purl.obolibrary.org/obo/MONDO_", r"^\d{7}$"),
        Prefix("DOID", "http://purl.obolibrary.org/obo/DOID_", r"^\d+$"),
        Prefix("EFO", "http://www.ebi.ac.uk/efo/EFO_", r"^\d{7}$"),
        Prefix("STATO", "http://purl.obolibrary.org/obo/STATO_", r"^\d{7}$"),
        Prefix("OBI", "http://purl.obolibrary.org/obo/OBI_", r"^\d{7}$"),
        Prefix("OBCS", "http://purl.obolibrary.org/obo/OBCS_", r"^\d{7}$"),
        Prefix("NCT", "https://clinicaltrials.gov/study/", r"^NCT\d{8}$"),
        Prefix("PMID", "https://pubmed.ncbi.nlm.nih.gov/", r"^\d+$"),
        Prefix("PMCID", "https://www.ncbi.nlm.nih.gov/pmc/articles/", r"^PMC\d+$"),
        Prefix("DOI", "https://doi.org/", r"^10\.\d{2,9}/\S+$"),
        Prefix("EUDRACT", "https://www.clinicaltrialsregister.eu/ctr-search/search?query=",
               r"^\d{4}-\d{6}-\d{2}$"),
    )
}


class CurieError(ValueError):
    """A CURIE with an unknown prefix or a local part that does not fit its prefix."""


def split_curie(curie: str) -> tuple[str, str]:
    """Split ``PREFIX:local`` and check both parts; raise CurieError saying what is wrong."""
    if ":" not in curie:
        raise CurieError(f"{curie!r} is not a CURIE (expected PREFIX:id)")
    prefix, local = curie.split(":", 1)
    entry = PREFIX_TABLE.get(prefix)
    if entry is None:
        raise CurieError(f"{curie!r} has unknown prefix {prefix!r}")
    if not re.fullmatch(entry.pattern, local):
        raise CurieError(f"{curie!r}: {local!r} does not match the {prefix} pattern "
                         f"{entry.pattern}")
    return prefix, local


def expand_curie(curie: str) -> URIRef:
    """Return the IRI of a validated CURIE."""
    prefix, local = split_curie(curie)
    return URIRef(PREFIX_TABLE[prefix].uri_prefix + local)


def slug(text: str) -> str:
    """Lower-case, hyphenated form of a label, safe inside an IRI path segment."""
    out = re.sub(r"[^A-Za-z0-9+.]+", "-", text.strip()).strip("-").lower()
    if not out:
        raise ValueError(f"cannot make an IRI segment from {text!r}")
    return out


_MINTED: dict[tuple[str, ...], URIRef] = {}
MINTED_KEPT = 1 << 12  # IRIs remembered at most (then forgotten at once: memory stays bounded)


def mint(*segments: str) -> URIRef:
    """Mint an instance IRI from path segments; each must already be a valid slug.

    The builders mint the same IRI many times (a span for each record quoting it, a sentence
    for each span in it): a minted IRI is remembered, as checking and making it costs ~2 µs.
    """
    found = _MINTED.get(segments)
    if found is not None:
        return found
    for seg in segments:
        if not SLUG_RE.match(seg):
            raise ValueError(f"invalid IRI segment {seg!r}")
    if len(_MINTED) >= MINTED_KEPT:
        _MINTED.clear()
    found = _MINTED[segments] = KGI["/".join(segments)]
    return found


def graph_iri(name: str) -> URIRef:
    """IRI of a named graph in the TriG export (one per document, plus entities and provenance)."""
    return mint("graph", name)
