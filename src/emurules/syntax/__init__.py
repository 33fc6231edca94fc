"""The criteria language: grammar, syntax tree, parser and printer."""
