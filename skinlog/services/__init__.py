"""Headless services over the journal: the demo journal, export and import."""
