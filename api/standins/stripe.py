"""A local stand-in for the slice of the Stripe API Influency uses, for tests and offline runs.

Speaks Stripe's wire format (form-encoded requests, JSON objects and error envelopes) for `POST /v1/transfers` and
`GET /v1/transfers/{id}`, and honours `Idempotency-Key` like Stripe: the same key and parameters replay the first
response (`Idempotent-Replayed: true`), the same key with other parameters is a 400 `idempotency_error`, and a
duplicate arriving while the first is still running is a 409. Destinations must look like `acct_...`;
`acct_insufficient_funds` is refused like an empty balance. `sign()` / `signed_event()` produce webhook
deliveries signed exactly as Stripe signs them.

    python -m api.standins.stripe --port 8152 --api-key sk_test_standin --webhook-secret whsec_standin
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class _KeyRecord:
    fingerprint: str
    done: asyncio.Event = field(default_factory=asyncio.Event)
    status: int = 0
    body: dict[str, Any] = field(default_factory=dict)


def _error(status: int, error_type: str, message: str, code: str | None = None) -> JSONResponse:
    error: dict[str, Any] = {"type": error_type, "message": message}
    if code:
        error["code"] = code
    return JSONResponse({"error": error}, status, headers={"Request-Id": f"req_{secrets.token_hex(7)}"})


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`metadata[reference]=x` → {"metadata": {"reference": "x"}} (one level, as Stripe's form encoding uses)."""
    params: dict[str, Any] = {}
    for name, value in pairs:
        if "[" in name and name.endswith("]"):
            outer, inner = name[:-1].split("[", 1)
            params.setdefault(outer, {})[inner] = value
        else:
            params[name] = value
    return params


class StripeStandin:
    def __init__(self, api_key: str = "sk_test_standin", webhook_secret: str = "whsec_standin",
                 processing_delay_seconds: float = 0.0) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.processing_delay_seconds = processing_delay_seconds  # widens the in-flight window in tests
        self.transfers: dict[str, dict[str, Any]] = {}
        self.requests_seen = 0
        self._keys: dict[str, _KeyRecord] = {}
        self.app = self._build_app()

    def reset(self) -> None:
        """Forget transfers and idempotency keys (between tests)."""
        self.transfers.clear()
        self._keys.clear()
        self.requests_seen = 0
        self.processing_delay_seconds = 0.0

    # ------------------------------------------------------------------ webhooks
    def sign(self, payload: bytes, timestamp: int | None = None, secret: str | None = None) -> str:
        """The `Stripe-Signature` header value for a payload: `t=<unix time>,v1=<HMAC-SHA256 hex>`."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        signed = f"{timestamp}.".encode() + payload
        digest = hmac.new((secret or self.webhook_secret).encode(), signed, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    def signed_event(self, event_type: str, data_object: dict[str, Any], event_id: str | None = None,
                     timestamp: int | None = None) -> tuple[bytes, str]:
        event = {"id": event_id or f"evt_{secrets.token_hex(12)}", "object": "event", "type": event_type,
                 "api_version": "2025-01-01", "created": int(time.time()), "livemode": False,
                 "data": {"object": data_object}}
        payload = json.dumps(event).encode()
        return payload, self.sign(payload, timestamp)

    # ------------------------------------------------------------------ API
    def _build_app(self) -> FastAPI:
        app = FastAPI(title="Stripe stand-in", docs_url=None, redoc_url=None, openapi_url=None)

        @app.post("/v1/transfers")
        async def create_transfer(request: Request) -> JSONResponse:
            return await self._idempotent(request, self._create_transfer)

        @app.get("/v1/transfers/{transfer_id}")
        async def retrieve_transfer(transfer_id: str, request: Request) -> JSONResponse:
            if (denied := self._authenticate(request)) is not None:
                return denied
            transfer = self.transfers.get(transfer_id)
            if transfer is None:
                return _error(404, "invalid_request_error", f"No such transfer: '{transfer_id}'", "resource_missing")
            return JSONResponse(transfer)

        return app

    def _authenticate(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        return None

    async def _idempotent(self, request: Request, handler: Any) -> JSONResponse:
        self.requests_seen += 1
        if (denied := self._authenticate(request)) is not None:
            return denied
        raw = (await request.body()).decode()
        params = _nest(parse_qsl(raw, keep_blank_values=True))
        key = request.headers.get("idempotency-key")
        if key is None:
            status, body = await handler(params)
            return JSONResponse(body, status)
        fingerprint = hashlib.sha256(
            (request.url.path + json.dumps(params, sort_keys=True)).encode()).hexdigest()
        record = self._keys.get(key)
        if record is not None:
            if record.fingerprint != fingerprint:
                return _error(400, "idempotency_error", "Keys for idempotent requests can only be used with the "
                              "same parameters they were first used with.")
            if not record.done.is_set():
                return _error(409, "idempotency_error", "There is currently another in-progress request using "
                              "this Stripe token or Idempotency-Key.", "idempotency_key_in_use")
            return JSONResponse(record.body, record.status, headers={"Idempotent-Replayed": "true"})
        record = self._keys[key] = _KeyRecord(fingerprint)
        try:
            record.status, record.body = await handler(params)
        except BaseException:
            del self._keys[key]
            raise
        record.done.set()
        return JSONResponse(record.body, record.status, headers={"Idempotent-Replayed": "false"})

    async def _create_transfer(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.processing_delay_seconds:
            await asyncio.sleep(self.processing_delay_seconds)
        amount = str(params.get("amount", ""))
        if not amount.isdigit() or int(amount) <= 0:
            return 400, {"error": {"type": "invalid_request_error", "param": "amount",
                                   "message": "Invalid positive integer", "code": "parameter_invalid_integer"}}
        destination = str(params.get("destination", ""))
        if not destination.startswith("acct_"):
            return 400, {"error": {"type": "invalid_request_error", "param": "destination",
                                   "message": f"No such destination: '{destination}'", "code": "resource_missing"}}
        if destination == "acct_insufficient_funds":
            return 400, {"error": {"type": "invalid_request_error", "code": "balance_insufficient",
                                   "message": "You have insufficient available funds in your Stripe account."}}
        transfer = {
            "id": f"tr_{secrets.token_hex(12)}", "object": "transfer", "amount": int(amount),
            "amount_reversed": 0, "currency": str(params.get("currency", "")).lower(),
            "destination": destination, "transfer_group": params.get("transfer_group"),
            "metadata": params.get("metadata", {}), "created": int(time.time()), "livemode": False,
            "reversed": False, "reversals": {"object": "list", "data": [], "has_more": False},
        }
        self.transfers[transfer["id"]] = transfer
        return 200, transfer


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8152)
    parser.add_argument("--api-key", default="sk_test_standin")
    parser.add_argument("--webhook-secret", default="whsec_standin")
    args = parser.parse_args()
    uvicorn.run(StripeStandin(args.api_key, args.webhook_secret).app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
