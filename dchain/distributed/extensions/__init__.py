"""Trainer extensions for multi-process jobs."""
from dchain.distributed.extensions.checkpoint import create_multi_node_checkpointer  # noqa
from dchain.distributed.extensions.multi_node_evaluator import \
    create_multi_node_evaluator  # noqa: F401
from dchain.distributed.extensions.observation_aggregator import \
    ObservationAggregator  # noqa: F401
from dchain.distributed.extensions.replica_consistency import (  # noqa: F401
    ReplicaConsistencyCheck, ReplicaDivergenceError)
