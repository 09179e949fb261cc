"""Differentiable communication: graphs that span processes (model parallelism)."""
from dchain.distributed.functions.allgather import allgather  # noqa: F401
from dchain.distributed.functions.alltoall import alltoall  # noqa: F401
from dchain.distributed.functions.bcast import bcast  # noqa: F401
from dchain.distributed.functions.pseudo_connect import pseudo_connect  # noqa: F401
from dchain.distributed.functions.recv import recv  # noqa: F401
from dchain.distributed.functions.scatter import scatter  # noqa: F401
from dchain.distributed.functions.send import send  # noqa: F401
