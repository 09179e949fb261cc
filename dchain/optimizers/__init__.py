"""Optimizers: ``dchain.optimizers.SGD(lr=0.01).setup(model)``.

Update rules change the parameter and their state in place with ``out=`` ufuncs; where a
product with the gradient is needed and the gradient must stay intact, a scratch array of the
parameter's size (one, or two for AdaDelta, SMORMS3 and MSVAG) is the only temporary
(tests/optimizers/test_formulas.py measures this with tracemalloc).
"""
from dchain.optimizers.sgd import SGD, SGDRule  # noqa: F401
from dchain.optimizers.momentum_sgd import MomentumSGD, MomentumSGDRule  # noqa: F401
from dchain.optimizers.nesterov_ag import NesterovAG, NesterovAGRule  # noqa: F401
from dchain.optimizers.corrected_momentum_sgd import (CorrectedMomentumSGD,  # noqa: F401
                                                      CorrectedMomentumSGDRule)
from dchain.optimizers.ada_grad import AdaGrad, AdaGradRule  # noqa: F401
from dchain.optimizers.ada_delta import AdaDelta, AdaDeltaRule  # noqa: F401
from dchain.optimizers.rmsprop import RMSprop, RMSpropRule  # noqa: F401
from dchain.optimizers.rmsprop_graves import RMSpropGraves, RMSpropGravesRule  # noqa: F401
from dchain.optimizers.smorms3 import SMORMS3, SMORMS3Rule  # noqa: F401
from dchain.optimizers.msvag import MSVAG, MSVAGRule  # noqa: F401
from dchain.optimizers.adam import (Adam, AdamRule, AdamW, AMSGrad, AdaBound,  # noqa: F401
                                    AMSBound)
