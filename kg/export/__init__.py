"""Writers for the assembled dataset: Turtle, TriG, JSON-LD and the ontology copy."""
