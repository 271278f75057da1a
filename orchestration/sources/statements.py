"""Running the conversions' SQL with named parameters (`$name`), values always bound."""

from __future__ import annotations

import re
from importlib import resources

_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
# Quoted identifiers and string literals: a `$` in them (`"$insert_id"`) names no parameter.
_QUOTED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')


def run(connection, sql: str, **params: object):
    """Execute `sql`, binding the `params` it names (DuckDB rejects unused ones); a `$name`
    in a comment line, a quoted identifier or a string literal names none."""
    code = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    code = _QUOTED.sub("", code)
    used = set(_PARAMETER.findall(code))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"SQL names parameter(s) {', '.join(sorted(missing))} that were not given")
    return connection.execute(sql, {name: params[name] for name in used})


def sql_file(package: str, name: str) -> str:
    """The text of `<package>/sql/<name>.sql`, shipped with the code."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def run_script(connection, script: str, **params: object) -> None:
    """Run each statement of `script` (statements end with `;` at the end of a line)."""
    for statement in re.split(r";[ \t]*$", script, flags=re.MULTILINE):
        if statement.strip() and not _only_comments(statement):
            run(connection, statement, **params)


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())
