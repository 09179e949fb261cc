"""Connections with parameters, as functions (``F.linear``, ``F.convolution_2d`` ...)."""
from dchain.functions.connection.linear import linear, LinearFunction  # noqa: F401
from dchain.functions.connection.embed_id import embed_id, EmbedIDFunction  # noqa: F401
from dchain.functions.connection.n_step_rnn import n_step_birnn, n_step_rnn  # noqa: F401
from dchain.functions.connection.convolution_2d import convolution_2d, Convolution2DFunction  # noqa: F401,E501
from dchain.functions.connection.convolution_nd import convolution_nd, convolution_1d, convolution_3d, ConvolutionND  # noqa: F401,E501
from dchain.functions.connection.deconvolution_2d import deconvolution_2d, Deconvolution2DFunction  # noqa: F401,E501
from dchain.functions.connection.deconvolution_nd import deconvolution_nd, deconvolution_1d, deconvolution_3d, DeconvolutionND  # noqa: F401,E501
from dchain.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d  # noqa: F401,E501
from dchain.functions.connection.dilated_convolution_2d import dilated_convolution_2d  # noqa: F401,E501
from dchain.functions.connection.n_step_lstm import n_step_bilstm, n_step_lstm  # noqa: F401
from dchain.functions.connection.n_step_gru import n_step_bigru, n_step_gru  # noqa: F401
from dchain.functions.connection.bilinear import bilinear  # noqa: F401
