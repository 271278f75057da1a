"""sources.yml: the configuration of every source, validated when a load starts.

```yaml
version: 1
sources:
  stripe:                  # the folder name in the drops
    account_id_key: crm_account_id
    tier_key: tier
```

The file sits at the landing folder's root unless CSA_SOURCES_FILE names another; a landing
without one uses every vendor's defaults. Each entry is validated against its source's
options model (pydantic), a declared mapping against orchestration/sources/mapping/spec.py;
every error names the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from orchestration.sources.mapping.spec import DeclaredOptions, declared_problems
from orchestration.sources.registry import VENDORS, options_model
from orchestration.sources.shipped import SHIPPED, ShippedMapping
from orchestration.sources.vendor import SourceOptions, Vendor
from orchestration.sources.yaml_marks import MarkedYaml, YamlFileError, load_with_marks


class SourcesFileError(YamlFileError):
    """sources.yml breaks its schema; the message lists every problem with file and line."""


class _TopLevel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    sources: dict[str, dict | None] = {}


@dataclass(frozen=True)
class SourcesConfig:
    path: Path | None  # None: no file, every default
    options: dict[str, SourceOptions] = field(default_factory=dict)
    declared: dict[str, DeclaredOptions] = field(default_factory=dict)  # folder -> mappings

    def options_for(self, vendor: Vendor) -> SourceOptions:
        return self.options.get(vendor.name) or vendor.options_model()

    def mapping_for(self, folder_name: str) -> DeclaredOptions | None:
        """The declared mapping of a drop's folder: the user's, or a shipped vendor's with its
        configured or default options; None for a folder no mapping reads."""
        name = folder_name.lower()
        if name in self.declared:
            return self.declared[name]
        return SHIPPED[name].default() if name in SHIPPED else None

    def vendor(self, folder_name: str) -> Vendor | None:
        """The built-in vendor with code (registry.py) whose folder in a drop is named
        `folder_name` (case ignored); None for any other folder."""
        return VENDORS.get(folder_name.lower())

    def feeds(self, vendor: Vendor, export: str) -> bool:
        """Whether the vendor's folder feeds `export` under this configuration."""
        return export in vendor.exports_fed(self.options_for(vendor))


# A landing without sources.yml: every built-in vendor with its defaults.
DEFAULT_SOURCES = SourcesConfig(None)


def load_sources(path: Path) -> SourcesConfig:
    """The validated configuration in `path`, or every default when there is no such file."""
    if not path.is_file():
        return SourcesConfig(None)
    marked = load_with_marks(path)
    problems: list[str] = []
    try:
        top = _TopLevel.model_validate(marked.value or {})
    except ValidationError as error:
        raise SourcesFileError(_messages(marked, (), error)) from error
    options: dict[str, SourceOptions] = {}
    declared: dict[str, DeclaredOptions] = {}
    for name, entry in top.sources.items():
        model = options_model(name)
        if name in SHIPPED:
            problems += _shipped(marked, SHIPPED[name], entry or {}, declared)
            continue
        if model is None and isinstance(entry, dict) and "mappings" in entry:
            problems += _declared(marked, name, entry, declared)
            continue
        if model is None:
            problems.append(
                f"{marked.where(('sources', name))}: no built-in vendor is named {name!r} "
                f"(built-in: {', '.join([*VENDORS, *SHIPPED])}); for another tool declare "
                "its `mappings` (see docs/sources.md)"
            )
            continue
        try:
            options[name] = model.model_validate(entry or {})
        except ValidationError as error:
            problems.append(_messages(marked, ("sources", name), error))
            continue
        problems += _unfed_exports(marked, VENDORS[name], options[name])
    if problems:
        raise SourcesFileError("\n".join(problems))
    return SourcesConfig(path, options, declared)


def _shipped(marked: MarkedYaml, shipped: ShippedMapping, entry: dict, declared: dict) -> list[str]:
    """Validate a shipped mapping's options; on success its mapping is added to `declared`."""
    try:
        options = shipped.options_model.model_validate(entry)
    except ValidationError as error:
        return [_messages(marked, ("sources", shipped.name), error)]
    unfed = [
        f"{marked.where(('sources', shipped.name, 'exports', index))}: {shipped.name} cannot "
        f"feed {export} (it feeds {', '.join(shipped.exports)})"
        for index, export in enumerate(options.exports or ())
        if export not in shipped.exports
    ]
    if not unfed:
        declared[shipped.name] = shipped.build(options)
    return unfed


def _declared(marked: MarkedYaml, name: str, entry: dict, declared: dict) -> list[str]:
    """Validate a declared mapping; on success it is added to `declared`."""

    def located(where: tuple) -> tuple:
        # A single mapping written without a list is part 0 of the export's parts.
        given = entry["mappings"] if isinstance(entry["mappings"], dict) else {}
        if len(where) > 2 and where[2] == 0 and not isinstance(given.get(where[1]), list):
            where = (*where[:2], *where[3:])
        return ("sources", name, *where)

    try:
        options = DeclaredOptions.model_validate(entry)
    except ValidationError as error:
        return [
            f"{marked.where(located(detail['loc']))}: {detail['msg']}" for detail in error.errors()
        ]
    found = [
        f"{marked.where(located(where))}: {message}"
        for where, message in declared_problems(options)
    ]
    if not found:
        declared[name] = options
    return found


def _messages(marked: MarkedYaml, prefix: tuple, error: ValidationError) -> str:
    return "\n".join(
        f"{marked.where((*prefix, *detail['loc']))}: {detail['msg']}" for detail in error.errors()
    )


def _unfed_exports(marked: MarkedYaml, vendor: Vendor, options: SourceOptions) -> list[str]:
    return [
        f"{marked.where(('sources', vendor.name, 'exports', index))}: {vendor.name} cannot feed "
        f"{export} (it feeds {', '.join(vendor.conversions)})"
        for index, export in enumerate(options.exports or ())
        if export not in vendor.conversions
    ]
