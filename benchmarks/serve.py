"""Latency and throughput of `emurules serve`: POST /rulesets/law/evaluate of a 300-person
population (the law-2022 example's criteria, benchmarks/data.py's generator), with 1 and
with N worker processes, from a client sending requests on several threads at once (each
thread with its own keep-alive `http.client` connection). Not part of `make test`.

    .venv/bin/python benchmarks/serve.py [--people 300] [--requests 200]
        [--concurrency 4] [--workers 1 2]

It also times, in the client's process, what each request costs the library alone:
`Rules.evaluate` of the population and `Result.what_if` of one person.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CRITERIA = ROOT / "examples" / "law-2022" / "criteria.emu"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from data import law_population  # noqa: E402

import emurules  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def post(connection: http.client.HTTPConnection, path: str, body: bytes) -> float:
    """One request's latency in seconds; anything but 200 stops the benchmark."""
    start = time.perf_counter()
    connection.request("POST", path, body, {"Content-Type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    took = time.perf_counter() - start
    if answer.status != 200:
        raise SystemExit(f"POST {path}: HTTP {answer.status}")
    return took


def start(workers: int, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "emurules", "serve", f"law={CRITERIA}", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def load(port: int, body: bytes, requests: int, concurrency: int) -> tuple[list[float], float]:
    """Every request's latency, and the wall time of all, sent by `concurrency` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    left = [requests]

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while True:
            with lock:
                if left[0] == 0:
                    break
                left[0] -= 1
            mine.append(post(connection, "/rulesets/law/evaluate", body))
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def timed(fn: Callable[[], object], times: int) -> float:
    """The median of `times` runs, in seconds."""
    found = []
    for _ in range(times):
        began = time.perf_counter()
        fn()
        found.append(time.perf_counter() - began)
    return statistics.median(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data, history = law_population(args.people)
    body = json.dumps({"data": data, "history": history}).encode("utf-8")
    rules = emurules.load(CRITERIA)
    result = rules.evaluate(data, history=history)
    person = data["individual"][5]["id"]
    evaluate = timed(lambda: rules.evaluate(data, history=history), 20)
    what_if = timed(lambda: result.what_if(person, {"task": "excellent", "initiatives": 3}), 20)
    print(
        f"# emurules serve: POST evaluate, {args.people} people ({len(body) / 1024:.0f} KiB body)"
    )
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"in process: Rules.evaluate {evaluate * 1000:.1f} ms, "
          f"Result.what_if {what_if * 1000:.1f} ms (medians of 20)\n")  # fmt: skip
    print(f"{args.requests} requests, {args.concurrency} at a time:\n")
    print("| workers | median ms | p95 ms | requests/s |")
    print("| --- | --- | --- | --- |")
    for workers in args.workers:
        port = free_port()
        server = start(workers, port)
        try:
            load(port, body, max(4 * workers, args.concurrency), args.concurrency)  # warm up
            latencies, wall = load(port, body, args.requests, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
        median = statistics.median(latencies) * 1000
        print(f"| {workers} | {median:.1f} | {p95(latencies) * 1000:.1f} | "
              f"{len(latencies) / wall:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
