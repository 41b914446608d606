"""The dashboard: aggregates over PTEs, OTs and production (selectors.py), its API and page.

It reads the other apps and owns no domain model. It does own the dashboard's running totals,
the `resumen_*` ledgers (models.py) and the database triggers that fill them (resumenes.py),
although the style guide has it own no models: they are the dashboard's derived data, not any
other app's. Given to the apps whose rows they count, they would be split three ways while
one mechanism fills them (installed, dropped around migrations and rebuilt together), and
`ots` would own a trigger that writes `produccion`'s ledger (an OT's soft delete moves its
production out of the totals): a dependency upwards, hidden in SQL. Nothing else writes them.
"""
