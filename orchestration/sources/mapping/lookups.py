"""Lookups of a declared mapping: other files of the vendor folder that the mapping's
expressions read by key (Zendesk's organizations, by id, for the account's external id).

Each lookup becomes a temporary table named after it, with the files' fields, `_key` (the key
field as text), `_source_file` and `_line`. Its records are accounted for like the mapping's
own: a record the lookup's filter leaves out is skipped, an empty key or a key given again
later (the later file by name, then the later record, wins) is quarantined; the rest are used.
A lookup no file of the drop matches is an error: every row would lose what it looks up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.sources.mapping.columns import Parameters, source_value
from orchestration.sources.mapping.spec import ColumnMapping, Lookup
from orchestration.sources.statements import run
from orchestration.sources.tables import VendorFileError
from orchestration.sql import identifier

if TYPE_CHECKING:
    from orchestration.sources.mapping.engine import Reads


def load_lookup(reads: Reads, name: str, lookup: Lookup, paths: list[Path]) -> None:
    connection = reads.connection
    if not paths:
        raise VendorFileError(
            reads.folder, f"lookup {name} of {reads.export.name}: no file matches {lookup.files}"
        )
    parts = []
    for order, path in enumerate(paths):
        source_file = reads.read(lookup, path)
        fields = {
            field.lower(): (field, type_)
            for field, type_ in connection.execute(
                "select column_name, column_type from (describe csa_map_source)"
            ).fetchall()
        }
        params = Parameters()
        key = source_value(ColumnMapping.model_validate({"from": lookup.key}), fields, params)
        if key is None:
            raise VendorFileError(path, f"lookup {name}: the file has no key field {lookup.key!r}")
        part = identifier(f"csa_lookup_part{order}")
        keep = f"coalesce(({lookup.filter}), false)" if lookup.filter else "true"
        run(
            connection,
            f"""create or replace temp table {part} as select *,
                nullif(trim(cast({key} as varchar)), '') as _key, $file as _source_file,
                $order as _order, {keep} as _keep from csa_map_source as source""",
            file=source_file,
            order=order,
            **params.values,
        )
        run(
            connection,
            f"""insert into csa_ledger select _source_file, _line, 'skipped', null, 'FILTER',
                'left out by the filter of lookup ' || $name || ': ' || $filter, null
            from {part} where not _keep""",
            name=name,
            filter=lookup.filter or "",
        )
        parts.append(f"select * exclude (_keep) from {part} where _keep")
    connection.execute(
        f"""create or replace temp table csa_lookup_ranked as
        select *, case when _key is not null then row_number() over (
                   partition by _key order by _order desc, _line desc) end as _rank,
               first_value(_source_file || ' record ' || _line) over (
                   partition by _key order by _order desc, _line desc) as _winner
        from ({" union all by name ".join(parts)})"""
    )
    run(
        connection,
        """insert into csa_ledger
        select _source_file, _line, 'quarantined', $key, 'KEY',
               case when _rank is null then 'lookup key ' || $key || ' is empty'
                    else 'lookup key given twice in this drop; ' || _winner || ' wins' end, null
        from csa_lookup_ranked where _rank is null or _rank > 1""",
        key=lookup.key,
    )
    connection.execute(
        "insert into csa_used select _source_file, _line from csa_lookup_ranked where _rank = 1"
    )
    connection.execute(
        f"create or replace temp table {identifier(name)} as select * exclude "
        "(_rank, _winner, _order) from csa_lookup_ranked where _rank = 1"
    )
