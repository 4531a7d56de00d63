"""Retraining from the page: one run at a time, in the background, its progress polled.

The run is what ``boilerline train`` does without cross-validation: the labeled pages of the
pages folder and the data folders (``training.loading.load_pages``), their training table,
and ``training.train.train``, which saves the model into the models folder and adds it to the
user's trust list. It runs in a thread, not a process: its progress is a plain object the
server reads, and the server keeps answering while it runs, since Python hands the
interpreter to the server's threads every few milliseconds and the heavy parts (numpy,
scikit-learn's trees, the compiled kernels) mostly run outside it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from classifier.serve.folders import MODEL_SUFFIX

# Progress messages kept for the page (a run over many data files says a line per file).
MAX_LOG_LINES = 50
IDLE, RUNNING, DONE, FAILED = "idle", "running", "done", "failed"


class TrainingUnavailable(RuntimeError):
    """A run asked for while one runs, or with no models folder to write to."""


class TrainingJob:
    def __init__(self, sources: Sequence[Path], models: Path | None) -> None:
        self.sources = list(sources)
        self.models = models
        self._lock = threading.Lock()
        self._state = IDLE
        self._log: list[str] = []
        self._started = 0.0
        self._finished: float | None = None
        self._model: str | None = None
        self._error: str | None = None

    def start(self) -> dict:
        """Start a run in a background thread; its status."""
        if self.models is None:
            raise TrainingUnavailable("no models folder to write to: start the server with --models DIR to retrain")
        with self._lock:
            if self._state == RUNNING:
                raise TrainingUnavailable("a model is being trained already; wait for it to finish")
            self._state, self._log, self._model, self._error = RUNNING, [], None, None
            self._started, self._finished = time.monotonic(), None
        out = new_model_path(self.models)
        threading.Thread(target=self._run, args=(out,), name="boilerline-training", daemon=True).start()
        return self.status()

    def status(self) -> dict:
        """``state`` (idle, running, done, failed), the progress messages, the seconds it has
        run, and the new model's file name or the error."""
        with self._lock:
            end = self._finished if self._finished is not None else time.monotonic()
            return {
                "state": self._state,
                "log": self._log[-MAX_LOG_LINES:],
                "seconds": round(end - self._started, 1) if self._state != IDLE else 0.0,
                "model": self._model,
                "error": self._error,
            }

    def _note(self, message: str) -> None:
        with self._lock:
            self._log.append(message)

    def _run(self, out: Path) -> None:
        try:
            self._train(out)
        except Exception as error:  # whatever it is must reach the page: uncaught here, the run would stay "running"
            self._finish(FAILED, error=" ".join(str(error).split()) or type(error).__name__)
        else:
            self._finish(DONE, model=out.name)

    def _train(self, out: Path) -> None:
        # The training package is imported when a model is trained, as the command line does:
        # the classifier package never loads training code on its own.
        from training.loading import load_pages
        from training.train import train, training_tables

        self._note("reading the labeled pages of " + ", ".join(map(str, self.sources)))
        pages = load_pages(self.sources, progress=self._note)
        self._note(f"featurizing {len(pages):,} pages")
        tables = training_tables(pages)
        self._note(f"fitting on {len(pages):,} pages")
        metadata = train(pages, out, sources=[str(source) for source in self.sources], tables=tables)
        self._note(f"wrote {out.name} ({metadata['size_bytes'] / 1e6:.1f} MB) and added it to the trust list")

    def _finish(self, state: str, model: str | None = None, error: str | None = None) -> None:
        with self._lock:
            self._state, self._model, self._error, self._finished = state, model, error, time.monotonic()


def new_model_path(models: Path) -> Path:
    """A model file name in ``models`` that is not taken: the time the run started."""
    stem = "serve-" + time.strftime("%Y%m%d-%H%M%S")
    path, n = models / (stem + MODEL_SUFFIX), 1
    while path.exists():
        n += 1
        path = models / f"{stem}-{n}{MODEL_SUFFIX}"
    return path
