"""Where the tests find the seeds and the shared data."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = SEEDS / "gold.jsonl"
SHARED_DATA = Path(os.environ.get("BOILERLINE_DATA") or ROOT.parent / "shared" / "data")
