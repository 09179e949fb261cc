"""FunctionNode: one differentiable operation and its place in the computational graph.

A subclass implements ``forward(inputs)`` on arrays (or ``forward_cpu``/``forward_gpu``) and
``backward(target_input_indexes, grad_outputs)`` on Variables, written with other
FunctionNodes so that the backward computation is itself differentiable (gradients of
gradients). :meth:`FunctionNode.apply` runs the type check, the forward computation and, when
backprop is enabled and some input requires a gradient, records the node in the graph.
"""
import copy
import weakref

import numpy

from dchain import backend
from dchain.config import config
from dchain.utils import type_check
from dchain.variable import Parameter, Variable, _new_variable

_ndarray = numpy.ndarray

# Arrays (by id) that other processes may change while this one is still in backward: the
# memory of a node's shared parameter replica (dchain.distributed). apply() counts inputs
# that view one other than the parameters themselves (raw arrays, new Variables): the graph
# does not know them as uses of a parameter, so a backward could read them after its
# gradient is final (see shared_views_applied).
_shared_bases = {}
_shared_views_applied = 0


def watch_shared_base(array, watched=True):
    """Count inputs that view ``array`` (see :func:`shared_views_applied`), or stop."""
    if watched:
        _shared_bases[id(array)] = array
    else:
        _shared_bases.pop(id(array), None)


def shared_views_applied():
    """How many inputs other than Parameters, viewing a watched array, functions have
    received."""
    return _shared_views_applied
# Attributes apply() and forward() set on a node; a copy made to be applied again drops them.
_GRAPH_STATE = ('inputs', 'outputs', 'rank', '_input_indexes_to_retain',
                '_output_indexes_to_retain', '_retained_output_data')


