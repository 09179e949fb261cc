"""Attach a delegate variable to real outputs so one backward also reaches the delegate."""
from dchain import backend
from dchain.function_node import FunctionNode
from dchain.variable import Variable


class PseudoConnect(FunctionNode):
    """Outputs the actual variables unchanged; the delegate (input 0) gets a zero gradient."""

    def forward(self, inputs):
        self._delegate_shape = inputs[0].shape
        self._delegate_dtype = inputs[0].dtype
        self._xp = backend.get_array_module(inputs[0])
        return tuple(inputs[1:])

    def backward(self, indexes, grad_outputs):
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(Variable(self._xp.zeros(self._delegate_shape, self._delegate_dtype),
                                      requires_grad=False))
            else:
                grads.append(grad_outputs[i - 1])
        return tuple(grads)


def pseudo_connect(delegate_variable, *actual_variables):
    """Return ``actual_variables`` connected after ``delegate_variable`` in the graph.

    Backward from the results then also runs the backward of the delegate (e.g. receives the
    gradient of something this rank sent earlier). With no actual variables, returns a
    one-element variable to call ``backward()`` on.
    """
    if not actual_variables:
        return delegate_variable * 1
    outputs = PseudoConnect().apply((delegate_variable,) + tuple(actual_variables))
    return outputs[0] if len(outputs) == 1 else outputs
