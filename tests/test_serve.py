"""``boilerline serve`` through Starlette's test client: classify a seed page, save it with a
flipped label, refuse what it must refuse without touching the disk, and retrain."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app
from classifier.html import render_html
from classifier.labeled import LABELED_BY_HAND, read_labeled_pages
from classifier.page import CHROME, CONTENT, is_blank
from classifier.persistence import file_sha256
from classifier.serve.options import ServeOptions
from classifier.trust import trusted_sha256s
from tests.paths import GOLD, ROOT, SEEDS

testclient = pytest.importorskip("starlette.testclient", reason="the serve extra is not installed: pip install -e '.[serve]'")
TestClient = testclient.TestClient

SEED_003 = "003_220746cfa9e2cd50.txt"
# A retraining on the two seed pages takes about two seconds; this is for a slow, busy machine.
TRAINING_TIMEOUT_SECONDS = 180


@pytest.fixture
def folders(tmp_path, monkeypatch) -> dict[str, Path]:
    """A pages folder, an --open folder with a seed page, a data folder with the seeds' gold
    labels, a models folder, and a trust list of this test's own."""
    monkeypatch.setenv("BOILERLINE_TRUSTED", str(tmp_path / "trusted-models.txt"))
    folders = {name: tmp_path / name for name in ("pages", "open", "data", "models")}
    folders["open"].mkdir()
    shutil.copy(SEEDS / SEED_003, folders["open"] / SEED_003)
    folders["data"].mkdir()
    shutil.copy(GOLD, folders["data"] / "gold.jsonl")
    (tmp_path / "secret.txt").write_text("outside every folder\n", encoding="utf-8")
    return folders


def client_of(folders: dict[str, Path], **options) -> TestClient:
    from classifier.serve.app import create_app

    served = ServeOptions(
        pages=folders["pages"], open_dirs=(folders["open"],), data_dirs=(folders["data"],), models=folders["models"], **options,
    )
    return TestClient(create_app(served), base_url="http://127.0.0.1")


def written(folders: dict[str, Path]) -> list[Path]:
    return sorted(path for name in ("pages", "models") for path in folders[name].rglob("*"))


def open_seed(client: TestClient, model: str | None = None) -> dict:
    listing = client.get("/api/files").json()
    assert listing["folders"][0]["files"] == [SEED_003]
    request = {"folder": 0, "file": SEED_003} | ({"model": model} if model else {})
    response = client.post("/api/classify", json=request)
    assert response.status_code == 200, response.text
    return response.json()


def flipped(label: str) -> str:
    return CHROME if label == CONTENT else CONTENT


def save_with_a_flipped_label(client: TestClient) -> tuple[dict, list, int]:
    page = open_seed(client)
    labels = [line["label"] for line in page["lines"]]
    first = next(i for i, label in enumerate(labels) if label is not None)
    labels[first] = flipped(labels[first])
    response = client.post("/api/save", json={"token": page["token"], "labels": labels})
    assert response.status_code == 200, response.text
    return response.json(), labels, first


def test_a_seed_page_is_classified_and_saved_with_a_flipped_label(folders):
    client = client_of(folders)
    page = open_seed(client)
    seed_lines = (SEEDS / SEED_003).read_text(encoding="utf-8").split("\n")
    assert [line["text"] for line in page["lines"]] == seed_lines
    assert all((line["label"] is None) == is_blank(line["text"]) for line in page["lines"])
    assert all(line["label"] == line["model_label"] for line in page["lines"])
    assert all(0 <= line["p_content"] <= 1 for line in page["lines"] if line["label"])

    saved, labels, first = save_with_a_flipped_label(client)
    [corrected] = read_labeled_pages(folders["pages"] / saved["saved"])
    assert corrected.page_id == f"open/{SEED_003}" and corrected.lines == seed_lines
    assert corrected.labels == labels and corrected.labels[first] != page["lines"][first]["model_label"]
    assert corrected.extra[LABELED_BY_HAND] is True

    assert client.get("/api/files").json()["saved"] == [saved["saved"]]
    again = client.post("/api/classify", json={"saved": saved["saved"]}).json()
    assert [line["label"] for line in again["lines"]] == labels and again["saved_as"] == saved["saved"]


def test_pasted_html_is_rendered_as_predict_renders_it(folders):
    html = "<html><body><nav><a href='/'>الرئيسية</a></nav><h1>العنوان</h1><p>A paragraph of article text.</p></body></html>"
    response = client_of(folders).post("/api/classify", json={"text": html, "html": True})
    assert response.status_code == 200, response.text
    assert [line["text"] for line in response.json()["lines"]] == render_html(html).lines


@pytest.mark.parametrize("request_body", [
    {"folder": 0, "file": "../secret.txt"},
    {"folder": 0, "file": "/etc/passwd"},
    {"folder": 0, "file": "link-out.txt"},
    {"folder": 0, "file": "missing.txt"},
    {"folder": 1, "file": SEED_003},
    {"saved": "../open/" + SEED_003},
    {"folder": 0, "file": SEED_003, "model": "models/../../secret.joblib"},
    {"folder": 0, "file": SEED_003, "model": "/etc/passwd"},
], ids=["dot-dot", "absolute", "symlink-out", "missing", "no-such-folder", "saved-dot-dot", "model-dot-dot", "model-path"])
def test_paths_outside_the_folders_are_refused_and_nothing_is_written(folders, request_body):
    (folders["open"] / "link-out.txt").symlink_to(folders["open"].parent / "secret.txt")
    client = client_of(folders)
    assert client.get("/api/files").json()["folders"][0]["files"] == [SEED_003]  # the link out is not listed
    response = client.post("/api/classify", json=request_body)
    assert response.status_code in (403, 404)
    assert "outside the folders" in response.json()["error"] or "no such" in response.json()["error"]
    assert "outside every folder" not in response.text
    assert written(folders) == []


