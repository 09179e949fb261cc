"""Sharding datasets over ranks: ``scatter_dataset`` and ``scatter_index``."""
import numpy

from dchain.datasets import SubDataset


def _range(n_total, rank, size, force_equal_length):
    if force_equal_length:
        n_sub = -(-n_total // size) if n_total else 0
        return n_sub * rank, n_sub * (rank + 1)
    return n_total * rank // size, n_total * (rank + 1) // size


def scatter_index(n_total_samples, comm, root=0, shuffle=False, seed=None,
                  force_equal_length=True):
    """This rank's ``(begin, end, order)`` share of ``n_total_samples`` indices.

    Shards are contiguous ranges of ``order`` (a permutation when ``shuffle``, decided at
    ``root`` with ``seed`` and broadcast; None otherwise). With ``force_equal_length`` every
    rank gets the same number of samples (indices past the end wrap around to the start), so
    all ranks run the same number of iterations per epoch.
    """
    if n_total_samples < 0:
        raise ValueError('n_total_samples must be non-negative, got {}'.format(n_total_samples))
    order = None
    if shuffle:
        if comm.rank == root:
            order = numpy.random.RandomState(seed).permutation(n_total_samples)
        order = comm.bcast_obj(order, root=root)
    begin, end = _range(n_total_samples, comm.rank, comm.size, force_equal_length)
    return begin, end, order


def scatter_dataset(dataset, comm, root=0, shuffle=False, seed=None, max_buf_len=None,
                    force_equal_length=True):
    """Give each rank its shard of ``dataset``; only ``root``'s copy is read.

    Args:
        dataset: the dataset on ``root`` (other ranks may pass None).
        comm: the communicator.
        root (int): the rank holding the dataset.
        shuffle (bool): shard a random permutation (from ``seed``) instead of the given order.
        seed (int): seed of that permutation.
        max_buf_len: accepted for ChainerMN compatibility (messages have no size limit here).
        force_equal_length (bool): make shards equally long by wrapping around.

    Returns:
        SubDataset: this rank's shard.
    """
    n_total = comm.bcast_obj(len(dataset) if comm.rank == root else None, root=root)
    order = None
    if shuffle:
        if comm.rank == root:
            order = numpy.random.RandomState(seed).permutation(n_total)
        if comm.size > 1:
            order = comm.bcast_obj(order, root=root)
    if comm.size == 1:
        return SubDataset(dataset, 0, n_total, order)
    if comm.rank != root:
        shard = comm.recv_obj(source=root)
        return SubDataset(shard, 0, len(shard))
    mine = None
    for rank in range(comm.size):
        begin, end = _range(n_total, rank, comm.size, force_equal_length)
        indices = [i % n_total for i in range(begin, end)]
        if order is not None:
            indices = [int(order[i]) for i in indices]
        shard = [dataset[i] for i in indices]
        if rank == root:
            mine = shard
        else:
            comm.send_obj(shard, dest=rank)
    return SubDataset(mine, 0, len(mine))
