{#- Generic test: none of `columns` is negative (movement amounts are positive numbers). -#}
{% test non_negative_columns(model, columns) %}
select *
from {{ model }}
where {% for column in columns %}{{ column }} < 0{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
