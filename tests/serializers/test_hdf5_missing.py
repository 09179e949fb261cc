"""Without h5py, the HDF5 entry points say which extra to install (runs with or without it)."""
import os

import pytest

import dchain.links as L
from dchain import serializers
from dchain.serializers import hdf5 as hdf5_module


def test_missing_h5py_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setattr(hdf5_module, 'h5py', None)
    with pytest.raises(RuntimeError, match=r"dchain\[hdf5\]"):
        serializers.save_hdf5(str(tmp_path / 'm.h5'), L.Linear(2, 3))
    with pytest.raises(RuntimeError, match='h5py'):
        serializers.load_hdf5(str(tmp_path / 'm.h5'), L.Linear(2, 3))
    assert os.listdir(tmp_path) == []
