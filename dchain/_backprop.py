"""The backward walk: visit functions from the highest rank down, accumulating gradients.

``backward`` serves ``Variable.backward`` (gradients land in the leaves' ``grad``) and
``grad`` serves ``dchain.grad`` (gradients are returned for chosen variables and nothing else is
touched). Both share :func:`_walk`.
"""
import heapq
import weakref

import numpy

from dchain.config import using_config
from dchain.utils import force_array
from dchain.variable import Variable


def _initial_grad(y, loss_scale):
    gv = y._grad_var
    if gv is None:
        if y._array is None:
            raise RuntimeError('cannot backward from an uninitialized Variable')
        if y._array.size != 1:
            raise ValueError(
                'backward() from a variable of shape {} needs its gradient: set `grad` to an '
                'array of that shape first (only one-element outputs start from 1 '
                'automatically)'.format(y._array.shape))
        xp = y.xp
        gv = Variable(xp.ones_like(y._array), requires_grad=False)
    if loss_scale is not None:
        gv = Variable(force_array(gv._array * loss_scale), requires_grad=False)
    return gv


# Leaf node -> callbacks run as soon as a backward() has produced the leaf's final gradient
# (the distributed reducer starts a bucket's allreduce from them, overlapping the rest of
# backward). Empty in ordinary use, which then pays nothing for the feature.
_grad_ready_hooks = weakref.WeakKeyDictionary()


def add_grad_ready_hook(variable, hook):
    """Call ``hook(variable)`` whenever a backward() has finished computing its gradient.

    During one backward pass the hook runs once per leaf that received a gradient, as soon as
    every function that uses the variable has contributed (or at the end of the pass). It is
    not run by :func:`grad`.
    """
    _grad_ready_hooks.setdefault(variable._node, []).append(hook)


def remove_grad_ready_hook(variable, hook):
    """Remove a hook added by :func:`add_grad_ready_hook` (a no-op if absent)."""
    hooks = _grad_ready_hooks.get(variable._node)
    if hooks and hook in hooks:
        hooks.remove(hook)
        if not hooks:
            del _grad_ready_hooks[variable._node]


# Leaf node -> array that backward() may compute the leaf's gradient into directly, instead of
# a fresh array (the distributed reducer points these at its bucket slots, saving the copy that
# packing would make). Empty in ordinary use.
_grad_destinations = weakref.WeakKeyDictionary()
# True while backward() (not grad(), whose results must stay the caller's) walks the graph.
_leaves_take_destinations = False


def set_grad_destination(variable, array):
    """Let backward() compute ``variable``'s gradient straight into ``array`` (None: stop).

    ``array`` must have the variable's shape and dtype. It is used only when the gradient is
    not accumulated (the variable holds no gradient yet), no graph of the backward is recorded,
    and the function computing the gradient asks for it (:func:`grad_destination`); the
    variable's ``grad`` is then ``array`` itself.
    """
    if array is None:
        _grad_destinations.pop(variable._node, None)
        return
    if array.shape != variable.shape or array.dtype != variable.dtype:
        raise ValueError('a gradient destination must have the variable\'s shape {} and dtype '
                         '{}; got {} and {}'.format(variable.shape, variable.dtype,
                                                    array.shape, array.dtype))
    _grad_destinations[variable._node] = array


def grad_destination(node):
    """The array a function's backward may write the gradient for input ``node`` into, or None.

    A backward that uses it must fill the whole array and return it as that gradient.
    """
    if not _leaves_take_destinations:
        return None
    array = _grad_destinations.get(node)
    if array is None:
        return None
    var = node._variable()
    if var is None or var._grad_var is not None:
        return None
    return array


def input_grads_private(func):
    """Whether the gradients ``func.backward`` is computing for its inputs will be seen only
    by the backward of the functions that created those inputs.

    True during a walk that retains no intermediate gradient, records no graph of the
    backward, and is not asked for the gradient of any of ``func``'s inputs. A backward may
    then hand over a gradient that is exact for what flows further down but not for the input
    itself (see ``MaxPoolingND.backward``, which folds the mask of a ReLU before it).
    """
    return func.__dict__.get('_input_grads_private', False)


