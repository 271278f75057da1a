"""The one way names and values that are not the project's own reach SQL text.

Values (file names, paths, dates, export names, settings) are bound as parameters: DuckDB
takes `?` in queries, DDL-as-select, table functions (`read_csv(?, columns = ?)`), `SET`,
`ATTACH` and `COPY ... TO ?`. Identifiers can never be parameters, so every identifier built
in Python (a CSV header, a table or column name) goes through `identifier()`. `literal()` is
for the few places DuckDB takes no parameter: a view definition (it stores its SQL text) and
an ATTACH option.
"""

from __future__ import annotations


def identifier(name: str) -> str:
    """`name` as a quoted DuckDB identifier, whatever it contains (`"` is doubled)."""
    return '"' + name.replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """A dotted name such as `"raw"."accounts"`, each part quoted."""
    return ".".join(identifier(part) for part in parts)


def literal(text: str) -> str:
    """`text` as a SQL string literal (`'` is doubled); only where no parameter is allowed."""
    return "'" + text.replace("'", "''") + "'"
