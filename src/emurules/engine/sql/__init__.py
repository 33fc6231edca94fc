"""The SQL engine's first slice: the IR lowered to sqlglot expressions (`lower`), exact
decimals as scaled integers (`scaled`), what is refused (`refuse`) and how data is loaded
as the SQL expects it (`data`)."""

from __future__ import annotations

from emurules.engine.sql.lower import Assumed, Column, Query, SqlPlan, lower
from emurules.engine.sql.refuse import Unsupported
from emurules.engine.sql.scaled import DIALECTS, Dialect

__all__ = ["DIALECTS", "Assumed", "Column", "Dialect", "Query", "SqlPlan", "Unsupported", "lower"]
