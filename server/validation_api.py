"""Blueprint `validation`: `POST /validate` checks a contributed file against the SHACL shapes.

One code path for the web page (server/ui.py serves its form at `GET /validate`) and for programs:

- **Input.** Either `multipart/form-data` with the file in the field `file` (what the page sends), or
  the file itself as the body with its media type: `text/turtle`, `application/n-triples`,
  `application/n-quads`, `application/trig`, `application/ld+json`, `application/rdf+xml`, or
  `text/csv` (a CSV template of shapes/templates/, recognised by its header). `?name=` names a body
  in the report (default `body.<ext>`). Text bodies are UTF-8.
- **Options** (URL or form): `lang` or `report_lang` (en, fr, es; else the UI's language rules),
  `allow_warnings=1`, `with_store=1` (read context from the current store), `format` (overrides
  Accept: the page's download links; the report is then an attachment).
- **Answer**, negotiated from Accept with negotiation.choose (strict q-values): `text/plain` (the
  text report, also the answer to `*/*`), `application/json` (as `hres validate --format json`),
  `text/turtle`, `application/ld+json`, `application/n-triples` (the standard SHACL validation
  report graph), `text/html` (the page with the report).
- **Status.** 200 for conforming and non-conforming data alike, with `HRES-Conforms: true|false`;
  400 for unreadable input (file, line, column and what to do; also as JSON fields), nesting past
  the limit, or a parser that crashed on the file; 406 when no offered format is acceptable; 413
  above MAX_REQUEST_BYTES, or when the child ran out of memory (VALIDATE_MEMORY_MB); 415 for another
  media type or charset; 503 when every slot stayed busy (VALIDATE_SLOTS, VALIDATE_QUEUE,
  QUEUE_TIMEOUT; with Retry-After), or the store is needed and cannot be read; 504 when the
  validation ran past VALIDATE_TIMEOUT and its child was killed.

No upload is parsed in the web process: each validation runs in a confined child process that
exits afterwards (hres_graph.validation.child; the slots and the warm spare child are in
validation_queue.py). The parsing there fetches nothing (hres_graph.validation.reading.read_rdf,
hres_graph.validation.xml_entities) and has no network anyway. With `with_store=1`, the child sends the IRIs
it needs described and this process reads them from the store, as checked IRIs, never as text.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from hres_graph.errors import HresError, SourceFormatError
from hres_graph.validation.child import ChildOutOfMemory, ChildTimedOut, validate_in_child
from hres_graph.validation.report import Report, to_rdf

from . import negotiation
from .backend import get_backend
from .errors import BadRequest, EndpointError, NotAcceptable, Unavailable, UnsupportedMediaType
from .negotiation import Format
from .protocol import check_charset, read_body
from .ui_labels import LANGUAGES, current_language, translator
from .validation_queue import QueueFull, ValidationQueue

bp = Blueprint("validation", __name__)
log = logging.getLogger(__name__)

TEXT = Format("text", "text/plain")
JSON = Format("json", "application/json")
JSONLD = Format("jsonld", "application/ld+json")  # no application/json alias: that is the JSON report
OFFERS = (TEXT, JSON, negotiation.TURTLE, JSONLD, negotiation.NTRIPLES, negotiation.HTML)
RDF_SERIALIZERS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}
DOWNLOADS = {
    "text": ("text/plain", "txt"),
    "json": ("application/json", "json"),
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "ntriples": ("application/n-triples", "nt"),
}
BODY_TYPES = {
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/n-quads": ".nq",
    "application/trig": ".trig",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "text/csv": ".csv",
}
KNOWN_SUFFIXES = {*BODY_TYPES.values(), ".turtle", ".json", ".xml", ".owl"}
MULTIPART = "multipart/form-data"
CONFORMS_HEADER = "HRES-Conforms"
EXTENSION = "hres.validation"


@bp.record_once
def _init_queue(state) -> None:
    state.app.extensions[EXTENSION] = ValidationQueue.from_config(state.app.config)


class TooLarge(EndpointError):
    status, title = 413, "Content Too Large"


class ValidationTimeout(EndpointError):
    status, title = 504, "Validation Timeout"


@dataclass(frozen=True)
class Options:
    lang: str
    allow_warnings: bool
    with_store: bool
    can_use_store: bool

    @classmethod
    def from_request(cls) -> "Options":
        lang = _param("report_lang") or _param("lang") or current_language()
        can_use_store = get_backend().follow_link
        return cls(
            lang if lang in LANGUAGES else "en",
            _flag("allow_warnings"),
            _flag("with_store") and can_use_store,
            can_use_store,
        )


@dataclass(frozen=True)
class Upload:
    name: str  # as the report and the messages show it
    data: bytes


def _param(name: str) -> str | None:
    value = request.args.get(name)
    if value is None and request.mimetype == MULTIPART:
        value = request.form.get(name)
    return value


def _flag(name: str) -> bool:
    return (_param(name) or "").lower() in ("1", "true", "yes", "on")


# --- the route --------------------------------------------------------------------------------


@bp.route("/validate", methods=["POST"])
def validate():
    limits = current_app.extensions["hres.limits"]
    if request.mimetype != MULTIPART and request.mimetype not in BODY_TYPES:
        given = request.mimetype or "no Content-Type"
        raise UnsupportedMediaType(
            f"POST /validate takes {MULTIPART} (the file in the field 'file') or the file "
            f"itself with one of {', '.join(BODY_TYPES)} (got {given})"
        )
    if request.content_length is not None and request.content_length > limits.max_request_bytes:
        raise RequestEntityTooLarge(
            f"the request body is larger than {limits.max_request_bytes} bytes "
            "(MAX_REQUEST_BYTES); split the file or ask the operator to raise the limit"
        )
    requested = _param("format")
    choice = negotiation.choose(OFFERS, request.headers.get("Accept"), requested)
    if choice is None:
        raise NotAcceptable(
            f"the validation report is available as {negotiation.describe_offers(OFFERS)}; none "
            f"of them is acceptable (Accept: {request.headers.get('Accept')!r}"
            + (f", format={requested!r})" if requested else ")")
        )
    fmt, media_type = choice
    options = Options.from_request()
    html = fmt is negotiation.HTML
    upload = _upload(limits.max_request_bytes)
    if upload is None:
        if html:
            return page(options, 400, error=translator(current_language())("no_file"))
        raise BadRequest("no file: send it in the multipart field 'file', or as the body with its media type")
    try:
        report = run(upload, options, wait=limits.queue_timeout)
    except EndpointError as exc:
        if html:
            return page(options, exc.status, error=exc.message, filename=upload.name)
        raise
    if html:
        response = page(options, report=report, filename=upload.name)
    else:
        response = Response(render(report, fmt.key, options.lang), content_type=fmt.content_type(media_type))
        if requested:
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{Path(upload.name).stem}-report.{DOWNLOADS[fmt.key][1]}"'
            )
    response.headers[CONFORMS_HEADER] = "true" if report.conforms else "false"
    response.vary.add("Accept")
    return response


def _upload(max_bytes: int) -> Upload | None:
    """The file: the multipart field `file`, or the body; None when there is none."""
    if request.mimetype == MULTIPART:
        part = request.files.get("file")
        if part is None or not part.filename:
            return None
        name = secure_filename(part.filename) or "upload"
        if Path(name).suffix.lower() not in KNOWN_SUFFIXES and part.mimetype in BODY_TYPES:
            name += BODY_TYPES[
                part.mimetype
            ]  # the format is told by the suffix (hres_graph.validation.reading.load_files)
        return Upload(name, part.read())
    if request.mimetype.startswith("text/"):
        check_charset()
    suffix = BODY_TYPES[request.mimetype]
    name = secure_filename(request.args.get("name") or "") or "body"
    data = read_body(max_bytes)
    return Upload(name if Path(name).suffix.lower() == suffix else Path(name).stem + suffix, data) if data else None


# --- the one validation path ------------------------------------------------------------------


def run(upload: Upload, options: Options, *, wait: float) -> Report:
    """Validate one uploaded file as `hres validate` does, in a validation child; bad input ->
    BadRequest naming `upload.name`."""
    queue: ValidationQueue = current_app.extensions[EXTENSION]
    try:
        with queue.slot(wait), tempfile.TemporaryDirectory(prefix="hres-validate-") as tmp:
            path = Path(tmp) / upload.name
            path.write_bytes(upload.data)
            try:
                return validate_in_child(
                    [path],
                    limits=queue.limits,
                    allow_warnings=options.allow_warnings,
                    store_context=_store_context() if options.with_store else None,
                    child=queue.child(),
                ).report
            except HresError as exc:  # messages name the upload, never the temporary folder
                raise _endpoint_error(exc, upload.name, path, tmp) from None
    except QueueFull as exc:
        raise Unavailable(
            f"the validator is busy: {exc}; try again shortly", headers={"Retry-After": queue.retry_after()}
        ) from None


def _store_context():
    from hres_graph.config import Settings
    from hres_graph.validation.shacl import read_store_context

    settings = Settings(var_dir=get_backend().link.parent)
    return lambda referenced, states: read_store_context(settings, referenced, states)


def _endpoint_error(exc: HresError, name: str, path: Path, tmp: str) -> EndpointError:
    message = str(exc).replace(str(path), name).replace(tmp + "/", "")
    if isinstance(exc, SourceFormatError):
        problem = exc.problem.replace(str(path), name)
        kind = (
            ValidationTimeout
            if isinstance(exc, ChildTimedOut)
            else TooLarge
            if isinstance(exc, ChildOutOfMemory)
            else BadRequest
        )
        if kind is not BadRequest:
            log.warning("validation of %s: %s", name, problem)
        return kind(message, file=name, line=exc.line, column=exc.column, problem=problem, hint=exc.hint)
    # the store could not be read (with_store: exit code 3), or a setting is wrong
    return (BadRequest if exc.exit_code == 2 else Unavailable)(message)


def render(report: Report, key: str, lang: str) -> str:
    if key in RDF_SERIALIZERS:
        return to_rdf(report, RDF_SERIALIZERS[key], lang)
    return report.render(key, lang)


def page(
    options: Options,
    status: int = 200,
    *,
    report: Report | None = None,
    error: str | None = None,
    filename: str | None = None,
) -> Response:
    """The /validate page: the form, and the report or the error when there is one."""
    context = {
        "report_lang": options.lang,
        "can_use_store": options.can_use_store,
        "report": report,
        "error": error,
        "filename": filename,
        "allow_warnings": options.allow_warnings,
        "with_store": options.with_store,
    }
    if report is not None:
        shown = ("text", "json", "turtle")
        context.update(
            groups=report.by_focus_node(),
            stem=Path(filename or "data").stem,
            downloads={k: (DOWNLOADS[k], render(report, k, options.lang)) for k in shown},
        )
    return Response(
        render_template("ui/validate.html", version=get_backend().version, **context),
        status,
        content_type="text/html; charset=utf-8",
    )
