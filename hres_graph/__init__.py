"""HRES Graph: a knowledge graph of human rights and election standards."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hres-graph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+local"
