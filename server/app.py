"""The application factory (flaskr-style): layered configuration, validated at start-up.

Configuration is layered, each layer overriding the one before:
1. `DEFAULTS` below;
2. `instance/config.py` (Python assignments; git-ignored, never committed);
3. `HRES_*` environment variables, e.g. `HRES_QUERY_TIMEOUT=5` (values are read as JSON when
   they parse, so `HRES_ALLOW_REMOTE='["https://query.wikidata.org/"]'` gives a list);
4. the `config` mapping given to `create_app` (tests, `hres serve` options).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, abort, current_app, request

from hres_graph.config import Settings, load_settings
from hres_graph.errors import ConfigError
from hres_graph.namespaces import BASE

from . import backend, errors
from .limits import Limits
from .pool import default_worker_memory

DEFAULTS = {
    "QUERY_TIMEOUT": 10.0,  # seconds a query may run before its worker is killed (504)
    "QUERY_WORKERS": 2,  # query worker processes (each opens the store read-only)
    "QUEUE_TIMEOUT": 5.0,  # seconds a request waits for a free worker before 503
    "LONG_QUERY_AFTER": 0.25,  # seconds after which a query moves to the long lane (see pool.py)
    "LONG_QUERIES": 8,  # queries at once in the long lane; one more -> 503; 0 = no long lane
    "ROW_CAP": 100_000,  # solutions (or triples) per answer; more -> truncated and marked
    "MAX_REQUEST_BYTES": 1_048_576,  # body or query string (also a file sent to /validate); larger -> 413
    "MAX_QUERY_BYTES": 262_144,  # query or update text, checked before it is tokenized; larger -> 413
    "MAX_ANSWER_BYTES": 67_108_864,  # bytes per answer (64 MiB); more -> truncated and marked, like ROW_CAP
    "WORKER_MEMORY": None,  # bytes of heap per query worker (RLIMIT_DATA); more -> 422; None: see
    # pool.default_worker_memory (2 GiB, less if the most workers would not fit)
    "ALLOW_REMOTE": [],  # IRI prefixes SERVICE / LOAD / FROM may name; empty = no outbound requests
    "UPDATE_TOKEN": None,  # bearer token enabling /update; None = updates off (the default)
    "UPDATE_STORE": None,  # writable copy used by /update (default <var_dir>/update-sandbox)
    "STORE_PATH": None,  # serve this store directory instead of <var_dir>/current
    "RELOAD_CHECK_S": 2.0,  # how often to look for a newer build behind <var_dir>/current
    "BASE_IRI": BASE,  # relative IRIs in queries and updates resolve against this
    "CORS_ORIGIN": "*",  # Access-Control-Allow-Origin
    "INCOMING_LINKS": 200,  # incoming links shown / returned per dereferenced IRI
    "VALIDATE_SLOTS": 2,  # /validate children running at once (server/validation_queue.py)
    "VALIDATE_QUEUE": 4,  # /validate requests waiting for a slot; one more -> 503
    "VALIDATE_TIMEOUT": 30.0,  # seconds a validation child may take before it is killed (504)
    "VALIDATE_MEMORY_MB": 1024,  # data limit of a validation child (its parser's 256 MiB stack included)
    # The HTTP front (server/front.py; `hres serve`):
    "IDLE_TIMEOUT": 15.0,  # seconds a connection may wait between requests before it is closed
    "REQUEST_READ_TIMEOUT": 30.0,  # seconds from a request's first byte to its last; slower -> closed
    "SEND_STALL_TIMEOUT": 30.0,  # seconds a client may take no byte of an answer; longer -> closed
    "CONNECTION_LIMIT": 1000,  # open connections; more wait in the listen backlog
    "MAX_HEADER_BYTES": 16_384,  # header fields together (not the request line); more -> 431
    "DUMP_DIR": None,  # where dump files are written once per version (default <var_dir>/dumps)
}
EXPOSED_HEADERS = "HRES-Dataset-Version, HRES-Truncated, HRES-Conforms, Content-Length"


def _positive(config, name: str, kind=float, what: str = "a positive number of seconds", zero: bool = False) -> None:
    value = config[name]
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if (
        isinstance(value, bool)
        or not math.isfinite(number)
        or number < 0
        or (number == 0 and not zero)
        or (kind is int and not number.is_integer())
    ):
        raise ConfigError(f"HRES_{name} must be {what} (got {value!r})")
    config[name] = kind(number)


def validate(config) -> None:
    """Raise ConfigError naming the setting, as the CLI prints it (exit code 2)."""
    for name in (
        "QUERY_TIMEOUT",
        "QUEUE_TIMEOUT",
        "RELOAD_CHECK_S",
        "LONG_QUERY_AFTER",
        "IDLE_TIMEOUT",
        "REQUEST_READ_TIMEOUT",
        "SEND_STALL_TIMEOUT",
    ):
        _positive(config, name)
    for name in (
        "QUERY_WORKERS",
        "ROW_CAP",
        "MAX_REQUEST_BYTES",
        "INCOMING_LINKS",
        "CONNECTION_LIMIT",
        "MAX_HEADER_BYTES",
    ):
        _positive(config, name, int, "a positive whole number")
    _positive(config, "LONG_QUERIES", int, "a whole number, 0 or more (0: no long lane)", zero=True)
    _positive(config, "VALIDATE_TIMEOUT")
    _positive(config, "VALIDATE_SLOTS", int, "a positive whole number")
    _positive(config, "VALIDATE_QUEUE", int, "a whole number, 0 or more", zero=True)
    _positive(config, "VALIDATE_MEMORY_MB", int, "a whole number of MiB, at least 512 (the parser's stack takes 256)")
    if config["VALIDATE_MEMORY_MB"] < 512:
        raise ConfigError(f"HRES_VALIDATE_MEMORY_MB must be at least 512 (got {config['VALIDATE_MEMORY_MB']})")
    if config["WORKER_MEMORY"] is None:
        config["WORKER_MEMORY"] = default_worker_memory(3 * config["QUERY_WORKERS"] + config["LONG_QUERIES"])
    for name in ("MAX_QUERY_BYTES", "MAX_ANSWER_BYTES", "WORKER_MEMORY"):  # bounds on each query's work
        _positive(config, name, int, "a positive whole number of bytes")
    if config["WORKER_MEMORY"] < 512 * 2**20:  # an idle worker alone uses ~300 MiB of it (its 256 MiB stack)
        raise ConfigError(
            f"HRES_WORKER_MEMORY must be at least 536870912 bytes (512 MiB) (got {config['WORKER_MEMORY']})"
        )
    for name in ("QUERY_WORKERS", "LONG_QUERIES"):
        if config[name] > 64:
            raise ConfigError(f"HRES_{name} must be at most 64 (got {config[name]})")
    allow = config["ALLOW_REMOTE"]
    if isinstance(allow, str):
        allow = allow.replace(",", " ").split()
    if not isinstance(allow, (list, tuple)) or not all(isinstance(a, str) and "://" in a for a in allow):
        raise ConfigError(
            f"HRES_ALLOW_REMOTE must be a list of IRI prefixes such as "
            f"'https://query.wikidata.org/' (got {config['ALLOW_REMOTE']!r})"
        )
    config["ALLOW_REMOTE"] = list(allow)
    token = config["UPDATE_TOKEN"]
    if token is not None and token != "":
        token = str(token)
        if len(token) < 16:
            raise ConfigError("HRES_UPDATE_TOKEN must be at least 16 characters (it guards writes)")
    config["UPDATE_TOKEN"] = token or None
    config["MAX_CONTENT_LENGTH"] = config["MAX_REQUEST_BYTES"]


def refuse_big_headers() -> None:
    """431 when the header fields together pass MAX_HEADER_BYTES: checked in microseconds, before
    Accept matching or anything else that grows with them (a 250 KB Accept once cost 0.6 s)."""
    size = sum(len(name) + len(value) for name, value in request.environ.items() if name.startswith("HTTP_"))
    if size > current_app.config["MAX_HEADER_BYTES"]:
        abort(
            431,
            f"the request's header fields take {size} bytes; at most "
            f"{current_app.config['MAX_HEADER_BYTES']} (HRES_MAX_HEADER_BYTES) are read",
        )


def path_only(location: str) -> str:
    """A Location without scheme and host: this app only redirects within itself, and a host taken
    from the request would send clients wherever a hostile Host header (or a cache) said."""
    parts = urlsplit(location)
    if not (parts.scheme or parts.netloc) and not location.startswith(("//", "/\\")):
        return location
    # One leading slash: a browser reads `//host` and `/\host` as another host.
    return urlunsplit(("", "", "/" + parts.path.lstrip("/\\"), parts.query, parts.fragment))


def create_app(config: Mapping | None = None, *, settings: Settings | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HRES")
    if config:
        app.config.from_mapping(config)
    validate(app.config)
    app.extensions["hres.limits"] = Limits.from_config(app.config)
    settings = settings or load_settings()
    app.config["DUMP_DIR"] = app.config["DUMP_DIR"] or str(settings.var_dir / "dumps")
    app.before_request(refuse_big_headers)  # first: before any parsing of Accept, forms or queries
    backend.init_app(app, settings)

    from . import dumps, named_queries, resources, sparql, ui, update, validation_api

    app.register_blueprint(ui.bp)  # first: `/` is the query page (Flask keeps the first route for a path)

    app.register_blueprint(validation_api.bp)  # POST /validate (ui serves the page's GET)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(named_queries.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(update.bp)
    app.register_blueprint(resources.bp)
    errors.register(app)

    @app.after_request
    def common_headers(response):
        """On every answer: the dataset version, CORS, what a preflight needs, and a Location that
        does not repeat the client's Host header (Werkzeug's slash redirects build it from Host)."""
        if "Location" in response.headers:
            response.headers["Location"] = path_only(response.headers["Location"])
        response.headers.setdefault("HRES-Dataset-Version", backend.get_backend().version)
        response.headers["Access-Control-Allow-Origin"] = app.config["CORS_ORIGIN"]
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, Content-Type, Authorization"
            )
            response.headers["Access-Control-Max-Age"] = "86400"
        return response

    return app
