"""Benchmark suite of pagerduty-trigger (`make bench`, `python -m bench`): not part of `make test`."""
