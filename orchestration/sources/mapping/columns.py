"""The SQL of one contract column in a declared mapping, in two steps.

1. `source_value`: the mapping's value over the source record (a field, the user's SQL
   expression, or a constant), as DuckDB types it.
2. `contract_value`: that value through the value map (if any) into the contract type, and
   the condition under which the record is quarantined naming the column: a value not in the
   map, or a non-empty value that is not of the type or format (never a silent NULL).
Every option (format, zone, map, constant) is a bound parameter `$<name><index>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.contract import Column, ColumnType
from orchestration.sources.mapping.spec import EPOCH_FORMATS, ColumnMapping
from orchestration.sources.parsing import INTEGER_TYPES, MAX_EPOCH_SECONDS
from orchestration.sql import identifier, literal

# A trailing `Z` or `+09:00` / `-0500` / `+09`: the text says its own offset.
_OFFSET = r"([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$"
_TRUE, _FALSE = ("true", "t", "1", "yes", "y"), ("false", "f", "0", "no", "n")
LABEL = {
    ColumnType.TEXT: "text",
    ColumnType.TIMESTAMP: "a timestamp",
    ColumnType.DATE: "a date",
    ColumnType.DECIMAL: "a decimal number",
    ColumnType.RATE: "a decimal number",
    ColumnType.INTEGER: "a whole number",
    ColumnType.BOOLEAN: "true or false",
}


@dataclass
class Parameters:
    """The bound values of one mapping's SQL, named `$<prefix><n>`."""

    values: dict[str, object] = field(default_factory=dict)

    def bind(self, prefix: str, value: object) -> str:
        name = f"{prefix}{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def source_value(
    mapping: ColumnMapping, fields: dict[str, tuple[str, str]], params: Parameters
) -> str | None:
    """The value's SQL; None when `from` names a field the file does not have. `fields` maps
    each source field, lower-cased, to its exact name and DuckDB type."""
    if mapping.sql is not None:
        return f"({mapping.sql})"
    if mapping.source is None:
        return f"cast({params.bind('c', mapping.value)} as varchar)"
    found = fields.get(mapping.source.lower())
    if found:
        name, type_ = found
        return f"({identifier(name)} ->> '$')" if type_ == "JSON" else identifier(name)
    head, _, path = mapping.source.partition(".")
    found = fields.get(head.lower())
    if found and found[1] == "JSON" and path:  # a path into an NDJSON field: via.channel
        json_path = params.bind("p", "$." + ".".join(f'"{p}"' for p in path.split(".")))
        return f"json_extract_string({identifier(found[0])}, {json_path})"
    return None


def contract_value(
    column: Column,
    mapping: ColumnMapping,
    reference: str,
    source_type: str,
    zone: str,
    params: Parameters,
) -> tuple[str, str]:
    """(the typed value, the problem text or NULL) of `reference`, of DuckDB `source_type`."""
    text = f"nullif(trim(cast({reference} as varchar)), '')"
    unmapped = "cast(null as varchar)"
    if mapping.values is not None:
        keys = params.bind("k", list(mapping.values))
        targets = params.bind("v", list(mapping.values.values()))
        value_map = f"cast(map({keys}, {targets}) as map(varchar, varchar))"
        kept = f"regexp_full_match({text}, {params.bind('r', mapping.keep)})"
        known = f"map_contains({value_map}, {text})" + (f" or {kept}" if mapping.keep else "")
        unmapped = (
            f"case when {text} is not null and not ({known}) then "
            f"{literal(f'{column.name}: ')} || csa_quote({text}) || ' is not in the value map' end"
        )
        reference = (
            f"case when {text} is null then null when map_contains({value_map}, {text}) "
            f"then {value_map}[{text}] else {text} end"
        )
        source_type = "VARCHAR"
    typed, bad = _typed(column, mapping, reference, source_type, zone, params)
    if mapping.required:
        missing = literal(f"{column.name}: {mapping.required}")
        bad = f"coalesce({bad}, case when ({typed}) is null then {missing} end)"
    return typed, f"coalesce({unmapped}, {bad})"


def _typed(
    column: Column,
    mapping: ColumnMapping,
    reference: str,
    source_type: str,
    zone: str,
    params: Parameters,
) -> tuple[str, str]:
    text = f"nullif(trim(cast({reference} as varchar)), '')"
    target = column.type
    if target is ColumnType.TEXT:
        return f"nullif(cast({reference} as varchar), '')", "cast(null as varchar)"
    if target in (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.RATE):
        typed = f"try_cast({text} as {target.value})"
    elif target is ColumnType.BOOLEAN:
        typed = (
            reference
            if source_type == "BOOLEAN"
            else f"case when lower({text}) in {_TRUE} then true "
            f"when lower({text}) in {_FALSE} then false end"
        )
    else:
        typed = _moment(target, mapping, reference, source_type, text, zone, params)
    label = LABEL[target] + (f" in the format {mapping.format}" if mapping.format else "")
    bad = (
        f"case when {text} is not null and ({typed}) is null then "
        f"{literal(f'{column.name}: not {label}: ')} || csa_quote({text}) end"
    )
    return f"cast({typed} as {target.value})", bad


def _moment(
    target: ColumnType,
    mapping: ColumnMapping,
    reference: str,
    source_type: str,
    text: str,
    zone: str,
    params: Parameters,
) -> str:
    """A timestamp (or date) from a typed source or from text in `mapping.format`."""
    zone_ = params.bind("z", mapping.timezone or zone)
    form = mapping.format
    if source_type == "TIMESTAMP WITH TIME ZONE":
        instant = reference
    elif source_type.startswith("TIMESTAMP") or source_type == "DATE":
        instant = f"timezone({zone_}, cast({reference} as timestamp))"
    elif form in EPOCH_FORMATS or (form is None and source_type in INTEGER_TYPES):
        seconds = f"try_cast({text} as double)" + (" / 1000" if form == "epoch_ms" else "")
        instant = f"case when abs({seconds}) < {MAX_EPOCH_SECONDS} then to_timestamp({seconds}) end"
    elif form is not None:
        parsed = f"try_strptime({text}, {params.bind('f', form)})"
        offset = "%z" in form or "%Z" in form
        instant = f"cast({parsed} as timestamptz)" if offset else f"timezone({zone_}, {parsed})"
    elif target is ColumnType.DATE:
        return f"try_cast({text} as date)"
    else:
        instant = (
            f"case when regexp_matches({text}, '{_OFFSET}') then try_cast({text} as timestamptz) "
            f"else timezone({zone_}, try_cast({text} as timestamp)) end"
        )
    if target is ColumnType.DATE:
        if source_type == "DATE":
            return reference
        return f"cast(timezone({zone_}, {instant}) as date)"
    return instant
