"""Links with connection parameters (``L.Linear``, ``L.Convolution2D`` ...)."""
from dchain.links.connection.linear import Linear  # noqa: F401
from dchain.links.connection.embed_id import EmbedID  # noqa: F401
from dchain.links.connection.lstm import LSTM, StatelessLSTM  # noqa: F401
from dchain.links.connection.convolution_2d import Convolution2D  # noqa: F401
from dchain.links.connection.convolution_nd import ConvolutionND, Convolution1D, Convolution3D  # noqa: F401,E501
from dchain.links.connection.deconvolution_2d import Deconvolution2D  # noqa: F401
from dchain.links.connection.deconvolution_nd import DeconvolutionND, Deconvolution1D, Deconvolution3D  # noqa: F401,E501
from dchain.links.connection.depthwise_convolution_2d import DepthwiseConvolution2D  # noqa: F401
from dchain.links.connection.dilated_convolution_2d import DilatedConvolution2D  # noqa: F401
from dchain.links.connection.mlp_convolution_2d import MLPConvolution2D  # noqa: F401
from dchain.links.connection.n_step_rnn import (  # noqa: F401
    NStepBiRNNReLU, NStepBiRNNTanh, NStepRNNReLU, NStepRNNTanh)
from dchain.links.connection.n_step_lstm import NStepBiLSTM, NStepLSTM  # noqa: F401
from dchain.links.connection.n_step_gru import NStepBiGRU, NStepGRU  # noqa: F401
from dchain.links.connection.gru import GRU, StatefulGRU, StatelessGRU  # noqa: F401
from dchain.links.connection.bias import Bias  # noqa: F401
from dchain.links.connection.scale import Scale  # noqa: F401
from dchain.links.connection.bilinear import Bilinear  # noqa: F401
from dchain.links.connection.highway import Highway  # noqa: F401
