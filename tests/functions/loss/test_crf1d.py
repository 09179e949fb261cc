"""F.crf1d and F.argmax_crf1d against brute-force enumeration of label sequences."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

LENGTHS = [3, 3, 2, 1]          # longest first, as crf1d's time-major layout needs
K = 3


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    cost = rng.randn(K, K).astype(dtype)
    seqs = [rng.randn(n, K).astype(dtype) for n in LENGTHS]
    labels = [rng.randint(0, K, n).astype(numpy.int32) for n in LENGTHS]
    xs = [numpy.stack([s[i] for s in seqs if len(s) > i]) for i in range(LENGTHS[0])]
    ys = [numpy.array([lab[i] for lab in labels if len(lab) > i], numpy.int32)
          for i in range(LENGTHS[0])]
    return cost, seqs, labels, xs, ys


def _score(cost, seq, labels):
    s = sum(seq[i, labels[i]] for i in range(len(labels)))
    return s + sum(cost[labels[i - 1], labels[i]] for i in range(1, len(labels)))


def _brute(cost, seq):
    scores = {y: _score(cost, seq, y) for y in itertools.product(range(K), repeat=len(seq))}
    values = numpy.array(list(scores.values()))
    log_z = numpy.log(numpy.exp(values - values.max()).sum()) + values.max()
    best = max(scores, key=scores.get)
    return log_z, best, scores[best]


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward(reduce):
    cost, seqs, labels, xs, ys = _data(numpy.float64)
    expected = numpy.array([_brute(cost, s)[0] - _score(cost, s, y)
                            for s, y in zip(seqs, labels)])
    loss = F.crf1d(cost, xs, ys, reduce=reduce)
    numpy.testing.assert_allclose(loss.array, expected.mean() if reduce == 'mean' else expected,
                                  rtol=1e-12)


def test_argmax():
    cost, seqs, _, xs, _ = _data(numpy.float64)
    score, path = F.argmax_crf1d(cost, xs)
    assert [p.shape for p in path] == [y.shape for y in _data(numpy.float64)[4]]
    for b, seq in enumerate(seqs):
        _, best, best_score = _brute(cost, seq)
        assert tuple(int(path[i][b]) for i in range(len(seq))) == best
        numpy.testing.assert_allclose(score.array[b], best_score, rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, tol, reduce):
    cost, _, _, xs, ys = _data(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(len(LENGTHS)).astype(dtype)

    def f(cost, *xs):
        return F.crf1d(cost, list(xs), ys, reduce=reduce)
    gradient_check.check_backward(f, (cost,) + tuple(xs), gy, dtype=numpy.float64, atol=tol,
                                  rtol=tol)


def test_double_backward():
    cost, _, _, xs, ys = _data(numpy.float64)
    rng = numpy.random.RandomState(5)
    gy = rng.randn(len(LENGTHS))
    ggx = (rng.randn(K, K),) + tuple(rng.randn(*x.shape) for x in xs)
    gradient_check.check_double_backward(
        lambda cost, *xs: F.crf1d(cost, list(xs), ys, reduce='no'), (cost,) + tuple(xs), gy,
        ggx, dtype=numpy.float64, atol=1e-5, rtol=1e-4)


def test_invalid():
    cost, _, _, xs, ys = _data(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.crf1d(cost[:2], xs, ys)
    with pytest.raises(type_check.InvalidType):
        F.crf1d(cost, xs[::-1], ys[::-1])          # batch must not grow over time
    with pytest.raises(type_check.InvalidType):
        F.crf1d(cost, xs, [y.astype(numpy.float32) for y in ys])
    with pytest.raises(type_check.InvalidType):
        F.argmax_crf1d(cost, [x[:, :2] for x in xs])
    with pytest.raises(ValueError):
        F.crf1d(cost, xs, ys[:2])
    with pytest.raises(ValueError):
        F.crf1d(cost, xs, ys, reduce='sum')
