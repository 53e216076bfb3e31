"""The hardening suite: hostile requests, hostile files and faults, measured against a real server.

Commands and modules: suites/README.md, "Hardening".
"""
