"""The command line: files in and out, exit codes, same bytes every time, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talent_exchange.matching import solve
from talent_exchange.matching.cli import main
from talent_exchange.matching.jsonio import dumps

from .test_infeasible import market as infeasible_market

MARKET = {
    "participants": [
        {
            "id": f"p{i}",
            "organization": f"o{i % 3}",
            "preferences": [f"s{(i + k) % 7}" for k in range(4)],
        }
        for i in range(12)
    ],
    "slots": [
        {"id": f"s{j}", "organization": f"o{j % 3}", "capacity": 1 + j % 2}
        | ({"preferences": [f"p{(j * 5 + k) % 12}" for k in range(12)]} if j % 3 else {})
        for j in range(7)
    ],
    "weights": [{"participant": "p0", "slot": "s1", "weight": 7.25}],
    "rules": {"balance_tolerance": 1, "seed": 4},
}


def write(tmp_path: Path, value, name="market.json") -> Path:
    path = tmp_path / name
    path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())
    return path


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_writes_the_result_and_exits_0(tmp_path, capsys, mode):
    out = tmp_path / "out.json"
    assert main([str(write(tmp_path, MARKET)), "--mode", mode, "--output", str(out)]) == 0
    result = json.loads(out.read_bytes())
    assert result["status"] == ("stable" if mode == "stable" else "optimal")
    assert result == json.loads(dumps(solve(MARKET, mode)))
    assert f"{result['status']}: " in capsys.readouterr().err


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_the_same_input_gives_the_same_bytes(tmp_path, mode):
    source = write(tmp_path, MARKET)
    outputs = []
    for k in range(2):
        out = tmp_path / f"out{k}.json"
        main([str(source), "--mode", mode, "-o", str(out)])
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].endswith(b"\n")
    assert json.loads(outputs[0]) == json.loads(dumps(json.loads(outputs[0])))


def test_without_output_prints_the_result(tmp_path, capsysbinary):
    assert main([str(write(tmp_path, MARKET)), "--mode", "stable", "--compact"]) == 0
    printed = capsysbinary.readouterr().out
    assert printed.count(b"\n") == 1
    assert json.loads(printed)["status"] == "stable"


def test_the_seed_option_replaces_the_markets_seed(tmp_path, capsys):
    main([str(write(tmp_path, MARKET)), "--seed", "99"])
    assert json.loads(capsys.readouterr().out)["seed"] == 99


def test_invalid_input_exits_2_with_every_problem(tmp_path, capsys):
    bad = {"participants": [{"id": "p1", "organization": "A", "preferences": ["nope"]}]}
    assert main([str(write(tmp_path, bad))]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "invalid"
    assert {p["path"] for p in result["problems"]} == {"slots", "participants[0].preferences[0]"}


def test_infeasible_exits_1(tmp_path, capsys):
    locked = infeasible_market(
        locked=[{"participant": "a1", "slot": "sc"}], rules={"balance_tolerance": 0}
    )
    assert main([str(write(tmp_path, locked)), "--mode", "optimal"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "infeasible"


@pytest.mark.parametrize("content", [b"", b"{", b"nul", b"\xff\xfe", b'{"a": NaN}', b"[1, 2]"])
def test_text_that_is_not_a_market_exits_2(tmp_path, capsys, content):
    assert main([str(write(tmp_path, content))]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "invalid"
    assert result["problems"][0]["message"]


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in json.loads(capsys.readouterr().out)["problems"][0]["message"]


def test_an_unwritable_output_exits_2(tmp_path, capsys):
    code = main([str(write(tmp_path, MARKET)), "-o", str(tmp_path / "no" / "such" / "dir.json")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--mode", "fast", "x.json"], ["a", "b"]])
def test_a_wrong_command_line_exits_2(argv, capsys):
    assert main(argv) == 2
    assert "usage" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "--mode" in capsys.readouterr().out


def test_reads_standard_input(monkeypatch, capsysbinary):
    class Stdin:
        buffer = __import__("io").BytesIO(json.dumps(MARKET).encode())

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert main(["-", "--mode", "optimal"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["status"] == "optimal"


def test_an_internal_error_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("talent_exchange.matching.cli.solve", broken)
    assert main([str(write(tmp_path, MARKET))]) == 3
    err = capsys.readouterr().err
    assert err == "internal error: RuntimeError: boom\n"


def test_runs_as_a_module(tmp_path):
    out = tmp_path / "out.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "talent_exchange.matching",
            str(write(tmp_path, MARKET)),
            "--mode",
            "optimal",
            "--output",
            str(out),
        ],
        capture_output=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_bytes())["status"] == "optimal"
    assert b"Traceback" not in done.stderr


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)
market_like = st.fixed_dictionaries(
    {},
    optional={
        "participants": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "id": st.sampled_from(["p1", "p2", 1, ""]),
                    "organization": st.sampled_from(["A", "B", None]),
                    "preferences": st.lists(
                        st.sampled_from(["s1", "s2", "p1", 3, None]), max_size=3
                    )
                    | json_values,
                },
            ),
            max_size=3,
        )
        | json_values,
        "slots": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "id": st.sampled_from(["s1", "s2", 2]),
                    "organization": st.sampled_from(["A", "B", 5]),
                    "capacity": st.sampled_from([0, 1, 2, -1, 1.5, "1", True, None, 10**30]),
                    "preferences": st.lists(st.sampled_from(["p1", "p2", "s1", None]), max_size=3)
                    | json_values,
                },
            ),
            max_size=3,
        )
        | json_values,
        "weights": json_values,
        "forbidden": json_values,
        "locked": st.lists(
            st.fixed_dictionaries(
                {
                    "participant": st.sampled_from(["p1", "p2"]),
                    "slot": st.sampled_from(["s1", "s2"]),
                }
            ),
            max_size=3,
        )
        | json_values,
        "rules": st.fixed_dictionaries(
            {},
            optional={
                "balance_tolerance": json_values,
                "exclude_home_organization": json_values,
                "seed": json_values,
            },
        )
        | json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(market_like, st.sampled_from(["stable", "optimal"]))
def test_nothing_crashes(data, mode):
    result = solve(data, mode)
    assert result["status"] in {"stable", "optimal", "infeasible", "invalid"}
    dumps(result)  # always serialisable
    if result["status"] == "invalid":
        assert result["problems"]


def test_the_same_bytes_across_processes_and_hash_seeds(tmp_path):
    """Nothing depends on set or dict iteration order that could change between runs."""
    source = write(tmp_path, MARKET)
    outputs = []
    for hash_seed in ("1", "2"):
        for mode in ("stable", "optimal"):
            done = subprocess.run(
                [sys.executable, "-m", "talent_exchange.matching", str(source), "--mode", mode],
                capture_output=True,
                check=True,
                cwd=Path(__file__).resolve().parents[3],
                env={**os.environ, "PYTHONHASHSEED": hash_seed},
            )
            outputs.append(done.stdout)
    assert outputs[:2] == outputs[2:]


def test_a_byte_order_mark_is_tolerated(tmp_path, capsys):
    assert main([str(write(tmp_path, b"\xef\xbb\xbf" + json.dumps(MARKET).encode()))]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "stable"
