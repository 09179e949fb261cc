"""Old-style functions (``dchain.Function``): forward and backward both on arrays.

New code should subclass :class:`dchain.FunctionNode`, whose backward is differentiable. A
Function is run through a :class:`FunctionAdapter` node; its gradients cannot be
differentiated again.
"""
from dchain import backend
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class FunctionAdapter(FunctionNode):
    """Runs an old-style :class:`Function` as a node of the graph."""

    def __init__(self, function):
        self._function = function

    @property
    def function(self):
        return self._function

    @property
    def label(self):
        return self._function.label

    def check_type_forward(self, in_types):
        self._function.check_type_forward(in_types)

    def forward(self, inputs):
        # Old-style backward receives all inputs, so they are always kept.
        self.retain_inputs(tuple(range(len(inputs))))
        outputs = self._function.forward(inputs)
        if not isinstance(outputs, tuple):
            raise TypeError('{}.forward must return a tuple of arrays, got {}'.format(
                self.label, type(outputs).__name__))
        if self._function._output_indexes_to_retain is not None:
            self.retain_outputs(self._function._output_indexes_to_retain)
        return outputs

    def backward(self, target_input_indexes, grad_outputs):
        in_data = tuple(node.data for node in self.inputs)
        xp = backend.get_array_module(*in_data)
        out_nodes = [ref() for ref in self.outputs]
        retained = dict(zip(self._output_indexes_to_retain or (),
                            self._retained_output_data or ()))
        self._function.output_data = tuple(retained.get(i) for i in range(len(out_nodes)))
        gys = []
        for i, (g, node) in enumerate(zip(grad_outputs, out_nodes)):
            if g is not None:
                gys.append(g.array)
            elif node is not None and node.shape is not None:
                gys.append(xp.zeros(node.shape, node.dtype))
            else:
                gys.append(None)
        gxs = self._function.backward(in_data, tuple(gys))
        if not isinstance(gxs, tuple):
            raise TypeError('{}.backward must return a tuple of arrays, got {}'.format(
                self.label, type(gxs).__name__))
        if len(gxs) != len(in_data):
            raise ValueError('{}.backward returned {} gradients for {} inputs'.format(
                self.label, len(gxs), len(in_data)))
        return tuple(None if gx is None else Variable(gx, requires_grad=False) for gx in gxs)


class Function:
    """Base class of old-style functions.

    Implement ``forward`` (or ``forward_cpu``/``forward_gpu``) and ``backward`` (or
    ``backward_cpu``/``backward_gpu``) on tuples of arrays, and call the object on Variables:
    ``y = MyFunction()(x)``.
    """

    _output_indexes_to_retain = None
    output_data = None

    @property
    def label(self):
        return self.__class__.__name__

    @property
    def node(self):
        return self.__dict__.get('_node')

    @property
    def inputs(self):
        node = self.node
        return None if node is None else tuple(n.get_variable() for n in node.inputs)

    @property
    def outputs(self):
        node = self.node
        return None if node is None else node.outputs

    @property
    def rank(self):
        node = self.node
        return 0 if node is None else node.rank

    def __call__(self, *inputs):
        node = FunctionAdapter(self)
        self.__dict__['_node'] = node
        outputs = node.apply(inputs)
        return outputs[0] if len(outputs) == 1 else outputs

    def check_type_forward(self, in_types):
        """State the conditions the inputs must meet."""

    def forward(self, inputs):
        if backend.get_array_module(*inputs).__name__ == 'numpy':
            return self.forward_cpu(inputs)
        return self.forward_gpu(inputs)

    def forward_cpu(self, inputs):
        raise NotImplementedError('{} implements neither forward nor forward_cpu'.format(
            self.label))

    def forward_gpu(self, inputs):
        raise NotImplementedError('{} has no GPU implementation'.format(self.label))

    def backward(self, inputs, grad_outputs):
        if backend.get_array_module(*inputs).__name__ == 'numpy':
            return self.backward_cpu(inputs, grad_outputs)
        return self.backward_gpu(inputs, grad_outputs)

    def backward_cpu(self, inputs, grad_outputs):
        raise NotImplementedError('{} implements neither backward nor backward_cpu'.format(
            self.label))

    def backward_gpu(self, inputs, grad_outputs):
        raise NotImplementedError('{} has no GPU backward'.format(self.label))

    def retain_inputs(self, indexes):
        """Accepted for compatibility: old-style functions always keep their inputs."""

    def retain_outputs(self, indexes, retain_after_backward=False):
        """Keep the outputs at ``indexes``; backward reads them from ``self.output_data``."""
        self._output_indexes_to_retain = tuple(indexes)

    def unchain(self):
        if self.node is not None:
            self.node.unchain()