def _count_hooked_uses(roots):
    """For each hooked leaf reachable from ``roots``: how many function inputs it feeds."""
    counts = {}
    seen = set()
    stack = [node.creator_node for node, _ in roots if node.creator_node is not None]
    while stack:
        func = stack.pop()
        if func in seen:
            continue
        seen.add(func)
        for node in func.inputs:
            creator = node.creator_node
            if creator is not None:
                stack.append(creator)
            elif node in _grad_ready_hooks:
                counts[node] = counts.get(node, 0) + 1
    return counts


def _fire_grad_ready(node):
    var = node._variable()
    if var is not None and var._grad_var is not None:
        for hook in list(_grad_ready_hooks.get(node, ())):
            hook(var)


def backward(outputs, retain_grad=False, enable_double_backprop=False, loss_scale=None):
    """Back-propagate from ``outputs``; leaf variables accumulate gradients in ``grad``."""
    roots = []
    for y in outputs:
        if y._node.creator_node is None:
            continue
        roots.append((y._node, _initial_grad(y, loss_scale)))
    if not roots:
        return
    pending = _count_hooked_uses(roots) if _grad_ready_hooks else None
    global _leaves_take_destinations
    outer = _leaves_take_destinations
    _leaves_take_destinations = bool(_grad_destinations) and not enable_double_backprop
    try:
        with using_config('enable_backprop', enable_double_backprop):
            _walk(roots, retain_grad, enable_double_backprop, None, pending)
    finally:
        _leaves_take_destinations = outer
    if pending:
        # Leaves whose last user produced no gradient for them (or was never reached).
        for node, count in pending.items():
            if count != -1:
                _fire_grad_ready(node)


def grad(outputs, inputs, grad_outputs=None, grad_inputs=None, set_grad=False,
         retain_grad=False, enable_double_backprop=False, loss_scale=None):
    """Gradients of ``outputs`` with respect to ``inputs``, without touching other variables.

    Args:
        outputs (list of Variable): variables to differentiate.
        inputs (list of Variable): variables to differentiate with respect to.
        grad_outputs (list of Variable or array or None): initial gradients of the outputs
            (None means 1 for one-element outputs).
        grad_inputs (list of Variable or None): gradients to add the results to.
        set_grad (bool): also store the results in ``inputs[i].grad_var``.
        retain_grad (bool): keep intermediate gradients on their variables.
        enable_double_backprop (bool): record the computation for higher-order derivatives.
        loss_scale (float): scale of the initial gradients.

    Returns:
        list: one Variable (or None where unreachable) per input.
    """
    if not isinstance(outputs, (tuple, list)):
        raise TypeError('outputs must be a list or tuple of Variables, got {}'.format(
            type(outputs).__name__))
    if not isinstance(inputs, (tuple, list)):
        raise TypeError('inputs must be a list or tuple of Variables, got {}'.format(
            type(inputs).__name__))
    for v in list(outputs) + list(inputs):
        if not isinstance(v, Variable):
            raise TypeError('grad() takes Variables, got {}'.format(type(v).__name__))
    if grad_outputs is not None and len(grad_outputs) != len(outputs):
        raise ValueError('grad_outputs has {} entries for {} outputs'.format(
            len(grad_outputs), len(outputs)))
    if grad_inputs is not None and len(grad_inputs) != len(inputs):
        raise ValueError('grad_inputs has {} entries for {} inputs'.format(
            len(grad_inputs), len(inputs)))

    targets = {}
    for i, x in enumerate(inputs):
        gx = None if grad_inputs is None else grad_inputs[i]
        if gx is not None and not isinstance(gx, Variable):
            gx = Variable(gx, requires_grad=False)
        targets[x._node] = gx

    roots = []
    for i, y in enumerate(outputs):
        gy = None if grad_outputs is None else grad_outputs[i]
        if gy is None:
            gy = _initial_grad_value(y, loss_scale)
        else:
            if not isinstance(gy, Variable):
                gy = Variable(gy, requires_grad=False)
            if loss_scale is not None:
                gy = gy * loss_scale
        if y._node in targets:
            prev = targets[y._node]
            targets[y._node] = gy if prev is None else prev + gy
        roots.append((y._node, gy))

    global _leaves_take_destinations
    outer = _leaves_take_destinations
    _leaves_take_destinations = False
    try:
        with using_config('enable_backprop', enable_double_backprop):
            _walk(roots, retain_grad, enable_double_backprop, targets)
    finally:
        _leaves_take_destinations = outer

    result = [targets[x._node] for x in inputs]
    if set_grad:
        for x, gx in zip(inputs, result):
            x._grad_var = gx
    return result


