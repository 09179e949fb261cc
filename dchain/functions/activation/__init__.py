"""Activation functions (``F.relu``, ``F.tanh``, ``F.sigmoid`` ...)."""
from dchain.functions.activation.clipped_relu import clipped_relu, relu6, ClippedReLU  # noqa
from dchain.functions.activation.crelu import crelu, CReLU  # noqa: F401
from dchain.functions.activation.elu import elu, ELU  # noqa: F401
from dchain.functions.activation.hard_sigmoid import hard_sigmoid, HardSigmoid  # noqa: F401
from dchain.functions.activation.leaky_relu import leaky_relu, LeakyReLU  # noqa: F401
from dchain.functions.activation.log_softmax import log_softmax, LogSoftmax  # noqa: F401
from dchain.functions.activation.lstm import lstm, LSTM  # noqa: F401
from dchain.functions.activation.maxout import maxout  # noqa: F401
from dchain.functions.activation.prelu import prelu, PReLUFunction  # noqa: F401
from dchain.functions.activation.relu import relu, ReLU  # noqa: F401
from dchain.functions.activation.rrelu import rrelu, RReLU  # noqa: F401
from dchain.functions.activation.selu import selu  # noqa: F401
from dchain.functions.activation.sigmoid import sigmoid, Sigmoid  # noqa: F401
from dchain.functions.activation.slstm import slstm, SLSTM  # noqa: F401
from dchain.functions.activation.softmax import softmax, Softmax  # noqa: F401
from dchain.functions.activation.softplus import softplus, Softplus  # noqa: F401
from dchain.functions.activation.swish import swish, Swish  # noqa: F401
from dchain.functions.activation.tanh import tanh, Tanh  # noqa: F401
from dchain.functions.activation.tree_lstm import tree_lstm, TreeLSTM  # noqa: F401
