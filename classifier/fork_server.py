"""What the worker processes' fork server imports before it forks any worker: the pipeline
and the predictor, and the model the command will classify with, so that every worker starts
with the model loaded (and shares its arrays with the server, copy on write) instead of
loading it again on its first batch.

The command names the model in the ``MODEL_VARIABLE`` environment variable before it starts
the server (``classifier.forking.start_fork_server``): the server is a fresh process, and its
environment is the only thing it reads from the command."""

from __future__ import annotations

import json
import os
from pathlib import Path

from classifier.forking import MODEL_VARIABLE
from classifier.pipeline import loaded_model


def _preload_model() -> None:
    named = os.environ.get(MODEL_VARIABLE)
    if named is None:
        return
    model = json.loads(named)
    path = None if model["path"] is None else Path(model["path"])
    try:
        loaded_model(path, model["trust"])
    except Exception:  # noqa: BLE001
        # The server must not die (every worker would, with no message); a worker that finds
        # no model loaded loads it itself and reports the problem as a command does.
        pass


_preload_model()
