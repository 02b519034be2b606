"""The Textual app: log a day on a face map; see history, trends, weeks, flags and products."""
