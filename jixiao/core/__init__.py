"""The evaluation core: model, rule sets, scoring and checks. Pure Python: no web framework, no file I/O."""

from .model import Evaluation
from .result import EvaluationResult, Finding, Severity
from .scoring.engine import evaluate, score

__all__ = ["Evaluation", "EvaluationResult", "Finding", "Severity", "evaluate", "score"]
