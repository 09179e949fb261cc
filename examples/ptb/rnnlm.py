"""The PTB tutorial's pieces: the LSTM language model, the parallel-sequence iterator and the
truncated-BPTT updater."""
import numpy

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import training


class RNNForLM(chainer.Chain):
    """Embedding -> two LSTM layers -> linear output over the vocabulary, dropout between."""

    def __init__(self, n_vocab, n_units, dropout=0.5):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.l1 = L.LSTM(n_units, n_units)
            self.l2 = L.LSTM(n_units, n_units)
            self.l3 = L.Linear(n_units, n_vocab)
        self.dropout = dropout
        for param in self.params():
            param.array[...] = numpy.random.uniform(-0.1, 0.1, param.shape)

    def reset_state(self):
        self.l1.reset_state()
        self.l2.reset_state()

    def forward(self, x):
        h0 = self.embed(x)
        h1 = self.l1(F.dropout(h0, self.dropout))
        h2 = self.l2(F.dropout(h1, self.dropout))
        return self.l3(F.dropout(h2, self.dropout))


class ParallelSequentialIterator(chainer.dataset.Iterator):
    """Batches of (current word, next word) read at ``batch_size`` evenly spaced offsets.

    Example ``i`` of every batch continues where example ``i`` of the previous batch
    stopped, so the LSTM state carried between batches follows a real text.
    """

    def __init__(self, dataset, batch_size, repeat=True):
        super().__init__()
        self.dataset = dataset
        self.batch_size = batch_size
        self.repeat = repeat
        length = len(dataset)
        self.offsets = [i * length // batch_size for i in range(batch_size)]
        self.reset()

    def reset(self):
        self.epoch = 0
        self.is_new_epoch = False
        # Calls of __next__, not parameter updates (BPTT takes bprop_len batches per update).
        self.iteration = 0
        self._previous_epoch_detail = -1.

    def __next__(self):
        length = len(self.dataset)
        if not self.repeat and self.iteration * self.batch_size >= length:
            raise StopIteration
        cur_words = self.get_words()
        self._previous_epoch_detail = self.epoch_detail
        self.iteration += 1
        next_words = self.get_words()
        epoch = self.iteration * self.batch_size // length
        self.is_new_epoch = self.epoch < epoch
        if self.is_new_epoch:
            self.epoch = epoch
        return list(zip(cur_words, next_words))

    @property
    def epoch_detail(self):
        return self.iteration * self.batch_size / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    def get_words(self):
        return [self.dataset[(offset + self.iteration) % len(self.dataset)]
                for offset in self.offsets]

    def serialize(self, serializer):
        self.iteration = serializer('iteration', self.iteration)
        self.epoch = serializer('epoch', self.epoch)
        self._previous_epoch_detail = serializer('previous_epoch_detail',
                                                 self._previous_epoch_detail)


class BPTTUpdater(training.updaters.StandardUpdater):
    """Truncated backprop through time: one update per ``bprop_len`` consecutive words."""

    def __init__(self, train_iter, optimizer, bprop_len, device):
        super().__init__(train_iter, optimizer, device=device)
        self.bprop_len = bprop_len
        self._epoch_detail_before_update = None

    @property
    def previous_epoch_detail(self):
        # The progress before the last *update*, which reads bprop_len batches. (The
        # iterator's own previous_epoch_detail is the progress before its last batch; an
        # epoch boundary crossed earlier in the update would go unnoticed by epoch triggers
        # that compare it with epoch_detail.)
        return self._epoch_detail_before_update

    def update_core(self):
        loss = 0
        train_iter = self.get_iterator('main')
        optimizer = self.get_optimizer('main')
        self._epoch_detail_before_update = train_iter.epoch_detail
        for _ in range(self.bprop_len):
            batch = train_iter.__next__()
            x, t = self.converter(batch, self.device)
            loss += optimizer.target(x, t)
        optimizer.target.cleargrads()
        loss.backward()
        # Cut the graph here: the LSTM state goes on, its history is dropped.
        loss.unchain_backward()
        optimizer.update()
