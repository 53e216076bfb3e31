"""The hardening suite (suites/hardening) and property-based tests."""
