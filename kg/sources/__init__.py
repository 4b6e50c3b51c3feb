"""Shipped source documents, curated evidence files and their loader."""
