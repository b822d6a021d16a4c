import numpy as np
import pytest
import torch

from skdl.neural_net._data import WEIGHT_KEY, BatchIterator, TensorDataset, as_tensor


def test_as_tensor_shares_writable_and_copies_readonly():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = as_tensor(a)
    a[0, 0] = 42
    assert t[0, 0] == 42  # shared memory, no copy
    ro = np.arange(6, dtype=np.float32).reshape(2, 3)
    ro.flags.writeable = False
    t = as_tensor(ro)
    assert t.data_ptr() != ro.ctypes.data
    fortran = np.asfortranarray(np.ones((3, 2), dtype=np.float32))
    assert as_tensor(fortran).is_contiguous()


@pytest.mark.parametrize("n, batch_size", [(10, 3), (10, 10), (10, 32), (1, 1)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_batch_iterator_visits_every_sample_once(n, batch_size, shuffle):
    ds = TensorDataset(torch.arange(n, dtype=torch.float32)[:, None], torch.arange(n))
    iterator = BatchIterator(ds, batch_size=batch_size, shuffle=shuffle)
    seen = torch.cat([yb for _, yb in iterator])
    assert sorted(seen.tolist()) == list(range(n))
    assert len(iterator) == len(list(iterator))
    assert all(len(yb) <= batch_size for _, yb in iterator)
    if not shuffle:
        assert seen.tolist() == list(range(n))


def test_batch_iterator_drop_last():
    ds = TensorDataset(torch.zeros(10, 1), torch.arange(10))
    batches = list(BatchIterator(ds, batch_size=4, drop_last=True))
    assert [len(yb) for _, yb in batches] == [4, 4]
    assert len(BatchIterator(ds, batch_size=4, drop_last=True)) == 2


def test_shuffle_follows_torch_seed():
    ds = TensorDataset(torch.zeros(50, 1), torch.arange(50))
    torch.manual_seed(3)
    a = torch.cat([yb for _, yb in BatchIterator(ds, 8, shuffle=True)])
    torch.manual_seed(3)
    b = torch.cat([yb for _, yb in BatchIterator(ds, 8, shuffle=True)])
    assert torch.equal(a, b) and not torch.equal(a, torch.arange(50))


def test_weights_travel_with_x_and_subset_keeps_rows():
    X = torch.arange(12, dtype=torch.float32).reshape(6, 2)
    ds = TensorDataset(X, torch.arange(6), torch.linspace(0, 1, 6))
    Xb, yb = ds[torch.tensor([4, 1])]
    assert set(Xb) == {"X", WEIGHT_KEY}
    assert Xb["X"].tolist() == [[8, 9], [2, 3]] and yb.tolist() == [4, 1]
    sub = ds.subset(np.array([5, 0]))
    assert sub.indices.tolist() == [5, 0] and sub.y.tolist() == [5, 0]
    assert len(sub) == 2 and sub.X.data_ptr() != X.data_ptr()
    assert TensorDataset(X)[0:2][1] is None
