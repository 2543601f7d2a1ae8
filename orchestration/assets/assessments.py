"""The frozen assessments (orchestration/assessments.py) as an asset after the tracking mart."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.assessments import freeze_complete_years


@asset(key=["audit", "frozen_assessments"], group_name="tracking", deps=[AssetKey(["marts", "fct_target_tracking"])],
       pool="duckdb",
       description="Each year's assessment as published then: the bureau's issued file (assessments/issued/), else "
                   "the tracking rows as they stood on the assessment date (assessments/calendar.yml), never "
                   "changed afterwards; audit.assessment_revisions sets them beside the current rows.")
def frozen_assessments(context: AssetExecutionContext) -> MaterializeResult:
    result = freeze_complete_years(run_id=context.run_id)
    for year, reason in result.not_ready.items():
        context.log.info(f"{year} not assessed yet: {reason}")
    context.log.info(f"frozen now: {result.frozen_now or 'none'}; already frozen: {result.already_frozen or 'none'}")
    return MaterializeResult(metadata={
        "frozen_now": MetadataValue.json(result.frozen_now),
        "issued_now": MetadataValue.json(result.issued_now),
        "already_frozen": MetadataValue.json(result.already_frozen),
        "not_ready": MetadataValue.json({str(k): v for k, v in result.not_ready.items()}),
        "rows_frozen_now": result.rows,
    })
