# Two entry points for a fresh machine (see README):
#   make run    set up .venv and open the workbench on the bundled seeds (./tolmach.db)
#   make test   set up .venv with test extras and run the whole test suite
.PHONY: run test setup setup-test setup-bench bench

run: setup
	.venv/bin/tolmach

test: setup-test
	.venv/bin/python -m pytest -n 2 --dist loadfile -q

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh test

setup-bench:
	scripts/setup.sh bench

# every benchmark; the set builders (align_make_*.py) need their source files and are left out
bench: setup-bench
	for b in $(filter-out benchmarks/align_make_%.py,$(wildcard benchmarks/*.py)); do .venv/bin/python $$b || exit 1; done