def test_an_unknown_page_or_bad_labels_save_nothing(folders):
    client = client_of(folders)
    assert client.post("/api/save", json={"token": "nope", "labels": []}).status_code == 404
    page = open_seed(client)
    labels = [line["label"] for line in page["lines"]]
    blank = labels.index(None)
    for bad in (labels[:-1], labels[:blank] + [CONTENT] + labels[blank + 1:], "content"):
        response = client.post("/api/save", json={"token": page["token"], "labels": bad})
        assert response.status_code == 400 and response.json()["error"]
    assert written(folders) == []


def test_an_over_limit_body_is_refused_with_413_and_nothing_is_written(folders):
    limit = 12_000  # over the seed page (8 KB), under what the requests below send
    client = client_of(folders, max_body_bytes=limit)
    page = open_seed(client)
    labels = [line["label"] for line in page["lines"]]
    padded = {"token": page["token"], "labels": labels, "padding": "x" * limit}
    responses = [
        client.post("/api/save", json=padded),
        client.post("/api/classify", json={"text": "A line of text.\n" * 1000}),
        # Sent in chunks, without a Content-Length: counted as it comes.
        client.post("/api/save", content=(json.dumps(padded)[i:i + 1000].encode() for i in range(0, limit + 2000, 1000)),
                    headers={"content-type": "application/json"}),
    ]
    for response in responses:
        assert response.status_code == 413
        assert f"over the limit of {limit:,} bytes" in response.json()["error"]
    (folders["open"] / "big.txt").write_text("A line of text.\n" * 1000, encoding="utf-8")
    response = client.post("/api/classify", json={"folder": 0, "file": "big.txt"})
    assert response.status_code == 413 and "--max-body-bytes" in response.json()["error"]
    assert written(folders) == []


def test_other_sites_cannot_drive_the_server(folders):
    """A form or text/plain post (which another site's page can send) and a foreign Host
    (DNS rebinding) are refused."""
    client = client_of(folders)
    response = client.post("/api/training", content=b"{}", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert client.post("/api/classify", data={"text": "Home"}).status_code == 415
    assert client.get("/api/files", headers={"host": "attacker.example"}).status_code == 400
    assert written(folders) == []


def test_retraining_writes_a_trusted_model_that_can_be_chosen(folders, tmp_path):
    client = client_of(folders)
    save_with_a_flipped_label(client)
    assert client.post("/api/training", json={}).status_code == 202
    assert client.post("/api/training", json={}).status_code in (202, 409)  # 409 while it runs
    deadline = time.monotonic() + TRAINING_TIMEOUT_SECONDS
    while (status := client.get("/api/training").json())["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status["state"] == "done", status
    model = folders["models"] / status["model"]
    metadata = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert metadata["trained_on"]["pages"] == 3  # the corrected page and the two seeds' gold pages

    assert file_sha256(model) in trusted_sha256s(tmp_path / "trusted-models.txt")
    choices = [choice["key"] for choice in client.get("/api/models").json()["models"]]
    assert choices == ["shipped", f"models/{model.name}"]
    page = open_seed(client, model=f"models/{model.name}")
    assert page["model"] == f"models/{model.name}" and any(line["p_content"] is not None for line in page["lines"])


def test_retraining_needs_a_models_folder(folders):
    from classifier.serve.app import create_app

    response = TestClient(create_app(ServeOptions(pages=folders["pages"])), base_url="http://127.0.0.1").post("/api/training", json={})
    assert response.status_code == 409 and "--models" in response.json()["error"]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_command_line_imports_the_server_only_to_serve():
    probe = "import sys, classifier.cli; print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    assert run_python(probe).stdout.strip() == "[]"


def test_serve_without_the_extra_says_what_to_install(tmp_path):
    blocked = (
        "import sys\n"
        "class Missing:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in ('starlette', 'uvicorn'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Missing())\n"
        "from classifier.cli import app\n"
        f"sys.argv = ['boilerline', 'serve', '--pages', {str(tmp_path / 'pages')!r}]\n"
        "app()\n"
    )
    result = run_python(blocked)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: serve needs the serve extra (starlette is not installed): pip install -e '.[serve]'"


def test_two_open_folders_of_one_name_are_refused_before_anything_is_made(tmp_path):
    for side in ("a", "b"):
        (tmp_path / side / "pages").mkdir(parents=True)
    result = CliRunner().invoke(app, [
        "serve", "--pages", str(tmp_path / "saved"), "--open", str(tmp_path / "a" / "pages"), "--open", str(tmp_path / "b" / "pages"),
    ])
    assert result.exit_code == 2
    assert "two --open folders are named 'pages'" in result.stderr
    assert not (tmp_path / "saved").exists()
