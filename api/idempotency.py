"""`Idempotency-Key` support for any endpoint, honoured like Stripe's (rules in `store/idempotency/service.py`).

    @router.post("/payments/{payment_id}/process", response_model=PaymentOut)
    async def process(payment_id: uuid.UUID, principal: ManagerDep, session: SessionDep,
                      idempotency: IdempotencyDep) -> Response:
        return await idempotency.run(session, lambda: service.process(session, principal, payment_id))

`run` replays a stored response (header `Idempotent-Replayed: true`) without calling the effect; otherwise it calls
it, stores the JSON response in the request's transaction and returns it. A request that fails, or never reaches
`run` (e.g. its body fails validation), releases the key. Keys are scoped to the caller's organization (to the user
when there is none). Without the header the effect simply runs; `RequiredIdempotencyDep` makes the header mandatory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import PrincipalDep
from core.errors import InvalidInput
from store.idempotency import service
from store.idempotency.service import IdempotencyLease, StoredResponse

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class Idempotency:
    """The state of one request's key: nothing to do (no header), a response to replay, or a lease to complete."""

    def __init__(self, outcome: IdempotencyLease | StoredResponse | None) -> None:
        self._outcome = outcome
        self.settled = not isinstance(outcome, IdempotencyLease)

    @property
    def replay(self) -> StoredResponse | None:
        return self._outcome if isinstance(self._outcome, StoredResponse) else None

    async def run(self, session: AsyncSession, effect: Callable[[], Awaitable[Any]],
                  status_code: int = 200) -> JSONResponse:
        if isinstance(self._outcome, StoredResponse):
            return JSONResponse(self._outcome.body, self._outcome.status_code, headers={REPLAYED_HEADER: "true"})
        body = jsonable_encoder(await effect())
        if isinstance(self._outcome, IdempotencyLease):
            await service.complete(session, self._outcome, status_code, body)
            self.settled = True
        return JSONResponse(body, status_code)

    async def release_if_unsettled(self) -> None:
        if isinstance(self._outcome, IdempotencyLease) and not self.settled:
            await service.release(self._outcome)
            self.settled = True


def _scope(principal: PrincipalDep) -> str:
    organization_id = principal.organization_id
    return f"org:{organization_id}" if organization_id is not None else f"user:{principal.id}"


def idempotency(required: bool = False) -> Callable[..., AsyncIterator[Idempotency]]:
    async def _dependency(
        request: Request,
        principal: PrincipalDep,
        idempotency_key: Annotated[str | None, Header(
            alias=IDEMPOTENCY_HEADER, description="A unique key per intended operation (e.g. a UUID v4): "
            "retrying with the same key and request replays the first response instead of acting twice")] = None,
    ) -> AsyncIterator[Idempotency]:
        if idempotency_key is None:
            if required:
                raise InvalidInput(f"Send an '{IDEMPOTENCY_HEADER}' header (e.g. a UUID) with this request",
                                   code="idempotency_key_required")
            yield Idempotency(None)
            return
        key = idempotency_key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            raise InvalidInput(f"'{IDEMPOTENCY_HEADER}' must be 1-{MAX_KEY_LENGTH} printable ASCII characters",
                               code="invalid_idempotency_key")
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        fingerprint = service.request_fingerprint(request.method, path, await request.body())
        state = Idempotency(await service.begin(_scope(principal), key, fingerprint))
        try:
            yield state
        finally:
            await state.release_if_unsettled()

    return _dependency


# scope="function": the key is released (after a failure) before the error response is sent.
IdempotencyDep = Annotated[Idempotency, Depends(idempotency(), scope="function")]
RequiredIdempotencyDep = Annotated[Idempotency, Depends(idempotency(required=True), scope="function")]
