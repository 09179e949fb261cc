"""Per-class precision, recall, F-beta score and support (``F.classification_summary``)."""
import numbers

import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _divide(num, den, dtype):
    """``num / den`` with 0/0 giving nan silently, as an undefined score should (cupy does
    not warn, so numpy's error state is all there is to quiet)."""
    with numpy.errstate(divide='ignore', invalid='ignore'):
        return (num / den).astype(dtype, copy=False)


class ClassificationSummary(function_node.FunctionNode):
    """Counts of true positives per class from ``y.argmax(axis=1)`` and labels ``t``."""

    def __init__(self, label_num=None, beta=1.0, ignore_label=-1):
        if label_num is not None:
            # A float or a string failed later inside numpy's bincount (or in a comparison).
            if not isinstance(label_num, numbers.Integral) or isinstance(label_num, bool):
                raise TypeError('classification_summary: label_num must be None or an int, '
                                'got {!r}'.format(label_num))
            if label_num <= 0:
                raise ValueError('classification_summary: label_num must be positive, got {}'
                                 .format(label_num))
        self.label_num = label_num
        self.beta = beta
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(x_type.dtype.kind == 'f', t_type.dtype.kind == 'i',
                          x_type.ndim >= 2, t_type.ndim >= 1)
        t_ndim = type_check.eval(t_type.ndim)
        type_check.expect(x_type.ndim >= t_type.ndim + 1)
        type_check.expect(x_type.shape[0] == t_type.shape[0],
                          x_type.shape[2:t_ndim + 1] == t_type.shape[1:])
        # Score axes beyond the label's must be singletons.
        for i in range(t_ndim + 1, type_check.eval(x_type.ndim)):
            type_check.expect(x_type.shape[i] == 1)

    def forward(self, inputs):
        y, t = inputs
        xp = utils.get_xp(y)
        t = t.ravel()
        mask = t != self.ignore_label
        labels = t[mask]
        # A negative label (other than ignore_label) failed in numpy's bincount.
        if labels.size and int(labels.min()) < 0:
            raise ValueError('classification_summary: labels in t must be >= 0 or ignore_label '
                             '({}), got {}'.format(self.ignore_label, int(labels.min())))
        if self.label_num is None:
            n = int(labels.max()) + 1 if labels.size else 0
        else:
            n = self.label_num
            if labels.size and int(labels.max()) >= n:
                raise ValueError('classification_summary: a label is >= label_num ({})'
                                 .format(n))
        pred = y.argmax(axis=1).ravel()
        # Ignored entries are sent to an extra bin n that is dropped afterwards.
        true = xp.where(mask, t, n)
        pred = xp.where(mask, pred, n)
        support = xp.bincount(true, minlength=n + 1)[:n]
        relevant = xp.bincount(pred, minlength=n + 1)[:n]
        tp = xp.bincount(xp.where(pred == true, true, n), minlength=n + 1)[:n]
        precision = _divide(tp, relevant, y.dtype)
        recall = _divide(tp, support, y.dtype)
        b2 = self.beta * self.beta
        fbeta = _divide((1 + b2) * precision * recall, b2 * precision + recall, y.dtype)
        return precision, recall, fbeta, support.astype(xp.int32)


def classification_summary(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Per-class precision, recall, F-beta score and support of argmax predictions.

    Args:
        y (Variable or array): scores of shape ``(N, C, d1, ...)``.
        t (Variable or array): integer labels of shape ``(N, d1, ...)``.
        label_num (int or None): number of classes; None takes ``max(t) + 1``.
        beta (float): weight of recall relative to precision in the F-beta score.
        ignore_label (int): entries with this label are left out.

    Returns:
        tuple of Variable: ``(precision, recall, fbeta_score, support)``, each of shape
        ``(label_num,)``; scores are nan for a class with no prediction (precision) or no
        instance (recall). None of them is differentiable.
    """
    return ClassificationSummary(label_num, beta, ignore_label).apply((y, t))


def precision(y, t, label_num=None, ignore_label=-1):
    """Per-class precision and support: ``(precision, support)``."""
    ret = classification_summary(y, t, label_num, 1.0, ignore_label)
    return ret[0], ret[3]


def recall(y, t, label_num=None, ignore_label=-1):
    """Per-class recall and support: ``(recall, support)``."""
    ret = classification_summary(y, t, label_num, 1.0, ignore_label)
    return ret[1], ret[3]


def fbeta_score(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Per-class F-beta score and support: ``(fbeta_score, support)``."""
    ret = classification_summary(y, t, label_num, beta, ignore_label)
    return ret[2], ret[3]


def f1_score(y, t, label_num=None, ignore_label=-1):
    """Per-class F1 score and support: ``(f1_score, support)``."""
    ret = classification_summary(y, t, label_num, 1.0, ignore_label)
    return ret[2], ret[3]
