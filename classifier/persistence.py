"""Saving and loading a model: joblib file, arrays file and JSON metadata side by side.

The joblib file holds the fitted scikit-learn estimators (``LineClassifier``); the arrays file
(``.npz``) holds what prediction needs of them (``classifier.predictor``), plain arrays read
without unpickling, so reading one runs no code and needs no trust. The metadata records
library versions, feature names, the training data digest, scores and both files' sha256.

Loading the arrays checks their sha256 and the feature list. Loading the estimators reads the
model file once, into memory, and checks those bytes before unpickling them: their sha256
must match the metadata (else the file is corrupted or was changed), the scikit-learn version and the feature list must match this
code, and the model must be trusted, since unpickling a file runs code it names. Trusted
are the shipped model, as trusted as the code beside it, and the models in the user's trust
list (classifier/trust.py); ``trust=True`` loads another one and adds it to the list. Every
refusal is a one-line ModelError that names the file, says why and what to do.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import zipfile
from pathlib import Path

from classifier.atomic import atomic_output
from classifier.trust import TRUST_LIST_ENV, record_trusted, trust_list_path, trusted_sha256s

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = PROJECT_ROOT / "models" / "default.joblib"
MODEL_PATH_ENV = "BOILERLINE_MODEL"
RECORDED_PACKAGES = ("boilerline", "scikit-learn", "numpy", "pandas", "joblib", "langdetect", "resiliparse", "jusText")
# Compression level 3: a few times smaller than raw, still loads well under a second.
JOBLIB_COMPRESS = 3
RETRAIN = "retrain it with `boilerline train`"


class ModelError(RuntimeError):
    """A model file that cannot be used, with the reason."""


def default_model_path() -> Path:
    return Path(os.environ.get(MODEL_PATH_ENV) or DEFAULT_MODEL_PATH)


class NoArraysError(ModelError):
    """A model saved by an older boilerline, without an arrays file: only its pickle predicts."""


def metadata_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def arrays_path(model_path: Path) -> Path:
    return model_path.with_suffix(".npz")


def library_versions() -> dict[str, str]:
    from importlib import metadata as importlib_metadata  # here: loading a model never needs it (10 ms)

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


def save_model(model, arrays: dict, path: str | Path, extra_metadata: dict) -> dict:
    """Write ``model`` to ``path``, its prediction ``arrays`` and its metadata JSON beside it,
    each atomically (the metadata last), and add the model to the user's trust list: a model
    this user trained loads without a flag."""
    path = Path(path)
    import joblib  # here, not at the top: the command line's help and readers never need them
    import numpy as np

    with atomic_output(path) as tmp, atomic_output(arrays_path(path)) as arrays_tmp:
        joblib.dump(model, tmp, compress=JOBLIB_COMPRESS)
        # Stored, not compressed: every process that predicts loads the arrays, and inflating
        # them took 0.09 s of a 0.1 s load (the file is half as large again).
        with open(arrays_tmp, "wb") as handle:
            np.savez(handle, **arrays)
        sha256 = file_sha256(tmp)
        meta = {
            "format": 1,
            "model_file": path.name,
            "sha256": sha256,
            "size_bytes": tmp.stat().st_size,
            "arrays_file": arrays_path(path).name,
            "arrays_sha256": file_sha256(arrays_tmp),
            "versions": library_versions(),
            "feature_names": list(model.feature_names_),
            "threshold": model.threshold,
            **extra_metadata,
        }
        with atomic_output(metadata_path(path)) as meta_tmp:
            meta_tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _record_trusted(path, sha256)
    return meta


def load_model(path: str | Path | None, model_class: type, feature_names: list[str], trust: bool = False):
    """Load and check a ``model_class`` whose features are ``feature_names`` (default path:
    the shipped model); raise ModelError naming the file, the problem and the remedy.

    ``trust=True`` loads a model that is not trusted yet and records it in the trust list.
    """
    path = Path(path) if path is not None else default_model_path()
    model_bytes, meta, sha256, already_trusted = _checked_model_bytes(path, trust)
    check_feature_names(path, meta, feature_names)
    model = unpickle(path, model_bytes)
    if not isinstance(model, model_class):
        raise ModelError(f"{path}: holds a {type(model).__name__}, not a {model_class.__name__}; give a model file written by `boilerline train`")
    if not already_trusted:
        _record_trusted(path, sha256)
    model.metadata_ = meta
    return model


def _checked_model_bytes(path: Path, trust: bool) -> tuple[bytes, dict, str, bool]:
    """The model file's bytes, its metadata, sha256 and whether it was trusted already, once
    its sha256, scikit-learn version and trust are checked: all but its unpickling."""
    model_bytes = read_model_bytes(path)
    meta = read_metadata(path)
    sha256 = hashlib.sha256(model_bytes).hexdigest()
    check_sha256(path, sha256, meta)
    check_sklearn_version(path, meta)
    already_trusted = is_trusted(path, sha256)
    if not (trust or already_trusted):
        raise ModelError(
            f"{path}: refused, not a trusted model: a model file is a pickle, which can run code when loaded; "
            f"if you trust its source pass --trust-model (trust=True), which records it in {trust_list_path()} "
            f"so later runs need no flag; else {RETRAIN}"
        )
    return model_bytes, meta, sha256, already_trusted


def check_model_files(path: str | Path | None, trust: bool = False) -> None:
    """Raise the ModelError that loading the model at ``path`` would raise for its files: one
    missing, unreadable, corrupted (sha256), or a pickle not trusted. What only the code that
    predicts can check, the feature list and the arrays' layout, is left to loading it. For a
    command whose worker processes load the model: it fails before reading any input, without
    importing the predictor itself."""
    path = Path(path) if path is not None else default_model_path()
    meta = read_metadata(path)
    if isinstance(meta.get("arrays_file"), str):
        _checked_arrays_bytes(path, meta)
    else:
        _checked_model_bytes(path, trust)


def _checked_arrays_bytes(path: Path, meta: dict) -> bytes:
    file = path.with_name(meta["arrays_file"])
    data = read_model_bytes(file)
    if hashlib.sha256(data).hexdigest() != meta.get("arrays_sha256"):
        raise ModelError(
            f"{file}: sha256 does not match {metadata_path(path).name}: the arrays file is corrupted, truncated "
            f"or was changed after training; copy the model's files again, or {RETRAIN}"
        )
    return data


def load_arrays(path: str | Path | None, feature_names: list[str]) -> tuple[Path, dict]:
    """The model's path and its prediction arrays, by name, checked against the metadata's
    sha256 and ``feature_names`` (default path: the shipped model). ``path`` may name the
    model file or its arrays file. Raises NoArraysError for a model saved without arrays."""
    import numpy as np  # here, not at the top: the command line's help never needs it

    path = Path(path) if path is not None else default_model_path()
    meta = read_metadata(path)
    name = meta.get("arrays_file")
    if not isinstance(name, str):
        raise NoArraysError(f"{path}: saved by an older boilerline, without an arrays file; load it with LineClassifier.load, which unpickles it, or {RETRAIN}")
    check_feature_names(path, meta, feature_names)
    data = _checked_arrays_bytes(path, meta)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            return path, {key: archive[key] for key in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ModelError(f"{path.with_name(name)}: cannot be read as arrays ({type(error).__name__}: {error}); {RETRAIN}") from None


def read_model_bytes(path: Path) -> bytes:
    """The whole model file: the bytes that are hashed are the bytes that are unpickled."""
    if not path.is_file():
        raise ModelError(f"{path}: model file not found; give the path of a model written by `boilerline train`")
    try:
        return path.read_bytes()
    except OSError as error:
        raise ModelError(f"{path}: cannot be read ({error}); check that it is a readable file") from None


def read_metadata(path: Path) -> dict:
    meta_file = metadata_path(path)
    if not meta_file.is_file():
        raise ModelError(
            f"{path}: metadata file {meta_file.name} not found beside it; "
            f"put the .json written with the model next to it, or {RETRAIN}"
        )
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{meta_file}: unreadable metadata ({error}); copy it again with its model, or {RETRAIN}") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_file}: metadata is not a JSON object; copy it again with its model, or {RETRAIN}")
    return meta


def check_sha256(path: Path, sha256: str, meta: dict) -> None:
    if sha256 != meta.get("sha256"):
        raise ModelError(
            f"{path}: sha256 does not match {metadata_path(path).name}: the model file is corrupted, truncated "
            f"or was changed after training; copy the model and its .json again, or {RETRAIN}"
        )


def check_sklearn_version(path: Path, meta: dict) -> None:
    """A pickled scikit-learn model is only sure to work in the version that wrote it."""
    versions = meta.get("versions")
    saved = versions.get("scikit-learn") if isinstance(versions, dict) else None
    current = library_versions()["scikit-learn"]
    if saved is None:
        raise ModelError(f"{path}: its metadata records no scikit-learn version; {RETRAIN}")
    if saved != current:
        raise ModelError(
            f"{path}: trained with scikit-learn {saved}, this environment has {current}; "
            f"install that version (pip install 'scikit-learn=={saved}') or {RETRAIN}"
        )


def check_feature_names(path: Path, meta: dict, expected: list[str]) -> None:
    recorded = meta.get("feature_names")
    if recorded != expected:
        raise ModelError(
            f"{path}: its feature list differs from this version of boilerline ({feature_difference(recorded, expected)}); "
            f"use the boilerline version it was trained with, or {RETRAIN}"
        )


def feature_difference(recorded, expected: list[str]) -> str:
    """The first place where two feature lists differ, for the error message."""
    if not isinstance(recorded, list):
        return "no feature list recorded"
    for index, (saved, wanted) in enumerate(zip(recorded, expected)):
        if saved != wanted:
            return f"feature {index} is {saved!r}, expected {wanted!r}"
    return f"{len(recorded)} features recorded, {len(expected)} expected"


def is_trusted(path: Path, sha256: str) -> bool:
    """The shipped model, or a model whose sha256 is in the user's trust list.

    The shipped model is trusted by where it is: whoever can replace it can replace the
    code that loads it. Anything else is trusted by the sha256 of its bytes.
    """
    if path.resolve() == DEFAULT_MODEL_PATH.resolve():
        return True
    list_path = trust_list_path()
    try:
        return sha256 in trusted_sha256s(list_path)
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"{path}: cannot read the trust list {list_path} ({error}); fix or remove that file") from None


def unpickle(path: Path, model_bytes: bytes):
    import joblib  # here, not at the top: the command line's help and readers never need it

    try:
        return joblib.load(io.BytesIO(model_bytes))
    except Exception as error:  # a corrupt pickle can raise almost anything
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        raise ModelError(
            f"{path}: cannot be loaded ({reason}); the file is damaged or was not written by boilerline: "
            f"copy it again, or {RETRAIN}"
        ) from None


def _record_trusted(path: Path, sha256: str) -> None:
    list_path = trust_list_path()
    try:
        record_trusted(sha256, path, list_path)
    except OSError as error:
        raise ModelError(
            f"{path}: not added to the trust list {list_path} ({error}); "
            f"make that file writable, or set {TRUST_LIST_ENV} to a file that is"
        ) from None