class FunctionNode:
    """Base class of differentiable functions (Chainer's new-style functions).

    Attributes:
        inputs (tuple of VariableNode): input nodes, set once the node is in a graph.
        outputs (tuple of weakref to VariableNode): output nodes.
        rank (int): position in the graph; backward visits nodes from the highest rank down.
    """

    inputs = None
    outputs = None
    rank = 0
    _input_indexes_to_retain = None
    _output_indexes_to_retain = None
    _retained_output_data = None
    lazy_grad_sum = False

    # ------------------------------------------------------------------ identity and metadata
    @property
    def label(self):
        """Short name used in error messages and graph dumps (the class name by default)."""
        return self.__class__.__name__

    def __call__(self, *inputs):
        """Apply a fresh copy of this node; one Variable for a single output, else a tuple.

        FunctionNodes are normally used through :meth:`apply`, once per object. Calling one
        lets a configured node (``F.MaxPooling2D(2, 2)``) sit in a list of layers and be
        called every forward pass: each call applies a copy, so the template stays unused.
        """
        node = copy.copy(self)
        for attr in _GRAPH_STATE:
            node.__dict__.pop(attr, None)
        outputs = node.apply(inputs)
        return outputs[0] if len(outputs) == 1 else outputs

    # ------------------------------------------------------------------ forward
    def apply(self, inputs):
        """Compute the outputs of this function and record it in the graph.

        Args:
            inputs: a tuple of input :class:`Variable` objects or arrays (numpy or cupy).

        Returns:
            tuple of Variable: the outputs. A FunctionNode object can be applied only once.
        """
        global _shared_views_applied
        if self.inputs is not None:
            raise RuntimeError('{} has already been applied; create a new FunctionNode object '
                               'for every call'.format(self.label))
        in_data = []
        input_vars = []
        all_numpy = True
        requires_grad = False
        for x in inputs:
            if isinstance(x, Variable):
                data = x._array
                if data is None:
                    raise _uninitialized_input_error(self, inputs)
                if x._node.requires_grad:
                    requires_grad = True
            else:
                data = x
                if type(data) is not _ndarray and not _is_array(data):
                    raise _not_an_array_error(self, inputs)
                x = None
            if type(data) is not _ndarray:
                all_numpy = False
            if _shared_bases and id(getattr(data, 'base', None)) in _shared_bases and \
                    not isinstance(x, Parameter):
                _shared_views_applied += 1   # a parameter's array, not through its node
            in_data.append(data)
            input_vars.append(x)
        in_data = tuple(in_data)
        if not all_numpy:
            _check_same_device(self, in_data)

        # config.type_check and config.enable_backprop, read without LocalConfig.__getattr__:
        # this is the hottest path of the library.
        local = _config_local.__dict__
        if (local['type_check'] if 'type_check' in local else _config_global.type_check) and \
                type(self).check_type_forward is not _no_type_check:
            type_check.run_check(self.check_type_forward, in_data, self)

        outputs = self.forward(in_data)
        if type(outputs) is not tuple:
            raise TypeError('{}.forward must return a tuple of arrays, got {}'.format(
                self.label, type(outputs).__name__))
        if all_numpy:
            # numpy turns 0-dim results into scalars; keep every output an array.
            for y in outputs:
                if type(y) is not _ndarray:
                    outputs = tuple(y if type(y) is _ndarray else numpy.asarray(y)
                                    for y in outputs)
                    break

        if requires_grad and (local['enable_backprop'] if 'enable_backprop' in local
                              else _config_global.enable_backprop):
            ret = tuple([_new_variable(y, True) for y in outputs])
            rank = 0
            input_nodes = []
            for x, data in zip(input_vars, in_data):
                if x is None:
                    x = Variable(data, requires_grad=False)
                node = x._node
                if node.rank > rank:
                    rank = node.rank
                input_nodes.append(node)
            self.rank = rank
            self.inputs = input_nodes = tuple(input_nodes)
            out_rank = rank + 1
            out_refs = []
            for y in ret:
                node = y._node
                node.creator_node = self
                node.rank = out_rank
                out_refs.append(_weakref(node))
            self.outputs = tuple(out_refs)

            indexes = self._input_indexes_to_retain
            if indexes is not None:
                for i in indexes:
                    input_nodes[i].data = in_data[i]
            indexes = self._output_indexes_to_retain
            if indexes is not None:
                self._retained_output_data = tuple([outputs[i] for i in indexes])
        else:
            ret = tuple([_new_variable(y, requires_grad) for y in outputs])
            # Nothing will call backward on this node: drop what forward asked to keep.
            self._input_indexes_to_retain = None
            self._output_indexes_to_retain = None
        return ret

    def check_type_forward(self, in_types):
        """State the conditions the inputs must meet (see :mod:`dchain.utils.type_check`)."""

    def forward(self, inputs):
        """Compute outputs from input arrays; dispatches to ``forward_cpu``/``forward_gpu``."""
        if backend.get_array_module(*inputs) is numpy:
            return self.forward_cpu(inputs)
        return self.forward_gpu(inputs)

    def forward_cpu(self, inputs):
        raise NotImplementedError('{} implements neither forward nor forward_cpu'.format(
            self.label))

    def forward_gpu(self, inputs):
        raise NotImplementedError('{} has no GPU implementation (forward_gpu)'.format(
            self.label))

    def retain_inputs(self, indexes):
        """Keep the inputs at ``indexes`` for backward (call from ``forward``)."""
        self._input_indexes_to_retain = tuple(indexes)

    def retain_outputs(self, indexes):
        """Keep the outputs at ``indexes`` for backward (call from ``forward``)."""
        self._output_indexes_to_retain = tuple(indexes)

    # ------------------------------------------------------------------ backward
    def backward(self, target_input_indexes, grad_outputs):
        """Gradients w.r.t. the inputs, as Variables computed with FunctionNodes.

        Args:
            target_input_indexes (tuple of int): sorted indexes of the inputs whose gradient
                is needed; others may be returned as ``None``.
            grad_outputs (tuple of Variable or None): gradients w.r.t. the outputs (``None``
                where an output got no gradient).

        Returns:
            A tuple with one entry per input (or per target index), each a Variable or None.
        """
        raise NotImplementedError('{} does not implement backward'.format(self.label))

    def backward_accumulate(self, target_input_indexes, grad_outputs, grad_inputs):
        """Backward plus accumulation into ``grad_inputs`` (override to fuse the two)."""
        gxs = self._backward_targets(target_input_indexes, grad_outputs)
        ret = []
        for gx, g_input in zip(gxs, grad_inputs):
            if g_input is None:
                ret.append(gx)
            elif gx is None:
                ret.append(g_input)
            else:
                ret.append(gx + g_input)
        return tuple(ret)

    def _backward_targets(self, target_input_indexes, grad_outputs):
        """Call backward and return gradients for exactly the target inputs, in order."""
        gxs = self.backward(target_input_indexes, grad_outputs)
        if type(gxs) is not tuple:
            if isinstance(gxs, list):
                gxs = tuple(gxs)
            else:
                raise TypeError('{}.backward must return a tuple, got {}'.format(
                    self.label, type(gxs).__name__))
        n_inputs = len(self.inputs)
        if len(gxs) == n_inputs:
            if len(target_input_indexes) != n_inputs:
                gxs = tuple(gxs[i] for i in target_input_indexes)
        elif len(gxs) != len(target_input_indexes):
            raise ValueError(
                '{}.backward returned {} gradients; expected one per input ({}) or one per '
                'target input ({})'.format(self.label, len(gxs), n_inputs,
                                           len(target_input_indexes)))
        return gxs

    def get_retained_inputs(self):
        """The inputs kept by :meth:`retain_inputs`, as Variables connected to the graph."""
        indexes = self._input_indexes_to_retain
        if indexes is None:
            return ()
        inputs = self.inputs
        return tuple(inputs[i].get_variable(inputs[i].data) for i in indexes)

    def get_retained_outputs(self):
        """The outputs kept by :meth:`retain_outputs`, as Variables connected to the graph."""
        indexes = self._output_indexes_to_retain
        if indexes is None:
            return ()
        ret = []
        outputs = self.outputs
        new_outputs = list(outputs)
        for i, data in zip(indexes, self._retained_output_data):
            node = outputs[i]()
            if node is None:
                # The output variable is gone; revive a node for it so that double backprop
                # through this output still reaches this function.
                var = Variable(data, requires_grad=True)
                node = var._node
                node.creator_node = self
                node.rank = self.rank + 1
                new_outputs[i] = weakref.ref(node)
                ret.append(var)
            else:
                ret.append(node.get_variable(data))
        self.outputs = tuple(new_outputs)
        return tuple(ret)

    @property
    def output_data(self):
        """Arrays of the retained outputs (``None`` where not retained)."""
        data = [None] * len(self.outputs or ())
        if self._output_indexes_to_retain is not None:
            for i, y in zip(self._output_indexes_to_retain, self._retained_output_data):
                data[i] = y
        return tuple(data)

    def unchain(self):
        """Cut this node out of the graph: its outputs forget it and it forgets its inputs."""
        for ref in self.outputs or ():
            node = ref()
            if node is not None:
                node.unchain()
        self.inputs = None

    def __repr__(self):
        return '<{} rank={}>'.format(self.label, self.rank)


