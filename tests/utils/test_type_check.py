"""type_check expressions: what they evaluate to and how failures read."""
import numpy
import pytest

from dchain.utils import type_check


def _types(*arrays, names=None):
    types = type_check.get_types(arrays, 'in_types')
    if names:
        type_check.argname(types, names)
    return types


def test_expressions_print_as_written_and_evaluate():
    x, w = _types(numpy.ones((2, 3), numpy.float32), numpy.ones((4, 3), numpy.float32),
                  names=('x', 'W'))
    expr = x.shape[1] == w.shape[1]
    assert str(expr) == 'x.shape[1] == W.shape[1]'
    type_check.expect(expr)
    assert str(x.shape[0] * 2 + 1 > w.ndim) == 'x.shape[0] * 2 + 1 > W.ndim'
    assert str((x.ndim + 1) * 2) == '(x.ndim + 1) * 2'
    assert type_check.eval(x.shape[0] * 2 + 1) == 5
    assert str(x.dtype.kind == 'f') == "x.dtype.kind == 'f'"


def test_failure_message():
    x, = _types(numpy.ones((2, 3), numpy.float32), names=('x',))
    with pytest.raises(type_check.InvalidType) as e:
        type_check.expect(x.ndim == 3)
    assert e.value.expect == 'x.ndim == 3'
    assert e.value.actual == '2 != 3'


def test_size_and_unnamed_types():
    types = _types(numpy.ones(2), numpy.ones(2))
    assert str(types.size() == 3) == 'in_types.size == 3'
    with pytest.raises(type_check.InvalidType, match='Actual: 2 != 3'):
        type_check.expect(types.size() == 3)
    assert str(types[1].dtype == numpy.float32) == 'in_types[1].dtype == numpy.float32'


def test_expression_cannot_be_used_as_bool():
    x, = _types(numpy.ones(2))
    with pytest.raises(RuntimeError, match='expect'):
        if x.ndim == 1:
            pass


def test_broadcast_check():
    a, b = _types(numpy.ones((2, 3)), numpy.ones((4, 3)))
    with pytest.raises(type_check.InvalidType, match='not broadcastable'):
        type_check.expect_broadcast_shapes(a.shape, b.shape)
    c, d = _types(numpy.ones((2, 3)), numpy.ones((1, 3)))
    type_check.expect_broadcast_shapes(c.shape, d.shape)


def test_run_check_light_mode_passes_and_explains_failures():
    calls = []

    def check(in_types):
        calls.append(type(in_types).__name__)
        type_check.expect(in_types[0].ndim == 2)

    type_check.run_check(check, (numpy.ones((2, 2)),), 'F')
    assert len(calls) == 1  # the light run sufficed
    with pytest.raises(type_check.InvalidType) as e:
        type_check.run_check(check, (numpy.ones(2),), 'F')
    assert len(calls) == 3  # light run, then the explaining run
    assert 'Invalid operation is performed in: F (Forward)' in str(e.value)


def test_invalid_type_pickles():
    import pickle
    e = type_check.InvalidType('a == b', '1 != 2')
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.expect == 'a == b' and 'Actual: 1 != 2' in str(e2)
