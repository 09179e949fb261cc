"""Model compression: magnitude pruning kept through training, int8 weight quantization."""
from dchain.compression.pruning import MagnitudePruning, magnitude_prune, sparsity  # noqa
from dchain.compression.quantization import (QuantizedLink, quantize_int8,  # noqa: F401
                                             dequantize_int8, save_quantized, load_quantized)
