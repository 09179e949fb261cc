"""Reporter, report(), Summary and DictSummary."""
import numpy
import pytest

import dchain
from dchain import Variable


def test_report_with_observer_prefix_and_detached_variables():
    reporter = dchain.Reporter()
    model = object()
    reporter.add_observer('main', model)
    observation = {}
    x = Variable(numpy.array(2.0, dtype=numpy.float32))
    loss = x * 3
    with reporter.scope(observation):
        dchain.report({'loss': loss}, model)
        dchain.report({'lr': 0.1})
    assert set(observation) == {'main/loss', 'lr'}
    assert float(observation['main/loss'].array) == 6.0
    assert observation['main/loss'].creator is None  # graph not kept alive


def test_report_keeps_graph_when_configured():
    reporter = dchain.Reporter()
    observation = {}
    x = Variable(numpy.array(2.0, dtype=numpy.float32))
    with dchain.using_config('keep_graph_on_report', True), reporter.scope(observation):
        dchain.report({'y': x * 2})
    assert observation['y'].creator is not None


def test_report_unregistered_observer_is_an_error():
    reporter = dchain.Reporter()
    with reporter.scope({}):
        with pytest.raises(KeyError, match='not registered'):
            dchain.report({'a': 1}, object())


def test_report_without_reporter_is_a_no_op():
    dchain.report({'a': 1})
    with pytest.raises(RuntimeError, match='no reporter'):
        dchain.get_current_reporter()


def test_nested_reporters():
    outer, inner = dchain.Reporter(), dchain.Reporter()
    o1, o2 = {}, {}
    with outer.scope(o1):
        with inner.scope(o2):
            dchain.report({'a': 1})
        dchain.report({'b': 2})
    assert o1 == {'b': 2} and o2 == {'a': 1}


def test_summary_mean_std_and_weights():
    s = dchain.Summary()
    for v in (1.0, 2.0, 3.0, 4.0):
        s.add(v)
    mean, std = s.make_statistics()
    assert mean == pytest.approx(2.5)
    assert std == pytest.approx(numpy.std([1, 2, 3, 4]))
    w = dchain.Summary()
    w.add(Variable(numpy.array(1.0)), weight=3)
    w.add(numpy.array(5.0), weight=1)
    assert w.compute_mean() == pytest.approx(2.0)
    with pytest.raises(ValueError, match='empty'):
        dchain.Summary().compute_mean()
    with pytest.raises(ValueError, match='scalars'):
        dchain.Summary().add(numpy.ones(3))


def test_dict_summary():
    d = dchain.DictSummary()
    d.add({'loss': 1.0, 'acc': numpy.float32(0.5), 'name': 'skip', 'arr': numpy.ones(3)})
    d.add({'loss': 3.0, 'acc': (numpy.float32(1.0), 3)})
    mean = d.compute_mean()
    assert set(mean) == {'loss', 'acc'}
    assert mean['loss'] == pytest.approx(2.0)
    assert mean['acc'] == pytest.approx((0.5 + 3.0) / 4)
    stats = d.make_statistics()
    assert stats['loss.std'] == pytest.approx(1.0)
