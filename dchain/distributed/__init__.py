"""Distributed training (ChainerMN's API): ``import dchain.distributed as chainermn``.

Communicators average gradients over processes (MPI on CPU, NCCL on GPU); the multi-node
optimizer overlaps that with backward; datasets are sharded with ``scatter_dataset``.
"""
from dchain.distributed.communicators import (create_communicator, CommunicatorBase,  # noqa
                                              CollectiveMismatchError, CollectiveTimeoutError,
                                              ModelMismatchError,
                                              SingleProcessCommunicator)
from dchain.distributed.datasets import scatter_dataset, scatter_index  # noqa: F401
from dchain.distributed.multi_node_optimizer import create_multi_node_optimizer  # noqa: F401
from dchain.distributed import functions  # noqa: F401,E402
from dchain.distributed.links import MultiNodeChainList, MultiNodeBatchNormalization  # noqa
from dchain.distributed.extensions import (  # noqa: F401,E402
    create_multi_node_checkpointer, create_multi_node_evaluator, ObservationAggregator,
    ReplicaConsistencyCheck, ReplicaDivergenceError)
from dchain.distributed.iterators import (  # noqa: F401,E402
    create_multi_node_iterator, create_synchronized_iterator)
