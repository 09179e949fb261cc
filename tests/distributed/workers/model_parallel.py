"""An MLP split over 2 ranks with send/recv equals the unsplit MLP (run under mpiexec -n 2)."""
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L


def build(seed):
    numpy.random.seed(seed)
    return L.Linear(6, 8), L.Linear(8, 8), L.Linear(8, 3)


def main():
    comm = mn.create_communicator('flat')
    assert comm.size == 2
    rng = numpy.random.RandomState(0)
    x = rng.randn(5, 6).astype(numpy.float32)
    t = rng.randint(0, 3, 5).astype(numpy.int32)
    l1, l2, l3 = build(0)

    model = mn.MultiNodeChainList(comm)
    if comm.rank == 0:
        model.add_link(l1, rank_in=None, rank_out=1)
    else:
        model.add_link(dchain.Sequential(F.tanh, l2, F.tanh, l3), rank_in=0, rank_out=None)

    for step in range(2):
        model.cleargrads()
        out = model(x)
        if comm.rank == 1:
            loss = F.softmax_cross_entropy(out, t)
            loss.backward()
        else:
            out.backward()   # the delegate: receives the gradient of l1's output
    grads = {name: p.grad for name, p in model.namedparams()}
    loss_value = float(loss.array) if comm.rank == 1 else None
    everything = comm.gather_obj((grads, loss_value))

    # Differentiable collectives on the side.
    v = dchain.Variable(numpy.full(3, comm.rank + 1.0, numpy.float32))
    parts = mn.functions.allgather(comm, v)
    F.sum(parts[0] * 2 + parts[1] * 3).backward()
    assert numpy.allclose(v.grad, 2 * 2 if comm.rank == 0 else 3 * 2), v.grad
    b = mn.functions.bcast(comm, v if comm.rank == 0 else None)
    assert numpy.allclose(b.array, 1.0)
    v2 = dchain.Variable(numpy.arange(2, dtype=numpy.float32) + comm.rank * 10)
    outs = mn.functions.alltoall(comm, [v2[0:1], v2[1:2]])
    F.sum(outs[0] * (comm.rank + 1) + outs[1]).backward()
    # alltoall: my v2[j] went to rank j, which weighted what came from rank 0 by (j + 1).
    assert numpy.allclose(v2.grad, [1, 2] if comm.rank == 0 else [1, 1]), v2.grad

    if comm.rank != 0:
        return 0
    (g0, _), (g1, loss_split) = everything
    ref = build(0)
    ref_model = dchain.Sequential(ref[0], F.tanh, ref[1], F.tanh, ref[2])
    ref_model.cleargrads()
    ref_loss = F.softmax_cross_entropy(ref_model(x), t)
    ref_loss.backward()
    assert abs(float(ref_loss.array) - loss_split) < 1e-6, (float(ref_loss.array), loss_split)
    pairs = [(g0['/0/W'], ref[0].W.grad), (g0['/0/b'], ref[0].b.grad),
             (g1['/0/0/W'], ref[1].W.grad), (g1['/0/1/W'], ref[2].W.grad)]
    for got, want in pairs:
        assert numpy.allclose(got, want, atol=1e-6), (got, want)
    print('MODEL PARALLEL OK loss={:.6f}'.format(loss_split))
    return 0


if __name__ == '__main__':
    sys.exit(main())
