"""Input data: validation of records and history against a checked model."""
