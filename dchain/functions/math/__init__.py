"""Mathematical functions (``F.add``, ``F.sum``, ``F.matmul``, ``F.exp`` ...)."""
from dchain.functions.array.identity import identity, Identity  # noqa: F401
from dchain.functions.math.absolute import absolute, Absolute  # noqa: F401
from dchain.functions.math.add import add, Add  # noqa: F401
from dchain.functions.math.arccos import arccos, Arccos  # noqa: F401
from dchain.functions.math.arcsin import arcsin, Arcsin  # noqa: F401
from dchain.functions.math.arctan import arctan, Arctan  # noqa: F401
from dchain.functions.math.arctan2 import arctan2, Arctan2  # noqa: F401
from dchain.functions.math.arctanh import arctanh, Arctanh  # noqa: F401
from dchain.functions.math.argmax import argmax, ArgMax  # noqa: F401
from dchain.functions.math.argmin import argmin, ArgMin  # noqa: F401
from dchain.functions.math.average import average  # noqa: F401
from dchain.functions.math.batch_l2_norm_squared import batch_l2_norm_squared, BatchL2NormSquared  # noqa: F401,E501
from dchain.functions.math.batch_matmul import batch_matmul  # noqa: F401
from dchain.functions.math.bias import bias  # noqa: F401
from dchain.functions.math.ceil import ceil  # noqa: F401
from dchain.functions.math.cholesky import cholesky, Cholesky  # noqa: F401
from dchain.functions.math.clip import clip, Clip  # noqa: F401
from dchain.functions.math.cos import cos, Cos  # noqa: F401
from dchain.functions.math.cosh import cosh, Cosh  # noqa: F401
from dchain.functions.math.cumprod import cumprod, Cumprod  # noqa: F401
from dchain.functions.math.cumsum import cumsum, Cumsum  # noqa: F401
from dchain.functions.math.det import batch_det, det, BatchDet  # noqa: F401
from dchain.functions.math.digamma import digamma, DiGamma  # noqa: F401
from dchain.functions.math.einsum import einsum, EinSum  # noqa: F401
from dchain.functions.math.erf import erf, Erf  # noqa: F401
from dchain.functions.math.erfc import erfc, Erfc  # noqa: F401
from dchain.functions.math.erfcinv import erfcinv, ErfcInv  # noqa: F401
from dchain.functions.math.erfcx import erfcx, Erfcx  # noqa: F401
from dchain.functions.math.erfinv import erfinv, ErfInv  # noqa: F401
from dchain.functions.math.exp import exp, Exp  # noqa: F401
from dchain.functions.math.expm1 import expm1, Expm1  # noqa: F401
from dchain.functions.math.fft import fft, ifft, FFT  # noqa: F401
from dchain.functions.math.fix import fix  # noqa: F401
from dchain.functions.math.floor import floor  # noqa: F401
from dchain.functions.math.fmod import fmod, Fmod  # noqa: F401
from dchain.functions.math.inv import batch_inv, inv, BatchInv, Inv  # noqa: F401
from dchain.functions.math.lgamma import lgamma, LGamma  # noqa: F401
from dchain.functions.math.linear_interpolate import linear_interpolate, LinearInterpolate  # noqa: F401,E501
from dchain.functions.math.log import log, Log  # noqa: F401
from dchain.functions.math.log10 import log10, Log10  # noqa: F401
from dchain.functions.math.log1p import log1p, Log1p  # noqa: F401
from dchain.functions.math.log2 import log2, Log2  # noqa: F401
from dchain.functions.math.log_ndtr import log_ndtr, LogNdtr  # noqa: F401
from dchain.functions.math.logsumexp import logsumexp, LogSumExp  # noqa: F401
from dchain.functions.math.matmul import matmul, MatMul  # noqa: F401
from dchain.functions.math.max import max, Max  # noqa: F401
from dchain.functions.math.maximum import maximum, Maximum  # noqa: F401
from dchain.functions.math.mean import mean, Mean  # noqa: F401
from dchain.functions.math.min import min, Min  # noqa: F401
from dchain.functions.math.minimum import minimum, Minimum  # noqa: F401
from dchain.functions.math.ndtr import ndtr, Ndtr  # noqa: F401
from dchain.functions.math.ndtri import ndtri, Ndtri  # noqa: F401
from dchain.functions.math.polygamma import polygamma, PolyGamma  # noqa: F401
from dchain.functions.math.prod import prod, Prod  # noqa: F401
from dchain.functions.math.rsqrt import rsqrt, Rsqrt  # noqa: F401
from dchain.functions.math.scale import scale  # noqa: F401
from dchain.functions.math.sign import sign  # noqa: F401
from dchain.functions.math.sin import sin, Sin  # noqa: F401
from dchain.functions.math.sinh import sinh, Sinh  # noqa: F401
from dchain.functions.math.sqrt import sqrt, Sqrt  # noqa: F401
from dchain.functions.math.square import square, Square  # noqa: F401
from dchain.functions.math.squared_difference import squared_difference, SquaredDifference  # noqa: F401,E501
from dchain.functions.math.sum import sum, Sum  # noqa: F401
from dchain.functions.math.sum_to import sum_to, SumTo  # noqa: F401
from dchain.functions.math.tan import tan, Tan  # noqa: F401
from dchain.functions.math.tensordot import tensordot, TensorDot  # noqa: F401
from dchain.functions.math.zeta import zeta, Zeta  # noqa: F401
