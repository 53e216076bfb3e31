"""Development suites run from a checkout (not shipped in the wheel): hardening, benchmarks, scale."""
