"""The routes of ``boilerline serve``: the page (static files, no build step) and a small JSON
API over the open pages, the model list and the training job.

Errors come back as ``{"error": message}``, with a status that says what went wrong: 400 a
bad request or page, 403 a path outside the folders given on the command line, 404 no such
file, page or model, 409 a training that cannot start, 413 too large, 415 not JSON.

Two guards keep other web sites out of a server that writes files. A request must carry JSON
(``application/json``): a page of another site can send a form or plain text here without
asking, but not JSON. And a server bound to this machine answers only to the names of this
machine in the ``Host`` header, so a site cannot reach it by a name of its own that resolves
here (DNS rebinding).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from classifier.persistence import ModelError
from classifier.serve.body_limit import BodySizeLimit
from classifier.serve.folders import OutsideFolders, openable_files, saved_pages
from classifier.serve.model_choice import first_choice, model_choices
from classifier.serve.options import ServeOptions
from classifier.serve.training_job import TrainingJob, TrainingUnavailable
from classifier.serve.workspace import TooLarge, UnknownPage, Workspace

STATIC = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Everything the page loads comes from this server: no CDN, no inline script, no framing.
CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'"


class BadRequest(ValueError):
    """A request body that is not what the route reads."""


class NotJson(BadRequest):
    """A request body sent as something else than ``application/json``."""


# The status of each failure; a subclass takes its own entry before its base class's.
ERROR_STATUS: dict[type[Exception], int] = {
    ValueError: 400,  # InputError (a page that cannot be read), BadRequest, labels that do not fit
    ModelError: 400,
    OutsideFolders: 403,
    FileNotFoundError: 404,
    UnknownPage: 404,
    TrainingUnavailable: 409,
    TooLarge: 413,
    NotJson: 415,
    OSError: 500,  # a pages or models folder that cannot be written
}


def create_app(options: ServeOptions) -> Starlette:
    workspace = Workspace(options)
    training = TrainingJob([options.pages, *options.data_dirs], options.models)

    async def index(request: Request) -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})

    async def models(request: Request) -> JSONResponse:
        choices = [{"key": choice.key, "name": choice.name} for choice in model_choices(options)]
        return JSONResponse({"models": choices, "first": first_choice(options), "can_train": options.models is not None})

    async def files(request: Request) -> JSONResponse:
        folders = []
        for folder in options.open_dirs:
            names, cut = openable_files(folder)
            folders.append({"name": folder.name, "files": names, "cut": cut})
        return JSONResponse({"folders": folders, "saved": saved_pages(options.pages)})

    async def classify(request: Request) -> JSONResponse:
        body = await json_object(request)
        model = field(body, "model", str, first_choice(options))
        if "text" in body:
            view = await run_in_threadpool(workspace.open_text, field(body, "text", str), html=field(body, "html", bool, False), model_key=model)
        elif "file" in body:
            view = await run_in_threadpool(workspace.open_file, field(body, "folder", int), field(body, "file", str), model)
        elif "saved" in body:
            view = await run_in_threadpool(workspace.open_saved, field(body, "saved", str), model)
        else:
            raise BadRequest("give 'text' (and 'html'), 'folder' and 'file', or 'saved'")
        return JSONResponse(view)

    async def save(request: Request) -> JSONResponse:
        body = await json_object(request)
        name = await run_in_threadpool(workspace.save, field(body, "token", str), field(body, "labels", list))
        return JSONResponse({"saved": name})

    async def training_status(request: Request) -> JSONResponse:
        return JSONResponse(training.status())

    async def start_training(request: Request) -> JSONResponse:
        await json_object(request)
        return JSONResponse(training.start(), status_code=202)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/api/models", models),
            Route("/api/files", files),
            Route("/api/classify", classify, methods=["POST"]),
            Route("/api/save", save, methods=["POST"]),
            Route("/api/training", training_status),
            Route("/api/training", start_training, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS if options.loopback_only else ["*"]),
            Middleware(BodySizeLimit, max_bytes=options.max_body_bytes),
        ],
        exception_handlers={error: error_response for error in ERROR_STATUS},
    )


async def error_response(request: Request, error: Exception) -> JSONResponse:
    status = next(ERROR_STATUS[cls] for cls in type(error).__mro__ if cls in ERROR_STATUS)
    return JSONResponse({"error": str(error)}, status_code=status)


async def json_object(request: Request) -> dict:
    """The request's body, a JSON object."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise NotJson("send the request as JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except ValueError as error:  # not JSON, or not UTF-8
        raise BadRequest(f"the body is not JSON ({error})") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def field(body: dict, name: str, kind: type, default=None):
    """``body[name]``, which must be a ``kind`` (``default`` when absent and there is one)."""
    if name not in body and default is not None:
        return default
    value = body.get(name)
    # JSON true and false are ints to Python: a number field must not take them.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRequest(f"'{name}' must be a {kind.__name__}")
    return value


def serve(options: ServeOptions, port: int) -> None:
    """Run the server until interrupted (Ctrl+C)."""
    import uvicorn

    uvicorn.run(create_app(options), host=options.host, port=port, log_level="info", access_log=False)
