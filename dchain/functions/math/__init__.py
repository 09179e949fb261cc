"""Mathematical functions (``F.add``, ``F.sum``, ``F.matmul``, ``F.exp`` ...)."""
from dchain.functions.math.absolute import absolute, Absolute  # noqa: F401
from dchain.functions.math.add import add, Add  # noqa: F401
from dchain.functions.math.exp import exp, Exp  # noqa: F401
from dchain.functions.math.log import log, Log  # noqa: F401
from dchain.functions.math.matmul import matmul, MatMul  # noqa: F401
from dchain.functions.math.sum import sum, Sum  # noqa: F401
from dchain.functions.math.sum_to import sum_to, SumTo  # noqa: F401
