"""Templated functional test suite for the toxicity scorer: hold and publish cases."""

from moderation.functional_suite.cases import Case, build_cases, categories

__all__ = ["Case", "build_cases", "categories"]
