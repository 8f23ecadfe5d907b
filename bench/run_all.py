"""Every benchmark at a size that fits in about 15 minutes on the 2-core machine, then one table.

    .venv/bin/python -m bench.run_all            # or: make bench
    .venv/bin/python -m bench.run_all --only inbox checkpoints

Each benchmark runs in its own process (its own throwaway embedded Postgres, Redis namespace and ports) with the
sizes below; its full output goes to `bench-results/<name>.txt`. The table shows each one's headline lines
(`RESULT ...` where the benchmark prints one, else its last lines), how long it took, and the load average
before it started: figures on a loaded machine are not comparable to quiet ones, so always read them together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name → (arguments, how many trailing lines summarise it when it prints no RESULT line)
BENCHMARKS: dict[str, tuple[list[str], int]] = {
    "reply_latency": (["--paced", "40", "--burst", "150", "--processes", "2", "--compare-loops"], 8),
    "turn_statements": ([], 5),
    "checkpoints": (["--runs", "400", "--concurrency", "50"], 5),
    "inbox": (["--approvals", "100000", "--campaigns", "100", "--seconds", "8", "--rounds", "3"], 5),
    "sending": (["--emails", "500", "--whatsapp", "30", "--rate", "5", "--processes", "2"], 6),
    "search": (["--size", "100000", "--queries", "50"], 12),  # RESULT: our search p95 / recall@10 per class
    "analytics": (["--size", "0.02", "--seconds", "4"], 8),
}


def _headline(output: str, tail: int) -> list[str]:
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    results = [line for line in lines if line.startswith("RESULT ")]
    return results or lines[-tail:]


def main(only: list[str] | None, out_dir: Path) -> int:
    out_dir.mkdir(exist_ok=True)
    rows = []
    failed = 0
    for name, (arguments, tail) in BENCHMARKS.items():
        if only and name not in only:
            continue
        load = os.getloadavg()[0]
        started = time.monotonic()
        print(f"--- {name} {' '.join(arguments)} (load {load:.1f})", flush=True)
        process = subprocess.run([sys.executable, "-m", f"bench.{name}", *arguments], cwd=ROOT, text=True,
                                 capture_output=True, env=os.environ | {"PYTHONPATH": str(ROOT)})
        elapsed = time.monotonic() - started
        output = process.stdout + (f"\n[exit {process.returncode}]\n{process.stderr[-3000:]}"
                                   if process.returncode else "")
        (out_dir / f"{name}.txt").write_text(output)
        failed += process.returncode != 0
        headline = _headline(process.stdout, tail) if process.returncode == 0 else [
            f"FAILED (exit {process.returncode}); see {out_dir / (name + '.txt')}"]
        rows.append((name, elapsed, load, headline))
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\n## Benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — `uptime`: {uptime}\n")
    print("| benchmark | s | load at start | figures |")
    print("|---|---:|---:|---|")
    for name, elapsed, load, headline in rows:
        print(f"| {name} | {elapsed:.0f} | {load:.1f} | {'<br>'.join(line.replace('|', '/') for line in headline)} |")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    arguments = parser.parse_args()
    sys.exit(main(arguments.only, arguments.out))
