"""The hardening suite: hostile requests, hostile files and faults, measured against a real server.

One command runs it all in bounded time and prints the figures:

    python -m hres_graph.hardening            # the full run (>= 10,000 requests, 1 GiB upload, every fault)
    python -m hres_graph.hardening --quick    # the reduced run CI makes (tests/hardening)

Modules:

| module | job |
|---|---|
| `common.py` | a raw HTTP/1.1 client (any method, any bytes), the loopback listener that records outbound connections, `hres serve` in a subprocess, RSS sampling, the store checksum |
| `corpus.py` | the hostile request corpus, generated deterministically from a seed; each case names the statuses it expects (and, optionally, a property of the answer) |
| `corpus_issue14.py` | the request families of issue 14's reproducers: deep uploads, SERVICE/LOAD spellings, sizes, answer bytes, memory bombs, control characters in answers, hostile Host headers |
| `files.py` | hostile files for `hres validate`, `hres import` and the server's upload route; the streamed 1 GiB upload |
| `commands.py` | hostile command lines (FIFOs, /dev/zero, nested braces) and `hres import` of a header-only or NUL file |
| `pressure.py` | HEAD and abandoned dump downloads, stalled readers with idle and slowloris sockets, a big validation among others; threads and RSS back to baseline |
| `faults.py` | kill -9 of a build and of an import, kill -9 of a query worker under load and idle, a full disk, an external store that goes away |
| `run.py` | the one command: a small store, a live server on a free 127.0.0.1 port, every part, the figures |

Everything talks to 127.0.0.1 only, every loop is bounded in count and in time.
"""
