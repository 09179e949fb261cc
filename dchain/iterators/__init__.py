"""Dataset iterators: minibatches in order or shuffled, serially or with worker processes."""
from dchain.iterators.order_samplers import OrderSampler, ShuffleOrderSampler  # noqa: F401
from dchain.iterators.serial_iterator import SerialIterator  # noqa: F401
