"""Optimizer hooks: each changes the gradients as its formula says before the update."""
import numpy
import pytest

import dchain
from dchain import optimizer_hooks
from dchain import optimizers


class _TwoParams(dchain.Link):
    def __init__(self, a, b):
        super().__init__()
        with self.init_scope():
            self.a = dchain.Parameter(a.copy())
            self.b = dchain.Parameter(b.copy())


def _setup(hook, dtype=numpy.float64, seed=0):
    rng = numpy.random.RandomState(seed)
    p = {'a': rng.uniform(-1, 1, (3, 4)).astype(dtype), 'b': rng.uniform(-1, 1, 5).astype(dtype)}
    g = {'a': rng.uniform(-2, 2, (3, 4)).astype(dtype), 'b': rng.uniform(-2, 2, 5).astype(dtype)}
    link = _TwoParams(p['a'], p['b'])
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(hook)
    link.a.grad = g['a'].copy()
    link.b.grad = g['b'].copy()
    return link, opt, p, g


def _check(link, p, expected_grads, rtol=1e-12):
    for name in ('a', 'b'):
        param = getattr(link, name)
        numpy.testing.assert_allclose(param.grad, expected_grads[name], rtol=rtol, atol=rtol)
        numpy.testing.assert_allclose(param.array, p[name] - 0.5 * expected_grads[name],
                                      rtol=rtol, atol=rtol)


def test_weight_decay():
    link, opt, p, g = _setup(optimizer_hooks.WeightDecay(0.1))
    opt.update()
    _check(link, p, {k: g[k] + 0.1 * p[k] for k in g})


def test_lasso():
    link, opt, p, g = _setup(optimizer_hooks.Lasso(0.1))
    opt.update()
    _check(link, p, {k: g[k] + 0.1 * numpy.sign(p[k]) for k in g})


def test_gradient_hard_clipping():
    link, opt, p, g = _setup(optimizer_hooks.GradientHardClipping(-0.5, 1.0))
    opt.update()
    _check(link, p, {k: numpy.minimum(numpy.maximum(g[k], -0.5), 1.0) for k in g})
    with pytest.raises(ValueError, match='lower_bound'):
        optimizer_hooks.GradientHardClipping(1, -1)


@pytest.mark.parametrize('threshold', [0.5, 1e3])
def test_gradient_clipping(threshold):
    link, opt, p, g = _setup(optimizer_hooks.GradientClipping(threshold))
    opt.update()
    norm = numpy.sqrt(sum((v ** 2).sum() for v in g.values()))
    scale = min(1.0, threshold / norm)
    _check(link, p, {k: g[k] * scale for k in g})
    if threshold < norm:
        clipped = numpy.sqrt(link.a.grad.ravel() @ link.a.grad.ravel() +
                             link.b.grad @ link.b.grad)
        assert clipped == pytest.approx(threshold)
    with pytest.raises(ValueError):
        optimizer_hooks.GradientClipping(0)


def test_gradient_noise_default_schedule():
    link, opt, p, g = _setup(optimizer_hooks.GradientNoise(0.3))
    numpy.random.seed(5)
    opt.update()
    numpy.random.seed(5)
    std0 = numpy.sqrt(0.3 / 1 ** 0.55)  # the rules have done t = 0 steps when the hook runs
    expected = {'a': g['a'] + numpy.random.normal(0, std0, (3, 4)),
                'b': g['b'] + numpy.random.normal(0, std0, 5)}
    _check(link, p, expected)
    assert link.a.update_rule.t == 1
    # Later steps use a smaller variance: eta / (1 + t) ** 0.55.
    link.a.grad = numpy.zeros((3, 4))
    link.b.grad = numpy.zeros(5)
    numpy.random.seed(6)
    opt.update()
    numpy.random.seed(6)
    noise = numpy.random.normal(0, numpy.sqrt(0.3 / 2 ** 0.55), (3, 4))
    numpy.testing.assert_allclose(link.a.grad, noise)


def test_gradient_noise_custom_function():
    calls = []

    def constant(xp, shape, dtype, hook, rule):
        calls.append((shape, dtype, hook.eta))
        return xp.full(shape, 0.25, dtype)

    link, opt, p, g = _setup(optimizer_hooks.GradientNoise(0.01, noise_func=constant),
                             dtype=numpy.float32)
    opt.update()
    _check(link, p, {k: g[k] + 0.25 for k in g}, rtol=1e-6)
    assert calls[0] == ((3, 4), numpy.float32, 0.01)


@pytest.mark.parametrize('threshold', [1e-2, 10.0])
def test_gradient_lars(threshold):
    wd, eps = 0.01, 1e-9
    link, opt, p, g = _setup(optimizer_hooks.GradientLARS(threshold, wd, eps))
    opt.update()
    expected = {}
    for k in g:
        p_norm, g_norm = numpy.linalg.norm(p[k]), numpy.linalg.norm(g[k])
        local = p_norm / (eps + g_norm + wd * p_norm)
        rate = local if local > threshold else 1.0
        expected[k] = rate * (g[k] + wd * p[k])
    _check(link, p, expected)


def test_hooks_have_chainer_attributes():
    for hook in [optimizer_hooks.WeightDecay(1), optimizer_hooks.Lasso(1),
                 optimizer_hooks.GradientClipping(1), optimizer_hooks.GradientHardClipping(0, 1),
                 optimizer_hooks.GradientNoise(1), optimizer_hooks.GradientLARS()]:
        assert hook.name == type(hook).__name__
        assert hook.timing == 'pre'


def test_weight_decay_keeps_dtype_and_lowers_norm_in_training():
    link, opt, p, g = _setup(optimizer_hooks.WeightDecay(0.5), dtype=numpy.float32)
    for _ in range(10):
        link.a.grad = numpy.zeros((3, 4), numpy.float32)
        link.b.grad = numpy.zeros(5, numpy.float32)
        opt.update()
    assert link.a.array.dtype == numpy.float32
    numpy.testing.assert_allclose(link.a.array, p['a'] * 0.75 ** 10, rtol=1e-5)
