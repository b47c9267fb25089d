"""Start-up time: from `ratsauskunft serve` to the first answered /ask.

    python bench/startup.py                 # index ../shared/eval/docs first (not timed), 3 runs
    python bench/startup.py --store data    # an existing index
    RATSAUSKUNFT_EMBEDDING_MODEL=use-onnx python bench/startup.py

Each run starts `ratsauskunft --store STORE serve --host 127.0.0.1 --port P` as a subprocess and
polls until gradio_client connects and the named endpoint /ask answers one question. Printed per
run: when the port accepted connections, when the client connected, when the first answer came,
and how long a second (warm) question takes.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchenv import REPO, commit

EVAL_DOCS = REPO.parent / "shared" / "eval" / "docs"
QUESTION = "Wie hoch ist der jährliche Zuschuss an die Allianz für die Region?"
SECOND_QUESTION = "Was kostet die Mitgliedschaft in der Metropolregion?"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


def cli(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", "--store", str(store), *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server we started (its whole process group), SIGKILL if it does not stop."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def connect(url: str, deadline: float) -> Any:
    from gradio_client import Client

    while time.monotonic() < deadline:
        try:
            return Client(url, verbose=False)
        except Exception:  # noqa: BLE001 - not up yet: connection refused, 502, incomplete config
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not come up")


def one_run(store: Path, timeout: float, log: Path) -> dict[str, float]:
    port = free_port()
    started = time.monotonic()
    with log.open("ab") as output:
        process = subprocess.Popen(
            cli(store, "serve", "--host", "127.0.0.1", "--port", str(port)),
            env=environment(),
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        deadline = started + timeout
        while not port_open(port):
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}; see {log}")
            if time.monotonic() > deadline:
                raise TimeoutError("port never opened")
            time.sleep(0.05)
        port_seconds = time.monotonic() - started
        client = connect(f"http://127.0.0.1:{port}/", deadline)
        client_seconds = time.monotonic() - started
        answer = client.predict(QUESTION, api_name="/ask")
        first_answer = time.monotonic() - started
        assert isinstance(answer, dict) and answer.get("answer"), answer
        warm_started = time.monotonic()
        client.predict(SECOND_QUESTION, api_name="/ask")
        warm = time.monotonic() - warm_started
    finally:
        stop(process)
    return {
        "port open": port_seconds,
        "client connected": client_seconds,
        "first /ask answered": first_answer,
        "second /ask (duration)": warm,
    }


def prepare_store(folder: Path, docs: Path) -> None:
    subprocess.run(cli(folder, "ingest", str(docs)), env=environment(), check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, help="an existing index (default: index the development set)")
    parser.add_argument(
        "--docs", type=Path, default=EVAL_DOCS, help="documents to index when --store is not given"
    )
    parser.add_argument("--runs", type=int, default=3, help="cold starts to time (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for one start")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            prepare_store(store, args.docs)
        log = Path(tmp) / "serve.log"
        runs = []
        for _ in range(args.runs):
            try:
                runs.append(one_run(store, args.timeout, log))
            except (RuntimeError, TimeoutError) as error:
                print(f"run failed: {error}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
                raise SystemExit(1) from error

    from assistant.settings import settings_from_env

    model = settings_from_env().embedding_model
    print(f"Start-up of `ratsauskunft serve` · model {model} · commit {commit()} · {os.cpu_count()} CPUs")
    print(f"store: {args.store or f'temporary index of {args.docs}'}")
    print()
    header = f"{'seconds since start':<24}" + "".join(f"{'run ' + str(i + 1):>9}" for i in range(len(runs)))
    print(header + f"{'median':>9}")
    for key in runs[0]:
        values = [run[key] for run in runs]
        print(f"{key:<24}" + "".join(f"{v:>9.2f}" for v in values) + f"{statistics.median(values):>9.2f}")


if __name__ == "__main__":
    main()
