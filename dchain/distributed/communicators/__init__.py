"""Communicators and ``create_communicator``: pick a backend by name, or the best default."""
import os
import uuid

from dchain.distributed.communicators.communicator_base import CommunicatorBase  # noqa
from dchain.distributed.communicators.single_process_communicator import \
    SingleProcessCommunicator  # noqa: F401
from dchain.distributed.communicators._model import ModelMismatchError  # noqa: F401
from dchain.distributed.communicators._watchdog import (  # noqa: F401
    CollectiveMismatchError, CollectiveTimeoutError)

# Environment variables by which MPI launchers (MPICH/Hydra, Open MPI, PMIx, MVAPICH, Slurm's
# srun) tell a process it is one rank of several.
_LAUNCHER_VARIABLES = ('PMI_SIZE', 'PMI_RANK', 'OMPI_COMM_WORLD_SIZE', 'PMIX_RANK',
                       'MV2_COMM_WORLD_SIZE', 'MPI_LOCALNRANKS')

_NAMES = ('naive', 'flat', 'hierarchical', 'two_dimensional', 'single_node',
          'non_cuda_aware', 'pure_nccl')


def under_mpi():
    """Whether this process was started by an MPI launcher (or srun with several tasks)."""
    if os.environ.get('DCHAIN_FORCE_MPI'):
        return True
    if any(v in os.environ for v in _LAUNCHER_VARIABLES):
        return True
    return int(os.environ.get('SLURM_NTASKS', '1') or 1) > 1 and 'SLURM_PROCID' in os.environ


def _default_name():
    from dchain.backends import cuda
    if cuda.available:
        try:
            from cupy.cuda import nccl  # noqa: F401
            return 'pure_nccl'
        except ImportError:
            return 'non_cuda_aware'
    return 'flat'


def create_communicator(communicator_name=None, mpi_comm=None, **kwargs):
    """Create a communicator.

    Args:
        communicator_name (str): one of ``naive``, ``flat``, ``hierarchical``,
            ``two_dimensional``, ``single_node``, ``non_cuda_aware``, ``pure_nccl``; None
            picks ``pure_nccl`` when a GPU with NCCL is present, else ``flat``.
        mpi_comm: an mpi4py communicator (default ``MPI.COMM_WORLD``).
        kwargs: backend options: ``bucket_bytes``, ``allreduce_grad_dtype``, ``timeout``.

    Outside an MPI launcher (plain ``python train.py``) and without ``mpi_comm``, a
    :class:`SingleProcessCommunicator` is returned, so the same script runs either way.
    """
    if communicator_name is not None and communicator_name not in _NAMES:
        raise ValueError('unknown communicator {!r}; choose one of {}'.format(
            communicator_name, ', '.join(_NAMES)))
    if mpi_comm is None and not under_mpi():
        return SingleProcessCommunicator()
    try:
        from mpi4py import MPI
    except ImportError:
        raise ImportError('this process runs under an MPI launcher but mpi4py is missing; '
                          'install the mpi extra: pip install "dchain[mpi]"') from None
    if mpi_comm is None:
        mpi_comm = MPI.COMM_WORLD
    name = communicator_name or _default_name()
    from dchain.distributed.communicators import gpu_communicators as gpu
    from dchain.distributed.communicators.flat_communicator import FlatCommunicator
    from dchain.distributed.communicators.naive_communicator import NaiveCommunicator
    classes = {'naive': NaiveCommunicator, 'flat': FlatCommunicator,
               'pure_nccl': gpu.PureNcclCommunicator, 'single_node': gpu.SingleNodeCommunicator,
               'hierarchical': gpu.HierarchicalCommunicator,
               'two_dimensional': gpu.TwoDimensionalCommunicator,
               'non_cuda_aware': gpu.NonCudaAwareCommunicator}
    if name == 'naive':
        unexpected = set(kwargs) - {'timeout'}
        if unexpected:
            raise TypeError('naive communicator takes no {}'.format(', '.join(unexpected)))
    comm = classes[name](mpi_comm, **kwargs)
    if comm.size > 1:
        from dchain.distributed import _rank_watch
        from dchain.distributed import global_except_hook
        global_except_hook.add_hook()
        if _rank_watch.wanted() and not _rank_watch.started():
            token = comm.bcast_obj(uuid.uuid4().hex if comm.rank == 0 else None)
            world = MPI.COMM_WORLD
            _rank_watch.start(world.Get_rank(), world.Get_size(), token)
    return comm
