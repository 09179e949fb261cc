"""F.connectionist_temporal_classification against brute-force enumeration of alignments."""
import itertools

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _collapse(path, blank):
    out = []
    prev = None
    for p in path:
        if p != prev and p != blank:
            out.append(p)
        prev = p
    return out


def _brute_force_nll(scores, labels, blank):
    """-log of the total probability of every length-T alignment that collapses to labels."""
    scores = scores.astype(numpy.float64)
    e = numpy.exp(scores - scores.max(1, keepdims=True))
    prob = e / e.sum(1, keepdims=True)
    n_time, n_vocab = prob.shape
    total = 0.0
    for path in itertools.product(range(n_vocab), repeat=n_time):
        if _collapse(path, blank) == list(labels):
            total += numpy.prod(prob[numpy.arange(n_time), path])
    return -numpy.log(total)


def _data(dtype, n_time=5, b=3, v=4, n_label=2, seed=0):
    rng = numpy.random.RandomState(seed)
    xs = rng.randn(n_time, b, v).astype(dtype)
    t = rng.randint(1, v, (b, n_label)).astype(numpy.int32)
    t[1, 1] = t[1, 0]           # a repeated label needs a blank between its copies
    return xs, t


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('blank', [0, 3])
def test_forward_full_lengths(reduce, blank):
    xs, t = _data(numpy.float64)
    t[t == blank] = 1 if blank != 1 else 2
    loss = F.connectionist_temporal_classification(list(xs), t, blank, reduce=reduce)
    expected = numpy.array([_brute_force_nll(xs[:, i], t[i], blank) for i in range(len(t))])
    numpy.testing.assert_allclose(loss.array, expected.mean() if reduce == 'mean' else expected,
                                  rtol=1e-10)


def test_forward_variable_lengths_and_array_input():
    xs, t = _data(numpy.float64)
    input_length = numpy.array([5, 3, 4], numpy.int32)
    label_length = numpy.array([2, 1, 0], numpy.int32)
    loss = F.connectionist_temporal_classification(xs, t, 0, input_length, label_length,
                                                   reduce='no')
    expected = [_brute_force_nll(xs[:input_length[i], i], t[i, :label_length[i]], 0)
                for i in range(3)]
    numpy.testing.assert_allclose(loss.array, expected, rtol=1e-10)


def test_impossible_alignment_is_infinite_with_zero_gradient():
    # Three labels with a repeat need at least four frames; two are given.
    xs = numpy.random.randn(2, 1, 3)
    t = numpy.array([[1, 1, 2]], numpy.int32)
    vs = [dchain.Variable(x) for x in xs]
    loss = F.connectionist_temporal_classification(vs, t, 0, reduce='no')
    assert numpy.isinf(loss.array[0])
    loss.grad = numpy.ones(1)
    loss.backward()
    assert all(numpy.all(v.grad == 0) for v in vs)


@pytest.mark.parametrize('dtype,tol', [(numpy.float16, 5e-2), (numpy.float32, 1e-3),
                                       (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, tol, reduce):
    xs, t = _data(dtype)
    input_length = numpy.array([5, 4, 3], numpy.int32)
    label_length = numpy.array([2, 2, 1], numpy.int32)
    gy = None if reduce == 'mean' else numpy.random.rand(3).astype(dtype)

    def f(*xs):
        return F.connectionist_temporal_classification(list(xs), t, 0, input_length,
                                                       label_length, reduce=reduce)
    gradient_check.check_backward(f, tuple(xs), gy, dtype=numpy.float64, atol=tol, rtol=tol,
                                  eps=1e-2 if dtype == numpy.float16 else 1e-3)


def test_frames_past_input_length_get_zero_gradient():
    xs, t = _data(numpy.float64)
    vs = [dchain.Variable(x) for x in xs]
    F.connectionist_temporal_classification(vs, t, 0, numpy.array([5, 2, 3], numpy.int32),
                                            numpy.array([2, 1, 1], numpy.int32)).backward()
    assert numpy.all(vs[4].grad[1:] == 0) and numpy.all(vs[2].grad[1] == 0)
    assert numpy.any(vs[4].grad[0] != 0)


def test_invalid():
    xs, t = _data(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.connectionist_temporal_classification(list(xs), t[:2], 0)
    with pytest.raises(type_check.InvalidType):
        F.connectionist_temporal_classification(list(xs), t.astype(numpy.float32), 0)
    with pytest.raises(type_check.InvalidType):
        F.connectionist_temporal_classification([xs[0], xs[1][:, :3]], t, 0)
    with pytest.raises(ValueError):
        F.connectionist_temporal_classification(list(xs), t, 7)
    with pytest.raises(ValueError):
        F.connectionist_temporal_classification(list(xs), t, 0, reduce='sum')
    with pytest.raises(ValueError):
        F.connectionist_temporal_classification(list(xs), t, 0,
                                                input_length=numpy.full(3, 9, numpy.int32))
