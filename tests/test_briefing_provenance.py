"""salto_analysis.briefing.provenance: hashes, versions, git state and the run-details block."""

from __future__ import annotations

import subprocess

from salto_analysis.briefing.provenance import changed_inputs, collect, git_state, package_versions, render, sha256


def test_sha256_of_a_known_vector(tmp_path):
    # FIPS 180-2, appendix B.1: SHA-256("abc")
    (tmp_path / "abc").write_bytes(b"abc")
    assert sha256(tmp_path / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_package_versions_name_python_and_the_stack():
    versions = package_versions()
    assert list(versions)[:3] == ["python", "salto-analysis", "pandas"]
    assert versions["papermill"].startswith("2.") and versions["salto-analysis"] != "-"


def test_git_state_outside_and_inside_a_checkout(tmp_path):
    assert git_state(tmp_path) == {"commit": None, "dirty": None}
    run = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    (tmp_path / "f").write_text("x")
    run("add", "f")
    run("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x")
    state = git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is False
    (tmp_path / "f").write_text("y")
    assert git_state(tmp_path)["dirty"] is True


def test_collect_and_render(tmp_path):
    (tmp_path / "register.csv").write_bytes(b"abc")
    (tmp_path / "manifest.json").write_text("{}")
    details = collect([tmp_path / "register.csv"], code_folder=tmp_path)
    assert [i["path"] for i in details["inputs"]] == [str(tmp_path / "register.csv"), str(tmp_path / "manifest.json")]
    assert details["started"].endswith("Z")
    html = render(details, parameters={"01_trends": {"year": 2025, "lang": "nb"}}, duration=12.34, lang="nb")
    assert "Kjøringsdetaljer" in html and "12,3 s" in html and "ukjent (ikke en git-mappe)" in html
    assert "<td>01_trends</td><td><code>year</code></td><td><code>2025</code></td>" in html
    assert "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" in html
    english = render(details, parameters={}, duration=1.0, lang="en")
    assert "Run details" in english and "Kjøring" not in english


def test_changed_inputs_names_a_changed_or_vanished_file(tmp_path):
    a, b = tmp_path / "register.csv", tmp_path / "survey.csv"
    a.write_bytes(b"abc")
    b.write_bytes(b"abc")
    details = collect([a, b], code_folder=tmp_path)
    assert [e["sha256"][:12] for e in details["inputs"]] == ["ba7816bf8f01"] * 2  # SHA-256("abc"), FIPS 180-2
    assert changed_inputs(details) == []
    a.write_bytes(b"abcd")  # SHA-256("abcd") = 88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589
    b.unlink()
    assert changed_inputs(details) == [
        f"{a} (SHA-256 ba7816bf8f01... at the start, 88d4266fd4e6... now)",
        f"{b} (it is gone)",
    ]
