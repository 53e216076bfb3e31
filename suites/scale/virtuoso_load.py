"""Bulk-load a built store into Virtuoso (its own loader: ld_dir + rdf_loader_run over N-Quads dumps).

`hres_graph.store.publish` copies graph by graph with SPARQL INSERT DATA batches, which suits any SPARQL 1.1
server and small updates; for millions of triples Virtuoso's bulk loader reads the dump files
directly and is the documented way in. The store's N-Quads dump (`hres export --format nquads`: graph
names kept) goes into a folder the server may read (its DirsAllowed), is registered with ld_dir,
loaded by rdf_loader_run, then checkpointed.

    isql-vt 127.0.0.1:1111 dba PASSWORD "exec=ld_dir('/data/hres', '*.nq', 'https://w3id.org/hres/graph/unused');"
    isql-vt 127.0.0.1:1111 dba PASSWORD "exec=rdf_loader_run();"
    isql-vt 127.0.0.1:1111 dba PASSWORD "exec=checkpoint;"
"""

from __future__ import annotations

import configparser
import subprocess
import time
from pathlib import Path


def sql_port(workdir: Path) -> int:
    """The SQL (isql) port of a Virtuoso started by suites/virtuoso.py in `workdir`."""
    ini = configparser.ConfigParser(strict=False, interpolation=None)
    ini.read(workdir / "virtuoso.ini")
    return int(ini["Parameters"]["ServerPort"].rsplit(":", 1)[1])


def isql(port: int, statement: str, timeout: float = 1800) -> str:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql {statement!r} failed: {(done.stdout + done.stderr)[-1500:]}")
    return done.stdout


def bulk_load(port: int, folder: Path) -> float:
    """Load every *.nq file of `folder` (readable by the server); seconds, checkpoint included."""
    t0 = time.perf_counter()
    isql(port, f"ld_dir('{folder}', '*.nq', 'https://w3id.org/hres/graph/unused');")
    isql(port, "rdf_loader_run();")
    isql(port, "checkpoint;")
    failed = isql(port, "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
    if ".nq" in failed:
        raise RuntimeError(f"Virtuoso's loader rejected files:\n{failed[-1500:]}")
    return time.perf_counter() - t0
