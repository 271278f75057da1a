"""`make ui`, run exactly as the README says from a shell that never activated the virtualenv,
serves a UI whose code location loads with every asset of the Definitions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT
from tests.shell import VENV_BIN, plain_shell_environment

pytestmark = pytest.mark.pipeline

# dg dev starts the webserver, the daemon and a code server that imports the definitions after
# parsing dbt (about 40 s here on a busy 2-core machine).
LOAD_TIMEOUT_SECONDS = 240
STOP_TIMEOUT_SECONDS = 60
LOCATION_QUERY = """
{ workspaceOrError { __typename
    ... on PythonError { message }
    ... on Workspace { locationEntries { name loadStatus
        locationOrLoadError { __typename
          ... on PythonError { message stack }
          ... on RepositoryLocation { repositories { assetNodes { assetKey { path } } } } } } } } }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def wait_for_location(port: int, process: subprocess.Popen, log: Path) -> dict:
    """The code location's entry once it is no longer loading; fails if the UI process ends."""
    deadline = time.monotonic() + LOAD_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make ui exited with {process.returncode}:\n{log.read_text()}")
        try:
            workspace = graphql(port, LOCATION_QUERY)["workspaceOrError"]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            workspace = None  # the webserver is not listening yet
        if workspace is not None:
            assert workspace["__typename"] == "Workspace", workspace
            entries = workspace["locationEntries"]
            if entries and all(entry["loadStatus"] == "LOADED" for entry in entries):
                return entries
        time.sleep(2)
    pytest.fail(f"no loaded code location after {LOAD_TIMEOUT_SECONDS} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C as a terminal sends it (SIGINT to the whole process group), then make sure no
    process of the group (webserver, daemon, code servers) outlives it."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail(f"make ui did not stop within {STOP_TIMEOUT_SECONDS} s of Ctrl-C")
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(1)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail("processes of make ui were still running after it stopped")


def test_make_ui_loads_every_asset_without_an_activated_virtualenv(workdir: Path) -> None:
    from orchestration.definitions import defs

    env = plain_shell_environment(workdir)
    assert shutil.which("dbt", path=env["PATH"]) != str(VENV_BIN / "dbt")
    assert shutil.which("dg", path=env["PATH"]) != str(VENV_BIN / "dg")
    port = free_port()
    log = workdir / "make-ui.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "ui", f"UI_PORT={port}"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # Ctrl-C must reach it even when this test runs where SIGINT is ignored (a
            # background job of a non-interactive shell).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        entries = wait_for_location(port, process, log)
    finally:
        stop(process)

    (entry,) = entries
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location.get("message")
    assert entry["name"] == "cs_analytics"
    served = {
        "/".join(node["assetKey"]["path"])
        for repository in location["repositories"]
        for node in repository["assetNodes"]
    }
    expected = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw/accounts", "marts/mrr_monthly", "analytics_publication", "kpi_report"} <= expected
    assert served == expected
    assert "Error loading" not in log.read_text()
