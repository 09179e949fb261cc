"""Differentiable functions: ``import dchain.functions as F``.

Each function lives in ``dchain/functions/<category>/<name>.py`` as a FunctionNode and its
wrapper; this module gathers the wrappers (and the node classes, for ``F.Sigmoid()``-style use).
"""
from dchain.functions.activation import *  # noqa: F401,F403
from dchain.functions.array import *  # noqa: F401,F403
from dchain.functions.connection import *  # noqa: F401,F403
from dchain.functions.evaluation import *  # noqa: F401,F403
from dchain.functions.loss import *  # noqa: F401,F403
from dchain.functions.math import *  # noqa: F401,F403
from dchain.functions.noise import *  # noqa: F401,F403
from dchain.functions.normalization import *  # noqa: F401,F403
from dchain.functions.pooling import *  # noqa: F401,F403
from dchain.functions.util import *  # noqa: F401,F403
