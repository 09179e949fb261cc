"""Configuration: using_config, thread locality, backprop modes."""
import importlib
import io
import threading

import numpy
import pytest

import dchain


def test_defaults():
    assert dchain.config.train is True
    assert dchain.config.enable_backprop is True
    assert dchain.config.type_check is True
    assert dchain.config.dtype == numpy.float32


def test_using_config_restores_value_even_on_error():
    with pytest.raises(KeyError):
        with dchain.using_config('train', False):
            assert dchain.config.train is False
            raise KeyError()
    assert dchain.config.train is True


def test_nested_using_config():
    with dchain.using_config('train', False):
        with dchain.using_config('train', True):
            assert dchain.config.train is True
        assert dchain.config.train is False


def test_config_is_thread_local():
    seen = []
    ready = threading.Event()
    done = threading.Event()

    def worker():
        with dchain.using_config('train', False):
            ready.set()
            done.wait(5)
            seen.append(dchain.config.train)

    t = threading.Thread(target=worker)
    t.start()
    assert ready.wait(5)
    assert dchain.config.train is True
    done.set()
    t.join(5)
    assert seen == [False]


def test_unknown_entry_is_a_clear_error():
    with pytest.raises(AttributeError, match='no entry .*known entries'):
        dchain.config.no_such_entry


def test_show_lists_entries():
    out = io.StringIO()
    dchain.config.show(out)
    assert 'enable_backprop' in out.getvalue() and 'type_check' in out.getvalue()


def test_dtype_env_validation(monkeypatch):
    # dchain.config is the configuration object; the module is reached through importlib.
    config_module = importlib.import_module('dchain.config')
    monkeypatch.setenv('DCHAIN_DTYPE', 'int32')
    with pytest.raises(ValueError, match='floating'):
        config_module._env_dtype('DCHAIN_DTYPE')
    monkeypatch.setenv('DCHAIN_DTYPE', 'float64')
    assert config_module._env_dtype('DCHAIN_DTYPE') == numpy.float64
