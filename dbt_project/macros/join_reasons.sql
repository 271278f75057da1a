{#- One reason from the two triggers of a playbook (either may be NULL): both joined by
    `separator` when both fired, else the one that did; NULL when neither did. -#}
{% macro join_reasons(first, second, separator='; ') -%}
    case
        when {{ first }} is not null and {{ second }} is not null
            then {{ first }} || '{{ separator }}' || {{ second }}
        else coalesce({{ first }}, {{ second }})
    end
{%- endmacro %}
