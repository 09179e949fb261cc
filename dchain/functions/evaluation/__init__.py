"""Evaluation functions."""
from dchain.functions.evaluation.accuracy import accuracy, Accuracy  # noqa: F401
