"""Comparing two versions of the criteria on one population (`emurules diff`)."""
