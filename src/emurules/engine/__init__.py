"""Engines that evaluate a plan over validated data, and the ranking they share."""
