#!/usr/bin/env bash
# The screening engine's scaling on a many-core machine, in one call that fits a lent
# device's 10 minutes (issue 15: >= 80 % efficiency from 2 to 16 workers). Run from the
# repository root; results go to $OUT (default ./scaling-out), one file per step, so that
# a step cut short by the time limit leaves the ones before it.
#
#   OUT=/tmp/out ORBITWATCH_DATA=/path/to/shared/data benchmarks/device_scaling.sh
#   SMOKE=1 OUT=/tmp/out benchmarks/device_scaling.sh   # its plumbing, on any machine
#
# Most important first: the machine (physical cores: 16 logical CPUs may be 8 cores of
# two hardware threads), then 23,939 objects x 7 days on 2, 4, 8 and 16 workers (the
# issue's table), then 100,000 synthetic objects x 1 day on 2 and 16, then x 7 days on 16.
set -u
OUT=${OUT:-scaling-out}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
# A machine without network: the packages it lacks (sgp4, pyerfa, platformdirs,
# google-re2) come as wheels in .whl/ (docs/benchmarks.md says how to fetch them), and
# orbitwatch is read from src/.
if ! $PY -c "import orbitwatch.screening" 2>/dev/null; then
    if ls .whl/*.whl >/dev/null 2>&1; then
        $PY -m pip install -q --no-index --no-deps --no-compile --target /tmp/ow-site \
            .whl/*.whl >"$OUT/install.log" 2>&1 || { echo "install failed"; exit 1; }
    fi
    export PYTHONPATH=/tmp/ow-site:$PWD/src${PYTHONPATH:+:$PYTHONPATH}
    $PY -c "import orbitwatch.screening" || { echo "orbitwatch cannot be imported"; exit 1; }
fi
{ lscpu; nproc; free -g; } >"$OUT/machine.txt" 2>&1
run() {  # name, then bench_scaling arguments
    local name=$1; shift
    echo "== $name: $*"
    $PY benchmarks/bench_scaling.py "$@" 2>&1 | tee "$OUT/$name.txt"
}
if [ -n "${SMOKE:-}" ]; then  # the script's own check on a small machine, in a minute
    run smoke --synthetic 2000 --days 0.2 --workers 1,2
    exit 0
fi
catalog=${ORBITWATCH_DATA:-../shared/data}/catalogs/spacetrack_full_2022-01-25.3le
if [ -f "$catalog" ]; then
    run catalog-7d --workers 2,4,8,16 --days 7 "$catalog"
else
    echo "== catalog-7d skipped: no $catalog (set ORBITWATCH_DATA)"
fi
run synthetic100k-1d --synthetic 100000 --days 1 --workers 2,16
run synthetic100k-7d --synthetic 100000 --days 7 --workers 16
