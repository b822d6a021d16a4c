"""Leak sentinel: no group and no identical sequence is ever on two sides.

Every entry point that splits data runs here on drawn group layouts, with
recorders that log which samples each model trains on, early-stops on,
calibrates on and is scored on:

- ``SentinelStep``, the first step of a pipeline, logs each fit's training
  samples and every later prediction;
- ``EarlyStoppingSentinel``, a callback of the net, logs both sides of its
  early-stopping split.

:func:`assert_no_leak` then checks that no merged group (the user's groups,
plus identical sequences ignoring case, merged by a union-find written here)
is on two sides of any split: training vs validation, training vs anything a
model predicts other than its own training data. A new entry point joins this
file, or it is not done (skdl issue 14). Two deliberately broken protocols
must fail the sentinel, so that a sentinel that sees nothing cannot pass.
"""

import contextlib
import itertools
import re
import warnings

import numpy as np
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback

from skdl.comparison import compare, label_shuffle_test
from skdl.conformal import SplitConformalNetClassifier, SplitConformalNetRegressor
from skdl.exceptions import SkdlWarning
from skdl.model_selection import (
    ChromosomeKFold,
    ChromosomeSplit,
    SimilarityGroupKFold,
    TrainTuneTestSplit,
)
from skdl.neural_net import ConvNetClassifier, MLPNetClassifier, MLPNetRegressor
from skdl.preprocessing import SequenceOneHotEncoder

LOG = []
_UIDS = itertools.count()


# ------------------------------------------------------------------ recorders
def _keys(X, upper=True):
    """Sample keys: the id column of a table, or the sequence (upper case)."""
    X = np.asarray(X)
    if X.ndim == 1:
        return [str(s).upper() if upper else str(s) for s in X]
    return X[:, 0].astype(int).tolist()


class SentinelStep(TransformerMixin, BaseEstimator):
    """Pipeline step that logs training samples and predicted samples."""

    def fit(self, X, y=None):
        self.uid_ = next(_UIDS)
        LOG.append(("fit", self.uid_, _keys(X)))
        return self

    def fit_transform(self, X, y=None, **params):
        return self.fit(X, y).transform_unlogged(X)

    def transform_unlogged(self, X):
        return X

    def transform(self, X):
        LOG.append(("predict", self.uid_, _keys(X)))
        return X


