"""Optimizers: ``dchain.optimizers.SGD(lr=0.01).setup(model)``.

Update rules change the parameter and their state in place with ``out=`` ufuncs; where a
product with the gradient is needed and the gradient must stay intact, one scratch array of the
parameter's size is the only temporary.
"""
from dchain.optimizers.sgd import SGD, SGDRule  # noqa: F401
from dchain.optimizers.momentum_sgd import MomentumSGD, MomentumSGDRule  # noqa: F401
from dchain.optimizers.adam import (Adam, AdamRule, AdamW, AMSGrad, AdaBound,  # noqa: F401
                                    AMSBound)
