"""Where the ontology and the preset queries live, in a checkout or an installed package.

The repository keeps them in the top-level ontology/ folder; setup.cfg installs that
folder as the package data `graph.ontology`, so a wheel install finds them too."""
from __future__ import annotations

from pathlib import Path

from .errors import ZhituError


def ontology_dir() -> Path:
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "ontology", here / "ontology"):  # checkout, then wheel
        if (folder / "zhitu.ttl").is_file():
            return folder
    raise ZhituError("the ontology folder is missing from this installation")


def preset_dirs() -> list[Path]:
    return [ontology_dir() / "queries"]


def presets() -> dict[str, Path]:
    found = {}
    for folder in preset_dirs():
        for path in sorted(folder.glob("*.rq")):
            found.setdefault(path.stem, path)
    return found


def preset(name: str) -> str:
    table = presets()
    if name not in table:
        raise ZhituError(f"no preset named {name!r}; presets: {', '.join(sorted(table))}")
    return table[name].read_text(encoding="utf-8")
