"""Deterministic demo data in the raw export contract: `python -m demo`."""

from demo.config import GeneratorConfig
from demo.world import GenerationSummary, generate

__all__ = ["GenerationSummary", "GeneratorConfig", "generate"]
