"""The bench's floors around each scenario (tests/perf/bench.py): which runs bracket it and what
its `around` ratio divides by; and how a run compares with an earlier one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tests.perf.bench import (
    FLOOR_BARE,
    FLOOR_ROW,
    FLOOR_ROW_AGAIN,
    FLOOR_ROW_BESIDE,
    SCENARIOS,
    Measurement,
    compare_with,
    floors_around,
    format_table,
    run_order,
)


def _measured(name: str, rps: float, p50_ms: float = 10.0) -> Measurement:
    return Measurement(
        name=name,
        method="GET",
        path="/",
        note="",
        connections=64,
        requests=int(rps * 10),
        duration_s=10.0,
        rps=rps,
        p50_ms=p50_ms,
        p90_ms=p50_ms,
        p99_ms=p50_ms * 2,
        max_ms=p50_ms * 3,
        mean_ms=p50_ms,
        errors={},
    )


def test_floor_beside_puts_the_row_floor_between_every_two_scenarios():
    first, second, third = SCENARIOS[:3]
    assert run_order([], floor_beside=True) == [FLOOR_BARE, FLOOR_ROW]
    assert run_order([first, second], floor_beside=False) == [
        FLOOR_BARE,
        FLOOR_ROW,
        first,
        second,
        FLOOR_ROW_AGAIN,
    ]
    assert run_order([first, second, third], floor_beside=True) == [
        FLOOR_BARE,
        FLOOR_ROW,
        first,
        FLOOR_ROW_BESIDE,
        second,
        FLOOR_ROW_BESIDE,
        third,
        FLOOR_ROW_AGAIN,
    ]


def test_each_scenario_is_divided_by_the_mean_of_the_floor_runs_beside_it():
    results = [
        _measured(FLOOR_BARE.name, 8000),
        _measured(FLOOR_ROW.name, 1000),
        _measured("posts", 500, p50_ms=40),
        _measured(FLOOR_ROW_BESIDE.name, 2000),
        _measured("feed", 600),
        _measured(FLOOR_ROW_AGAIN.name, 3000),
    ]
    around = floors_around(results)
    assert [floor is None for floor in around] == [True, True, False, True, False, True]
    assert around[2] is not None and around[2].rps == 1500 and around[2].p50_ms == 10
    assert around[4] is not None and around[4].rps == 2500
    assert results[2].ratios(around[2])["rps"] == round(500 / 1500, 4)
    table = format_table(results, results[0], results[1], around)
    posts_line = next(line for line in table.splitlines() if line.startswith("posts"))
    assert posts_line.endswith("0.33x")  # 500 / mean(1000, 2000); the first floor alone: 0.50x
    json_ratios = results[2].as_json({"row": results[1]}, around[2])["ratios"]
    assert json_ratios["row"]["rps"] == 0.5 and json_ratios["row_around"]["rps"] == 0.3333


def test_without_a_floor_after_it_a_scenario_has_no_around_ratio():
    results = [_measured(FLOOR_BARE.name, 8000), _measured(FLOOR_ROW.name, 1000)]
    results.append(_measured("posts", 500))
    assert floors_around(results) == [None, None, None]


def test_a_run_compares_with_a_baseline_by_req_s_and_each_latency(tmp_path: Path):
    then = [_measured(FLOOR_ROW.name, 6000.0), _measured("feed", 2000.0, p50_ms=20.0)]
    baseline = tmp_path / "results.json"
    baseline.write_text(json.dumps({"results": [m.as_json({}) for m in then]}))
    # The same req/s and mean, the median in the other group of connections.
    feed_now = replace(_measured("feed", 2000.0, p50_ms=33.0), mean_ms=20.0)
    table = compare_with([_measured(FLOOR_ROW.name, 6000.0), feed_now], baseline)
    header, feed = table.splitlines()[1], table.splitlines()[3]
    assert header.split()[:5] == ["scenario", "req/s", "p50", "mean", "p99"]
    # req/s, p50, mean, p99, then the same divided by each run's row floor.
    ratios = ["1.00x", "1.65x", "1.00x", "1.65x"]
    assert feed.split()[1:] == [*ratios, "|", *ratios]
