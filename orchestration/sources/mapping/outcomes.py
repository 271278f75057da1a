"""What becomes of each record of a declared mapping: typed into the contract, skipped by
the row filter, quarantined with its problems (file, record, field), warned about; then,
across the drop's files, the primary key (empty: quarantined; given twice: the later file
by name, then the later record, wins) and the rows and used records of the conversion."""

from __future__ import annotations

from orchestration.contract import ExportFile
from orchestration.sources.mapping.columns import Parameters, contract_value
from orchestration.sources.statements import run
from orchestration.sql import identifier


def type_and_ledger(connection, export, part, source_file, order, zone) -> None:
    described = "select column_name, column_type from (describe csa_map_stage)"
    types = dict(connection.execute(described).fetchall())
    params = Parameters()
    typed, problems = [], []
    for index, column in enumerate(export.columns):
        value, problem = contract_value(
            column,
            part.columns[column.name],
            identifier(f"m{index}"),
            types[f"m{index}"],
            part.timezone or zone,
            params,
        )
        typed.append(f"{value} as {identifier(column.name)}")
        problems.append(problem)
    run(
        connection,
        f"""create or replace temp table csa_map_typed as select _line, _keep, {", ".join(typed)},
            list_filter([{", ".join(problems)}], lambda x: x is not null) as _problems
        from csa_map_stage""",
        **params.values,
    )
    run(
        connection,
        """insert into csa_ledger
        select $file, _line, 'skipped', null, 'FILTER', 'left out by the row filter: ' || $filter,
               null
        from csa_map_typed where not _keep""",
        file=source_file,
        filter=part.filter or "",
    )
    run(
        connection,
        """insert into csa_ledger
        select $file, _line, 'quarantined', array_to_string(list_transform(_problems,
                   lambda x: split_part(x, ':', 1)), ', '),
               'MAPPING', array_to_string(_problems, '; '), null
        from csa_map_typed where _keep and len(_problems) > 0""",
        file=source_file,
    )
    names = ", ".join(identifier(c.name) for c in export.columns)
    run(
        connection,
        f"""insert into csa_map_rows select {names}, $file, _line, $order
        from csa_map_typed where _keep and len(_problems) = 0""",
        file=source_file,
        order=order,
    )
    for column in export.columns:
        message = part.columns[column.name].warn_empty
        if message:
            run(
                connection,
                f"""insert into csa_warnings select $file, _line, $column, $message
                from csa_map_typed
                where _keep and len(_problems) = 0 and {identifier(column.name)} is null""",
                file=source_file,
                column=column.name,
                message=f"{column.name} is empty: {message}",
            )


def apply_keys(connection, export: ExportFile) -> None:
    key = [identifier(c) for c in export.primary_key]
    partition, label = ", ".join(key), ", ".join(export.primary_key)
    empty = " or ".join(f"{c} is null" for c in key)
    connection.execute(
        f"""create or replace temp table csa_map_keyed as
        select *, case when {empty} then null else row_number() over (
                   partition by {partition} order by _order desc, _source_line desc) end as _rank,
               first_value(_source_file || ' record ' || _source_line) over (
                   partition by {partition} order by _order desc, _source_line desc) as _winner
        from csa_map_rows"""
    )
    run(
        connection,
        """insert into csa_ledger
        select _source_file, _source_line, 'quarantined', $key, 'KEY',
               case when _rank is null then 'primary key (' || $key || ') is empty'
                    else 'primary key given twice in this drop; ' || _winner || ' wins' end,
               null
        from csa_map_keyed where _rank is null or _rank > 1""",
        key=label,
    )
    names = ", ".join(identifier(c.name) for c in export.columns)
    connection.execute(
        f"insert into csa_vendor_rows select {names}, _source_file, _source_line "
        "from csa_map_keyed where _rank = 1"
    )
    connection.execute(
        "insert into csa_used select _source_file, _source_line from csa_map_keyed where _rank = 1"
    )
