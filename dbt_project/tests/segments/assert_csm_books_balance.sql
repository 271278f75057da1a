-- Rule (metrics.md, CSM books): per book and month starting_mrr + fx_adjustment + new +
-- reactivation + expansion - contraction - churned + transfer_in - transfer_out = mrr,
-- exactly; and starting_mrr is the book's mrr of the month before (0 for a book that held
-- nothing then). Failing rows are the books that break either, with the differences.
with books as (

    select * from {{ ref('csm_book_monthly') }}

),

checked as (

    select
        books.month,
        books.csm_id,
        books.starting_mrr + books.fx_adjustment + books.new_mrr + books.reactivation_mrr
        + books.expansion_mrr - books.contraction_mrr - books.churned_mrr
        + books.transfer_in_mrr - books.transfer_out_mrr - books.mrr as bridge_difference,
        books.starting_mrr - coalesce(previous_books.mrr, 0) as carried_over_difference
    from books
    left join books as previous_books
        on books.csm_id = previous_books.csm_id
        and previous_books.month = {{ add_months('books.month', -1) }}

)

select * from checked
where bridge_difference <> 0 or carried_over_difference <> 0
