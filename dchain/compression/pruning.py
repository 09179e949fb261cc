"""Magnitude pruning: zero the smallest weights of a link and keep them zero while training.

``pruner = magnitude_prune(model, 0.8)`` zeros 80% of every weight matrix (the entries of
smallest magnitude) and returns a :class:`MagnitudePruning` object; register it with
``optimizer.add_hook(pruner)`` and it re-applies the masks after every update, so fine-tuning
cannot revive pruned weights (momentum and Adam states would otherwise move them).
"""
import numpy

from dchain import backend
from dchain import link as link_module


def _default_filter(name, param):
    # Weight matrices and kernels; biases and normalization scales are small and sensitive.
    return param.array is not None and param.array.ndim >= 2


def _magnitude_mask(array, n_prune):
    xp = backend.get_array_module(array)
    mask = xp.ones(array.shape, dtype=bool)
    if n_prune > 0:
        flat = xp.abs(array).ravel()
        smallest = xp.argpartition(flat, n_prune - 1)[:n_prune]
        mask.ravel()[smallest] = False
    return mask


class MagnitudePruning:
    """Masks of pruned weights, applied to a link now and (as an optimizer hook) after updates.

    Args:
        sparsity (float): fraction of the selected weights to zero, in ``[0, 1)``.
        scope (str): ``'layer'`` prunes that fraction of every parameter; ``'global'`` ranks
            all selected weights together (layers with small weights lose more).
        param_filter: ``f(name, param) -> bool`` choosing the parameters to prune (default:
            those with two or more dimensions, i.e. weights, not biases).
    """

    name = 'MagnitudePruning'
    timing = 'post'

    def __init__(self, sparsity, scope='layer', param_filter=None):
        if not 0 <= sparsity < 1:
            raise ValueError('sparsity must be in [0, 1), got {!r}'.format(sparsity))
        if scope not in ('layer', 'global'):
            raise ValueError("scope must be 'layer' or 'global', got {!r}".format(scope))
        self.sparsity = sparsity
        self.scope = scope
        self.param_filter = param_filter or _default_filter
        self.masks = {}

    def prune(self, link):
        """Compute the masks from ``link``'s current weights and apply them; returns self."""
        selected = [(name, p) for name, p in link.namedparams(include_uninit=False)
                    if self.param_filter(name, p)]
        if not selected:
            raise ValueError('no parameter of {} is selected for pruning (are its parameters '
                             'initialized?)'.format(type(link).__name__))
        if self.scope == 'layer':
            self.masks = {name: _magnitude_mask(p.array, int(self.sparsity * p.size))
                          for name, p in selected}
        else:
            magnitudes = numpy.concatenate([
                numpy.abs(backend.cpu_device.send(p.array)).ravel() for _, p in selected])
            n_prune = int(self.sparsity * magnitudes.size)
            threshold = numpy.partition(magnitudes, n_prune)[n_prune] if n_prune else -1.0
            self.masks = {name: backend.get_array_module(p.array).abs(p.array) >= threshold
                          for name, p in selected}
        self.apply(link)
        return self

    def apply(self, link):
        """Zero the pruned entries of ``link``'s parameters (masks move to their devices)."""
        params = dict(link.namedparams(include_uninit=False))
        for name, mask in self.masks.items():
            param = params.get(name)
            if param is None:
                raise KeyError('pruned parameter {!r} is not in {}'.format(
                    name, type(link).__name__))
            if mask.shape != param.shape:
                raise ValueError('mask of {!r} has shape {} but the parameter has {}'.format(
                    name, mask.shape, param.shape))
            device = backend.get_device_from_array(param.array)
            if not device.is_array_supported(mask):
                mask = self.masks[name] = device.send(mask)
            param.array *= mask

    def __call__(self, optimizer):
        self.apply(optimizer.target)

    def serialize(self, serializer):
        """Save or load the masks (loading needs masks computed or an equal ``masks`` dict)."""
        for name in sorted(self.masks):
            self.masks[name] = serializer(name.strip('/'), self.masks[name])


def magnitude_prune(link, sparsity, scope='layer', param_filter=None):
    """Prune ``link`` in place; returns the :class:`MagnitudePruning` hook keeping it pruned."""
    return MagnitudePruning(sparsity, scope, param_filter).prune(link)


def sparsity(link, param_filter=None):
    """Fraction of exactly-zero entries among the selected parameters (default: weights)."""
    param_filter = param_filter or _default_filter
    zeros = total = 0
    for name, p in link.namedparams(include_uninit=False):
        if param_filter(name, p):
            xp = backend.get_array_module(p.array)
            zeros += int(p.size - xp.count_nonzero(p.array))
            total += p.size
    return zeros / total if total else 0.0


class Pruner(MagnitudePruning):
    """Callable form: ``Pruner(level=0.5)(model)`` prunes ``model`` in place and returns it.

    Called with an optimizer (as a hook) it re-applies the masks, like
    :class:`MagnitudePruning`.
    """

    def __init__(self, level=0.5, scope='layer', param_filter=None):
        super().__init__(level, scope, param_filter)

    @property
    def level(self):
        return self.sparsity

    def __call__(self, target):
        if isinstance(target, link_module.Link):
            self.prune(target)
            return target
        super().__call__(target)
