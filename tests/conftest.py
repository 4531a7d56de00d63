from pathlib import Path

import pytest

from tests.paths import SHARED_DATA

# Debian's Chromium and its driver, for the tests that open a page in a real browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


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


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium through its chromedriver."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not program.is_file():
            pytest.skip(f"{program} not found: apt-get install chromium chromium-driver (.ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install -e '.[test]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # --no-sandbox: Chromium's sandbox refuses to run as root, as in CI containers.
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
