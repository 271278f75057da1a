"""SQL that reads one vendor column as its kind, from CSV text or a typed Parquet column.

Each kind gives a typed expression and the condition of a value it could not read (a
non-empty field whose typed value is NULL), so that record is quarantined naming the field.
Only column references made with `identifier()` reach the SQL text; values never do.
"""

from __future__ import annotations

from orchestration.sources.vendor import Kind

TEXT_TYPES = ("VARCHAR",)
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
INTEGER_TYPES += ("UINTEGER", "UBIGINT")
# Epoch seconds beyond this are not seconds (milliseconds, or garbage): year 5138.
MAX_EPOCH_SECONDS = 10**11
# A trailing `Z` or `+09:00` / `-0500` / `+09`: the text says its own offset.
_OFFSET = r"([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$"

LABEL = {
    Kind.TEXT: "text",
    Kind.INTEGER: "a whole number",
    Kind.DECIMAL: "a decimal number",
    Kind.BOOLEAN: "true or false",
    Kind.UTC_TIMESTAMP: "a timestamp",
    Kind.JSON: "JSON",
}
SQL_TYPE = {
    Kind.TEXT: "VARCHAR",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DECIMAL(38,12)",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.UTC_TIMESTAMP: "TIMESTAMPTZ",
    Kind.JSON: "VARCHAR",
}


def typed(kind: Kind, column: str, source_type: str) -> str:
    """The value of `column` (an SQL reference of type `source_type`) as `kind`."""
    text = f"nullif(trim(cast({column} as varchar)), '')"
    source_type = source_type.upper()
    if kind is Kind.TEXT:
        return f"nullif(cast({column} as varchar), '')"
    if kind is Kind.JSON:
        return f"case when json_valid({text}) then {text} end"
    if kind is Kind.INTEGER:
        if source_type in INTEGER_TYPES:
            return f"cast({column} as bigint)"
        return f"try_cast({text} as bigint)"
    if kind is Kind.DECIMAL:
        # Through text: a Parquet DOUBLE such as 12.5 keeps its shortest exact digits.
        return f"try_cast({text} as decimal(38,12))"
    if kind is Kind.BOOLEAN:
        if source_type == "BOOLEAN":
            return column
        return f"try_cast(lower({text}) as boolean)"
    return _utc_timestamp(column, source_type, text)


def _utc_timestamp(column: str, source_type: str, text: str) -> str:
    if source_type == "TIMESTAMP WITH TIME ZONE":
        return column
    if source_type.startswith("TIMESTAMP") or source_type == "DATE":
        return f"timezone('UTC', cast({column} as timestamp))"
    seconds = (
        f"case when abs(try_cast({text} as hugeint)) < {MAX_EPOCH_SECONDS} "
        f"then to_timestamp(try_cast({text} as bigint)) end"
    )
    if source_type in INTEGER_TYPES:
        return seconds
    return (
        f"case when {text} is null then null "
        f"when regexp_full_match({text}, '-?[0-9]+') then {seconds} "
        f"when regexp_matches({text}, '{_OFFSET}') then try_cast({text} as timestamptz) "
        f"else timezone('UTC', try_cast({text} as timestamp)) end"
    )
