"""dchain: a define-by-run deep learning framework built for distributed training.

``import dchain as chainer`` runs Chainer programs: Variable, FunctionNode, Link/Chain/ChainList,
``dchain.functions`` as F, ``dchain.links`` as L, and the rest of Chainer's API.
"""
from dchain import _allocator  # noqa: F401  (allocator policy, see the module)
from dchain import _cpu_threads as _cpu_threads
_cpu_threads.install()  # one thread pool for BLAS and dchain's kernels, see the module
from dchain import backend  # noqa: F401
from dchain import backends  # noqa: F401
from dchain.backends import cuda  # noqa: F401
import sys as _sys
# Chainer programs write `from chainer.cuda import to_cpu`: make dchain.cuda importable too.
_sys.modules[__name__ + '.cuda'] = cuda
from dchain.config import (config, global_config, using_config, no_backprop_mode,  # noqa: F401
                           force_backprop_mode, is_debug, set_debug, get_dtype)
from dchain.variable import Variable, Parameter, VariableNode, as_variable, as_array  # noqa
from dchain.function_node import FunctionNode  # noqa: F401
from dchain.function import Function, FunctionAdapter  # noqa: F401
from dchain._backprop import grad  # noqa: F401
from dchain.functions.math import basic_math as _basic_math
from dchain.link import Link, Chain, ChainList  # noqa: F401
from dchain.optimizer import Optimizer, GradientMethod, UpdateRule  # noqa: F401
from dchain.serializer import Serializer, Deserializer, AbstractSerializer  # noqa: F401
from dchain.sequential import Sequential  # noqa: F401
from dchain.reporter import (Reporter, report, report_scope, get_current_reporter,  # noqa
                             Summary, DictSummary)
from dchain import initializers  # noqa: F401
from dchain import functions  # noqa: F401
from dchain import links  # noqa: F401
from dchain import gradient_check  # noqa: F401
from dchain import testing  # noqa: F401
from dchain import utils  # noqa: F401
from dchain import optimizer_hooks  # noqa: F401
from dchain import optimizers  # noqa: F401
from dchain import serializers  # noqa: F401
from dchain import datasets  # noqa: F401
from dchain import iterators  # noqa: F401
from dchain import dataset  # noqa: F401
from dchain import training  # noqa: F401
from dchain import compression  # noqa: F401
from dchain.backend import get_device, using_device, get_array_module  # noqa: F401

_basic_math.install_variable_arithmetics()

__version__ = '0.1.0'

# Chainer's shorthand for the default float type.
float_types = ('float16', 'float32', 'float64')
