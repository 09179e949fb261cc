"""ReplicaConsistencyCheck: fail loudly when data-parallel replicas have drifted apart."""
import hashlib

import numpy

from dchain import backend
from dchain.training import extension


class ReplicaDivergenceError(RuntimeError):
    """Replicas that should be identical hold different parameter values."""


def parameter_digests(model):
    """``[(name, digest)]`` of every initialized parameter (SHA-1 of its bytes)."""
    out = []
    for name, param in sorted(model.namedparams(include_uninit=False)):
        data = numpy.ascontiguousarray(backend.cpu_device.send(param.array))
        out.append((name, hashlib.sha1(data.tobytes()).hexdigest()))
    return out


class ReplicaConsistencyCheck(extension.Extension):
    """Every ``trigger``, compare a checksum of each parameter across ranks.

    Raises :class:`ReplicaDivergenceError` naming the first parameter (in name order) whose
    value differs between rank 0 and another rank. Replicas updated by the multi-node
    optimizer are bitwise equal, so any difference is a bug (non-deterministic update, a rank
    that skipped a step, a parameter changed by hand on one rank).

    Args:
        comm: the communicator.
        model: the replicated model (default: the trainer's main optimizer target).
        trigger: how often to check (default every 1000 iterations).
    """

    priority = extension.PRIORITY_READER

    def __init__(self, comm, model=None, trigger=(1000, 'iteration')):
        self.comm = comm
        self.model = model
        self.trigger = trigger

    def __call__(self, trainer=None):
        model = self.model or trainer.updater.get_optimizer('main').target
        self.check(model)

    def check(self, model):
        digests = self.comm.allgather_obj(parameter_digests(model))
        reference = dict(digests[0])
        for rank, rank_digests in enumerate(digests[1:], 1):
            for name, digest in rank_digests:
                if reference.get(name) != digest:
                    raise ReplicaDivergenceError(
                        'replicas diverged: parameter {!r} differs between rank 0 and rank {}'
                        .format(name, rank))
