"""README.md's client snippets run as copied. Each fenced block after a `<!-- snippet: NAME -->`
marker is written to a file, its address (127.0.0.1:9760, the server's default) replaced by the test
server's, and run twice: Python with this interpreter, Node with `node` and the SDK installed in
tests/node. The Rust snippet is crates/emulator/examples/readme.rs, checked and run by
crates/emulator/tests/readme.rs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "tests" / "node" / "node_modules"
README_ADDRESS = "127.0.0.1:9760"
SNIPPET = re.compile(r"<!-- snippet: (\S+) -->\n```(\w+)\n(.*?)```\n", re.S)


def snippets():
    return {name: (lang, code) for name, lang, code in SNIPPET.findall((REPO / "README.md").read_text())}


def test_every_client_snippet_is_marked():
    assert sorted(snippets()) == ["node", "python-old", "python-tea", "rust"]
    assert all(README_ADDRESS in code for _lang, code in snippets().values())


def run(name, endpoint, tmp_path):
    lang, code = snippets()[name]
    source = tmp_path / {"python": "snippet.py", "js": "snippet.js"}[lang]
    source.write_text(code.replace(README_ADDRESS, endpoint))
    if lang == "python":
        command, env = [sys.executable, str(source)], dict(os.environ)
    else:
        if shutil.which("node") is None or not NODE_MODULES.is_dir():
            pytest.fail("needs node and tests/node/node_modules (cd tests/node && npm ci)")
        command, env = ["node", str(source)], dict(os.environ, NODE_PATH=str(NODE_MODULES))
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("name", ["python-old", "python-tea", "node"])
def test_snippet_runs_as_copied_and_again(emulator, old, tmp_path, name):
    for _ in range(2):
        out = run(name, emulator.endpoint, tmp_path)
        created = re.search(r"^created (vpc-\S+)$", out, re.M)
        assert created, out
        assert f"deleted {created.group(1)}" in out
    assert old.DescribeVpcs()["TotalCount"] == 0, "each run deletes the VPC it created"
