"""The models a page can be classified with: the shipped one, the one given with
``--model``, and those in the models folder (retrained ones among them), each under a key the
browser sends back, so that no request names a model file by its path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classifier.serve.folders import MODEL_SUFFIX, existing_file, trained_models
from classifier.serve.options import ServeOptions

SHIPPED = "shipped"
GIVEN = "given"
# Key prefix of a model of the models folder: "models/<file name>".
TRAINED = "models/"


@dataclass(frozen=True)
class ModelChoice:
    key: str
    name: str


def model_choices(options: ServeOptions) -> list[ModelChoice]:
    """The given model (when there is one), the shipped one, then the models folder's, newest first."""
    choices = [ModelChoice(GIVEN, f"{options.model.name} (--model)")] if options.model is not None else []
    choices.append(ModelChoice(SHIPPED, "shipped model"))
    return choices + [ModelChoice(TRAINED + name, name) for name in trained_models(options.models)]


def first_choice(options: ServeOptions) -> str:
    return GIVEN if options.model is not None else SHIPPED


def model_path(options: ServeOptions, key: str) -> Path | None:
    """The model file of a key (None: the shipped model); FileNotFoundError for an unknown
    key, OutsideFolders for a name that leads out of the models folder."""
    if key == SHIPPED:
        return None
    if key == GIVEN and options.model is not None:
        return options.model
    name = key.removeprefix(TRAINED)
    if key.startswith(TRAINED) and options.models is not None and name.endswith(MODEL_SUFFIX):
        return existing_file(options.models, name)
    raise FileNotFoundError(f"{key}: no such model; choose one of the list")
