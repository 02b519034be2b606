"""Pure domain core: regions, entries, products, dates and the analysis over them (no I/O)."""
