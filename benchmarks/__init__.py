"""The performance benchmark (`make bench`): benchmarks/run.py runs it, benchmarks/results.md holds it."""

# The floor view: HttpResponse("ok") through every middleware (served with BENCHMARK=1), the
# machine's pace that every page is measured against.
FLOOR_PATH = "/_bench/floor"
