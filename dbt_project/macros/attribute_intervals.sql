{#- The validity intervals of versioned attributes: `versions` (a relation or CTE with the
    `keys`, the `attributes` and `_drop_date`, one row per key and drop that delivered it)
    becomes one row per key and run of unchanged attributes, with
      known_from  the drop date of the run's first version,
      valid_from  = known_from, but NULL for the key's earliest version: it stands for every
                  day before it as well (history starts with the first drop that has the key),
      valid_to    the drop date of the next version that differs (exclusive), NULL if none.
    A version is valid from the day of its drop: the export shows the state on that day.
    The version on day d is the row with (valid_from is null or valid_from <= d) and
    (valid_to is null or valid_to > d): exactly one per key for every day. Portable SQL (no
    IS DISTINCT FROM, no QUALIFY): both DuckDB and Spark build it. -#}
{% macro attribute_intervals(versions, keys, attributes) -%}
    {%- set key_list = keys | join(', ') -%}
    select
        {{ key_list }},
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        _drop_date as known_from,
        case when run_number > 1 then _drop_date end as valid_from,
        lead(_drop_date) over (partition by {{ key_list }} order by _drop_date) as valid_to
    from (
        select
            *,
            row_number() over (partition by {{ key_list }} order by _drop_date) as run_number
        from (
            select
                *,
                case
                    when lag(_drop_date) over (
                        partition by {{ key_list }} order by _drop_date
                    ) is null then 1
                    {% for attribute in attributes -%}
                    when (lag({{ attribute }}) over (
                        partition by {{ key_list }} order by _drop_date
                    ) is null) <> ({{ attribute }} is null)
                        or lag({{ attribute }}) over (
                            partition by {{ key_list }} order by _drop_date
                        ) <> {{ attribute }} then 1
                    {% endfor -%}
                    else 0
                end as starts_run
            from {{ versions }}
        ) as compared
        where starts_run = 1
    ) as runs
{%- endmacro %}

{#- The join condition "the version of `intervals` valid on `day`" (see attribute_intervals). -#}
{% macro valid_on(intervals, day) -%}
    ({{ intervals }}.valid_from is null or {{ intervals }}.valid_from <= {{ day }})
    and ({{ intervals }}.valid_to is null or {{ intervals }}.valid_to > {{ day }})
{%- endmacro %}
