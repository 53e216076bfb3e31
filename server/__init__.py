"""The HRES Graph web server: SPARQL 1.1 Protocol endpoint, linked-data IRIs, VoID and dumps.

See server/README.md for routes, formats, limits and status codes.
"""

__all__ = ["create_app"]


def __getattr__(name: str):
    # Imported on first use: query workers (server.worker) start without loading Flask, which
    # was 0.14 s of their 0.26 s start-up, paid again for every worker killed at its timeout.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'server' has no attribute {name!r}")
