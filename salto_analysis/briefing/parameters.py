"""Notebook parameters: what each notebook declares, what the run gives it, and checks.

Papermill does not validate parameters: an unknown name only logs a warning and a
wrongly typed value reaches the notebook (papermill #55, #667, #818;
``docs/conventions.md#pitfalls-we-work-around``). The runner therefore reads each notebook's
declared parameters with :func:`papermill.inspect_notebook` (names, the type
from the annotation, the default and the help comment of the ``parameters``
cell) and refuses, before any notebook runs,

* a params-file key that no notebook of the briefing declares,
* a per-notebook key that the named notebook does not declare,
* a value whose type does not match the declared one (``int``, ``float``,
  ``str``, ``bool``, ``list``/``List[...]``; without an annotation the type of
  the default value is used).

Precedence, lowest first: the notebook's own default; the runner's defaults
(``data_dir`` = ``data/sample``, ``year`` = the latest register year); the
params files in the order given, each with its top-level keys first and then
its ``notebooks: {name: {...}}`` section; explicit ``--year``, ``--lang`` and
``--data-dir`` options. Values of parameters whose name ends in ``_dir``,
``_path`` or ``_file`` are paths: relative ones are resolved against the folder
of the params file that gives them (against the current folder for options)
and passed to the notebooks as absolute paths, because notebooks run with
``notebooks/`` as working directory.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from salto_analysis.briefing.config import Briefing, BriefingError, read_yaml
from salto_analysis.labels import LANGS

__all__ = [
    "Declared",
    "ParamsFile",
    "declared_parameters",
    "load_params_file",
    "check_value",
    "resolve_parameters",
    "is_path_parameter",
]

GLOBAL_OPTIONS = ("year", "lang", "data_dir")
_LIST = re.compile(r"^(?:typing\.)?[Ll]ist(?:\[(\w+)\])?$")
_OPTIONAL = re.compile(r"^(?:typing\.)?Optional\[(\w+)\]$")
_SCALARS = {"int": int, "float": float, "str": str, "bool": bool, "dict": dict}


@dataclass(frozen=True)
class Declared:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: object
    help: str

    @property
    def expected(self) -> str:
        """The type a value must have, in words (``int``, ``list of str``, ``any``)."""
        return _expected(self)


@dataclass(frozen=True)
class ParamsFile:
    """A parsed params file: top-level values and per-notebook sections."""

    path: Path
    values: dict
    notebooks: dict[str, dict]


def is_path_parameter(name: str) -> bool:
    """Parameters named ``*_dir``, ``*_path`` or ``*_file`` hold paths."""
    return name.endswith(("_dir", "_path", "_file"))


def declared_parameters(notebook: Path) -> dict[str, Declared]:
    """The parameters a notebook declares, read with :func:`papermill.inspect_notebook`."""
    import papermill

    out = {}
    for name, info in papermill.inspect_notebook(str(notebook)).items():
        try:
            default = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            default = None
        out[name] = Declared(name, info["inferred_type_name"], default, info["help"])
    return out


def _expected(decl: Declared) -> str:
    type_name = decl.type_name.replace(" ", "")
    if type_name in ("None", ""):
        if decl.default is None:
            return "any"
        return type(decl.default).__name__ if not isinstance(decl.default, list) else "list"
    if m := _LIST.match(type_name):
        return f"list of {m.group(1)}" if m.group(1) in _SCALARS else "list"
    if m := _OPTIONAL.match(type_name):
        return f"{m.group(1)} or null" if m.group(1) in _SCALARS else "any"
    return type_name if type_name in _SCALARS else "any"


def _matches(value, expected: str) -> bool:
    if expected == "any":
        return True
    if expected.endswith(" or null"):
        return value is None or _matches(value, expected.removesuffix(" or null"))
    if expected.startswith("list"):
        if not isinstance(value, list):
            return False
        inner = expected.removeprefix("list of ").removeprefix("list")
        return not inner or all(_matches(v, inner) for v in value)
    if expected == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _SCALARS.get(expected, object))


def check_value(notebook: str, decl: Declared, value, source: str) -> object:
    """Return ``value`` (an int turned float where a float is declared) or raise.

    The :class:`BriefingError` names the notebook, the parameter, the expected
    type, the value given and where it came from.
    """
    expected = decl.expected
    if not _matches(value, expected):
        raise BriefingError(
            f"notebook {notebook!r}: parameter {decl.name!r} must be {expected}, "
            f"got {type(value).__name__} {value!r} (from {source})"
        )
    if decl.name == "lang" and value not in LANGS:
        raise BriefingError(
            f"notebook {notebook!r}: parameter 'lang' must be one of {', '.join(LANGS)}, got {value!r} (from {source})"
        )
    if expected == "float" and isinstance(value, int):
        return float(value)
    return value


def load_params_file(path: str | Path) -> ParamsFile:
    """Read one params YAML file (top-level values plus an optional ``notebooks:`` mapping)."""
    path = Path(path).resolve()
    data = read_yaml(path, "params file")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BriefingError(f"params file {path} must be a mapping of parameter names to values")
    sections = data.pop("notebooks", None) or {}
    if not isinstance(sections, dict) or not all(isinstance(v, dict) for v in sections.values()):
        raise BriefingError(f"params file {path}: 'notebooks' must map notebook names to mappings of parameters")
    for key, value in data.items():
        if isinstance(value, dict):
            raise BriefingError(f"params file {path}: value of {key!r} is a mapping; parameters are plain values")
    return ParamsFile(path, data, {str(k): v for k, v in sections.items()})


def _as_path(name: str, value, base: Path):
    if is_path_parameter(name) and isinstance(value, str) and value:
        return str((base / Path(value).expanduser()).resolve())
    return value


def resolve_parameters(
    briefing: Briefing,
    declared: dict[str, dict[str, Declared]],
    files: list[ParamsFile],
    *,
    defaults: dict | None = None,
    options: dict | None = None,
    all_declared: dict[str, dict[str, Declared]] | None = None,
) -> dict[str, dict[str, object]]:
    """The checked parameters for every notebook of ``briefing``.

    ``declared`` maps each selected notebook to its declared parameters;
    ``all_declared`` covers every notebook of the full briefing list (so a params
    file stays valid with ``--only``; defaults to ``declared``). ``defaults`` and
    ``options`` hold runner defaults and explicit command-line values of the
    global options (``year``, ``lang``, ``data_dir``; paths already absolute).
    """
    all_declared = all_declared or declared
    known_anywhere = {name for params in all_declared.values() for name in params}
    layers: dict[str, list[tuple[str, dict, Path | None]]] = {e.name: [] for e in briefing.notebooks}
    for name in layers:
        layers[name].append(("runner default", defaults or {}, None))
    for pf in files:
        unknown = sorted(set(pf.values) - known_anywhere)
        if unknown:
            raise BriefingError(
                f"params file {pf.path}: parameter(s) {', '.join(map(repr, unknown))} are declared by no notebook "
                f"of the briefing (declared: {', '.join(sorted(known_anywhere))})"
            )
        for nb_name, section in pf.notebooks.items():
            if nb_name not in all_declared:
                raise BriefingError(
                    f"params file {pf.path}: notebook {nb_name!r} is not in the briefing "
                    f"(notebooks: {', '.join(all_declared)})"
                )
            unknown = sorted(set(section) - set(all_declared[nb_name]))
            if unknown:
                raise BriefingError(
                    f"params file {pf.path}: notebook {nb_name!r} does not declare parameter(s) "
                    f"{', '.join(map(repr, unknown))} (it declares: {', '.join(all_declared[nb_name]) or 'none'})"
                )
        for name in layers:
            layers[name].append((f"params file {pf.path}", pf.values, pf.path.parent))
            if name in pf.notebooks:
                layers[name].append((f"params file {pf.path}, notebooks.{name}", pf.notebooks[name], pf.path.parent))
    for name in layers:
        layers[name].append(("command-line option", options or {}, Path.cwd()))

    resolved: dict[str, dict[str, object]] = {}
    for entry in briefing.notebooks:
        decl = declared[entry.name]
        values: dict[str, object] = {}
        for source, layer, base in layers[entry.name]:
            for key, value in layer.items():
                if key not in decl:
                    continue
                value = _as_path(key, value, base) if base is not None else value
                values[key] = check_value(entry.name, decl[key], value, source)
        resolved[entry.name] = values
    return resolved
