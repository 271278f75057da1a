"""Deterministic demo data in the raw export contract: `python -m demo`."""

from demo.config import GeneratorConfig
from demo.world import Batch, GenerationSummary, generate, simulate

__all__ = ["Batch", "GenerationSummary", "GeneratorConfig", "generate", "simulate"]
