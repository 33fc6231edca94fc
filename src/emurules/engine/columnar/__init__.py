"""The columnar engine: the plan's IR evaluated over whole columns (Polars), exactly.

Numbers are scaled integers (Int128) whose scale every IR node fixes when the rules are
planned for a table, so that sums, products, the one rounded division (18 places, half
away from zero) and `round` give the digits the row engine gives. Ranking and quotas are
vectorised with the semantics of `engine/decide.py` and `engine/rank.py`, and produce the
same `Decision`s. What the engine cannot evaluate is refused by name before anything runs
(`support.refusals`); what it cannot evaluate exactly for a given table (a value beyond 38
digits, a division by zero to report) is handed to the row engine (`NeedsRow`).
"""
