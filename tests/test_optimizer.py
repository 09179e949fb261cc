"""Optimizer, GradientMethod, UpdateRule and Hyperparameter behaviour shared by all optimizers."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import optimizer
from dchain import optimizers


class _Model(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4, initialW=numpy.full((4, 3), 0.1, numpy.float32))
            self.l2 = L.Linear(4, 1, initialW=numpy.full((1, 4), 0.2, numpy.float32))

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _loss(model, x):
    return F.sum(model(x))


def _x():
    return numpy.arange(6, dtype=numpy.float32).reshape(2, 3) / 6


def test_hyperparameter_falls_back_to_parent():
    parent = optimizer.Hyperparameter()
    parent.lr = 0.1
    parent.momentum = 0.9
    child = optimizer.Hyperparameter(parent)
    child.lr = 0.5
    assert child.lr == 0.5 and child.momentum == 0.9
    assert child.get_dict() == {'lr': 0.5, 'momentum': 0.9}
    assert child.parent is parent
    parent.momentum = 0.5
    assert child.momentum == 0.5
    with pytest.raises(AttributeError):
        child.beta


def test_hyperparameters_are_optimizer_attributes():
    opt = optimizers.MomentumSGD(lr=0.1, momentum=0.5)
    assert opt.lr == 0.1 and opt.momentum == 0.5
    opt.lr = 0.01
    assert opt.hyperparam.lr == 0.01
    model = _Model()
    opt.setup(model)
    rule = model.l1.W.update_rule
    assert rule.hyperparam.lr == 0.01
    opt.lr = 0.02  # a schedule on the optimizer reaches every rule
    assert rule.hyperparam.lr == 0.02
    rule.hyperparam.lr = 0.0  # a per-parameter override wins
    assert model.l1.b.update_rule.hyperparam.lr == 0.02
    before = model.l1.W.array.copy()
    opt.update(_loss, model, _x())
    numpy.testing.assert_array_equal(model.l1.W.array, before)
    assert not numpy.array_equal(model.l2.W.array, numpy.full((1, 4), 0.2, numpy.float32))


@pytest.mark.parametrize('method', ['update', 'serialize'])
def test_use_before_setup_is_reported(method):
    opt = optimizers.SGD()
    with pytest.raises(RuntimeError, match='setup'):
        if method == 'update':
            opt.update()
        else:
            opt.serialize(dchain.serializers.DictionarySerializer())


def test_setup_rejects_non_link():
    with pytest.raises(TypeError, match='Link'):
        optimizers.SGD().setup(object())


def test_setup_gives_each_param_its_own_rule():
    model = _Model()
    opt = optimizers.SGD().setup(model)
    rules = [p.update_rule for p in model.params()]
    assert len(set(map(id, rules))) == 4
    assert all(isinstance(r, optimizer.UpdateRule) for r in rules)
    assert all(r.hyperparam.parent is opt.hyperparam for r in rules)


def test_update_with_lossfun_clears_old_gradients():
    model = _Model()
    ref = _Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    for p in model.params():
        p.grad = numpy.full_like(p.array, 100.0)  # stale gradients must not leak in
    opt.update(_loss, model, _x())
    _loss(ref, _x()).backward()
    for (_, p), (_, q) in zip(model.namedparams(), ref.namedparams()):
        numpy.testing.assert_allclose(p.array, q.array - 0.1 * q.grad, rtol=1e-6)


def test_use_cleargrads_false_zero_fills():
    model = _Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    opt.use_cleargrads(False)
    opt.update(_loss, model, _x())
    assert all(p.grad is not None for p in model.params())


def test_state_is_lazy_and_update_skips_without_gradient():
    model = _Model()
    opt = optimizers.MomentumSGD().setup(model)
    rule = model.l1.W.update_rule
    assert rule.state is None
    before = model.l1.W.array.copy()
    model.l1.W.update()  # no gradient: nothing happens
    numpy.testing.assert_array_equal(model.l1.W.array, before)
    assert rule.state is None and rule.t == 0
    opt.update(_loss, model, _x())
    assert rule.state['v'].shape == (4, 3) and rule.state['v'].dtype == numpy.float32
    assert rule.t == 1


def test_params_without_gradient_get_zero_gradient():
    model = _Model()
    opt = optimizers.SGD().setup(model)
    model.l1.W.grad = numpy.ones((4, 3), numpy.float32)
    opt.update()
    for p in model.params():
        assert p.grad is not None
    numpy.testing.assert_array_equal(model.l1.b.grad, 0)


def test_disabled_rule_is_skipped():
    model = _Model()
    opt = optimizers.SGD(lr=0.5).setup(model)
    model.l1.disable_update()
    before = model.l1.W.array.copy()
    opt.update(_loss, model, _x())
    numpy.testing.assert_array_equal(model.l1.W.array, before)
    assert model.l1.W.update_rule.t == 0
    model.l1.enable_update()
    opt.update(_loss, model, _x())
    assert not numpy.array_equal(model.l1.W.array, before)


def test_hooks_order_timing_and_removal():
    model = _Model()
    opt = optimizers.SGD().setup(model)
    calls = []

    def pre(o):
        calls.append(('pre', o.t))

    class Post:
        name = 'post_hook'
        timing = 'post'

        def __call__(self, o):
            calls.append(('post', o.t))

    class EachParam:
        name = 'each'
        call_for_each_param = True

        def __call__(self, rule, param):
            calls.append(('each', param.shape))

    opt.add_hook(pre)
    opt.add_hook(Post())
    opt.add_hook(EachParam())
    with pytest.raises(KeyError, match='already exists'):
        opt.add_hook(pre)
    with pytest.raises(ValueError, match='timing'):
        opt.add_hook(lambda o: None, name='x', timing='later')
    with pytest.raises(TypeError):
        opt.add_hook(3, name='three')
    opt.update(_loss, model, _x())
    assert calls[0] == ('pre', 0)
    assert [c[0] for c in calls[1:5]] == ['each'] * 4
    assert calls[5] == ('post', 1)
    opt.remove_hook('pre')
    opt.remove_hook('each')
    calls.clear()
    opt.update(_loss, model, _x())
    assert calls == [('post', 2)]
    with pytest.raises(KeyError):
        opt.remove_hook('pre')


def test_update_rule_hook():
    model = _Model()
    opt = optimizers.SGD(lr=1.0).setup(model)
    rule = model.l2.b.update_rule

    def zero_grad(rule, param):
        param.grad[...] = 0

    rule.add_hook(zero_grad)
    before = model.l2.b.array.copy()
    opt.update(_loss, model, _x())
    numpy.testing.assert_array_equal(model.l2.b.array, before)
    rule.remove_hook('zero_grad')
    opt.update(_loss, model, _x())
    assert not numpy.array_equal(model.l2.b.array, before)


def test_new_epoch():
    opt = optimizers.SGD().setup(_Model())
    opt.new_epoch()
    assert opt.epoch == 1
    with pytest.raises(RuntimeError):
        opt.new_epoch(auto=True)
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 2
    with pytest.raises(RuntimeError):
        opt.new_epoch()


def test_loss_scale_gives_unscaled_update():
    model, ref = _Model(), _Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    opt.set_loss_scale(128.0)
    opt.update(_loss, model, _x())
    optimizers.SGD(lr=0.1).setup(ref).update(_loss, ref, _x())
    for p, q in zip(model.params(), ref.params()):
        numpy.testing.assert_allclose(p.array, q.array, rtol=1e-6)


def test_lazily_initialized_parameter():
    model = L.Linear(None, 2)
    opt = optimizers.Adam().setup(model)
    assert model.W.array is None and model.W.update_rule is not None
    opt.update(lambda: F.sum(model(numpy.ones((1, 3), numpy.float32))))
    assert model.W.update_rule.state['m'].shape == (2, 3)


class _Scalar(dchain.Link):
    def __init__(self, value, dtype):
        super().__init__()
        with self.init_scope():
            self.w = dchain.Parameter(numpy.full(3, value, dtype))


def test_fp32_update_keeps_small_steps_of_float16_params(tmp_path):
    plain, mixed = _Scalar(1.0, numpy.float16), _Scalar(1.0, numpy.float16)
    opt_plain = optimizers.SGD(lr=1e-4).setup(plain)
    opt_mixed = optimizers.SGD(lr=1e-4)
    opt_mixed.use_fp32_update()
    opt_mixed.setup(mixed)
    for _ in range(20):
        for link, opt in ((plain, opt_plain), (mixed, opt_mixed)):
            link.w.grad = numpy.ones(3, numpy.float16)
            opt.update()
    numpy.testing.assert_array_equal(plain.w.array, 1.0)  # each step rounds away in float16
    master = mixed.w.update_rule._fp32_param.array
    numpy.testing.assert_allclose(master, 1 - 20 * 1e-4, rtol=1e-6)
    assert mixed.w.array.dtype == numpy.float16
    numpy.testing.assert_array_equal(mixed.w.array, master.astype(numpy.float16))

    path = str(tmp_path / 'opt.npz')
    dchain.serializers.save_npz(path, opt_mixed)
    restored = _Scalar(1.0, numpy.float16)
    ropt = optimizers.SGD(lr=1e-4)
    ropt.use_fp32_update()
    ropt.setup(restored)
    dchain.serializers.load_npz(path, ropt)
    numpy.testing.assert_array_equal(restored.w.update_rule._fp32_param.array, master)


def test_fp32_update_state_is_float32():
    link = _Scalar(1.0, numpy.float16)
    opt = optimizers.Adam().setup(link)
    opt.use_fp32_update()
    link.w.grad = numpy.ones(3, numpy.float16)
    opt.update()
    assert link.w.update_rule.state['m'].dtype == numpy.float32


def test_dynamic_loss_scaling_skips_overflow_and_grows():
    link = _Scalar(1.0, numpy.float32)
    opt = optimizers.SGD(lr=0.1).setup(link)
    opt.loss_scaling(interval=2, scale=2.0 ** 10)
    huge = numpy.full(3, 1e38, numpy.float32)
    with numpy.errstate(over='ignore'):
        opt.update(lambda: F.sum(link.w * huge))  # 1e38 * 1024 overflows: skipped
    assert opt.loss_scale == 2.0 ** 9 and opt.t == 0
    numpy.testing.assert_array_equal(link.w.array, 1.0)
    opt.update(lambda: F.sum(link.w * 2.0))
    numpy.testing.assert_allclose(link.w.array, 1.0 - 0.1 * 2.0)  # gradients were unscaled
    assert opt.loss_scale == 2.0 ** 9 and opt.t == 1
    opt.update(lambda: F.sum(link.w * 2.0))
    assert opt.loss_scale == 2.0 ** 10  # two clean updates in a row
    d = dchain.serializers.DictionarySerializer()
    opt.serialize(d)
    assert float(d.target['loss_scale']) == 2.0 ** 10


def test_legacy_hook_aliases():
    from dchain import optimizer_hooks
    assert optimizer.WeightDecay is optimizer_hooks.WeightDecay
    assert optimizer.GradientClipping is optimizer_hooks.GradientClipping
