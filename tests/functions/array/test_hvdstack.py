import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _reference(xs, kind):
    # Promote to the dimensionality numpy's *stack uses, then join slab by slab.
    promoted = []
    for x in xs:
        if kind == 'h':
            x = x.reshape(1) if x.ndim == 0 else x
            axis = 0 if x.ndim == 1 else 1
        elif kind == 'v':
            x = x.reshape(1, -1) if x.ndim <= 1 else x
            axis = 0
        else:
            x = {0: lambda a: a.reshape(1, 1, 1), 1: lambda a: a.reshape(1, -1, 1),
                 2: lambda a: a[:, :, None]}.get(x.ndim, lambda a: a)(x)
            axis = 2
        promoted.append(x)
    shape = list(promoted[0].shape)
    shape[axis] = sum(p.shape[axis] for p in promoted)
    out = numpy.empty(shape, promoted[0].dtype)
    start = 0
    for p in promoted:
        index = [slice(None)] * len(shape)
        index[axis] = slice(start, start + p.shape[axis])
        out[tuple(index)] = p
        start += p.shape[axis]
    return out


CASES = {
    'h': [[(3,), (2,)], [(2, 3), (2, 1)], [(2, 1, 2), (2, 3, 2)]],
    'v': [[(3,), (3,)], [(2, 3), (1, 3)], [(1, 2, 2), (3, 2, 2)]],
    'd': [[(3,), (3,)], [(2, 3), (2, 3)], [(2, 2, 1), (2, 2, 3)], [(1, 2, 2, 2), (1, 2, 1, 2)]],
}
FUNCS = {'h': F.hstack, 'v': F.vstack, 'd': F.dstack}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('kind,shapes', [(k, s) for k, cases in CASES.items() for s in cases])
def test_stacks(kind, shapes, dtype):
    func = FUNCS[kind]
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    y = func(xs)
    numpy.testing.assert_array_equal(y.array, _reference(xs, kind))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(lambda *v: func(v), xs, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    gradient_check.check_double_backward(lambda *v: func(v), xs, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('kind,shapes', [
    ('h', [(2, 3), (3, 3)]), ('h', [(2,), (2, 1)]),
    ('v', [(3,), (2,)]), ('v', [(2, 3), (2, 2)]),
    ('d', [(2, 3), (2, 2)]), ('d', [(2, 2, 1), (3, 2, 1)]),
])
def test_stacks_invalid(kind, shapes):
    with pytest.raises(type_check.InvalidType):
        FUNCS[kind]([numpy.ones(s, 'f') for s in shapes])
    with pytest.raises(type_check.InvalidType):
        FUNCS[kind]([numpy.ones((2, 2), 'f'), numpy.ones((2, 2), 'd')])
