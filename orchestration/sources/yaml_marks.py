"""YAML read with the line of every key, so a configuration error names file, key and line.

PyYAML's composed node tree keeps a mark (line, column) on every node; `load_with_marks` builds
the plain Python value from that tree and a map from each key path to the line it is on.
Duplicate keys, which PyYAML's own loader silently resolves to the last one, are errors here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

KeyPath = tuple[str | int, ...]


class YamlFileError(ValueError):
    """A file that is not valid YAML, or one whose content breaks its schema."""


@dataclass(frozen=True)
class MarkedYaml:
    path: Path
    value: object
    lines: dict[KeyPath, int]  # key path -> 1-based line of that key (or list item)

    def where(self, location: KeyPath) -> str:
        """`file:line: a.b.c` for the deepest part of `location` that has a line."""
        dotted = ".".join(str(part) for part in location) or "(top level)"
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return f"{self.path}:{line}: {dotted}"
        return f"{self.path}: {dotted}"


def load_with_marks(path: Path) -> MarkedYaml:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise YamlFileError(f"{where}: not valid YAML: {problem}") from error
    lines: dict[KeyPath, int] = {(): 1}
    value = None if root is None else _build(path, root, (), lines)
    return MarkedYaml(path, value, lines)


def _build(path: Path, node: yaml.Node, at: KeyPath, lines: dict[KeyPath, int]) -> object:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader("").construct_object(key_node, deep=True)
            here = (*at, str(key))
            if str(key) in result:
                raise YamlFileError(
                    f"{path}:{key_node.start_mark.line + 1}: {'.'.join(map(str, here))}: "
                    f"key given twice (first on line {lines[here]})"
                )
            lines[here] = key_node.start_mark.line + 1
            result[str(key)] = _build(path, value_node, here, lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*at, index)] = item.start_mark.line + 1
            items.append(_build(path, item, (*at, index), lines))
        return items
    return yaml.SafeLoader("").construct_object(node, deep=True)
