"""The HTTP front: waitress, with the time and size bounds that keep slow and idle clients from
starving everyone else.

Waitress reads and writes sockets in one I/O loop and runs the app in `threads` request threads.
Its own settings bound idle connections (`channel_timeout`), open connections (`connection_limit`)
and header bytes (`max_request_header_size`), but two clocks are missing, so this module adds them
in the loop's periodic maintenance:
- a request that is still arriving REQUEST_READ_TIMEOUT seconds after its first byte is dropped
  (slowloris: waitress's idle clock restarts with every byte, so one byte every few seconds kept
  a connection forever);
- an answer the client has refused to take for SEND_STALL_TIMEOUT seconds is dropped (waitress
  marks such a channel to close but only closes it once the socket is writable again, which never
  happens when the client does not read; a request thread waiting on a full output buffer is
  released at the same time).
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

log = logging.getLogger(__name__)
SPARE_FILES = 256  # descriptors beside the connections: the store, dump files, worker sockets, logs


@dataclass(frozen=True)
class FrontLimits:
    idle_timeout: float  # a connection with no request in progress
    request_read_timeout: float  # from a request's first byte to its last (headers and body)
    send_stall_timeout: float  # an answer the client takes no byte of
    connection_limit: int
    max_request_bytes: int  # the body: more is refused by waitress before the app sees it

    @classmethod
    def from_config(cls, config) -> "FrontLimits":
        return cls(
            idle_timeout=float(config["IDLE_TIMEOUT"]),
            request_read_timeout=float(config["REQUEST_READ_TIMEOUT"]),
            send_stall_timeout=float(config["SEND_STALL_TIMEOUT"]),
            connection_limit=int(config["CONNECTION_LIMIT"]),
            max_request_bytes=int(config["MAX_REQUEST_BYTES"]),
        )


class GuardedChannel(HTTPChannel):
    """A waitress connection that remembers when its request began and when its client stalled."""

    request_started: float | None = None  # monotonic time of the first byte of the request being read
    stalled_since: float | None = None  # monotonic time the client last refused bytes of an answer

    def received(self, data):
        if data and self.request is None:
            self.request_started = time.monotonic()
        result = super().received(data)
        if self.request is None:  # nothing half-read left (complete requests wait in self.requests)
            self.request_started = None
        return result

    def send(self, data, do_close=True):
        sent = super().send(data, do_close=do_close)
        if sent:
            self.stalled_since = None
        elif self.stalled_since is None:
            self.stalled_since = time.monotonic()
        return sent

    def overdue(self, limits: FrontLimits, now: float) -> str | None:
        """Why this connection must be dropped now, or None."""
        if (
            self.request_started is not None
            and not self.requests
            and now - self.request_started > limits.request_read_timeout
        ):
            return f"request not received within {limits.request_read_timeout:g} s"
        if (
            self.total_outbufs_len
            and self.stalled_since is not None
            and now - self.stalled_since > limits.send_stall_timeout
        ):
            return f"client took no byte of the answer for {limits.send_stall_timeout:g} s"
        return None


class GuardedServer(TcpWSGIServer):
    channel_class = GuardedChannel

    def __init__(self, application, *, limits: FrontLimits, **kw):
        self.limits = limits
        super().__init__(application, **kw)

    def maintenance(self, now):
        super().maintenance(now)  # idle connections: channel_timeout
        clock = time.monotonic()
        for channel in list(self.active_channels.values()):
            reason = channel.overdue(self.limits, clock)
            if reason:
                log.info("closing the connection from %s: %s", channel.addr, reason)
                channel.handle_close()  # also wakes a request thread waiting to write


def raise_file_limit(connections: int) -> int:
    """Raise the soft RLIMIT_NOFILE so that `connections` sockets fit; return the connections that do."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft < wanted:
        log.warning("RLIMIT_NOFILE is %d: at most %d connections", soft, soft - SPARE_FILES)
        return max(soft - SPARE_FILES, 16)
    return connections


def adjustments(limits: FrontLimits, *, host: str, port: int, threads: int) -> Adjustments:
    return Adjustments(
        host=host,
        port=port,
        threads=threads,
        ident="hres-graph",
        channel_timeout=limits.idle_timeout,
        cleanup_interval=1,  # how often the clocks above are checked, in seconds
        connection_limit=raise_file_limit(limits.connection_limit),
        asyncore_use_poll=True,  # select() cannot watch descriptors past 1024
        # The request line counts here, and a GET query may be long (MAX_REQUEST_BYTES governs it
        # in the app): waitress's own 256 KiB stays; the app refuses big header fields (app.py).
        max_request_header_size=256 * 1024,
        max_request_body_size=limits.max_request_bytes + 64 * 1024,  # room for multipart framing
    )


def make_servers(app, limits: FrontLimits, *, host: str, port: int, threads: int) -> list[GuardedServer]:
    """One listening server per address `host` resolves to, sharing one socket map and thread pool."""
    adj = adjustments(limits, host=host, port=port, threads=threads)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict = {}
    return [
        GuardedServer(app, limits=limits, map=socket_map, dispatcher=dispatcher, adj=adj, sockinfo=sockinfo)
        for sockinfo in adj.listen
    ]


def serve(app, *, host: str, port: int, threads: int) -> None:
    """Serve `app` until interrupted, with the limits of its configuration."""
    logging.basicConfig()  # waitress's warnings (connection limit reached, …) reach the log
    servers = make_servers(app, FrontLimits.from_config(app.config), host=host, port=port, threads=threads)
    for server in servers:
        server.print_listen("Serving on http://{}:{}")
    servers[0].run()  # one loop serves every server in the shared map
