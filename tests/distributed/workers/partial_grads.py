"""The multi-node optimizer without zero_fill, when a parameter gets a gradient on some ranks
only (a branch only rank 0 takes): an error on every rank, or replicas that stay identical.

Usage: partial_grads.py NAME (flat, flat-mpi: without shared memory, or naive).
"""
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import optimizers


def main():
    name = sys.argv[1]
    kwargs = {'shared_memory': False} if name == 'flat-mpi' else {}
    comm = mn.create_communicator(name.split('-')[0], **kwargs)
    model = dchain.Sequential(L.Linear(3, 4), L.Linear(4, 2))
    branch = L.Linear(3, 2)
    model.append(branch)   # registered, used by rank 0 only
    optimizer = mn.create_multi_node_optimizer(optimizers.SGD(lr=0.1), comm, zero_fill=False)
    optimizer.setup(model)
    x = numpy.ones((2, 3), numpy.float32)

    def lossfun():
        y = F.sum(model[1](model[0](x)))
        return y + F.sum(branch(x)) if comm.rank == 0 else y

    try:
        for _ in range(3):
            optimizer.update(lossfun)
    except ValueError as e:
        outcome = 'error: {}'.format(e)
    else:
        arrays = comm.allgather_obj({n: p.array for n, p in model.namedparams()})
        identical = all(numpy.array_equal(a[n], arrays[0][n]) for a in arrays for n in a)
        outcome = 'identical' if identical else 'diverged'
    outcomes = comm.allgather_obj(outcome)
    print('rank', comm.rank, 'outcome', outcome)
    if all(o == outcomes[0] for o in outcomes) and outcome != 'diverged':
        print('PARTIAL OK rank', comm.rank)
    return 0


if __name__ == '__main__':
    sys.exit(main())
