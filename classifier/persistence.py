"""Saving and loading a LineClassifier: joblib file + JSON metadata beside it.

The metadata records library versions, feature names, the training data digest, scores and
the model file's sha256. Loading refuses a model whose features or scikit-learn version do
not match this code, or whose file does not match its recorded hash, and says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from importlib import metadata as importlib_metadata
from pathlib import Path

import joblib

from classifier.atomic import atomic_output

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = PROJECT_ROOT / "models" / "default.joblib"
MODEL_PATH_ENV = "BOILERLINE_MODEL"
RECORDED_PACKAGES = ("boilerline", "scikit-learn", "numpy", "pandas", "joblib", "langdetect", "resiliparse", "jusText")
# Compression level 3: a few times smaller than raw, still loads well under a second.
JOBLIB_COMPRESS = 3


class ModelError(RuntimeError):
    """A model file that cannot be used, with the reason."""


def default_model_path() -> Path:
    return Path(os.environ.get(MODEL_PATH_ENV) or DEFAULT_MODEL_PATH)


def metadata_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(model, path: str | Path, extra_metadata: dict) -> dict:
    """Write ``model`` to ``path`` and its metadata JSON beside it, both atomically."""
    path = Path(path)
    with atomic_output(path) as tmp:
        joblib.dump(model, tmp, compress=JOBLIB_COMPRESS)
        sha256 = file_sha256(tmp)
        meta = {
            "format": 1,
            "model_file": path.name,
            "sha256": sha256,
            "size_bytes": tmp.stat().st_size,
            "versions": library_versions(),
            "feature_names": list(model.feature_names_),
            "threshold": model.threshold,
            **extra_metadata,
        }
        with atomic_output(metadata_path(path)) as meta_tmp:
            meta_tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def load_model(path: str | Path | None = None):
    """Load and check a model; raise ModelError naming the file and the problem."""
    from classifier.model import LineClassifier

    path = Path(path) if path is not None else default_model_path()
    meta_file = metadata_path(path)
    if not path.is_file():
        raise ModelError(f"{path}: model file not found")
    if not meta_file.is_file():
        raise ModelError(f"{path}: metadata file {meta_file.name} not found beside it")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{meta_file}: unreadable metadata ({error})") from None
    if file_sha256(path) != meta.get("sha256"):
        raise ModelError(f"{path}: sha256 does not match {meta_file.name}; the file was changed or truncated")
    saved_sklearn = meta.get("versions", {}).get("scikit-learn")
    current_sklearn = library_versions()["scikit-learn"]
    if saved_sklearn != current_sklearn:
        raise ModelError(
            f"{path}: trained with scikit-learn {saved_sklearn}, this environment has {current_sklearn}; "
            "install that version or retrain with `boilerline train`"
        )
    if meta.get("feature_names") != LineClassifier.revise_columns():
        raise ModelError(f"{path}: its feature list differs from this version of boilerline; retrain the model")
    try:
        model = joblib.load(path)
    except Exception as error:  # a corrupt pickle can raise almost anything
        raise ModelError(f"{path}: cannot be loaded ({type(error).__name__}: {error})") from None
    if not isinstance(model, LineClassifier):
        raise ModelError(f"{path}: holds a {type(model).__name__}, not a LineClassifier")
    model.metadata_ = meta
    return model
