"""The error every command may report: problems in the input, one line each.

It lives apart from the loader that raises it so the CLI can catch it without importing the
loader (and with it rdflib, YAML and the model) in commands that never load sources.
"""

from __future__ import annotations


class InputError(Exception):
    """One or more problems in the input files; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        """Keep every problem so the CLI can print them all at once."""
        super().__init__(f"{len(problems)} problem(s) in the input files")
        self.problems = problems
