"""Reports of a Result: terminal tables, Markdown, CSV and JSON."""
