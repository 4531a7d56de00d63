"""Run the test suite, or the fuzzer, on the compiled kernels built with AddressSanitizer.

    python bench/sanitized.py tests                    # the whole test suite under ASan
    python bench/sanitized.py fuzz --seconds 600       # bench/fuzz.py's featurizer target under ASan
    python bench/sanitized.py fuzz --seconds 600 --target readers

The project's files (those git tracks, as they are in the working tree) are copied to a
temporary folder and its extensions are built there with gcc's ``-fsanitize=address`` (and
``-fsanitize=undefined``), so the development build is left alone. Python itself is not
instrumented: the ASan runtime is preloaded (``LD_PRELOAD``, with libstdc++, whose exceptions
ASan must see from the start), Python's own allocator is
switched off (``PYTHONMALLOC=malloc``) so that every object is an ASan allocation, and leak
checking is off (Python does not free everything at exit). An out-of-bounds read or write, a
use after free or undefined behaviour in a kernel aborts the run with ASan's report, and the
script exits non-zero. The browser tests are left out (Chromium aborts under a preloaded
ASan runtime, and they run none of the kernels): the report's two, by name, and those of
tests/test_serve_browser.py. The shared data is found as the tests find it (``$BOILERLINE_DATA``,
else ``../shared/data`` beside this project).

Needs gcc and the development extra (``pip install -e '.[dev]'``: the test packages, the build
requirements and atheris). The sanitized build runs several times slower than the normal one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = "-fsanitize=address -fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"


def copy_tracked_files(destination: Path) -> None:
    """The files git tracks, as they are in the working tree (uncommitted edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def build_sanitized(folder: Path) -> None:
    env = {**os.environ, "CFLAGS": SANITIZE, "CXXFLAGS": SANITIZE, "LDFLAGS": "-fsanitize=address -fsanitize=undefined"}
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    for extension in sorted(folder.glob("classifier/*.so")):
        linked = subprocess.run(["ldd", str(extension)], capture_output=True, text=True, check=True).stdout
        if "libasan" not in linked:
            raise SystemExit(f"{extension.name} was not linked with AddressSanitizer")
        print(f"built with ASan + UBSan: {extension.name}", flush=True)


def sanitized_env(folder: Path) -> dict[str, str]:
    runtime = [
        subprocess.run(["gcc", f"-print-file-name={library}"], capture_output=True, text=True, check=True).stdout.strip()
        for library in ("libasan.so", "libstdc++.so")
    ]
    data = os.environ.get("BOILERLINE_DATA") or str(ROOT.parent / "shared" / "data")
    return {
        **os.environ,
        "LD_PRELOAD": " ".join(runtime),
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        "PYTHONMALLOC": "malloc",
        "PYTHONPATH": str(folder),
        "BOILERLINE_DATA": data,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["tests", "fuzz"])
    parser.add_argument("--seconds", type=int, default=600, help="fuzz: how long")
    parser.add_argument("--target", default="featurizer", help="fuzz: bench/fuzz.py's target")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boilerline-asan-") as tmp:
        folder = Path(tmp)
        copy_tracked_files(folder)
        build_sanitized(folder)
        if args.what == "tests":
            # The browser tests are left out: Chromium is not built with ASan, and aborts
            # when its runtime is preloaded; they run none of the project's compiled code.
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "-k", "not chromium",
                       "--ignore", "tests/test_serve_browser.py"]
        else:
            command = [sys.executable, "bench/fuzz.py", "--seconds", str(args.seconds), "--target", args.target]
        print("running:", " ".join(command), flush=True)
        sys.exit(subprocess.run(command, cwd=folder, env=sanitized_env(folder)).returncode)


if __name__ == "__main__":
    main()
