"""Model compression: magnitude pruning kept through training, int8 weight quantization."""
from dchain.compression.pruning import (MagnitudePruning, Pruner, magnitude_prune,  # noqa
                                        sparsity)
from dchain.compression.quantization import (QuantizedLink, Quantizer, quantize_int8,  # noqa
                                             dequantize_int8, save_quantized, load_quantized)
