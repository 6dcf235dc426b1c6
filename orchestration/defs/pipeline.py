"""The whole pipeline as one job, its schedule and the executor every run uses."""

import dagster as dg

PIPELINE_JOB = "uppsikt_pipeline"


@dg.definitions
def defs() -> dg.Definitions:
    # One job over every asset: extract, transform, validate, report, in dependency order.
    job = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all(),
        description=("Hämtar Kolada och SCB, modellerar effekter, validerar och bygger rapporten."),
    )
    from orchestration.lib.ops.settings import load_settings

    # Kolada publishes most KPIs once a year and revises in between; monthly (UPPSIKT_SCHEDULE, by
    # default 05:00 on the 2nd) keeps reports current.
    monthly = dg.ScheduleDefinition(
        name="uppsikt_monthly",
        job=job,
        cron_schedule=load_settings().schedule_cron,
        execution_timezone="Europe/Stockholm",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    from orchestration.lib.ops.resources import resources
    from orchestration.lib.ops.runs import locked_in_process_executor

    # DuckDB allows one writer: every step in one process, and one run at a time (the run lock), so a
    # run from the UI, the schedule and `uppsikt run` never meet in the warehouse.
    return dg.Definitions(
        jobs=[job], schedules=[monthly], executor=locked_in_process_executor, resources=resources()
    )
