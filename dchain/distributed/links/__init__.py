"""Links for multi-process models."""
from dchain.distributed.links.multi_node_chain_list import MultiNodeChainList  # noqa: F401
from dchain.distributed.links.batch_normalization import \
    MultiNodeBatchNormalization  # noqa: F401
