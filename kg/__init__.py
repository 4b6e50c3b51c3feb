"""dti-kg: a knowledge graph of drug-target-indication evidence with verbatim provenance."""

__version__ = "0.1.0"
