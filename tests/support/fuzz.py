"""Schemathesis over an app in this process: cases generated from the app's own OpenAPI document, sent through
`httpx.ASGITransport` on the caller's event loop (the app shares the test engine and its loop), each validated
with the checks that say the document tells the truth: no 5xx, every status documented, every body matching its
schema. Used by `tests/test_openapi_fuzz.py` (a few examples per operation) and `bench/fuzz.py` (`make fuzz`).

Generation runs Hypothesis once per operation to draw `max_examples` cases (no shrinking: we only collect), then
each case is sent once per role (a manager's and a creator's token).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
BASE_URL = "http://testserver"


@dataclass
class Finding:
    operation: str
    role: str
    status: int
    problem: str
    request: str  # a curl line to replay it


@dataclass
class FuzzReport:
    operations: int = 0
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        spread = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        return (f"{self.operations} operations, {self.requests} requests in {self.seconds:.1f} s, "
                f"{len(self.findings)} findings; statuses {spread}")


def draw_cases(operation: Any, count: int, seed: int | None) -> list[Any]:
    """`count` cases for `operation`: the same ones every run without a seed (the test), else seeded (`make fuzz`)."""
    cases: list[Any] = []

    def collect(case: Any) -> None:
        cases.append(case)

    test = settings(max_examples=count, database=None, deadline=None, derandomize=seed is None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck))(
        given(operation.as_strategy())(collect))
    if seed is not None:
        test = hypothesis_seed(seed)(test)
    test()
    return cases[:count]


def _file_part(value: Any) -> Any:
    """httpx reads multipart parts as bytes or str (requests also took numbers): stringify the rest."""
    if isinstance(value, tuple):
        return (value[0], _file_part(value[1]), *value[2:])
    return value if isinstance(value, (bytes, str)) else str(value)


def _request_kwargs(case: Any, headers: dict[str, str]) -> dict[str, Any]:
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    kwargs.pop("cookies", None)
    kwargs.pop("auth", None)
    files = kwargs.get("files")
    if files:
        kwargs["files"] = [(name, _file_part(value)) for name, value in
                           (files.items() if isinstance(files, dict) else files)]
    data = kwargs.get("data")
    if isinstance(data, (bytes, str)):
        kwargs["content"] = kwargs.pop("data")
    return kwargs


async def fuzz(app: Any, roles: dict[str, dict[str, str]], *, max_examples: int, seed: int | None = None,
               skip: tuple[str, ...] = ()) -> FuzzReport:
    """Every operation of `app`'s schema (paths starting with one of `skip` left out), `max_examples` cases each,
    sent with each role's headers."""
    started = time.perf_counter()
    schema = schemathesis.openapi.from_dict(app.openapi())
    report = FuzzReport()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50_000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        for result in schema.get_all_operations():
            if isinstance(result, Err):  # a schema the fuzzer cannot read: fail with its reason
                raise result.err()
            operation = result.ok()
            if operation.path.startswith(skip):
                continue
            report.operations += 1
            for case in draw_cases(operation, max_examples, seed):
                for role, headers in roles.items():
                    kwargs = _request_kwargs(case, headers)
                    request = http.build_request(**kwargs)
                    await request.aread()  # multipart bodies too: the checks read the request back
                    response = await http.send(request)
                    report.requests += 1
                    report.statuses[response.status_code] += 1
                    try:
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    except BaseException as exc:  # schemathesis raises a FailureGroup (a BaseExceptionGroup)
                        if not isinstance(exc, (AssertionError, BaseExceptionGroup)):
                            raise
                        report.findings.append(Finding(
                            f"{operation.method.upper()} {operation.path}", role, response.status_code,
                            str(exc).strip()[:2000], case.as_curl_command(headers=headers)))
    report.seconds = time.perf_counter() - started
    return report
