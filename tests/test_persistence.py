"""Loading models: trust, and a clear error for every way a model file can be wrong.

Every case is a real file made in tmp_path from the shipped model (copied, then cut, flipped,
retagged or replaced), and every test has its own empty trust list. The estimators (joblib) are
a pickle and need trust; the arrays file prediction reads (npz) is not, and does not.
"""

import hashlib
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import joblib
import numpy as np
import pytest

from classifier import LineClassifier, ModelError
from classifier.persistence import DEFAULT_MODEL_PATH, MODEL_PATH_ENV, arrays_path, check_model_files, metadata_path
from classifier.pipeline import loaded_model
from classifier.predictor import Predictor
from classifier.trust import HEADER, TRUST_LIST_ENV, record_trusted, trust_list_path, trusted_sha256s


@pytest.fixture(autouse=True)
def trust_list(tmp_path, monkeypatch) -> Path:
    """An empty trust list of this test's own, never the user's."""
    path = tmp_path / "config" / "trusted-models.txt"
    monkeypatch.setenv(TRUST_LIST_ENV, str(path))
    monkeypatch.delenv(MODEL_PATH_ENV, raising=False)
    return path


@pytest.fixture
def copied_model(tmp_path) -> Path:
    """The shipped model and its metadata, copied to a folder of their own."""
    folder = tmp_path / "copy"
    folder.mkdir()
    path = folder / DEFAULT_MODEL_PATH.name
    for file in (DEFAULT_MODEL_PATH, metadata_path(DEFAULT_MODEL_PATH), arrays_path(DEFAULT_MODEL_PATH)):
        shutil.copyfile(file, folder / file.name)
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_metadata(model_path: Path, **changes) -> None:
    meta_file = metadata_path(model_path)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta.update(changes)
    meta_file.write_text(json.dumps(meta), encoding="utf-8")


def replace_model_bytes(model_path: Path, data: bytes) -> None:
    """Write ``data`` as the model and make the metadata match it, as a careful tamperer would."""
    model_path.write_bytes(data)
    edit_metadata(model_path, sha256=sha256_of(model_path))


def trust(model_path: Path, trust_list: Path) -> None:
    record_trusted(sha256_of(model_path), model_path, trust_list)


def one_line_error(excinfo, model_path: Path) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and str(model_path) in message
    return message


# ----- trust ----------------------------------------------------------------------------------

def test_the_shipped_model_loads_without_a_flag_and_is_not_recorded(trust_list):
    assert isinstance(LineClassifier.load(), LineClassifier)
    assert isinstance(LineClassifier.load(DEFAULT_MODEL_PATH.parent / ".." / "models" / DEFAULT_MODEL_PATH.name), LineClassifier)
    assert not trust_list.exists()


def test_an_untrusted_copy_is_refused_then_trusted_once_and_remembered(copied_model, trust_list):
    with pytest.raises(ModelError) as excinfo:
        LineClassifier.load(copied_model)
    message = one_line_error(excinfo, copied_model)
    assert "pickle" in message and "--trust-model" in message and str(trust_list) in message
    assert "boilerline train" in message

    assert isinstance(LineClassifier.load(copied_model, trust=True), LineClassifier)
    assert trusted_sha256s(trust_list) == {sha256_of(copied_model)}
    assert isinstance(LineClassifier.load(copied_model), LineClassifier)


def test_the_model_path_from_the_environment_needs_trust_too(copied_model, monkeypatch):
    monkeypatch.setenv(MODEL_PATH_ENV, str(copied_model))
    with pytest.raises(ModelError, match="--trust-model"):
        LineClassifier.load()


def test_an_untrusted_pickle_is_refused_before_it_is_unpickled(copied_model, tmp_path):
    """A file whose metadata was rewritten to match it passes every check but trust; its
    code must not run."""
    marker = tmp_path / "the-pickle-ran"
    joblib.dump(RunsCodeWhenUnpickled(marker), copied_model)
    edit_metadata(copied_model, sha256=sha256_of(copied_model))
    with pytest.raises(ModelError, match="not a trusted model"):
        LineClassifier.load(copied_model)
    assert not marker.exists()


class RunsCodeWhenUnpickled:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (str(self.marker),)


def test_a_saved_model_is_trusted_by_whoever_saved_it(trust_list, tmp_path):
    path = tmp_path / "resaved.joblib"
    meta = LineClassifier.load().save(path, {"note": "resaved"})
    assert trusted_sha256s(trust_list) == {meta["sha256"]}
    assert LineClassifier.load(path).metadata_["note"] == "resaved"


