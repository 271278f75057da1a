"""Deterministic demo data in the raw export contract: `python -m demo`."""

from demo.config import GeneratorConfig
from demo.landing import GenerationSummary, generate
from demo.world import Batch, simulate

__all__ = ["Batch", "GenerationSummary", "GeneratorConfig", "generate", "simulate"]
