"""Uploads: their rows (tables, repository) and where their bytes live (storage)."""
