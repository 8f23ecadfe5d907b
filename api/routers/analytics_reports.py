"""A campaign's report: `GET /campaigns/{id}/report.pdf` and its charts as PNG (`/charts/{name}.png`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import ManagerDep, SessionDep
from api.schemas.analytics import errors
from tools.analytics.charts import CHARTS
from tools.analytics.report import chart_png, report_pdf

router = APIRouter(tags=["analytics"])
ChartName = Annotated[str, Path(pattern=f"^({'|'.join(CHARTS)})$", description=", ".join(CHARTS))]


@router.get("/campaigns/{campaign_id}/report.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the campaign report"},
                       **errors(401, 403, 404)})
async def campaign_report(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Response:
    data = await report_pdf(session, principal.organization_id, campaign_id)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="campaign-{campaign_id}-report.pdf"'})


@router.get("/campaigns/{campaign_id}/charts/{name}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "the chart"}, **errors(401, 403, 404, 422)})
async def campaign_chart(campaign_id: uuid.UUID, name: ChartName, principal: ManagerDep,
                         session: SessionDep) -> Response:
    return Response(await chart_png(session, principal.organization_id, campaign_id, name), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=60"})
