"""The page templates compiled by Jinja, kept as modules (``python -m kg.render.templating``).

Generated: never edited by hand; ``kg.render.templating`` says when each is used.
"""