class EarlyStoppingSentinel(Callback):
    """Logs both sides of a net's early-stopping split, once per fit."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.logged_ = False

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kw):
        if self.logged_ or dataset_valid is None:
            return
        self.logged_ = True
        sides = []
        for dataset in (dataset_train, dataset_valid):
            if dataset.X.ndim == 2:  # a table: the id column
                sides.append(("keys", _keys(dataset.X.numpy())))
            else:  # encoded sequences: rows of the step's last training data
                sides.append(("positions", dataset.indices.tolist()))
        LOG.append(("early_stopping", None, sides))


def net(Estimator=MLPNetClassifier, **params):
    return Estimator(
        hidden_layer_sizes=(4,),
        max_epochs=2,
        early_stopping=True,
        validation_fraction=0.3,
        callbacks=[("sentinel", EarlyStoppingSentinel())],
        random_state=0,
        **params,
    )


def conv_net():
    return ConvNetClassifier(
        filters=(4,),
        kernel_size=3,
        max_epochs=2,
        early_stopping=True,
        validation_fraction=0.3,
        callbacks=[("sentinel", EarlyStoppingSentinel())],
        random_state=0,
    )


# ---------------------------------------------------------------- the check
def merged_groups(keys, groups):
    """Map each key to its merged group: user groups joined by shared keys.

    Written independently of skdl (a plain union-find), so the oracle does not
    share skdl's code.
    """
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for key, group in zip(keys, groups, strict=True):
        parent[find(("key", key))] = find(("group", group))
    return {key: find(("key", key)) for key in keys}


def assert_no_leak(log, group_of):
    """No merged group on two sides of a split; returns what it checked."""
    fits, last_fit, checked = {}, None, {"early_stopping": 0, "predict": 0}
    for kind, uid, payload in log:
        if kind == "fit":
            fits[uid] = last_fit = payload
            checked["fit"] = checked.get("fit", 0) + 1
        elif kind == "early_stopping":
            sides = []
            for how, values in payload:
                keys = values if how == "keys" else [last_fit[i] for i in values]
                sides.append({group_of[k] for k in keys})
            shared = sides[0] & sides[1]
            assert not shared, f"early-stopping split shares groups {shared}"
            checked["early_stopping"] += 1
        else:
            trained = fits[uid]
            if sorted(payload) == sorted(trained):
                continue  # scoring the model on its own training data
            shared = {group_of[k] for k in payload} & {group_of[k] for k in trained}
            assert not shared, f"a model predicts groups it trained on: {shared}"
            checked["predict"] += 1
    return checked


def assert_parts_disjoint(parts, group_of, keys):
    part_groups = [{group_of[keys[i]] for i in part} for part in parts]
    for a, b in itertools.combinations(range(len(parts)), 2):
        assert not part_groups[a] & part_groups[b], f"parts {a} and {b} share groups"


# ------------------------------------------------------------------ layouts
@st.composite
def tables(draw, min_groups=6, max_groups=9):
    """A table whose first column is the sample id, with drawn groups."""
    n_groups = draw(st.integers(min_groups, max_groups), label="n_groups")
    sizes = draw(st.lists(st.integers(3, 6), min_size=n_groups, max_size=n_groups))
    seed = draw(st.integers(0, 1000), label="seed")
    rng = np.random.RandomState(seed)
    groups = np.repeat(np.arange(n_groups), sizes)
    # Group labels of any kind: shuffled names, not positions.
    names = rng.permutation([f"patient{g}" for g in range(n_groups)])
    n = len(groups)
    X = np.c_[np.arange(n), rng.randn(n, 2)].astype(np.float32)
    y = np.arange(n) % 2  # both classes in every group...
    if draw(st.booleans(), label="shuffled labels"):
        y = rng.permutation(y)  # ...or anywhere
    return X, y, names[groups]


@st.composite
def sequence_sets(draw):
    """DNA sequences on chromosomes, some copied (in another case) elsewhere."""
    seed = draw(st.integers(0, 1000), label="seed")
    n_copies = draw(st.integers(1, 3), label="n_copies")
    rng = np.random.RandomState(seed)
    n = 64
    seqs = np.array(["".join(rng.choice(list("ACGT"), 12)) for _ in range(n)])
    chrom = np.array([f"chr{c}" for c in np.arange(n) % 16])
    for i in range(n_copies):  # a copy on another chromosome
        j = (i * 7 + 3) % n
        seqs[j] = seqs[i].lower()
    y = (np.arange(n) // 16 + np.arange(n)) % 2  # both classes on every chromosome
    return seqs, y, chrom


FEW = settings(max_examples=3, deadline=None)


@contextlib.contextmanager
def quiet():
    """Silence the hold-out's stratification warnings on tiny layouts."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)
        yield


