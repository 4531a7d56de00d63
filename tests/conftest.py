from pathlib import Path

import pytest

from tests.paths import SHARED_DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "arabic.jsonl.gz").is_file():
        pytest.skip(f"shared data not found at {SHARED_DATA}; set BOILERLINE_DATA to the folder of *.jsonl.gz")
    return SHARED_DATA


@pytest.fixture(autouse=True, scope="session")
def private_trust_list(tmp_path_factory):
    """Models the tests save and trust go to a list of the test session's, not the user's
    (session-wide, so models trained in module fixtures are on it too)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOILERLINE_TRUSTED", str(tmp_path_factory.getbasetemp() / "trusted-models.txt"))
        yield
