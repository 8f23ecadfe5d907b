"""A bounded schemathesis run over the API and the WhatsApp Business service, as a manager and as a creator:
no 5xx, every status documented, every body matching its schema (`tests/support/fuzz.py`; `make fuzz` runs the
long version)."""

from __future__ import annotations

import httpx

from tests.conftest import login, manager_headers
from tests.support.fuzz import fuzz

MAX_EXAMPLES = 3
CREATOR = {"email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
           "category": "beauty", "instagram_followers": 52000, "country": "GB"}


async def _roles(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    manager = await manager_headers(client)
    assert (await client.post("/auth/register/creator", json=CREATOR)).status_code == 201
    creator = {"Authorization": f"Bearer {(await login(client, 'cleo'))['access_token']}"}
    return {"manager": manager, "creator": creator}


def _explain(report) -> str:  # type: ignore[no-untyped-def]
    return report.summary() + "\n\n" + "\n\n".join(
        f"{f.operation} as {f.role} → {f.status}\n{f.problem}\n{f.request}" for f in report.findings[:15])


async def test_the_api_answers_as_its_schema_says(app, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    report = await fuzz(app, await _roles(client), max_examples=MAX_EXAMPLES)
    assert report.operations > 50
    assert not report.findings, _explain(report)


async def test_the_whatsapp_service_answers_as_its_schema_says(client: httpx.AsyncClient,
                                                               whatsapp_standin: str) -> None:
    """Against the Cloud API stand-in (templates are read from it)."""
    from api.whatsapp_business.app import create_app

    report = await fuzz(create_app(), await _roles(client), max_examples=MAX_EXAMPLES)
    assert report.operations >= 1
    assert not report.findings, _explain(report)


async def test_an_undocumented_method_is_405_with_the_documented_methods_in_allow(app, client: httpx.AsyncClient  # type: ignore[no-untyped-def]
                                                                                 ) -> None:
    """Every path of the schema, for a method it does not document: 405 (never a 422 from a neighbouring route such
    as DELETE /do-not-contact/{entry_id} catching /do-not-contact/check), and `Allow` names what the schema does."""
    from fastapi.openapi.utils import _get_api_route_for_openapi
    from fastapi.routing import iter_route_contexts

    hidden: dict[str, set[str]] = {}  # pages outside the schema (the signing page's GET) are still allowed methods
    for context in iter_route_contexts(app.routes):
        route = _get_api_route_for_openapi(context)
        if route is not None and not route.include_in_schema:
            hidden.setdefault(route.path_format, set()).update(route.methods)
    wrong = []
    for path, operations in app.openapi()["paths"].items():
        documented = {method.upper() for method in operations} | hidden.get(path, set())
        missing = sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - documented)
        if not missing:
            continue
        url = path.replace("{", "").replace("}", "")  # a parameter's name stands in for its value
        for name in ("campaign_id", "creator_id", "contract_id", "approval_id", "entry_id", "payment_id", "item_id",
                     "deliverable_id", "invoice_id", "post_id", "link_id", "message_id", "run_id", "mail_id"):
            url = url.replace(name, "00000000-0000-4000-8000-000000000000")
        response = await client.request(missing[0], url)
        allow = {method.strip() for method in response.headers.get("allow", "").split(",") if method.strip()}
        if response.status_code != 405 or allow != documented:
            wrong.append((missing[0], path, response.status_code, sorted(allow), sorted(documented)))
    assert not wrong


def test_the_schema_documents_errors_and_has_no_tuple_form_items(app) -> None:  # type: ignore[no-untyped-def]
    document = app.openapi()
    assert "prefixItems" not in str(document)  # /dev/mailbox/{mail_id}'s headers were a tuple-form array
    responses = document["paths"]["/campaigns/{campaign_id}/invite"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422"} <= set(responses)
    assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "429" in document["paths"]["/auth/login"]["post"]["responses"]
