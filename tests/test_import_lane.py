"""The build's second import lane (hres_graph/build/lanes.py): a source converted in a child process lands
exactly as when read in the build's own process; its errors surface the same way and change nothing; a
killed build leaves no child behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from hres_graph.build import lanes as import_lane
from hres_graph.build.pipeline import build
from hres_graph.config import PROJECT_ROOT, Settings
from hres_graph.errors import SourceFormatError
from suites.procfs import children, cmdline, cpu_seconds, state

from .test_build import FIXTURE_CSV, TOY, _quads

OTHER = replace(TOY, id="toy-other")  # a second source, so that the lane is not the only one


@pytest.fixture()
def lane_for_toy(monkeypatch):
    monkeypatch.setattr(import_lane, "LANE_SOURCES", ("toy",))


def _settings(tmp_path: Path, name: str, toy_csv: Path = FIXTURE_CSV) -> Settings:
    return Settings(
        var_dir=tmp_path / name,
        data_root=tmp_path / "data",
        source_paths={"toy": toy_csv, "toy-other": FIXTURE_CSV.with_name("actors-v2.csv")},
    )


def test_only_a_source_beside_others_gets_a_lane(lane_for_toy):
    assert import_lane.lane_sources([TOY, OTHER]) == [TOY]
    assert import_lane.lane_sources([TOY]) == []
    assert import_lane.lane_sources([OTHER]) == []


def test_a_source_from_the_lane_lands_as_in_the_build_process(tmp_path, monkeypatch):
    in_process = _settings(tmp_path, "in-process")
    expected = build(in_process, sources=[TOY, OTHER], log=lambda m: None)
    monkeypatch.setattr(import_lane, "LANE_SOURCES", ("toy",))
    lines = []
    laned = _settings(tmp_path, "laned")
    result = build(laned, sources=[TOY, OTHER], log=lines.append)
    assert "  toy: importing in a second process" in lines
    assert _quads(laned) == _quads(in_process) and len(_quads(laned)) > 10
    assert [s.id for s in result.sources] == ["toy", "toy-other"]  # the records keep the registry order
    assert [(s.triples, s.counts) for s in result.sources] == [(s.triples, s.counts) for s in expected.sources]
    assert sorted(p.name for p in (laned.var_dir / "stores").iterdir()) == [result.store.name]  # no lane folder


def test_an_error_in_the_lane_names_file_and_line_and_changes_nothing(tmp_path, lane_for_toy):
    settings = _settings(tmp_path, "var")
    first = build(settings, sources=[TOY, OTHER], log=lambda m: None)
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name\nx,Xi\ny,BROKEN\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"bad.csv:3 \(column name\): the name is the marker BROKEN"):
        build(
            replace(settings, source_paths={**settings.source_paths, "toy": bad}),
            sources=[TOY, OTHER],
            log=lambda m: None,
        )
    assert settings.current_store.resolve() == first.store
    assert sorted(p.name for p in (settings.var_dir / "stores").iterdir()) == [first.store.name]


@pytest.mark.real_data
@pytest.mark.slow
def test_a_killed_build_leaves_no_import_process_behind(tmp_path, data_root):
    """kill -9 of `hres build` while upr-wg-reports converts in its child: the child dies with it."""
    env = {**os.environ, "HRES_DATA_ROOT": str(data_root)}
    command = [sys.executable, "-m", "hres_graph", "--var-dir", str(tmp_path / "var"), "build", "--no-progress"]
    build_process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        for line in build_process.stderr:
            if "importing in a second process" in line:
                break
        deadline = time.monotonic() + 30
        while not (lane := _lane_children(build_process.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)  # forked, not yet the child's own program
        assert lane, "the lane's child process was not found"
        # killed while the child converts, not while it starts (a starting child dies anyway: it reads
        # its instructions from the build through a pipe)
        while (cpu_seconds(lane[0]) or 0) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (cpu_seconds(lane[0]) or 0) >= 1  # of the ~15 s of CPU its conversion takes
        build_process.send_signal(signal.SIGKILL)
        build_process.wait(timeout=10)
        deadline = time.monotonic() + 2  # long before the child could have finished on its own
        while _state(lane[0]) != "Z" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _state(lane[0]) == "Z", "the lane's child outlived the build"
    finally:
        if build_process.poll() is None:
            build_process.kill()
            build_process.wait()
        build_process.stderr.close()


def _state(pid: int) -> str:
    return state(pid) or "Z"


def _lane_children(pid: int) -> list[int]:
    return [c for c in children(pid) if "spawn_main" in cmdline(c)]
