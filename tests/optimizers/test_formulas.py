"""Each optimizer's update against its published formula, recomputed here with plain numpy."""
import math

import numpy
import pytest

import dchain
from dchain import _native
from dchain import optimizers


def _sgd(p, gs, lr=0.1):
    for g in gs:
        p = p - lr * g
    return p


def _momentum_sgd(p, gs, lr=0.1, momentum=0.8):
    v = numpy.zeros_like(p)
    for g in gs:
        v = momentum * v - lr * g
        p = p + v
    return p


def _adam(p, gs, alpha=0.01, beta1=0.8, beta2=0.9, eps=1e-6, eta=1.0, weight_decay_rate=0.0,
          amsgrad=False, adabound=False, final_lr=0.1, gamma=1e-3):
    m = numpy.zeros_like(p)
    v = numpy.zeros_like(p)
    vmax = numpy.zeros_like(p)
    for t, g in enumerate(gs, 1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        vmax = numpy.maximum(vmax, v)
        vh = vmax if amsgrad else v
        # Bias-corrected form from the paper: alpha * mhat / (sqrt(vhat) + eps') with the
        # efficient reformulation alpha_t = alpha sqrt(1 - b2^t) / (1 - b1^t).
        alpha_t = alpha * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        step = alpha_t / (numpy.sqrt(vh) + eps)
        if adabound:
            lower = final_lr * (1 - 1 / (gamma * t + 1))
            upper = final_lr * (1 + 1 / (gamma * t))
            step = numpy.minimum(numpy.maximum(step, lower), upper)
        p = p - eta * (step * m + weight_decay_rate * p)
    return p


def _nesterov(p, gs, lr=0.1, momentum=0.8):
    # Sutskever et al. (2013): evaluate the gradient at the look-ahead point; with
    # phi = p + momentum * v tracked instead of p, the update reads as below. Here the
    # gradient is given, so we track phi directly.
    v = numpy.zeros_like(p)
    for g in gs:
        v_new = momentum * v - lr * g
        p = p - momentum * v + (1 + momentum) * v_new
        v = v_new
    return p


def _corrected_momentum(p, gs, lr=0.1, momentum=0.8):
    v = numpy.zeros_like(p)
    for g in gs:
        v = momentum * v - g
        p = p + lr * v
    return p


def _adagrad(p, gs, lr=0.1, eps=1e-6):
    h = numpy.zeros_like(p)
    for g in gs:
        h = h + g ** 2
        p = p - lr * g / (numpy.sqrt(h) + eps)
    return p


def _adadelta(p, gs, rho=0.8, eps=1e-3):
    eg2 = numpy.zeros_like(p)
    edx2 = numpy.zeros_like(p)
    for g in gs:
        eg2 = rho * eg2 + (1 - rho) * g ** 2
        dx = -numpy.sqrt(edx2 + eps) / numpy.sqrt(eg2 + eps) * g
        edx2 = rho * edx2 + (1 - rho) * dx ** 2
        p = p + dx
    return p


def _rmsprop(p, gs, lr=0.1, alpha=0.8, eps=1e-6, inside=False):
    ms = numpy.zeros_like(p)
    for g in gs:
        ms = alpha * ms + (1 - alpha) * g ** 2
        denom = numpy.sqrt(ms + eps) if inside else numpy.sqrt(ms) + eps
        p = p - lr * g / denom
    return p


def _rmsprop_graves(p, gs, lr=0.1, alpha=0.8, momentum=0.7, eps=1e-3):
    n = numpy.zeros_like(p)
    gbar = numpy.zeros_like(p)
    delta = numpy.zeros_like(p)
    for g in gs:
        n = alpha * n + (1 - alpha) * g ** 2
        gbar = alpha * gbar + (1 - alpha) * g
        delta = momentum * delta - lr * g / numpy.sqrt(n - gbar ** 2 + eps)
        p = p + delta
    return p


def _smorms3(p, gs, lr=0.05, eps=1e-8):
    mem = numpy.ones_like(p)
    g1 = numpy.zeros_like(p)
    g2 = numpy.zeros_like(p)
    for g in gs:
        r = 1 / (mem + 1)
        g1 = (1 - r) * g1 + r * g
        g2 = (1 - r) * g2 + r * g * g
        x = g1 * g1 / (g2 + eps)
        p = p - g * numpy.minimum(x, lr) / (numpy.sqrt(g2) + eps)
        mem = 1 + mem * (1 - x)
    return p


def _msvag(p, gs, lr=0.1, beta=0.8, eta=1.0, weight_decay_rate=0.0):
    m = numpy.zeros_like(p)
    v = numpy.zeros_like(p)
    for t, g in enumerate(gs, 1):
        m = beta * m + (1 - beta) * g
        v = beta * v + (1 - beta) * g * g
        mh = m / (1 - beta ** t)
        vh = v / (1 - beta ** t)
        # rho(beta, t) of Balles & Hennig, in its simplified form, capped as in their code.
        rho = min((1 - beta) * (1 + beta ** t) / ((1 + beta) * (1 - beta ** t)), 0.999)
        s = (vh - mh ** 2) / (1 - rho)
        gamma = numpy.clip(mh ** 2 / (mh ** 2 + rho * s), 0, 1)
        p = p - eta * (lr * gamma * mh + weight_decay_rate * p)
    return p


ADAM_ARGS = dict(alpha=0.01, beta1=0.8, beta2=0.9, eps=1e-6)
CASES = [
    ('SGD', lambda: optimizers.SGD(lr=0.1), _sgd),
    ('MomentumSGD', lambda: optimizers.MomentumSGD(lr=0.1, momentum=0.8), _momentum_sgd),
    ('NesterovAG', lambda: optimizers.NesterovAG(lr=0.1, momentum=0.8), _nesterov),
    ('CorrectedMomentumSGD', lambda: optimizers.CorrectedMomentumSGD(lr=0.1, momentum=0.8),
     _corrected_momentum),
    ('AdaGrad', lambda: optimizers.AdaGrad(lr=0.1, eps=1e-6), _adagrad),
    ('AdaDelta', lambda: optimizers.AdaDelta(rho=0.8, eps=1e-3), _adadelta),
    ('RMSprop', lambda: optimizers.RMSprop(lr=0.1, alpha=0.8, eps=1e-6), _rmsprop),
    ('RMSprop-inside', lambda: optimizers.RMSprop(lr=0.1, alpha=0.8, eps=1e-6,
                                                  eps_inside_sqrt=True),
     lambda p, gs: _rmsprop(p, gs, inside=True)),
    ('RMSpropGraves', lambda: optimizers.RMSpropGraves(lr=0.1, alpha=0.8, momentum=0.7,
                                                        eps=1e-3), _rmsprop_graves),
    ('SMORMS3', lambda: optimizers.SMORMS3(lr=0.05, eps=1e-8), _smorms3),
    ('MSVAG', lambda: optimizers.MSVAG(lr=0.1, beta=0.8), _msvag),
    ('MSVAG-eta-wd', lambda: optimizers.MSVAG(lr=0.1, beta=0.8, eta=0.5, weight_decay_rate=0.1),
     lambda p, gs: _msvag(p, gs, eta=0.5, weight_decay_rate=0.1)),
    ('Adam', lambda: optimizers.Adam(**ADAM_ARGS), _adam),
    ('Adam-eta-wd', lambda: optimizers.Adam(eta=0.5, weight_decay_rate=0.1, **ADAM_ARGS),
     lambda p, gs: _adam(p, gs, eta=0.5, weight_decay_rate=0.1)),
    ('AdamW', lambda: optimizers.AdamW(eta=0.5, weight_decay_rate=0.1, **ADAM_ARGS),
     lambda p, gs: _adam(p, gs, eta=0.5, weight_decay_rate=0.1)),
    ('AMSGrad', lambda: optimizers.AMSGrad(**ADAM_ARGS),
     lambda p, gs: _adam(p, gs, amsgrad=True)),
    ('AdaBound', lambda: optimizers.AdaBound(final_lr=0.05, gamma=0.1, **ADAM_ARGS),
     lambda p, gs: _adam(p, gs, adabound=True, final_lr=0.05, gamma=0.1)),
    ('AMSBound', lambda: optimizers.AMSBound(final_lr=0.05, gamma=0.1, **ADAM_ARGS),
     lambda p, gs: _adam(p, gs, adabound=True, amsgrad=True, final_lr=0.05, gamma=0.1)),
]


def _gradients(n_steps, shape, seed=0):
    rng = numpy.random.RandomState(seed)
    # Gradients of varying sign and size, so that max/clip branches are exercised.
    return [rng.uniform(-1, 1, shape) * (1 + 2 * (k % 2)) for k in range(n_steps)]


class _OneParam(dchain.Link):
    def __init__(self, value):
        super().__init__()
        with self.init_scope():
            self.w = dchain.Parameter(value.copy())


@pytest.mark.parametrize('name,make,reference', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('native', [True, False], ids=['native', 'numpy'])
def test_matches_formula(name, make, reference, dtype, native, monkeypatch):
    # Both paths: the compiled kernels (where built) and the numpy code they replace.
    monkeypatch.setattr(_native, 'available', native and _native.available)
    p0 = numpy.random.RandomState(1).uniform(-1, 1, (3, 4))
    grads = _gradients(4, p0.shape)
    link = _OneParam(p0.astype(dtype))
    opt = make().setup(link)
    for g in grads:
        link.w.grad = g.astype(dtype)
        opt.update()
    expected = reference(p0, [g.astype(dtype).astype(numpy.float64) for g in grads])
    tol = 1e-5 if dtype == numpy.float32 else 1e-12
    numpy.testing.assert_allclose(link.w.array, expected, rtol=tol, atol=tol)
    assert link.w.array.dtype == dtype
    assert opt.t == len(grads)
    assert link.w.update_rule.t == len(grads)


@pytest.mark.parametrize('name,make,reference', CASES, ids=[c[0] for c in CASES])
def test_update_keeps_gradient_and_state_buffers(name, make, reference):
    link = _OneParam(numpy.ones((2, 3), numpy.float32))
    opt = make().setup(link)
    g = numpy.full((2, 3), 0.5, numpy.float32)
    link.w.grad = g.copy()
    param_buffer = link.w.array
    opt.update()
    state_buffers = {k: v for k, v in link.w.update_rule.state.items()}
    link.w.grad = g.copy()
    opt.update()
    numpy.testing.assert_array_equal(link.w.grad, g)  # the rule must not scale the gradient
    assert link.w.array is param_buffer  # updated in place
    for key, value in link.w.update_rule.state.items():
        assert value is state_buffers[key]


def test_adam_alpha_t_and_lr():
    opt = optimizers.Adam(alpha=0.1, beta1=0.5, beta2=0.75)
    opt.setup(_OneParam(numpy.zeros(2, numpy.float32)))
    with pytest.raises(RuntimeError, match='first update'):
        opt.alpha_t
    opt.t = 2
    expected = 0.1 * math.sqrt(1 - 0.75 ** 2) / (1 - 0.5 ** 2)
    assert opt.alpha_t == pytest.approx(expected)
    assert opt.lr == pytest.approx(expected)


def test_adam_eps_underflow_is_reported():
    link = _OneParam(numpy.zeros(2, numpy.float16))
    opt = optimizers.Adam(eps=1e-10).setup(link)
    link.w.grad = numpy.ones(2, numpy.float16)
    with pytest.raises(ValueError, match='eps'):
        opt.update()


def test_adabound_bounds_follow_alpha_schedule():
    # Halving alpha after the first step halves the bounds (they scale by alpha/initial_alpha).
    p0 = numpy.zeros(3)
    link = _OneParam(p0)
    opt = optimizers.AdaBound(alpha=1.0, final_lr=0.01, gamma=1.0).setup(link)
    link.w.grad = numpy.array([1.0, -1.0, 1e-3])
    opt.update()
    opt.alpha = 0.5
    before = link.w.array.copy()
    link.w.grad = numpy.array([1.0, -1.0, 1e-3])
    opt.update()
    rule = link.w.update_rule
    lower, upper = rule._bounds()
    assert lower == pytest.approx(0.005 * (1 - 1 / 3))
    assert upper == pytest.approx(0.005 * (1 + 1 / 2))
    m = rule.state['m']
    step = (before - link.w.array) / m
    assert numpy.all(step <= upper * (1 + 1e-9)) and numpy.all(step >= lower * (1 - 1e-9))


# Scratch arrays of the parameter's size an update may allocate (see dchain.optimizers).
_SCRATCH = {'AdaDelta': 2, 'SMORMS3': 2, 'MSVAG': 2, 'MSVAG-eta-wd': 2}


@pytest.mark.parametrize('name,make,reference', CASES, ids=[c[0] for c in CASES])
def test_update_allocates_at_most_its_scratch_arrays(name, make, reference):
    import tracemalloc
    size = 100000
    link = _OneParam(numpy.ones(size, numpy.float32))
    opt = make().setup(link)
    link.w.grad = numpy.linspace(-1, 1, size, dtype=numpy.float32)
    opt.update()  # creates the state
    tracemalloc.start()
    try:
        opt.update()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= (_SCRATCH.get(name, 1) + 0.05) * link.w.array.nbytes


def test_msvag_zero_gradient_entries_stay_finite():
    link = _OneParam(numpy.ones(3))
    opt = optimizers.MSVAG().setup(link)
    for _ in range(2):
        link.w.grad = numpy.array([0.0, 1.0, -1.0])
        opt.update()
    assert numpy.all(numpy.isfinite(link.w.array))
    assert link.w.array[0] == 1.0


_FUSED = [c for c in CASES
          if c[0] in ('SGD', 'MomentumSGD') or c[0].startswith(('Adam', 'AMS'))]


@pytest.mark.parametrize('name,make,reference', _FUSED, ids=[c[0] for c in _FUSED])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_native_update_equals_numpy_update(name, make, reference, dtype, monkeypatch):
    if not _native.available:
        pytest.skip('compiled kernels not built')
    p0 = numpy.random.RandomState(2).uniform(-1, 1, (7, 13))  # odd size: vector tails
    grads = _gradients(5, p0.shape, seed=3)
    results = []
    for native in (True, False):
        monkeypatch.setattr(_native, 'available', native)
        link = _OneParam(p0.astype(dtype))
        opt = make().setup(link)
        for g in grads:
            link.w.grad = g.astype(dtype)
            opt.update()
        results.append((link.w.array, dict(link.w.update_rule.state)))
    (p_native, s_native), (p_numpy, s_numpy) = results
    # Same operations in the same order and precision: equal, not merely close.
    numpy.testing.assert_array_equal(p_native, p_numpy)
    assert sorted(s_native) == sorted(s_numpy)
    for key in s_native:
        numpy.testing.assert_array_equal(s_native[key], s_numpy[key])


def test_momentum_sgd_native_keeps_shared_state_buffer():
    # States may be views into shared-memory windows: the kernel must update them in place.
    window = numpy.zeros(20, numpy.float32)
    link = _OneParam(numpy.ones((3, 4), numpy.float32))
    opt = optimizers.MomentumSGD(lr=0.1, momentum=0.5).setup(link)
    link.w.grad = numpy.ones((3, 4), numpy.float32)
    opt.update()
    view = window[4:16].reshape(3, 4)
    view[...] = link.w.update_rule.state['v']
    link.w.update_rule.state['v'] = view
    opt.update()
    assert link.w.update_rule.state['v'] is view
    numpy.testing.assert_allclose(window[4:16], numpy.full(12, -0.15), rtol=1e-6)
    numpy.testing.assert_allclose(link.w.array, numpy.full((3, 4), 0.75), rtol=1e-6)
