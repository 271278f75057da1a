"""Reading an NDJSON file (one JSON object per line, `.gz` read as it is) into DuckDB:
`csa_ndjson (record, _line)`, the line number kept, empty lines no records, and the lines
that are no JSON object quarantined in the ledger naming the file and the line. Shared by
declared mappings (mapping/reading.py) and vendor tables given as NDJSON (tables.py)."""

from __future__ import annotations

from pathlib import Path

from orchestration.sources.statements import run

NOT_OBJECT = (
    "not coalesce(case when json_valid(record) then json_type(record) = 'OBJECT' end, false)"
)


def read_lines(connection, path: Path) -> None:
    """`csa_ndjson (record, _line)`: the file's non-empty lines, each kept whole."""
    # chr(1) never occurs unescaped in JSON, so each line is one field, kept whole.
    connection.execute(
        "create or replace temp table csa_ndjson as select record, "
        "row_number() over () as _line from read_csv(?, columns = {'record': 'VARCHAR'}, "
        "header = false, delim = chr(1), quote = '', escape = '', auto_detect = false, "
        "strict_mode = false)",
        [str(path)],
    )
    connection.execute("delete from csa_ndjson where trim(coalesce(record, '')) = ''")


def keep_objects(connection, source_file: str) -> int:
    """Quarantine the records of `csa_ndjson` that are no JSON object (and remove them);
    returns how many records there were before."""
    (records,) = connection.execute("select count(*) from csa_ndjson").fetchone()
    run(
        connection,
        f"""insert into csa_ledger select $file, _line, 'quarantined', null, 'JSON',
               'not a JSON object', left(record, 1000) from csa_ndjson where {NOT_OBJECT}""",
        file=source_file,
    )
    connection.execute(f"delete from csa_ndjson where {NOT_OBJECT}")
    return records


def field_path(name: str) -> str:
    """The JSONPath of a top-level key, whatever it contains (`$insert_id`), to be bound."""
    return '$."' + name.replace('"', '\\"') + '"'