def test_a_model_hashed_by_hand_with_sha256sum_is_trusted(copied_model, trust_list):
    trust_list.parent.mkdir(parents=True)
    trust_list.write_text(f"# my models\n\n{sha256_of(copied_model).upper()}  {copied_model}\n", encoding="utf-8")
    assert isinstance(LineClassifier.load(copied_model), LineClassifier)


def test_recording_keeps_the_list_and_adds_each_model_once(trust_list, tmp_path):
    trust_list.parent.mkdir(parents=True)
    trust_list.write_text("# mine\n" + "a" * 64 + "  /models/old.joblib", encoding="utf-8")
    for _ in range(2):
        record_trusted("b" * 64, tmp_path / "new.joblib", trust_list)
    assert trust_list.read_text(encoding="utf-8") == (
        "# mine\n" + "a" * 64 + "  /models/old.joblib\n" + "b" * 64 + f"  {(tmp_path / 'new.joblib').resolve()}\n"
    )


def test_a_new_list_starts_with_a_header_that_says_what_it_is(trust_list, tmp_path):
    record_trusted("c" * 64, tmp_path / "m.joblib", trust_list)
    assert trust_list.read_text(encoding="utf-8").startswith(HEADER)
    assert trusted_sha256s(trust_list) == {"c" * 64}


