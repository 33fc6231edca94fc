"""The checker: names, types, guards, dependencies."""
