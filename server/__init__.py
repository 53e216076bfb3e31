"""The HRES Graph web server: SPARQL 1.1 Protocol endpoint, linked-data IRIs, VoID and dumps.

See server/README.md for routes, formats, limits and status codes.
"""
from .app import create_app

__all__ = ["create_app"]
