"""A local OpenAI-compatible HTTP server for tests: real HTTP on 127.0.0.1 (a free port), speaking
`POST /v1/chat/completions` (non-streaming JSON and SSE streaming) and `GET /v1/models`, with scripted answers.

Use it through the `openai_server` fixture (tests/conftest.py):

    async def test_x(openai_server):
        openai_server.script(Scripted.tool("ReplyVerdict", {"intent": "declined"}))
        model = get_chat_model(provider="openai", base_url=openai_server.base_url, api_key="test", model="m")
        ...
        assert openai_server.requests[0]["tools"][0]["function"]["name"] == "ReplyVerdict"

Answers are taken from the script queue in order; when it is empty, `responder(request) -> Scripted` is asked
(set `openai_server.responder`), else a plain "ok" text answer is given. `Scripted(status=500)` answers an error.
Streaming follows OpenAI's wire format: `data: {chunk}` lines, a usage chunk with `choices: []` when the request
asks for `stream_options.include_usage`, and a final `data: [DONE]`. Every request body is kept in `requests`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One answer: text `content` and/or `tool_calls` ([(name, arguments dict)]), token usage, or an error status."""

    content: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    prompt_tokens: int = 42
    completion_tokens: int = 17
    status: int = 200
    error: str = "scripted error"

    @classmethod
    def tool(cls, name: str, arguments: dict[str, Any], **kwargs: Any) -> Scripted:
        return cls(tool_calls=[(name, arguments)], **kwargs)

    @property
    def usage(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens}


class OpenAICompatServer:
    """The server; `start()` binds a free port, `stop()` shuts it down."""

    def __init__(self) -> None:
        self.queue: deque[Scripted] = deque()
        self.responder: Callable[[dict[str, Any]], Scripted] | None = None
        self.requests: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> OpenAICompatServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="openai-test-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What `OPENAI_BASE_URL` / ChatOpenAI(base_url=...) takes."""
        return f"http://127.0.0.1:{self.port}/v1"

    # ------------------------------------------------------------ scripting
    def script(self, *answers: Scripted) -> None:
        self.queue.extend(answers)

    def _next(self, request: dict[str, Any]) -> Scripted:
        with self._lock:
            self.requests.append(request)
            if self.queue:
                return self.queue.popleft()
        return self.responder(request) if self.responder else Scripted(content="ok")

    def _completion_id(self) -> str:
        return f"chatcmpl-test-{next(self._ids)}"


def _tool_calls(answer: Scripted) -> list[dict[str, Any]]:
    return [{"id": f"call_{index}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(arguments)}}
            for index, (name, arguments) in enumerate(answer.tool_calls)]


def _completion(answer: Scripted, model: str, completion_id: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": answer.content or None}
    if answer.tool_calls:
        message["tool_calls"] = _tool_calls(answer)
    return {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": "tool_calls" if answer.tool_calls else "stop"}],
            "usage": answer.usage}


def _chunks(answer: Scripted, model: str, completion_id: str, include_usage: bool) -> Iterator[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    words = answer.content.split(" ")
    for index, word in enumerate(words if answer.content else []):
        yield chunk({"content": word if index == len(words) - 1 else word + " "})
    for index, call in enumerate(_tool_calls(answer)):
        arguments = call["function"]["arguments"]
        yield chunk({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                     "function": {"name": call["function"]["name"], "arguments": ""}}]})
        for start in range(0, len(arguments), 16):  # arguments arrive in pieces, as from a real server
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[start:start + 16]}}]})
    yield chunk({}, "tool_calls" if answer.tool_calls else "stop")
    if include_usage:
        yield {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
               "choices": [], "usage": answer.usage}


class _Handler(BaseHTTPRequestHandler):
    server_state: OpenAICompatServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": "test-model", "object": "model", "owned_by": "test"}]})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        state = self.server_state
        answer = state._next(request)
        if answer.status != 200:
            self._json(answer.status, {"error": {"message": answer.error, "type": "server_error", "code": None}})
            return
        model, completion_id = str(request.get("model", "test-model")), state._completion_id()
        if not request.get("stream"):
            self._json(200, _completion(answer, model, completion_id))
            return
        include_usage = bool((request.get("stream_options") or {}).get("include_usage"))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        for item in _chunks(answer, model, completion_id, include_usage):
            self.wfile.write(f"data: {json.dumps(item)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True
