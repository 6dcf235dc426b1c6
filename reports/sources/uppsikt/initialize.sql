-- Run before every source query of this folder: helpers for Swedish formats (the tables show text made
-- here; what Evidence formats itself, chart axes and tooltips, is made Swedish by the component-utilities
-- patch in reports/patches/). A failure here is ignored by Evidence, so the queries that use the macros
-- fail loudly instead.

-- 1 234 567,9 with a no-break space between thousands, a decimal comma and a real minus sign.
create or replace temp macro sv_num(x, digits) as
    case
        when x is null or not isfinite(cast(x as double)) then '–'
        else replace(replace(replace(
            format('{:t .' || digits || 'f}', round(cast(x as double), digits) + 0.0),
            '.', ','), ' ', chr(160)), '-', chr(8722))
    end;

-- The same with a sign also for positive values (changes, effects).
create or replace temp macro sv_signed(x, digits) as
    case when x > 0 and round(x, digits) <> 0 then '+' else '' end || sv_num(x, digits);

-- A signed percentage ("+4,2 %"), or "–".
create or replace temp macro sv_pct_signed(x, digits) as
    case when x is null or not isfinite(cast(x as double)) then '–' else sv_signed(x, digits) || ' %' end;

-- An interval "12,0 till 30,5", or "–" when either end is missing or infinite.
create or replace temp macro sv_interval(lo, hi, digits) as
    case
        when lo is null or hi is null or not isfinite(cast(lo as double)) or not isfinite(cast(hi as double))
            then '–'
        else sv_num(lo, digits) || ' till ' || sv_num(hi, digits)
    end;

-- Timestamps as the report shows them: Swedish local time (CET/CEST), computed here at build time, where
-- DuckDB has its time zone data (ICU is built in); the browser only shows the text. The warehouse stores
-- every time with its zone (timestamptz), so the build machine's own zone plays no part.
create or replace temp macro sv_time(t) as
    case
        when t is null then '–'
        else strftime(timezone('Europe/Stockholm', cast(t as timestamptz)), '%Y-%m-%d %H:%M')
    end;

-- The Swedish local date of a timestamp, for what the pages say about reports: the pages of two builds on
-- the same day with the same figures are then the same (orchestration/lib/report/page_reuse.py).
create or replace temp macro sv_date(t) as
    case
        when t is null then '–'
        else strftime(timezone('Europe/Stockholm', cast(t as timestamptz)), '%Y-%m-%d')
    end;
