"""What communicators need to know about a model: its parameters, agreed on by every rank."""
import numpy

from dchain import backend


class ModelMismatchError(ValueError):
    """Ranks hold models whose parameters differ (name, shape or dtype)."""


def param_signature(model):
    """``[(name, shape, dtype)]`` of the initialized parameters, sorted by name."""
    return [(name, tuple(p.shape), str(p.dtype))
            for name, p in sorted(model.namedparams(include_uninit=False))]


def check_same_params(comm, model):
    """Raise ModelMismatchError, naming the first differing parameter, unless all ranks agree.

    Run before the first reduction: a mismatch would otherwise deadlock or mix unrelated
    numbers.
    """
    signatures = comm.allgather_obj(param_signature(model))
    reference = signatures[0]
    for rank, signature in enumerate(signatures[1:], 1):
        if signature == reference:
            continue
        ref = {name: (shape, dtype) for name, shape, dtype in reference}
        mine = {name: (shape, dtype) for name, shape, dtype in signature}
        for name in sorted(set(ref) | set(mine)):
            if ref.get(name) != mine.get(name):
                def describe(entry):
                    if entry is None:
                        return 'absent'
                    return 'shape {} dtype {}'.format(*entry)
                raise ModelMismatchError(
                    'parameter {!r} differs between ranks: rank 0 has {}, rank {} has {}; '
                    'every rank must build the same model'.format(
                        name, describe(ref.get(name)), rank, describe(mine.get(name))))
    return reference


def persistent_arrays(model):
    """``(path, array)`` of every persistent array of ``model``, sorted by path."""
    out = []
    for path, link in model.namedlinks():
        for name in link._persistent:
            value = link.__dict__[name]
            if isinstance(value, numpy.ndarray) or (
                    backend._gpu.cupy is not None and
                    isinstance(value, backend._gpu.cupy.ndarray)):
                out.append((path.rstrip('/') + '/' + name, value))
    return sorted(out, key=lambda item: item[0])