def _initial_grad_value(y, loss_scale):
    saved = y._grad_var
    y._grad_var = None
    try:
        return _initial_grad(y, loss_scale)
    finally:
        y._grad_var = saved


def _add(a, b, double_backprop):
    if double_backprop:
        return a + b
    return Variable(force_array(a._array + b._array), requires_grad=False)


def _walk(roots, retain_grad, double_backprop, targets, pending=None):
    """Propagate gradients from ``roots`` ((node, grad) pairs) through the graph.

    With ``targets`` (dict node -> accumulated grad), gradients reaching those nodes are added
    there and no variable is modified; otherwise leaves accumulate into their ``grad_var``.
    ``pending`` (hooked leaf -> uses left) is counted down as functions are done with their
    inputs; a leaf reaching zero has its grad-ready hooks run.
    """
    grads = {}          # node -> gradient Variable, for nodes whose creator is pending
    heap = []
    seen = set()
    counter = 0
    # Gradient arrays already handed to a leaf or to the caller: a second leaf receiving the
    # same object gets a copy, so in-place updates of one gradient never change another.
    given = set()
    for node, g in roots:
        given.add(id(g._array))
        creator = node.creator_node
        if node in grads:
            grads[node] = _add(grads[node], g, double_backprop)
        else:
            grads[node] = g
        if creator is not None and creator not in seen:
            seen.add(creator)
            heapq.heappush(heap, (-creator.rank, counter, creator))
            counter += 1

    heappush = heapq.heappush
    heappop = heapq.heappop
    private = not retain_grad and not double_backprop
    while heap:
        func = heappop(heap)[2]
        if pending:
            _release_inputs(func, pending)
        grad_outputs = []
        any_grad = False
        for ref in func.outputs:
            node = ref()
            if node is None:
                grad_outputs.append(None)
                continue
            g = grads.pop(node, None)
            grad_outputs.append(g)
            if g is not None:
                any_grad = True
                if retain_grad:
                    var = node._variable()
                    if var is not None:
                        var._grad_var = g
        if not any_grad:
            continue
        input_nodes = func.inputs
        target_indexes = tuple([i for i, x in enumerate(input_nodes) if x.requires_grad])
        if not target_indexes:
            continue
        if private:
            func._input_grads_private = targets is None or \
                not any(node in targets for node in input_nodes)
            try:
                gxs = func._backward_targets(target_indexes, tuple(grad_outputs))
            finally:
                del func._input_grads_private
        else:
            gxs = func._backward_targets(target_indexes, tuple(grad_outputs))

        for i, gx in zip(target_indexes, gxs):
            if gx is None:
                continue
            node = input_nodes[i]
            if type(gx) is not Variable and not isinstance(gx, Variable):
                gx = Variable(gx, requires_grad=False)
            if gx._array.shape != node.shape and node.shape is not None:
                raise ValueError(
                    'gradient computed by {}.backward for input {} has shape {}, but the input '
                    'has shape {}'.format(func.label, i, gx._array.shape, node.shape))
            creator = node.creator_node
            if targets is not None and node in targets:
                prev = targets[node]
                targets[node] = gx if prev is None else _add(prev, gx, double_backprop)
                if creator is None:
                    continue
            if creator is None:
                if targets is not None:
                    continue
                var = node._variable()
                if var is None:
                    continue
                prev = var._grad_var
                if prev is None:
                    if id(gx._array) in given:
                        gx = Variable(gx._array.copy(), requires_grad=False) \
                            if not double_backprop else gx + 0
                    given.add(id(gx._array))
                    var._grad_var = gx
                else:
                    var._grad_var = _add(prev, gx, double_backprop)
                continue
            if node in grads:
                grads[node] = _add(grads[node], gx, double_backprop)
            else:
                grads[node] = gx
            if creator not in seen:
                seen.add(creator)
                heappush(heap, (-creator.rank, counter, creator))
                counter += 1
        del gxs, grad_outputs
        if pending:
            _fire_ready(func, pending)


def _release_inputs(func, pending):
    # Count this function's uses of hooked leaves as done; they fire after its gradients land.
    for node in func.inputs:
        if node in pending:
            pending[node] -= 1


def _fire_ready(func, pending):
    for node in func.inputs:
        if pending.get(node) == 0:
            pending[node] = -1  # fired
            _fire_grad_ready(node)

del numpy
