"""Evaluation functions."""
from dchain.functions.evaluation.accuracy import accuracy, Accuracy  # noqa: F401
from dchain.functions.evaluation.binary_accuracy import (  # noqa: F401
    binary_accuracy, BinaryAccuracy)
from dchain.functions.evaluation.classification_summary import (  # noqa: F401
    classification_summary, ClassificationSummary, precision, recall, fbeta_score, f1_score)
from dchain.functions.evaluation.r2_score import r2_score, R2_score  # noqa: F401
