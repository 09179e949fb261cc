"""Sharded updates across layout changes, frozen parameters and close() (run under mpiexec)."""
import os
import sys
import warnings

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import optimizers


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    comm = mn.create_communicator('flat')
    model = dchain.Sequential(L.Linear(6, 8), F.tanh, L.Linear(8, 3))
    optimizer = mn.create_multi_node_optimizer(optimizers.Adam(alpha=0.01), comm)
    optimizer.setup(model)
    rng = numpy.random.RandomState(comm.rank)

    def step():
        x = rng.randn(4, 6).astype(numpy.float32)
        t = rng.randint(0, 3, 4).astype(numpy.int32)
        optimizer.update(lambda: F.softmax_cross_entropy(model(x), t))

    def replicas_identical():
        mine = {n: p.array.copy() for n, p in model.namedparams()}
        return all(all(numpy.array_equal(other[n], mine[n]) for n in mine)
                   for other in comm.allgather_obj(mine))

    def steps_counted():
        return all(p.update_rule.t == optimizer.t for p in model.params()
                   if p.update_rule.enabled)

    # A node whose /dev/shm is nearly full: every rank keeps to MPI, and rank 0 says why.
    real_statvfs = os.statvfs
    if comm.rank == comm.size - 1:
        os.statvfs = lambda path: os.statvfs_result((4096, 4096, 100, 10, 10, 0, 0, 0, 0, 255))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        step()
    os.statvfs = real_statvfs
    check(comm._buckets.shared is None and optimizer._sharded is None,
          'no shared memory without room')
    if comm.rank == 0:
        check(any('rank(s) {}'.format(comm.size - 1) in str(w.message) for w in caught),
              'the lack of shared memory is reported: {}'.format([str(w.message)
                                                                  for w in caught]))
    comm.set_config('shared_memory', True)  # lay the buckets out again, now with room

    for _ in range(3):
        step()
    first = optimizer._sharded
    check(first is not None, 'the update is sharded after the first step')
    check(replicas_identical() and steps_counted(), 'sharded steps')

    # Backward computes the linear layers' gradients straight into their shared bucket slots
    # (nothing left to pack), and the update averages them as before.
    x = rng.randn(4, 6).astype(numpy.float32)
    t = rng.randint(0, 3, 4).astype(numpy.int32)
    model.cleargrads()
    F.softmax_cross_entropy(model(x), t).backward()
    slots = {id(p): slot for b in comm._buckets.buckets for (p, _, _, _), slot in
             zip(b.entries, b.slots)}
    check(all(p.grad is slots[id(p)] for p in model.params()),
          'gradients computed in their bucket slots')
    local = {n: p.grad.copy() for n, p in model.namedparams()}
    optimizer.update()
    mean = {n: sum(g[n] for g in comm.allgather_obj(local)) / comm.size for n in local}
    check(all(numpy.allclose(p.grad, mean[n], rtol=1e-6, atol=1e-7)
              for n, p in model.namedparams()), 'gradients computed in place are averaged')
    check(replicas_identical() and steps_counted(), 'a step with gradients computed in place')

    # The ranks of a node hold one replica: a change made in place by a rank that does not
    # own the parameter is seen by all.
    def change_seen_by_all():
        W = model[0].W
        sharded = optimizer._sharded
        owns = [own for p, own in zip(sharded.params, sharded.owned) if p is W][0]
        editor = comm.allgather_obj(owns).index(False)
        comm.barrier()
        if comm.rank == editor:
            W.array[0, 0] += 1
        comm.barrier()
        return replicas_identical()

    check(change_seen_by_all(), 'parameters shared by the ranks of the node')

    # With optimizer hooks each rank keeps a private replica: a post-update hook acts once.
    def add_one(opt):
        for param in opt.target.params():
            param.array += 1

    optimizer.add_hook(add_one, name='add_one', timing='post')
    alpha = optimizer.hyperparam.alpha
    optimizer.hyperparam.alpha = 0    # the update rules leave the parameters as they are
    before = {n: p.array.copy() for n, p in model.namedparams()}
    step()
    check(all(numpy.array_equal(p.array, before[n] + 1) for n, p in model.namedparams()),
          'a post-update hook acts once on every parameter')
    check(replicas_identical() and not change_seen_by_all(),
          'private replicas while the optimizer has hooks')
    optimizer.remove_hook('add_one')
    optimizer.hyperparam.alpha = alpha
    step()
    check(change_seen_by_all(), 'parameters shared again without hooks')

    # Freezing a layer changes the layout: sharding is rebuilt, the frozen layer stays put.
    frozen = model[2].W.array.copy()
    model[2].disable_update()
    step()
    step()
    check(optimizer._sharded is not None and optimizer._sharded is not first,
          'sharding rebuilt after disable_update')
    check(numpy.array_equal(model[2].W.array, frozen), 'a frozen layer is not updated')
    check(replicas_identical(), 'replicas after freezing')
    model[2].enable_update()

    # A parameter appears (new buckets): sharding is released and built again.
    before = optimizer._sharded
    model.append(L.Linear(3, 3))
    comm.bcast_data(model)
    for _ in range(3):
        step()
    check(optimizer._sharded is not None and optimizer._sharded is not before,
          'sharding rebuilt for new parameters')
    check(replicas_identical(), 'replicas after a new layer')

    # New buckets while the gradients still point into the old shared ones: the gradients
    # keep their values (copies), and the next step lays everything out again.
    grads = {n: p.grad.copy() for n, p in model.namedparams() if p.grad is not None}
    comm.set_config('bucket_bytes', 256)
    check(all(numpy.array_equal(p.grad, grads[n]) for n, p in model.namedparams()
              if n in grads), 'gradients survive the buckets being freed')
    step()
    step()
    check(comm._buckets.shared is not None and len(comm._buckets.buckets) > 1,
          'small shared buckets after set_config')
    check(replicas_identical(), 'replicas after new buckets')

    # close() gives every rank private arrays back; training goes on unsharded.
    optimizer.close()
    check(optimizer._sharded is None, 'close releases the sharding')
    step()
    check(replicas_identical(), 'replicas after close')
    print('SHARDED UPDATE OK rank', comm.rank)
    return 0


if __name__ == '__main__':
    sys.exit(main())
