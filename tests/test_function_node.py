"""User-defined FunctionNodes (the seeds' MulAdd and ExpAdd), old-style Functions, misuse."""
import numpy
import pytest

import dchain as chainer
import dchain.functions as F
from dchain import Function, FunctionNode, Variable, backend, gradient_check
from dchain.utils import type_check


class MulAdd(FunctionNode):
    def forward_cpu(self, inputs):
        x, y, z = inputs
        self.retain_inputs((0, 1))
        w = x * y + z
        return w,

    def backward(self, target_input_indexes, grad_outputs):
        x, y = self.get_retained_inputs()
        gw, = grad_outputs
        return y * gw, x * gw, gw


class ExpAdd(FunctionNode):
    def forward(self, inputs):
        self.retain_inputs((0, 1))
        xp = backend.get_array_module(*inputs)
        x, y = inputs
        return xp.exp(x) + xp.exp(y),

    def backward(self, target_input_indexes, grad_outputs):
        x, y = self.get_retained_inputs()
        gz, = grad_outputs
        return gz * F.exp(x), gz * F.exp(y)


def expadd(x, y):
    z, = ExpAdd().apply((x, y))
    return z


class OldMulAdd(Function):
    def forward_cpu(self, inputs):
        x, y, z = inputs
        return x * y + z,

    def backward_cpu(self, inputs, grad_outputs):
        x, y, z = inputs
        gw, = grad_outputs
        return y * gw, x * gw, gw


def _xyz(shape=(3, 2), dtype=numpy.float64):
    rng = numpy.random.RandomState(1)
    return tuple(rng.uniform(-1, 1, shape).astype(dtype) for _ in range(3))


def test_seed_muladd_forward_backward():
    x, y, z = (Variable(a) for a in _xyz(dtype=numpy.float32))
    w, = MulAdd().apply((x, y, z))
    numpy.testing.assert_allclose(w.array, x.array * y.array + z.array)
    w.grad = numpy.ones_like(w.array)
    w.backward()
    numpy.testing.assert_allclose(x.grad, y.array)
    numpy.testing.assert_allclose(y.grad, x.array)
    numpy.testing.assert_allclose(z.grad, numpy.ones_like(z.array))


def test_seed_muladd_gradient_checks():
    data = _xyz()
    gw = numpy.random.RandomState(2).uniform(-1, 1, (3, 2))
    f = lambda x, y, z: MulAdd().apply((x, y, z))[0]  # noqa: E731
    gradient_check.check_backward(f, data, gw)
    ggs = tuple(numpy.random.RandomState(3).uniform(-1, 1, (3, 2)) for _ in range(3))
    gradient_check.check_double_backward(f, data, gw, ggs)


def test_seed_expadd_and_double_backprop():
    a, b, _ = _xyz()
    gradient_check.check_backward(expadd, (a, b), numpy.ones((3, 2)))
    gradient_check.check_double_backward(expadd, (a, b), numpy.ones((3, 2)),
                                         (numpy.ones((3, 2)), numpy.ones((3, 2))))


def test_old_style_function():
    x, y, z = (Variable(a) for a in _xyz(dtype=numpy.float32))
    w = OldMulAdd()(x, y, z)
    numpy.testing.assert_allclose(w.array, x.array * y.array + z.array)
    w.grad = numpy.ones_like(w.array)
    w.backward()
    numpy.testing.assert_allclose(x.grad, y.array)
    assert isinstance(w.creator, OldMulAdd)
    gradient_check.check_backward(lambda *v: OldMulAdd()(*v), _xyz(), numpy.ones((3, 2)))


def test_old_style_retained_outputs():
    class Exp(Function):
        def forward(self, inputs):
            self.retain_outputs((0,))
            return numpy.exp(inputs[0]),

        def backward(self, inputs, grad_outputs):
            return grad_outputs[0] * self.output_data[0],

    gradient_check.check_backward(lambda x: Exp()(x), numpy.linspace(-1, 1, 5), numpy.ones(5))


def test_node_cannot_be_applied_twice():
    node = MulAdd()
    args = tuple(Variable(a) for a in _xyz())
    node.apply(args)
    with pytest.raises(RuntimeError, match='already been applied'):
        node.apply(args)


def test_calling_a_node_object_applies_a_copy_each_time():
    layers = [F.Tanh(), F.Tanh()]
    x = Variable(numpy.array([0.5, -0.3]))
    for _ in range(2):
        h = x
        for layer in layers:
            h = layer(h)
        numpy.testing.assert_allclose(h.array, numpy.tanh(numpy.tanh(x.array)))
    assert layers[0].inputs is None


