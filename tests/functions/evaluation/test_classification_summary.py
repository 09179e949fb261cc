"""F.classification_summary and precision/recall/f1_score/fbeta_score against numpy counts."""
import numpy
import pytest

import dchain.functions as F
from dchain.utils import type_check


def _reference(y, t, n, beta, ignore_label):
    pred = y.argmax(axis=1).ravel()
    t = t.ravel()
    keep = t != ignore_label
    pred, t = pred[keep], t[keep]
    p, r, f, s = [], [], [], []
    for c in range(n):
        tp = numpy.sum((pred == c) & (t == c))
        n_pred = numpy.sum(pred == c)
        n_true = numpy.sum(t == c)
        pc = tp / n_pred if n_pred else numpy.nan
        rc = tp / n_true if n_true else numpy.nan
        fc = (1 + beta ** 2) * pc * rc / (beta ** 2 * pc + rc) if pc + rc else numpy.nan
        p.append(pc)
        r.append(rc)
        f.append(fc)
        s.append(n_true)
    return numpy.array(p), numpy.array(r), numpy.array(f), numpy.array(s)


def _data(shape, seed=0):
    rng = numpy.random.RandomState(seed)
    y = rng.randn(*shape).astype(numpy.float32)
    t = rng.randint(0, shape[1], shape[:1] + shape[2:]).astype(numpy.int32)
    # Make most predictions right, so scores are informative.
    pred = y.argmax(axis=1)
    keep = rng.rand(*t.shape) < 0.6
    t[keep] = pred[keep]
    return y, t


@pytest.mark.parametrize('shape', [(30, 4), (10, 3, 4)])
@pytest.mark.parametrize('beta', [1.0, 2.0])
@pytest.mark.parametrize('ignore_label', [-1, 3])
def test_summary(shape, beta, ignore_label):
    y, t = _data(shape)
    n = max(int(t.max()) + 1, 4)
    out = F.classification_summary(y, t, label_num=n, beta=beta, ignore_label=ignore_label)
    expected = _reference(y, t, n, beta, ignore_label)
    assert len(out) == 4
    for got, want in zip(out[:3], expected[:3]):
        assert got.shape == (n,) and got.dtype == numpy.float32
        numpy.testing.assert_allclose(got.array, want, rtol=1e-5)
    numpy.testing.assert_array_equal(out[3].array, expected[3])


def test_label_num_defaults_to_max_label_plus_one():
    y, t = _data((20, 3))
    t[t == 2] = 1
    prec, support = F.precision(y, t)
    assert prec.shape == (2,)
    numpy.testing.assert_array_equal(support.array, [(t == 0).sum(), (t == 1).sum()])


def test_shortcuts():
    y, t = _data((30, 3))
    p, r, f, s = F.classification_summary(y, t, 3)
    f2, _ = F.fbeta_score(y, t, 3, beta=2.0)
    for short, full in [(F.precision, p), (F.recall, r), (F.f1_score, f)]:
        value, support = short(y, t, 3)
        numpy.testing.assert_array_equal(value.array, full.array)
        numpy.testing.assert_array_equal(support.array, s.array)
    numpy.testing.assert_allclose(f2.array, _reference(y, t, 3, 2.0, -1)[2], rtol=1e-5)


def test_class_never_predicted_is_nan():
    y = numpy.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], numpy.float32)
    t = numpy.array([0, 2], numpy.int32)
    p, r, f, s = F.classification_summary(y, t, 3)
    assert numpy.isnan(p.array[2]) and r.array[2] == 0 and numpy.isnan(f.array[2])
    numpy.testing.assert_array_equal(s.array, [1, 0, 1])


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.classification_summary(numpy.zeros((3, 2), numpy.float32), numpy.zeros(4, numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.classification_summary(numpy.zeros((3, 2, 2), numpy.float32),
                                 numpy.zeros(3, numpy.int32))
    with pytest.raises(ValueError):
        F.classification_summary(numpy.zeros((3, 2), numpy.float32),
                                 numpy.array([0, 1, 5], numpy.int32), label_num=2)


_Y = numpy.zeros((3, 2), numpy.float32)
_T = numpy.array([0, 1, 1], numpy.int32)


@pytest.mark.parametrize('func', [F.precision, F.recall, F.f1_score])
@pytest.mark.parametrize('y,t,kwargs,error,message', [
    (_Y.astype(numpy.int32), _T, {}, type_check.InvalidType, r"x\.dtype\.kind == 'f'"),
    (_Y, _T.astype(numpy.float32), {}, type_check.InvalidType, r"t\.dtype\.kind == 'i'"),
    (_Y[0], _T, {}, type_check.InvalidType, r'x\.ndim >= 2'),
    (_Y, _T[:2], {}, type_check.InvalidType, r'x\.shape\[0\] == t\.shape\[0\]'),
    # Scores (N, C, 2) against labels (N, 3): the trailing axes must match.
    (numpy.zeros((3, 2, 2), numpy.float32), numpy.zeros((3, 3), numpy.int32), {},
     type_check.InvalidType, r'x\.shape\[2:3\] == t\.shape\[1:\]'),
    (_Y, _T, {'label_num': 0}, ValueError, r'label_num must be positive, got 0'),
    (_Y, numpy.array([0, 1, 2], numpy.int32), {'label_num': 2}, ValueError,
     r'a label is >= label_num \(2\)'),
    # These failed inside numpy's bincount.
    (_Y, _T, {'label_num': 2.0}, TypeError, r'label_num must be None or an int, got 2\.0'),
    (_Y, numpy.array([0, -2, 1], numpy.int32), {}, ValueError,
     r'labels in t must be >= 0 or ignore_label \(-1\), got -2'),
    (_Y, numpy.array([0, -1, 1], numpy.int32), {'ignore_label': 1}, ValueError,
     r'labels in t must be >= 0 or ignore_label \(1\), got -1'),
], ids=['int-scores', 'float-labels', 'scores-1d', 'batch-mismatch', 'trailing-axes',
        'label-num-0', 'label-too-large', 'label-num-float', 'negative-label',
        'negative-label-other-ignore'])
def test_shortcuts_bad_input(func, y, t, kwargs, error, message):
    with pytest.raises(error, match=message):
        func(y, t, **kwargs)


def test_negative_ignore_label_is_still_ignored():
    y = numpy.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], numpy.float32)
    p, support = F.precision(y, numpy.array([0, -1, 1], numpy.int32))
    numpy.testing.assert_array_equal(support.array, [1, 1])
    numpy.testing.assert_array_equal(p.array, [0.5, numpy.nan])
    p, support = F.precision(y, numpy.array([0, -5, 1], numpy.int32), ignore_label=-5)
    numpy.testing.assert_array_equal(support.array, [1, 1])
