"""Dataset iterators: minibatches in order or shuffled, serially or with worker processes."""
from dchain.iterators.multiprocess_iterator import MultiprocessIterator  # noqa: F401
from dchain.iterators.multithread_iterator import MultithreadIterator  # noqa: F401
from dchain.iterators.order_samplers import OrderSampler, ShuffleOrderSampler  # noqa: F401
from dchain.iterators.serial_iterator import SerialIterator  # noqa: F401
