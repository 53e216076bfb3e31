"""The hardening suite (hres_graph/hardening) and property-based tests."""
