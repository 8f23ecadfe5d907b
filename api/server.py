"""How the HTTP services are served: uvicorn with a bound on request headers.

uvicorn's httptools parser accepts headers of any size (a 50 MB header was read for 9 s and answered 200), and
its h11 parser's bound is off by default. `BoundedHeadersProtocol` counts the request line and headers while they
arrive — including a header still incomplete across reads — and answers 431 once they pass `MAX_HEADER_BYTES`,
closing the connection. The h11 parser, if chosen, gets the same bound.
"""

from __future__ import annotations

from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from core.settings import get_settings


class HeadersTooLarge(Exception):
    pass


class BoundedHeadersProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_header_bytes = get_settings().MAX_HEADER_BYTES
        self._in_headers = True  # between requests the next bytes are headers too
        self._header_bytes = 0  # parsed so far in this request
        self._unparsed_bytes = 0  # received while the headers are still incomplete
        self._too_large = False

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes:
            self._too_large = True
            raise HeadersTooLarge  # httptools reports it as a parser error: uvicorn calls send_400_response

    def on_message_begin(self) -> None:
        self._in_headers, self._header_bytes, self._unparsed_bytes = True, 0, 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_headers = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_headers = True
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # httptools buffers a header until it is complete: bound what it holds while the headers are unfinished.
        if self._in_headers and not self.transport.is_closing():
            self._unparsed_bytes += len(data)
            if self._unparsed_bytes > self.max_header_bytes:
                self._too_large = True
                self.send_400_response("")

    def send_400_response(self, msg: str) -> None:
        if not self._too_large:
            return super().send_400_response(msg)
        body = b"Request header fields too large"
        self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; "
                             b"charset=utf-8\r\ncontent-length: " + str(len(body)).encode() +
                             b"\r\nconnection: close\r\n\r\n" + body)
        self.transport.close()


def server_config(app: Any, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for our apps: `app` an ASGI app or an import string (with `factory=True`)."""
    settings = get_settings()
    options.setdefault("log_config", None)
    options.setdefault("access_log", False)
    options.setdefault("proxy_headers", False)  # forwarded headers: only from FORWARDED_ALLOW_IPS, in the app
    return uvicorn.Config(app, http=BoundedHeadersProtocol, h11_max_incomplete_event_size=settings.MAX_HEADER_BYTES,
                          **options)


def run(app: Any, **options: Any) -> None:
    """Serve until interrupted (the CLI's `serve` and `whatsapp-business`)."""
    uvicorn.Server(server_config(app, **options)).run()
