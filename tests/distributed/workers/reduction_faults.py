"""A rank that fails at one point of the node-shared-memory gradient reduction of ``flat``
(run under mpiexec, all ranks on one node).

Usage: reduction_faults.py ACTION POINT

ACTION: ``raise`` (an uncaught exception), ``kill`` (SIGKILL to itself) or ``stall`` (sleeps
far past DCHAIN_COLLECTIVE_TIMEOUT). The last rank does it, in the fourth update (the update
is then shared out chunk by chunk inside the reduction), at POINT:

- ``backward``: in the backward of a function in the middle of the model (the last layer's
  gradients are marked final already);
- ``hook``: in a grad-ready hook of the middle layer's weight, right after the optimizer's own
  hook packed and marked it;
- ``marked``: after backward, with every gradient marked final, before the reduction;
- ``claim``: inside the reduction, right after claiming its first chunk (claimed, not summed);
- ``barrier``: after its share of the reduction, instead of entering the closing barrier
  where the others wait.

A rank that gets through prints ``FINISHED rank N``: none may.
"""
import os
import signal
import sys
import time

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import _native
from dchain import function_node
from dchain import optimizers
from dchain.distributed.communicators import _shared_memory

FAULT_STEP = 3


def fault(action, where):
    sys.stdout.write('FAULT {} at {} time {!r}\n'.format(action, where, time.time()))
    sys.stdout.flush()
    if action == 'raise':
        raise RuntimeError('injected failure at {}'.format(where))
    if action == 'kill':
        os.kill(os.getpid(), signal.SIGKILL)
    if action == 'stall':
        time.sleep(3600)
    raise ValueError(action)


class Tripwire(function_node.FunctionNode):
    """Identity whose backward faults when armed."""

    armed = None

    def forward(self, inputs):
        return inputs[0].copy(),

    def backward(self, indexes, grad_outputs):
        if Tripwire.armed:
            fault(Tripwire.armed, 'backward')
        return grad_outputs[0],


def main():
    action, point = sys.argv[1:3]
    comm = mn.create_communicator('flat')
    faulty = comm.rank == comm.size - 1
    with open(os.path.join(os.environ['FAULT_PID_DIR'], 'rank{}.pid'.format(comm.rank)),
              'w') as f:
        f.write(str(os.getpid()))
    # The first layer spans several claim chunks, so every rank has chunks of its own to claim.
    model = dchain.Sequential(L.Linear(700, 400), F.tanh, L.Linear(400, 64), F.tanh,
                              L.Linear(64, 2))
    optimizer = mn.create_multi_node_optimizer(optimizers.SGD(lr=0.01), comm)
    optimizer.setup(model)
    rng = numpy.random.RandomState(comm.rank)
    x = rng.randn(4, 700).astype(numpy.float32)

    def lossfun():
        h = model[1](model[0](x))
        h = Tripwire().apply((h,))[0]
        return F.sum(model[4](model[3](model[2](h))))

    for step in range(6):
        if step == FAULT_STEP and faulty:
            if point == 'backward':
                Tripwire.armed = action
            elif point == 'hook':
                dchain._backprop.add_grad_ready_hook(
                    model[2].W, lambda param: fault(action, 'hook'))
            elif point == 'marked':
                def finish(*args, **kwargs):
                    shared = comm._buckets.shared
                    marks = shared._marks[shared._me]
                    if not (marks == shared._step + 1).all():
                        raise AssertionError('not every gradient was marked final')
                    fault(action, 'marked')
                comm.finish = finish
            elif point == 'claim':
                claim = _native.claim_chunk

                def claim_chunk(*args):
                    claim(*args)
                    fault(action, 'claim')
                _native.claim_chunk = claim_chunk
            elif point == 'barrier':
                barrier = _shared_memory.SharedBuckets._barrier

                def closing(self, what):
                    if 'summing' in what:
                        fault(action, 'barrier')
                    return barrier(self, what)
                _shared_memory.SharedBuckets._barrier = closing
            else:
                raise ValueError(point)
        if step == FAULT_STEP and not optimizer._sharded.chunk_updates:
            raise AssertionError('the update is not done chunk by chunk in the reduction')
        optimizer.update(lossfun)
    print('FINISHED rank', comm.rank)
    return 0


if __name__ == '__main__':
    sys.exit(main())
