"""Deterministic demo data in the raw export contract: `python -m orchestration.demo`."""

from orchestration.demo.config import GeneratorConfig
from orchestration.demo.world import GenerationSummary, generate

__all__ = ["GenerationSummary", "GeneratorConfig", "generate"]
