"""Gradients reduced in shared memory as each rank finishes them (run under mpiexec)."""
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


def check(condition, what):
    if not condition:
        raise AssertionError(what)


class Probe(function_node.FunctionNode):
    """Identity on its first input whose backward notes whether its second, a parameter's
    array passed raw (as in ``F.linear(x, W.array)``, outside the parameter's node), still
    holds what it held in forward."""

    def forward(self, inputs):
        self.retain_inputs((1,))
        self.snapshot = inputs[1].copy()
        return inputs[0].copy(),

    def backward(self, indexes, grad_outputs):
        watched, = (v.array for v in self.get_retained_inputs())
        self.unchanged = numpy.array_equal(watched, self.snapshot)
        return grad_outputs[0], None


def main():
    comm = mn.create_communicator('flat')
    # The middle layer's weight spans several chunks of the reduction.
    model = dchain.Sequential(L.Linear(20, 400), F.relu, L.Linear(400, 400), F.relu,
                              L.Linear(400, 4))
    optimizer = mn.create_multi_node_optimizer(optimizers.MomentumSGD(lr=0.01), comm)
    optimizer.setup(model)
    rng = numpy.random.RandomState(comm.rank)
    x = rng.randn(8, 20).astype(numpy.float32)
    t = rng.randint(0, 4, 8).astype(numpy.int32)

    def lossfun():
        return F.softmax_cross_entropy(model(x), t)

    for _ in range(2):
        optimizer.update(lossfun)
    shared = comm._buckets.shared
    check(shared is not None, 'gradients in shared memory')
    if not _native.available:
        print('SHARED REDUCTION SKIPPED: compiled kernels not built')
        return 0

    # This rank's own gradients, from the same computation as the update's backward.
    model.cleargrads()
    lossfun().backward()
    local = {n: p.grad.copy() for n, p in model.namedparams()}
    mean = {n: sum(g[n] for g in comm.allgather_obj(local)) / comm.size for n in local}

    # The last rank stalls in backward once the middle layer's gradients are final: the
    # others, done with backward, must reduce those (and the last layer's) meanwhile.
    late = comm.size - 1
    middle = model[2]

    def stall(param):
        time.sleep(1.0)

    if comm.rank == late:
        dchain._backprop.add_grad_ready_hook(middle.W, stall)
    before = shared.chunks_reduced
    sharded = optimizer._sharded
    updates_before = sharded.chunk_updates
    params = {n: p.array.copy() for n, p in model.namedparams()}
    velocities = {n: p.update_rule.state['v'].copy() for n, p in model.namedparams()}
    # Backward reads the middle weight after its gradient is final (the probe, at the input,
    # runs last): no rank may update it before every rank has left backward.
    probe = Probe()
    optimizer.update(lambda: F.softmax_cross_entropy(
        model(probe.apply((dchain.Variable(x), middle.W.array))[0]), t))
    if comm.rank == late:
        dchain._backprop.remove_grad_ready_hook(middle.W, stall)
    check(all(comm.allgather_obj(probe.unchanged)),
          'parameters updated only once every rank has left backward')
    done = comm.allgather_obj(shared.chunks_reduced - before)
    chunks = {n: -(-p.size // _shared_memory._CLAIM_CHUNK) for n, p in model.namedparams()}
    total = sum(chunks.values())
    check(sum(done) == total, 'every chunk reduced once: {} of {}'.format(done, total))
    # (Links are named by their place among the links: /1 is the middle layer, whose bias
    # may be finished after its weight, so after the stall.)
    early_work = sum(chunks[n] for n in ('/1/W', '/2/W', '/2/b'))
    check(done[late] <= total - early_work,
          'the stalled rank reduced only what was final after its stall: {}'.format(done))
    check(all(numpy.allclose(p.grad, mean[n], rtol=1e-6, atol=1e-7)
              for n, p in model.namedparams()), 'gradients are the mean')
    # Each rank updated the chunks it reduced, as MomentumSGD updates whole arrays.
    check(sharded.chunk_updates == updates_before + 1, 'updated chunk by chunk')
    for n, p in model.namedparams():
        v = numpy.float32(0.9) * velocities[n] - numpy.float32(0.01) * mean[n]
        check(numpy.allclose(p.update_rule.state['v'], v, rtol=1e-5, atol=1e-7) and
              numpy.allclose(p.array, params[n] + v, rtol=1e-5, atol=1e-7),
              'momentum update of {}'.format(n))
    arrays = comm.allgather_obj({n: p.array for n, p in model.namedparams()})
    check(all(numpy.array_equal(a[n], arrays[0][n]) for a in arrays for n in a),
          'replicas identical')

    # Backward run outside update(): the gradients could still change (accumulation), so
    # nothing is reduced before update() itself.
    model.cleargrads()
    lossfun().backward()
    lossfun().backward()     # accumulated
    local = {n: p.grad.copy() for n, p in model.namedparams()}
    mean = {n: sum(g[n] for g in comm.allgather_obj(local)) / comm.size for n in local}
    optimizer.update()
    check(all(numpy.allclose(p.grad, mean[n], rtol=1e-6, atol=1e-7)
              for n, p in model.namedparams()), 'accumulated gradients are the mean')
    print('SHARED REDUCTION OK rank', comm.rank)
    return 0


if __name__ == '__main__':
    sys.exit(main())
