from pathlib import Path

import pytest

from tests.paths import SHARED_DATA


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "arabic.jsonl.gz").is_file():
        pytest.skip(f"shared data not found at {SHARED_DATA}; set BOILERLINE_DATA to the folder of *.jsonl.gz")
    return SHARED_DATA
