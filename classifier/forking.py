"""Starting the fork server that the worker processes are forked from.

Light to import on purpose: a command that will classify in workers starts the server first
thing, before it imports what it reads and writes with, so that the server imports the
predictor and loads the model (``classifier.fork_server``) on another core meanwhile.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.forkserver
import os
from pathlib import Path

# The environment variable that names the fork server's model (``classifier.fork_server``).
MODEL_VARIABLE = "BOILERLINE_FORK_SERVER_MODEL"


def start_fork_server(model_path: Path | None, trust_model: bool) -> multiprocessing.context.ForkServerContext:
    """The context of the workers' fork server, started now if it is not running, with the
    model at ``model_path`` (None: the shipped one) loaded. A server already running keeps the
    model it loaded; a worker loads any other itself."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["classifier.fork_server"])
    before = os.environ.get(MODEL_VARIABLE)
    os.environ[MODEL_VARIABLE] = json.dumps({"path": None if model_path is None else str(model_path), "trust": trust_model})
    try:
        multiprocessing.forkserver.ensure_running()
    finally:  # only the server is meant to read it
        if before is None:
            del os.environ[MODEL_VARIABLE]
        else:
            os.environ[MODEL_VARIABLE] = before
    return context
