"""Failure modes a job must survive without hanging (run under mpiexec)."""
import os
import signal
import sys
import time

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import optimizers


def main():
    mode = sys.argv[1]
    comm = mn.create_communicator('flat', shared_memory='--no-shared-memory' not in sys.argv)
    width = 5 if (mode == 'mismatch' and comm.rank == comm.size - 1) else 4
    model = dchain.Sequential(L.Linear(3, width), F.tanh, L.Linear(width, 2))
    optimizer = mn.create_multi_node_optimizer(optimizers.SGD(), comm,
                                               overlap='--no-overlap' not in sys.argv)
    optimizer.setup(model)
    x = numpy.ones((4, 3), numpy.float32)
    for step in range(1000):
        if step == 3 and comm.rank == comm.size - 1:
            if mode == 'raise':
                raise RuntimeError('injected failure on the last rank')
            if mode == 'sigkill':
                os.kill(os.getpid(), signal.SIGKILL)
            if mode == 'hang':
                time.sleep(3600)
            if mode == 'out-of-step':
                comm.bcast_obj('a collective the other ranks do not call')
            if mode == 'slow':
                time.sleep(7)
        if step == 3 and mode == 'receive-cycle':
            comm.recv(source=(comm.rank + 1) % comm.size, tag=5)
        if step == 3 and mode == 'receive-from-collective' and comm.rank == comm.size - 1:
            comm.recv(source=0, tag=5)
        if step == 3 and mode == 'late-send':
            # The last rank sends to rank 0 after 7 s of work; rank 0 waits for it meanwhile.
            if comm.rank == 0:
                comm.recv(source=comm.size - 1, tag=5)
            elif comm.rank == comm.size - 1:
                time.sleep(7)
                comm.send(numpy.zeros(1 << 20, numpy.float32), dest=0, tag=5)
        optimizer.update(lambda: F.sum(model(x)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
