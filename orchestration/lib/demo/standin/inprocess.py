"""The stand-in app as an httpx transport: no socket, any base URL (used to record the demo snapshot)."""

from __future__ import annotations

import asyncio

import httpx

from orchestration.lib.demo.standin.app import StandinApp


class StandinTransport(httpx.AsyncBaseTransport):
    """Answers requests with the app directly; next_url links carry the requested host, as Kolada's do."""

    def __init__(self, app: StandinApp) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = await asyncio.to_thread(self.app.respond, str(request.url))
        return httpx.Response(reply.status, content=reply.body, headers=reply.headers, request=request)
