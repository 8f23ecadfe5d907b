"""The OpenAPI document tells the truth about errors: each operation lists the error statuses it can answer, all
with the one error body (`ErrorOut`, what `api/errors.py` sends — FastAPI's default 422 schema is replaced).

Which statuses, from what the route is, so a new route is documented without anyone remembering to:
401 when it needs a login, a token or a signature; 403 when it needs a role (or a verify token); 404 when it names
something (path parameters, a body with ids) or acts for an organization; 409 for writes; 413 for bodies; 422 when
it takes input; 429 for the rate-limited auth endpoints; 503 for webhooks whose secrets are not configured;
502/503 where an integration (documents, e-signature, payouts) is built for the request.
Statuses a route documents itself are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import _get_api_route_for_openapi
from fastapi.routing import iter_route_contexts

from api.deps import current_principal, oauth2_scheme
from api.schemas.errors import ERROR_DESCRIPTIONS, ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def error_statuses(route: Any, method: str) -> set[int]:
    calls = list(_calls(route.dependant))
    names = {getattr(call, "__qualname__", "") for call in calls}
    dependant = route.dependant
    has_body = dependant.body_params != []
    takes_input = has_body or bool(dependant.query_params or dependant.path_params or dependant.header_params
                                   or dependant.cookie_params)
    # a login (required, or optional as on the signing page) or a personal token / a signature instead of one
    authenticated = current_principal in calls or oauth2_scheme in calls
    body_fields = {name for param in dependant.body_params
                   for name in getattr(param.field_info.annotation, "model_fields", {param.name: None})}
    signed = route.path_format.startswith(("/webhooks", "/webhook")) or any(
        "token" in name for name in body_fields | {param.name for param in dependant.query_params})
    statuses = set()
    if authenticated or signed:
        statuses |= {401, 404}
    if any(name.startswith("require_role") for name in names) or signed:
        statuses.add(403)
    if dependant.path_params or has_body:
        statuses.add(404)
    if method in WRITES:
        statuses.add(409)
    if has_body:
        statuses |= {413, 415} if any(p.field_info.__class__.__name__ == "File" for p in dependant.body_params) \
            else {413}
    if takes_input:
        statuses.add(422)
    if route.path_format.startswith("/auth/"):
        statuses |= {401, 429}  # bad credentials or refresh token; too many attempts
    if route.path_format.startswith(("/webhooks", "/webhook")):
        statuses.add(503)
    if any(getattr(call, "__module__", "") == "api.integrations" for call in calls):
        statuses |= {502, 503}  # it builds an integration (documents, e-signature, payouts) that can fail upstream
    return statuses


def document_errors(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorOut", ErrorOut.model_json_schema())
    for context in iter_route_contexts(app.routes):
        # FastAPI ≥ 0.16x includes routers lazily: this is the route as included (prefix, dependencies), an APIRoute
        # or a context that answers like one
        route = _get_api_route_for_openapi(context)
        if route is None or not route.include_in_schema:
            continue
        for method in route.methods:
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(error_statuses(route, method)):
                described = responses.get(str(status))
                content = {"application/json": {"schema": ERROR_REF}}
                if described is None:
                    responses[str(status)] = {"description": ERROR_DESCRIPTIONS[status], "content": content}
                elif status == 422 and "HTTPValidationError" in str(described.get("content")):
                    described.update(description=ERROR_DESCRIPTIONS[422], content=content)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Replace `app.openapi` with a version that documents the errors (computed once, then cached)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app.state, "errors_documented", False) and app.openapi_schema:
            return app.openapi_schema
        app.openapi_schema = document_errors(app, generate())
        app.state.errors_documented = True
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
