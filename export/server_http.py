"""uvicorn's h11 protocol with one addition: a deadline for a request's headers.

h11 parses HTTP strictly (``Transfer-Encoding: chunked`` honoured, conflicting or malformed
``Content-Length`` refused with 400, no smuggled second request); uvicorn closes idle keep-alive
connections and answers 503 beyond its connection cap. What it does not do is close a connection
that trickles its headers a byte at a time (slow loris): here a connection that has not sent a
complete request head within ``header_timeout`` seconds of opening (or of its last response) is
closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["protocol_class"]


class _DeadlineProtocol(H11Protocol):
    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def _expire(self) -> None:
        idle = self.cycle is None or self.cycle.response_complete
        if idle and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a request head arrived: the query's own time limit applies now

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_class(*, header_timeout: float) -> Any:
    """The protocol class to pass as ``uvicorn.Config(http=…)``."""
    return type("LdnkgHttpProtocol", (_DeadlineProtocol,), {"header_timeout": header_timeout})
