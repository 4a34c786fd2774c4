"""Calibrated, deterministic synthetic sample data (no real persons).

``python -m salto_analysis.synth`` writes to ``data/sample/``:

``register.csv.gz``   police register, one row per case x person x role, 2016-2025
``population.csv``    residents by year, district, sex and age 10-22 (the denominators)
``survey.csv.gz``     Ung i Oslo school survey, waves 2015, 2018, 2021 and 2023
``manifest.json``     the machine-readable synthetic marker: ``"synthetic": true``,
                      generator, version, seed and per file rows and SHA-256

Options: ``--out DIR``, ``--seed N`` (default :data:`DEFAULT_SEED`) and
``--scale sample|national``. ``national`` writes a 2,000,000-row register and a
1,500,000-pupil survey over ten waves (Ungdata size) for the benchmarks, by default to
``benchmarks/_data/national/`` (git-ignored); it reuses Oslo's district names with a
larger population.

The same seed, scale and NumPy version give byte-identical files. Random numbers come
from NumPy's PCG64 generator, one independent stream (``SeedSequence`` spawn key) per
part, so changing the survey model does not change the register. NumPy may change its
random streams between releases (NEP 19); the files in ``data/sample/`` were made with
the NumPy version named in ``data/sample/README.md``.

The models and the published figures they are calibrated to are described in
:mod:`.population` (persons and denominators), :mod:`.events` (offending and
victimisation over the years), :mod:`.register` (cases, victims, identifiers),
:mod:`.survey` (Ung i Oslo) and :mod:`.output` (byte-stable files), and in
``data/sample/README.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .output import write_manifest, write_table
from .population import build_pool, population_table
from .register import simulate_register
from .survey import simulate_survey

__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "SCALES", "FILES", "generate", "default_out", "main"]

DEFAULT_SEED = 2026
#: Bump when the generated files change for the same seed (model or format change).
GENERATOR_VERSION = "1.0"
FILES = ("register.csv.gz", "population.csv", "survey.csv.gz")

#: ``pool``: population multiplier; ``register_rows``: exact row count (None: as drawn);
#: ``survey_multiplier``/``pupils_per_wave``/``waves``: the survey design; ``gzip_level``:
#: compression (the national files are not committed, so they favour speed).
SCALES: dict[str, dict] = {
    "sample": {"pool": 1.0, "register_rows": None, "survey_multiplier": 1, "pupils_per_wave": None,
               "waves": (2015, 2018, 2021, 2023), "gzip_level": 6},
    "national": {"pool": 15.5, "register_rows": 2_000_000, "survey_multiplier": 6, "pupils_per_wave": 150_000,
                 "waves": tuple(range(2016, 2026)), "gzip_level": 1},
}
_STREAMS = {"population": 0, "register": 1, "survey": 2, "trim": 3}


def _rng(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_STREAMS[part],)))


def default_out(scale: str) -> Path:
    """``data/sample`` or ``benchmarks/_data/national`` in the project checkout (else the working folder)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").exists():
        root = Path.cwd()
    return root / ("data/sample" if scale == "sample" else "benchmarks/_data/national")


def generate(out: str | Path | None = None, seed: int = DEFAULT_SEED, scale: str = "sample",
             progress=None) -> dict:
    """Generate all synthetic files into ``out`` and return the manifest.

    ``progress`` is an optional callable receiving one-line status messages.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    cfg = SCALES[scale]
    out = Path(out) if out is not None else default_out(scale)
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda msg: None)

    pool = build_pool(_rng(seed, "population"), multiplier=cfg["pool"])
    population = population_table(pool)
    say(f"population: {len(pool):,} synthetic persons")
    register = simulate_register(pool, _rng(seed, "register"))
    if cfg["register_rows"] is not None:
        register = _trim_rows(register, cfg["register_rows"], _rng(seed, "trim"))
    say(f"register: {len(register):,} rows")
    survey = simulate_survey(_rng(seed, "survey"), pool.districts, waves=cfg["waves"],
                             multiplier=cfg["survey_multiplier"], pupils_per_wave=cfg["pupils_per_wave"])
    say(f"survey: {len(survey):,} pupils")

    files = {}
    for name, df in zip(FILES, (register, population, survey), strict=True):
        files[name] = {"kind": name.split(".")[0], **write_table(df, out / name, cfg["gzip_level"])}
        say(f"wrote {out / name}")
    manifest = {
        "synthetic": True,
        "description": "Synthetic data made by a statistical model. It describes no real persons.",
        "generator": "salto_analysis.synth",
        "version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "command": f"python -m salto_analysis.synth --seed {seed} --scale {scale}",
        "files": files,
    }
    write_manifest(out / "manifest.json", manifest)
    return manifest


def _trim_rows(df: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Keep exactly ``n`` rows: whole cases in random order, the last case cut to fit."""
    if len(df) < n:
        raise ValueError(f"cannot trim {len(df):,} rows to {n:,}: too few rows; raise the pool multiplier")
    codes, uniques = pd.factorize(df["case_id"])
    order = rng.permutation(len(uniques))
    rank = np.empty(len(uniques), np.int64)
    rank[order] = np.arange(len(uniques))
    # rows ordered by the random case rank, keeping each case's own row order
    pos = np.lexsort((np.arange(len(df)), rank[codes]))
    keep = np.sort(pos[:n])
    return df.iloc[keep].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salto_analysis.synth",
                                     description="Write the synthetic SaLTo sample data (no real persons).")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: data/sample, or benchmarks/_data/national for --scale national)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--scale", choices=sorted(SCALES), default="sample",
                        help="sample: Oslo, committed in data/sample; national: benchmark size")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        manifest = generate(args.out, seed=args.seed, scale=args.scale, progress=print)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{k} {v['rows']:,} rows" for k, v in manifest["files"].items())
    print(f"done in {time.perf_counter() - start:.1f} s (seed {args.seed}, scale {args.scale}): {rows}")
    return 0