# ------------------------------------------------------------------ compare
@pytest.mark.parametrize("search", ["random", "grid", "halving"])
@pytest.mark.parametrize("n_permutations", [0, 1])
@FEW
@given(data=st.data())
def test_compare(search, n_permutations, data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    # Halving fits its first round on a third of each training part, which
    # must still hold two groups for early stopping.
    layout = tables(12, 16) if search == "halving" else tables()
    X, y, groups = data.draw(layout, label="table")
    pipe = make_pipeline(SentinelStep(), net())
    grid = {"mlpnetclassifier__lr": [1e-3, 1e-2]}
    compare(
        {"net": (pipe, grid)},
        X,
        y,
        groups=groups,
        cv=3,
        inner_cv=2,
        search=search,
        n_iter=2,
        n_permutations=n_permutations,
        refit=True,
    )
    checked = assert_no_leak(LOG, merged_groups(_keys(X), groups))
    # Every net fit held out whole groups for early stopping: it got them.
    assert checked["early_stopping"] == checked["fit"] > 0 and checked["predict"] > 0


@FEW
@given(data=sequence_sets())
def test_compare_on_sequences_with_copies(data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    seqs, y, chrom = data
    pipe = make_pipeline(SentinelStep(), SequenceOneHotEncoder(), conv_net())
    with pytest.warns(match="merged so that no copy is ever on both sides"):
        compare(
            {"conv": (pipe, {"convnetclassifier__lr": [1e-3]})},
            seqs,
            y,
            groups=chrom,
            cv=3,
            inner_cv=2,
            n_permutations=1,
            # The explanation predicts mutants of held-out sequences, which
            # belong to no group; it fits nothing, so there is nothing to leak.
            explain=False,
        )
    checked = assert_no_leak(LOG, merged_groups(_keys(seqs), chrom))
    assert checked["early_stopping"] == checked["fit"] > 0 and checked["predict"] > 0


# --------------------------------------------------------------- conformal
@pytest.mark.parametrize(
    "Adapter, Net",
    [
        (SplitConformalNetClassifier, MLPNetClassifier),
        (SplitConformalNetRegressor, MLPNetRegressor),
    ],
)
@pytest.mark.parametrize("in_pipeline", [False, True])
@FEW
@given(data=tables())
def test_conformal_adapters(Adapter, Net, in_pipeline, data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    X, y, groups = data
    estimator = net(Net)
    if in_pipeline:
        estimator = make_pipeline(SentinelStep(), estimator)
    target = y if Net is MLPNetClassifier else y + X[:, 1]
    adapter = Adapter(estimator, confidence_level=0.5, random_state=0).fit(
        X, target, groups=groups
    )
    group_of = merged_groups(_keys(X), groups)
    keys = _keys(X)
    assert_parts_disjoint(
        [adapter.train_indices_, adapter.calibration_indices_], group_of, keys
    )
    checked = assert_no_leak(LOG, group_of)
    assert checked["early_stopping"] == 1
    assert checked["predict"] == (1 if in_pipeline else 0)  # the calibration


@FEW
@given(data=sequence_sets())
def test_conformal_on_sequences_with_copies(data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    seqs, y, chrom = data
    pipe = make_pipeline(SentinelStep(), SequenceOneHotEncoder(), conv_net())
    adapter = SplitConformalNetClassifier(
        pipe, confidence_level=0.5, random_state=0
    ).fit(seqs, y, groups=chrom)
    group_of = merged_groups(_keys(seqs), chrom)
    assert_parts_disjoint(
        [adapter.train_indices_, adapter.calibration_indices_], group_of, _keys(seqs)
    )
    checked = assert_no_leak(LOG, group_of)
    assert checked == {"fit": 1, "early_stopping": 1, "predict": 1}


# ------------------------------------------------------------ the splitters
@pytest.mark.parametrize("layout", [tables, sequence_sets], ids=["table", "seqs"])
@settings(max_examples=20, deadline=None)
@given(data=st.data(), use_groups=st.booleans())
def test_train_tune_test_split(layout, data, use_groups):
    X, y, groups = data.draw(layout(), label="layout")
    protocol = TrainTuneTestSplit(0.25, 0.25, random_state=0)
    g = groups if use_groups else None
    with quiet():
        ((train, tune),) = protocol.split(X, y, groups=g)
        test = protocol.test_indices(X, y, groups=g)
    keys = _keys(X)  # sequences: their copies count as one group
    group_of = merged_groups(keys, groups if use_groups else keys)
    assert_parts_disjoint([train, tune, test], group_of, keys)


@settings(max_examples=20, deadline=None)
@given(data=sequence_sets(), k=st.integers(6, 12))
def test_similarity_group_kfold(data, k):
    seqs, y, chrom = data
    with quiet():
        folds = list(SimilarityGroupKFold(n_splits=3, k=k).split(seqs, y, chrom))
    keys = _keys(seqs)
    group_of = merged_groups(keys, chrom)
    for train, test in folds:
        assert_parts_disjoint([train, test], group_of, keys)


@settings(max_examples=20, deadline=None)
@given(data=tables())
def test_chromosome_splitters(data):
    X, y, groups = data
    chrom = np.char.replace(groups.astype(str), "patient", "chr")
    keys = _keys(X)
    group_of = merged_groups(keys, chrom)
    splitters = [ChromosomeKFold(n_splits=3), ChromosomeSplit(chrom[0])]
    for splitter in splitters:
        for train, test in splitter.split(X, y, groups=chrom):
            assert_parts_disjoint([train, test], group_of, keys)


def test_scaffold_kfold():
    pytest.importorskip("rdkit")
    from skdl.model_selection import ScaffoldKFold

    smiles = np.array(
        ["c1ccccc1O", "c1ccccc1N", "C1CCCCC1O", "CCO", "CCN", "C1CC1C", "c1ccncc1"] * 3
    )
    batches = np.arange(21) % 7  # three copies of each molecule, one batch each
    keys = _keys(smiles, upper=False)  # identical SMILES (case matters)
    group_of = merged_groups(keys, batches)
    for train, test in ScaffoldKFold(n_splits=2).split(smiles, groups=batches):
        assert_parts_disjoint([train, test], group_of, keys)


# ------------------------------------------------ plain scikit-learn searches
@FEW
@given(data=tables())
def test_grid_search_with_metadata_routing(data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    X, y, groups = data
    pipe = make_pipeline(SentinelStep(), net())
    search = GridSearchCV(pipe, {"mlpnetclassifier__lr": [1e-3]}, cv=GroupKFold(3))
    with sklearn.config_context(enable_metadata_routing=True):
        search.fit(X, y, groups=groups)
    checked = assert_no_leak(LOG, merged_groups(_keys(X), groups))
    assert checked["early_stopping"] == 4 and checked["predict"] > 0


@FEW
@given(data=tables())
def test_label_shuffle_test_within_groups_reaches_a_bare_net(data):
    LOG.clear()  # one log per run (hypothesis runs several per call)
    X, y, groups = data
    y = np.random.RandomState(0).permutation(y)  # labels vary inside groups
    with quiet():
        label_shuffle_test(
            net(),
            X,
            y,
            groups=groups,
            cv=GroupKFold(3),
            n_permutations=1,
            within_groups=True,
        )
    checked = assert_no_leak(LOG, merged_groups(_keys(X), groups))
    assert checked["early_stopping"] == 6


# ------------------------------------------------- the sentinel must see leaks
def test_sentinel_catches_a_search_without_routing():
    LOG.clear()  # one log per run (hypothesis runs several per call)
    # scikit-learn's documented behaviour without routing: groups reach the
    # search's splitter only, and the net's early stopping splits patients.
    X, y, groups = _fixed_table()
    pipe = make_pipeline(SentinelStep(), net())
    search = GridSearchCV(pipe, {"mlpnetclassifier__lr": [1e-3]}, cv=GroupKFold(3))
    search.fit(X, y, groups=groups)
    with pytest.raises(AssertionError, match="early-stopping split shares groups"):
        assert_no_leak(LOG, merged_groups(_keys(X), groups))


def test_sentinel_catches_a_leaky_outer_cv():
    LOG.clear()  # one log per run (hypothesis runs several per call)
    X, y, groups = _fixed_table()
    pipe = make_pipeline(SentinelStep(), net())
    compare(
        {"net": (pipe, {})},
        X,
        y,
        groups=groups,
        cv=KFold(3, shuffle=True, random_state=0),
        inner_cv=2,
    )
    with pytest.raises(AssertionError, match=re.escape("predicts groups it trained")):
        assert_no_leak(LOG, merged_groups(_keys(X), groups))


def _fixed_table():
    rng = np.random.RandomState(0)
    groups = np.repeat([f"p{g}" for g in range(8)], 6)
    X = np.c_[np.arange(48), rng.randn(48, 2)].astype(np.float32)
    return X, np.tile([0, 1], 24), groups
