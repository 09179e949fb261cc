"""Initializers: values, statistics, dtype handling, errors."""
import numpy
import pytest

from dchain import initializers


def _fill(init, shape, dtype=numpy.float32):
    return initializers.generate_array(init, shape, numpy, dtype=dtype)


def test_constant_zero_one_nan_identity():
    numpy.testing.assert_array_equal(_fill(initializers.Constant(3.0), (2, 2)), 3)
    numpy.testing.assert_array_equal(_fill(initializers.Zero(), (3,)), 0)
    numpy.testing.assert_array_equal(_fill(initializers.One(), (3,)), 1)
    assert numpy.isnan(_fill(initializers.NaN(), (3,))).all()
    numpy.testing.assert_array_equal(_fill(initializers.Identity(2.0), (3, 3)), 2 * numpy.eye(3))
    with pytest.raises(ValueError, match='square'):
        _fill(initializers.Identity(), (2, 3))
    arr = numpy.arange(3, dtype=numpy.float32)
    numpy.testing.assert_array_equal(_fill(initializers.Constant(arr), (2, 3)),
                                     numpy.broadcast_to(arr, (2, 3)))


@pytest.mark.parametrize('init, std', [
    (initializers.Normal(0.5), lambda fi, fo: 0.5),
    (initializers.LeCunNormal(), lambda fi, fo: numpy.sqrt(1 / fi)),
    (initializers.GlorotNormal(), lambda fi, fo: numpy.sqrt(2 / (fi + fo))),
    (initializers.HeNormal(), lambda fi, fo: numpy.sqrt(2 / fi)),
    (initializers.Uniform(0.5), lambda fi, fo: 0.5 / numpy.sqrt(3)),
    (initializers.LeCunUniform(), lambda fi, fo: numpy.sqrt(1 / fi)),
    (initializers.GlorotUniform(), lambda fi, fo: numpy.sqrt(2 / (fi + fo))),
    (initializers.HeUniform(), lambda fi, fo: numpy.sqrt(2 / fi)),
])
def test_random_initializers_have_the_published_scale(init, std):
    numpy.random.seed(0)
    a = _fill(init, (200, 100, 3), numpy.float64)
    fan_in, fan_out = 100 * 3, 200 * 3
    assert abs(a.mean()) < 0.05 * std(fan_in, fan_out) + 1e-3
    assert a.std() == pytest.approx(std(fan_in, fan_out), rel=0.03)


def test_orthogonal_rows_are_orthonormal():
    a = _fill(initializers.Orthogonal(scale=1.0), (4, 10), numpy.float64)
    numpy.testing.assert_allclose(a @ a.T, numpy.eye(4), atol=1e-10)
    b = _fill(initializers.Orthogonal(scale=1.0), (10, 4), numpy.float64)
    numpy.testing.assert_allclose(b.T @ b, numpy.eye(4), atol=1e-10)


def test_dtype_rules():
    assert _fill(initializers.Normal(), (2,), None).dtype == numpy.float32  # config.dtype
    with pytest.raises(ValueError, match='dtype mismatch'):
        initializers.generate_array(initializers.Normal(dtype=numpy.float16), (2,), numpy,
                                    dtype=numpy.float64)
    with pytest.raises(ValueError, match='at least 2'):
        _fill(initializers.LeCunNormal(), (3,))


def test_get_initializer_accepts_scalars_arrays_callables():
    assert isinstance(initializers._get_initializer(None), initializers.LeCunNormal)
    assert isinstance(initializers._get_initializer(0.5), initializers.Constant)
    assert isinstance(initializers._get_initializer(numpy.ones(2)), initializers.Constant)
    with pytest.raises(TypeError, match='callable'):
        initializers._get_initializer(object())
