from pathlib import Path

import pytest

from tests.paths import SHARED_DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "arabic.jsonl.gz").is_file():
        pytest.skip(f"shared data not found at {SHARED_DATA}; set BOILERLINE_DATA to the folder of *.jsonl.gz")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def private_trust_list(tmp_path_factory, monkeypatch):
    """Models the tests save and trust go to a list of the test session's, not the user's."""
    monkeypatch.setenv("BOILERLINE_TRUSTED", str(tmp_path_factory.getbasetemp() / "trusted-models.txt"))
