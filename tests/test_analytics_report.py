"""The campaign report: a PDF through the contracts' document pipeline with the key figures and four charts, and the
charts as PNG. (The first page was rendered with pdftoppm and looked at while building this.)"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from pypdf import PdfReader

from tests.test_analytics_api import _scenario

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def test_report_pdf_and_charts(client: httpx.AsyncClient, tmp_path: Path) -> None:
    setup, _, _ = await _scenario(client)
    response = await client.get(f"/campaigns/{setup.campaign_id}/report.pdf", headers=setup.headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    (tmp_path / "report.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert "Campaign report: Spring launch" in first and "EUR 130.00" in first and "-87.0%" in first
    assert "(revenue − spend) / spend" in reader.pages[2].extract_text()
    for name in ("spend-vs-revenue", "funnel", "top-creators", "engagement-by-platform"):
        chart = await client.get(f"/campaigns/{setup.campaign_id}/charts/{name}.png", headers=setup.headers)
        assert chart.status_code == 200 and chart.content.startswith(PNG_MAGIC), name
    unknown = await client.get(f"/campaigns/{setup.campaign_id}/charts/pie.png", headers=setup.headers)
    assert unknown.status_code == 422
