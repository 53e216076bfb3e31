"""Settings: defaults, then an optional TOML file, then HRES_* environment variables.

Every setting is validated when it is read, with the setting's name in the message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("oxigraph", "sparql")


@dataclass
class Settings:
    data_root: Path = PROJECT_ROOT.parent / "shared" / "data"
    var_dir: Path = PROJECT_ROOT / "var"  # built stores live here (git-ignored)
    backend: str = "oxigraph"  # oxigraph (embedded, on disk) or sparql (external)
    sparql_query_url: str | None = None  # external store: SPARQL 1.1 query endpoint
    sparql_update_url: str | None = None  # external store: SPARQL 1.1 update endpoint
    sparql_user: str | None = None
    sparql_password: str | None = None
    sources: list[str] | None = None  # source ids to build; None = all registered
    source_paths: dict[str, Path] = field(default_factory=dict)  # per-source path overrides
    keep_stores: int = 2  # current + previous, so a bad build can be rolled back

    @property
    def current_store(self) -> Path:
        """The symlink that always points at the last successful build."""
        return self.var_dir / "current"

    def source_path(self, source_id: str, default_path: str) -> Path:
        return self.source_paths.get(source_id) or self.data_root / default_path

    def validate(self) -> "Settings":
        if self.backend not in BACKENDS:
            raise ConfigError(f"HRES_BACKEND is {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        if self.backend == "sparql" and not self.sparql_query_url:
            raise ConfigError(
                "HRES_SPARQL_QUERY_URL must be set when HRES_BACKEND is 'sparql'",
                hint="e.g. HRES_SPARQL_QUERY_URL=http://127.0.0.1:8890/sparql",
            )
        if self.keep_stores < 1:
            raise ConfigError("HRES_KEEP_STORES must be at least 1")
        return self


_ENV = {
    "HRES_DATA_ROOT": ("data_root", Path),
    "HRES_VAR_DIR": ("var_dir", Path),
    "HRES_BACKEND": ("backend", str),
    "HRES_SPARQL_QUERY_URL": ("sparql_query_url", str),
    "HRES_SPARQL_UPDATE_URL": ("sparql_update_url", str),
    "HRES_SPARQL_USER": ("sparql_user", str),
    "HRES_SPARQL_PASSWORD": ("sparql_password", str),
    "HRES_KEEP_STORES": ("keep_stores", int),
}


def load_settings(config_file: Path | None = None, **overrides) -> Settings:
    """Defaults < config file (TOML) < environment < explicit overrides (e.g. CLI options)."""
    settings = Settings()
    path = config_file or (Path(os.environ["HRES_CONFIG"]) if os.environ.get("HRES_CONFIG") else None)
    if path is not None:
        _apply_file(settings, path)
    for name, (attr, kind) in _ENV.items():
        if os.environ.get(name):
            try:
                setattr(settings, attr, kind(os.environ[name]))
            except ValueError:
                raise ConfigError(f"{name}={os.environ[name]!r} is not a valid {kind.__name__}") from None
    for attr, value in overrides.items():
        if value is not None:
            setattr(settings, attr, value)
    return settings.validate()


def _apply_file(settings: Settings, path: Path) -> None:
    """Read a TOML file: [data] root; [store] backend, var_dir, sparql_*; [sources] <id> = "path"."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    base = path.parent
    if "root" in doc.get("data", {}):
        settings.data_root = (base / doc["data"]["root"]).resolve()
    store = doc.get("store", {})
    for key in ("backend", "sparql_query_url", "sparql_update_url", "sparql_user", "sparql_password"):
        if key in store:
            setattr(settings, key, store[key])
    if "var_dir" in store:
        settings.var_dir = (base / store["var_dir"]).resolve()
    sources = doc.get("sources", {})
    if "only" in sources:
        settings.sources = list(sources["only"])
    for key, value in sources.get("paths", {}).items():
        settings.source_paths[key] = (base / value).resolve()