_no_type_check = FunctionNode.check_type_forward
_config_local = config._local
_config_global = config._global
_weakref = weakref.ref


def _uninitialized_input_error(func, inputs):
    index = [i for i, x in enumerate(inputs)
             if isinstance(x, Variable) and x._array is None][0]
    return RuntimeError('input {} of {} is an uninitialized Variable (array is None); '
                        'initialize the parameter before using it'.format(index, func.label))


def _not_an_array_error(func, inputs):
    index, x = [(i, x) for i, x in enumerate(inputs)
                if not isinstance(x, Variable) and not _is_array(x)][0]
    return TypeError('input {} of {} must be a Variable or an array (numpy.ndarray or '
                     'cupy.ndarray), not {}'.format(index, func.label, type(x).__name__))


def _is_array(x):
    if isinstance(x, numpy.ndarray):
        return True
    cupy = backend._gpu.cupy
    return cupy is not None and isinstance(x, cupy.ndarray)


def _check_same_device(func, in_data):
    devices = {backend.get_device_from_array(x) for x in in_data}
    if len(devices) > 1:
        raise ValueError(
            '{} received arrays on different devices ({}); move them to one device first '
            '(F.copy or Variable.to_device)'.format(
                func.label, ', '.join(sorted(d.name for d in devices))))