def test_a_trust_list_that_cannot_be_written_is_a_clear_error(copied_model, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv(TRUST_LIST_ENV, str(not_a_folder / "trusted-models.txt"))
    with pytest.raises(ModelError, match=f"not added to the trust list .*set {TRUST_LIST_ENV}") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    one_line_error(excinfo, copied_model)


def test_processes_recording_at_once_keep_every_entry(trust_list, tmp_path):
    sha256s = [f"{n:064x}" for n in range(24)]
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.starmap(record_trusted, [(sha256, tmp_path / "m.joblib", trust_list) for sha256 in sha256s])
    assert trusted_sha256s(trust_list) == set(sha256s)


def test_a_trust_list_that_cannot_be_read_is_a_clear_error(copied_model, trust_list):
    trust_list.mkdir(parents=True)
    with pytest.raises(ModelError, match="cannot read the trust list .*; fix or remove that file") as excinfo:
        LineClassifier.load(copied_model)
    one_line_error(excinfo, copied_model)


def test_the_trust_list_lives_in_the_xdg_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(TRUST_LIST_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert trust_list_path() == tmp_path / "boilerline" / "trusted-models.txt"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert trust_list_path() == tmp_path / ".config" / "boilerline" / "trusted-models.txt"


# ----- broken files ---------------------------------------------------------------------------

def test_a_missing_model_file(tmp_path):
    path = tmp_path / "absent.joblib"
    with pytest.raises(ModelError, match="model file not found; give the path") as excinfo:
        LineClassifier.load(path)
    one_line_error(excinfo, path)


def test_missing_metadata(copied_model):
    metadata_path(copied_model).unlink()
    with pytest.raises(ModelError, match=r"metadata file default\.json not found beside it; put the \.json") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    one_line_error(excinfo, copied_model)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\xff\xfe"])
def test_metadata_that_is_not_a_json_object(copied_model, text):
    metadata_path(copied_model).write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelError, match="metadata.*copy it again with its model, or retrain") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    assert "\n" not in str(excinfo.value) and str(metadata_path(copied_model)) in str(excinfo.value)


def test_a_flipped_byte_is_caught_by_the_sha256(copied_model, trust_list):
    trust(copied_model, trust_list)
    data = bytearray(copied_model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copied_model.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 does not match default.json: the model file is corrupted") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    one_line_error(excinfo, copied_model)


def test_a_truncated_file_matched_by_its_metadata_cannot_be_loaded(copied_model, trust_list):
    replace_model_bytes(copied_model, copied_model.read_bytes()[: copied_model.stat().st_size // 2])
    trust(copied_model, trust_list)
    with pytest.raises(ModelError, match="cannot be loaded .*; the file is damaged") as excinfo:
        LineClassifier.load(copied_model)
    one_line_error(excinfo, copied_model)


def test_a_changed_feature_name(copied_model):
    names = json.loads(metadata_path(copied_model).read_text(encoding="utf-8"))["feature_names"]
    edit_metadata(copied_model, feature_names=[*names[:3], "renamed", *names[4:]])
    with pytest.raises(ModelError, match=f"feature list differs .*feature 3 is 'renamed', expected '{names[3]}'") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    assert "retrain it with `boilerline train`" in one_line_error(excinfo, copied_model)


def test_another_scikit_learn_version_says_what_to_install(copied_model):
    versions = json.loads(metadata_path(copied_model).read_text(encoding="utf-8"))["versions"]
    edit_metadata(copied_model, versions={**versions, "scikit-learn": "1.2.0"})
    with pytest.raises(ModelError, match=r"trained with scikit-learn 1\.2\.0, .*pip install 'scikit-learn==1\.2\.0'") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    one_line_error(excinfo, copied_model)


def test_metadata_without_a_scikit_learn_version(copied_model):
    edit_metadata(copied_model, versions=None)
    with pytest.raises(ModelError, match="records no scikit-learn version"):
        LineClassifier.load(copied_model, trust=True)


def test_a_pickle_that_is_not_a_line_classifier_is_refused_and_not_recorded(copied_model, trust_list):
    joblib.dump({"not": "a model"}, copied_model)
    edit_metadata(copied_model, sha256=sha256_of(copied_model))
    with pytest.raises(ModelError, match="holds a dict, not a LineClassifier") as excinfo:
        LineClassifier.load(copied_model, trust=True)
    one_line_error(excinfo, copied_model)
    assert not trust_list.exists()


# ----- the arrays file ------------------------------------------------------------------------

SEED_LINES = ["Home", "Sport", "The minister said on Monday that the budget would grow by four percent next year."]


def test_an_untrusted_copy_predicts_from_its_arrays_without_trust(copied_model, trust_list):
    """Reading arrays runs no code, so a copied model needs no trust to predict, and is not
    recorded as trusted by predicting."""
    assert Predictor.load(copied_model).predict(SEED_LINES) == Predictor.load().predict(SEED_LINES)
    assert not trust_list.exists()


def test_a_flipped_byte_in_the_arrays_is_caught_by_the_sha256(copied_model):
    arrays = arrays_path(copied_model)
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 does not match default.json: the arrays file is corrupted") as excinfo:
        Predictor.load(copied_model)
    one_line_error(excinfo, arrays)


def test_arrays_whose_trees_point_outside_them_are_refused(copied_model):
    """The compiled walk does not check bounds, so a node index out of range, in a file whose
    metadata was rewritten to match it, is refused when the model loads."""
    arrays = arrays_path(copied_model)
    with np.load(arrays) as archive:
        values = {key: archive[key] for key in archive.files}
    inner = np.flatnonzero(values["revise_is_leaf"] == 0)[0]
    values["revise_left"][inner] = len(values["revise_left"]) + 10
    with open(arrays, "wb") as handle:
        np.savez_compressed(handle, **values)
    edit_metadata(copied_model, arrays_sha256=sha256_of(arrays))
    with pytest.raises(ModelError, match="does not hold a model of this version .*out of range") as excinfo:
        Predictor.load(copied_model)
    one_line_error(excinfo, copied_model)


def test_arrays_that_are_not_an_npz_file_are_a_clear_error(copied_model):
    arrays = arrays_path(copied_model)
    arrays.write_bytes(b"not a zip file")
    edit_metadata(copied_model, arrays_sha256=sha256_of(arrays))
    with pytest.raises(ModelError, match="cannot be read as arrays") as excinfo:
        Predictor.load(copied_model)
    one_line_error(excinfo, arrays)


def test_a_model_saved_without_arrays_is_unpickled_and_needs_trust(copied_model, trust_list):
    """A model from before the arrays file predicts through its estimators, trusted first."""
    arrays_path(copied_model).unlink()
    edit_metadata(copied_model, arrays_file=None)
    with pytest.raises(ModelError, match="not a trusted model"):
        loaded_model(copied_model, False)
    assert loaded_model(copied_model, True).predict(SEED_LINES) == Predictor.load().predict(SEED_LINES)


# ----- the files alone (a command whose workers load the model) -------------------------------

def test_checking_the_files_refuses_what_loading_would_and_records_nothing(copied_model, trust_list):
    check_model_files(copied_model)
    check_model_files(None)
    arrays = arrays_path(copied_model)
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 does not match default.json: the arrays file is corrupted") as excinfo:
        check_model_files(copied_model)
    one_line_error(excinfo, arrays)
    with pytest.raises(ModelError, match="missing.json not found"):
        check_model_files(copied_model.with_name("missing.joblib"))
    assert not trust_list.exists()


def test_checking_the_files_of_a_pickled_model_needs_trust_and_unpickles_nothing(copied_model, trust_list):
    arrays_path(copied_model).unlink()
    edit_metadata(copied_model, arrays_file=None)
    with pytest.raises(ModelError, match="not a trusted model") as excinfo:
        check_model_files(copied_model)
    one_line_error(excinfo, copied_model)
    replace_model_bytes(copied_model, b"not a pickle")  # its sha256 matches: only unpickling would fail
    check_model_files(copied_model, trust=True)
    assert not trust_list.exists()
