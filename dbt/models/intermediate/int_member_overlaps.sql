with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

members as (
    select * from {{ ref('stg_registry__members') }}
),

-- A membership lasts from joining to leaving or the cooperation's end, whichever comes first.
memberships as (
    select
        members.agreement_id,
        agreements.area_id,
        members.municipality_id,
        members.joined_on,
        coalesce(least(members.left_on, agreements.end_date), date '9999-12-31') as until_on
    from members
    inner join agreements
        on members.agreement_id = agreements.agreement_id
),

pairs as (
    select
        this.agreement_id,
        this.municipality_id,
        this.area_id,
        other.agreement_id as other_agreement_id,
        this.joined_on,
        other.joined_on as other_joined_on,
        greatest(this.joined_on, other.joined_on) as overlap_start,
        least(this.until_on, other.until_on) as overlap_end
    from memberships as this
    inner join memberships as other
        on
            this.area_id = other.area_id
            and this.municipality_id = other.municipality_id
            and this.agreement_id != other.agreement_id
    where greatest(this.joined_on, other.joined_on) <= least(this.until_on, other.until_on)
),

-- The rule: while a kommun is in two cooperations of one area, a change in it is credited to the one
-- it joined last (the new arrangement is what changed); joined the same day, to neither.
final as (
    select
        pairs.agreement_id,
        pairs.municipality_id,
        pairs.other_agreement_id,
        pairs.area_id,
        pairs.overlap_start,
        nullif(pairs.overlap_end, date '9999-12-31') as overlap_end,
        case
            when pairs.joined_on > pairs.other_joined_on then pairs.agreement_id
            when pairs.joined_on < pairs.other_joined_on then pairs.other_agreement_id
        end as attributed_agreement_id
    from pairs
)

select * from final
