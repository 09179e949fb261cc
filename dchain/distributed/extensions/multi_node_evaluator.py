"""Evaluation averaged over ranks: every rank evaluates its shard, the means are averaged."""
import types

import numpy

from dchain.variable import Variable


def _value(v):
    return float(numpy.asarray(v.array if isinstance(v, Variable) else v))


def create_multi_node_evaluator(actual_evaluator, communicator):
    """Make ``actual_evaluator`` report the mean over all ranks of each rank's result.

    Each rank evaluates its own part of the validation data (shard it with
    ``scatter_dataset``); ``evaluate`` then returns, on every rank, the average of the
    per-rank means. Every rank must report the same keys.
    """
    original = actual_evaluator.evaluate

    def evaluate(self):
        local = {key: _value(value) for key, value in original().items()}
        gathered = communicator.allgather_obj(sorted(local.items()))
        keys = [k for k, _ in gathered[0]]
        for rank, items in enumerate(gathered[1:], 1):
            if [k for k, _ in items] != keys:
                raise ValueError('evaluation keys differ between ranks: rank 0 reported {}, '
                                 'rank {} reported {}'.format(keys, rank,
                                                              [k for k, _ in items]))
        return {key: sum(dict(items)[key] for items in gathered) / communicator.size
                for key in keys}

    actual_evaluator.evaluate = types.MethodType(evaluate, actual_evaluator)
    return actual_evaluator
