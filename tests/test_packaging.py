"""The project installs from one dependency list, and conda users get the same one."""

from pathlib import Path
import tomllib

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_defers_to_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip_sections == [["-e .[dev]"]], "environment.yml must install the project with pip -e .[dev]"
    conda_names = {str(d).split(">")[0].split("=")[0].strip() for d in deps if isinstance(d, str)}
    # Only Python and pip come from conda; every library comes from pyproject.toml.
    assert conda_names == {"python", "pip"}, f"environment.yml lists packages of its own: {conda_names}"
    py = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert py.removeprefix("python") == project["requires-python"], "Python versions drifted"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make briefing" in first_block and "make test" in first_block