def test_forward_must_return_tuple():
    class Bad(FunctionNode):
        def forward(self, inputs):
            return inputs[0]

    with pytest.raises(TypeError, match='must return a tuple'):
        Bad().apply((numpy.ones(2),))


def test_non_array_input_is_rejected():
    with pytest.raises(TypeError, match='input 1 of MulAdd must be a Variable or an array'):
        MulAdd().apply((numpy.ones(2), [1, 2], numpy.ones(2)))


def test_check_type_forward_message_names_function_and_condition():
    class Typed(FunctionNode):
        def check_type_forward(self, in_types):
            type_check.argname(in_types, ('x',))
            type_check.expect(in_types.size() == 1, in_types[0].dtype == numpy.float32,
                              in_types[0].ndim == 2)

        def forward(self, inputs):
            return inputs

    Typed().apply((numpy.ones((2, 2), numpy.float32),))
    with pytest.raises(type_check.InvalidType) as e:
        Typed().apply((numpy.ones(2, numpy.float32),))
    msg = str(e.value)
    assert 'Invalid operation is performed in: Typed (Forward)' in msg
    assert 'Expect: x.ndim == 2' in msg and 'Actual: 1 != 2' in msg
    with pytest.raises(type_check.InvalidType, match='float64'):
        Typed().apply((numpy.ones((2, 2)),))
    with pytest.raises(type_check.InvalidType, match=r'in_types.size == 1'):
        Typed().apply((numpy.ones((2, 2), numpy.float32),) * 2)
    with chainer.using_config('type_check', False):
        Typed().apply((numpy.ones(2),))  # no check at all


def test_backward_wrong_gradient_shape_is_reported():
    class BadGrad(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, indexes, grad_outputs):
            return Variable(numpy.ones(5)),

    x = Variable(numpy.ones(3))
    y = BadGrad().apply((x,))[0]
    y.grad = numpy.ones(3)
    with pytest.raises(ValueError, match='BadGrad.backward for input 0 has shape'):
        y.backward()


def test_backward_only_for_target_inputs():
    seen = []

    class Recorder(FunctionNode):
        def forward(self, inputs):
            return inputs[0] + inputs[1],

        def backward(self, indexes, grad_outputs):
            seen.append(indexes)
            return tuple(grad_outputs[0] for _ in indexes)

    x = Variable(numpy.ones(2))
    c = Variable(numpy.ones(2), requires_grad=False)
    y = Recorder().apply((c, x))[0]
    y.grad = numpy.ones(2)
    y.backward()
    assert seen == [(1,)]
    numpy.testing.assert_array_equal(x.grad, [1, 1])


def test_no_backprop_mode_records_no_graph():
    x = Variable(numpy.ones(2))
    with chainer.no_backprop_mode():
        y = x * 2
        with chainer.force_backprop_mode():
            z = x * 2
    assert y.creator is None
    assert z.creator is not None


def test_retained_output_revived_after_output_dropped():
    x = Variable(numpy.array([0.1, 0.2, 0.3]))
    y = F.tanh(x)
    z = F.sum(y * y)
    gx, = chainer.grad([z], [x], enable_double_backprop=True)
    ggx, = chainer.grad([F.sum(gx)], [x])
    t = numpy.tanh(x.array)
    # d/dx sum(2 t (1 - t^2)) = 2 (1 - t^2) (1 - 3 t^2)
    numpy.testing.assert_allclose(ggx.array, 2 * (1 - t ** 2) * (1 - 3 * t ** 2), rtol=1e-6)


def test_inputs_viewing_a_watched_array_are_counted_unless_parameters():
    from dchain import function_node
    memory = numpy.zeros(64, numpy.float32)
    param = chainer.Parameter(memory[:12].reshape(3, 4))
    x = Variable(numpy.ones((3, 4), numpy.float32))
    function_node.watch_shared_base(memory)
    try:
        before = function_node.shared_views_applied()
        F.identity(x) + param                       # the parameter itself: tracked
        assert function_node.shared_views_applied() == before
        x + param.array                             # its array, raw
        x + Variable(param.array.T.T)               # a view of it in a new Variable
        assert function_node.shared_views_applied() == before + 2
    finally:
        function_node.watch_shared_base(memory, False)
    x + param.array
    assert function_node.shared_views_applied() == before + 2
