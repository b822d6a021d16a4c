"""Attributions of skdl nets through pipelines, mapped back to the user's input."""

import re

import numpy as np
import pytest
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl.datasets import simulate_motif_sequences
from skdl.inspection import attribute, in_silico_mutagenesis
from skdl.neural_net import (
    ConvNetClassifier,
    MLPNetClassifier,
    MLPNetRegressor,
    TransformerNetClassifier,
)
from skdl.nn import reverse_complement_one_hot
from skdl.preprocessing import KmerTokenizer, SequenceOneHotEncoder

GRADIENT_METHODS = ["saliency", "input_x_gradient", "integrated_gradients"]


@pytest.fixture(scope="module")
def data():
    return simulate_motif_sequences(
        300, length=40, prevalence=0.3, grammar="presence", random_state=0
    )


def _convnet(**params):
    return ConvNetClassifier(
        filters=(8,), kernel_size=9, max_epochs=4, random_state=0, **params
    )


@pytest.fixture(scope="module")
def net_pipeline(data):
    return make_pipeline(SequenceOneHotEncoder(), _convnet()).fit(
        data.sequences, data.target
    )


@pytest.fixture(scope="module")
def rc_pipeline(data):
    return make_pipeline(
        SequenceOneHotEncoder(), _convnet(reverse_complement="both")
    ).fit(data.sequences, data.target)


@pytest.mark.parametrize("method", [*GRADIENT_METHODS, "deeplift_shap", "ism"])
def test_pipeline_equals_bare_net_on_one_hot(data, net_pipeline, method):
    sequences = data.sequences[:6]
    piped = attribute(net_pipeline, sequences, method=method, random_state=0)
    onehot = net_pipeline[0].transform(sequences)
    bare = attribute(net_pipeline[-1], onehot, method=method, random_state=0)
    np.testing.assert_allclose(piped.attributions, bare.attributions, atol=1e-6)
    assert piped.attributions.shape == (6, 4, 40)
    assert piped.alphabet == bare.alphabet == "ACGT"
    assert piped.input == "channels"
    np.testing.assert_array_equal(piped.inputs, onehot)


def test_flattened_encoder_maps_back_to_positions_and_letters(data, net_pipeline):
    flat = make_pipeline(
        SequenceOneHotEncoder(flatten=True), _convnet(input_shape=(4, 40))
    ).fit(data.sequences, data.target)
    result = attribute(flat, data.sequences[:3], method="input_x_gradient")
    assert result.attributions.shape == (3, 4, 40)
    # Gradient x input is zero wherever the letter is absent.
    onehot = SequenceOneHotEncoder().fit_transform(data.sequences[:3])
    assert (result.attributions[onehot == 0] == 0).all()


def test_integrated_gradients_are_complete(data, net_pipeline):
    result = attribute(
        net_pipeline, data.sequences[:8], method="integrated_gradients", n_steps=200
    )
    log_proba = net_pipeline.predict_log_proba(data.sequences[:8])
    response = log_proba[:, 1] - log_proba[:, 0]
    zero = np.zeros((1, 4, 40), dtype=np.float32)
    log_zero = net_pipeline[-1].predict_log_proba(zero)
    change = response - (log_zero[0, 1] - log_zero[0, 0])
    total = result.attributions.sum(axis=(1, 2))
    # Completeness: the attributions add up to the change from the reference,
    # up to the reported convergence delta.
    np.testing.assert_allclose(total - change, result.convergence_delta, atol=1e-4)
    assert np.abs(result.convergence_delta).max() < 0.05 * np.abs(change).max()


def test_deeplift_shap_uses_each_sequences_dinucleotide_shuffles(data, net_pipeline):
    sequences = data.sequences[:4]
    a = attribute(net_pipeline, sequences, method="deeplift_shap", random_state=0)
    b = attribute(net_pipeline, sequences, method="deeplift_shap", random_state=0)
    c = attribute(net_pipeline, sequences, method="deeplift_shap", random_state=1)
    np.testing.assert_array_equal(a.attributions, b.attributions)
    assert not np.array_equal(a.attributions, c.attributions)
    assert a.convergence_delta.shape == (4,)
    # x input: only the sequence's own letters carry attributions.
    assert (a.attributions[a.inputs == 0] == 0).all()


def test_deeplift_is_complete_on_an_mlp():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    model = make_pipeline(
        StandardScaler(), MLPNetClassifier(max_epochs=10, random_state=0)
    ).fit(X, y)
    result = attribute(model, X.iloc[:5], method="deeplift_shap", baselines=X[:20])
    assert np.abs(result.convergence_delta).max() < 1e-4
    assert result.attributions.shape == (5, 30)
    assert list(result.feature_names[:2]) == ["mean radius", "mean texture"]


@pytest.mark.parametrize("method", [*GRADIENT_METHODS, "ism"])
def test_reverse_complement_both_mirrors_the_attributions(data, rc_pipeline, method):
    sequences = data.sequences[:4]
    onehot = rc_pipeline[0].transform(sequences)
    reverse = reverse_complement_one_hot(torch.as_tensor(onehot)).numpy()
    net = rc_pipeline[-1]
    forward = attribute(net, onehot, method=method).attributions
    backward = attribute(net, reverse, method=method).attributions
    mirrored = reverse_complement_one_hot(torch.as_tensor(backward)).numpy()
    np.testing.assert_allclose(forward, mirrored, rtol=1e-4, atol=1e-5)


def test_reverse_complement_deeplift_explains_both_strands(data, rc_pipeline):
    onehot = rc_pipeline[0].transform(data.sequences[:3])
    reverse = reverse_complement_one_hot(torch.as_tensor(onehot)).numpy()
    net = rc_pipeline[-1]
    # One reference, symmetric under reverse complement: the explanations of a
    # sequence and of its reverse complement mirror each other.
    reference = np.full((1, 4, 40), 0.25, dtype=np.float32)
    forward = attribute(net, onehot, method="deeplift_shap", baselines=reference)
    backward = attribute(net, reverse, method="deeplift_shap", baselines=reference)
    mirrored = reverse_complement_one_hot(torch.as_tensor(backward.attributions))
    np.testing.assert_allclose(forward.attributions, mirrored.numpy(), atol=1e-5)


def test_ism_method_is_the_mutagenesis_on_the_sequences_letters(data, net_pipeline):
    result = attribute(net_pipeline, data.sequences[:3], method="ism")
    ism = in_silico_mutagenesis(net_pipeline, data.sequences[:3])
    letters = ism.reference.argmax(axis=1)
    observed = np.take_along_axis(result.attributions, letters[:, None], 1)[:, 0]
    np.testing.assert_allclose(observed, -ism.position_effects)
    assert result.convergence_delta is None


def test_tokens_are_attributed_per_token_position(data):
    tokens = KmerTokenizer(k=3)
    model = make_pipeline(
        tokens,
        TransformerNetClassifier(
            vocab_size=tokens.vocab_size, d_model=16, max_epochs=2, random_state=0
        ),
    ).fit(data.sequences, data.target)
    for method in GRADIENT_METHODS:
        result = attribute(model, data.sequences[:3], method=method)
        assert result.attributions.shape == (3, 38)
        assert result.input == "tokens"
    result = attribute(model, data.sequences[:3], n_steps=100)
    assert np.abs(result.convergence_delta).max() < 0.05
    with pytest.raises(ValueError, match="no DeepLIFT rules for the attention"):
        attribute(model, data.sequences[:3], method="deeplift_shap")


def test_tabular_attributions_agree_with_permutation_importance():
    rng = np.random.RandomState(0)
    X = rng.randn(400, 5).astype(np.float32)
    y = 3 * X[:, 2] + 0.1 * rng.randn(400)
    model = MLPNetRegressor(max_epochs=60, random_state=0).fit(X[:300], y[:300])
    result = attribute(model, X[300:], method="integrated_gradients")
    per_feature = np.abs(result.attributions).mean(axis=0)
    permuted = permutation_importance(model, X[300:], y[300:], random_state=0)
    assert per_feature.argmax() == permuted.importances_mean.argmax() == 2
    np.testing.assert_array_equal(result.feature_names, [f"x{i}" for i in range(5)])
    assert result.response == "prediction"


def test_multiclass_targets_and_the_response_scale():
    X, y = load_breast_cancer(return_X_y=True)
    y3 = np.where(X[:, 0] > 15, 2, y)
    model = make_pipeline(
        StandardScaler(), MLPNetClassifier(max_epochs=5, random_state=0)
    ).fit(X, y3)
    with pytest.raises(ValueError, match=re.escape("pass target=<label>")):
        attribute(model, X[:3], method="saliency")
    result = attribute(model, X[:3], method="integrated_gradients", target=[0, 1, 2])
    np.testing.assert_array_equal(result.target, [0, 1, 2])
    assert "against the others" in result.response


def test_errors(data, net_pipeline):
    kmers = make_pipeline(SequenceOneHotEncoder(flatten=True), LogisticRegression())
    kmers.fit(data.sequences, data.target)
    with pytest.raises(TypeError, match="needs the gradients of a skdl net"):
        attribute(kmers, data.sequences[:2], method="saliency")
    # ISM needs no gradient: any sequence model is explained.
    assert attribute(kmers, data.sequences[:2], method="ism").attributions.shape == (
        2,
        4,
        40,
    )
    with pytest.raises(ValueError, match="one reference for all samples or one per"):
        attribute(
            net_pipeline,
            data.sequences[:3],
            method="integrated_gradients",
            baselines=data.sequences[:2],
        )
    with pytest.raises(ValueError, match="method"):
        attribute(net_pipeline, data.sequences[:2], method="lime")


def test_non_one_hot_channels_get_zero_references_for_deeplift(data):
    # A continuous 3-D signal is no sequence: no dinucleotide shuffle (every
    # column would be its own symbol and the "shuffle" the input itself).
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3, 20).astype(np.float32)
    y = (X[:, 0, 5:10].mean(axis=1) > 0.5).astype(int)
    net = ConvNetClassifier(filters=(4,), max_epochs=3, random_state=0).fit(X, y)
    result = attribute(net, X[:4], method="deeplift_shap")
    assert np.abs(result.attributions).max() > 0
    assert result.alphabet is None
    # The reference is all zeros: DeepLIFT's total is the change from it.
    zero = net.predict_log_proba(np.zeros((1, 3, 20), np.float32))
    log_proba = net.predict_log_proba(X[:4])
    change = (log_proba[:, 1] - log_proba[:, 0]) - (zero[0, 1] - zero[0, 0])
    np.testing.assert_allclose(
        result.attributions.sum(axis=(1, 2)) - change,
        result.convergence_delta,
        atol=1e-4,
    )


def test_mlp_after_a_flattened_encoder_maps_back_to_letters(data):
    model = make_pipeline(
        SequenceOneHotEncoder(flatten=True),
        MLPNetClassifier(max_epochs=3, random_state=0),
    ).fit(data.sequences, data.target)
    result = attribute(model, data.sequences[:3], method="integrated_gradients")
    assert result.attributions.shape == (3, 4, 40)
    assert result.input == "channels" and result.alphabet == "ACGT"
    assert (result.attributions[result.inputs == 0] == 0).all()


def test_the_fitted_module_and_the_input_are_left_as_they_were(data, net_pipeline):
    module = net_pipeline[-1].net_.module_
    module.train()
    onehot = net_pipeline[0].transform(data.sequences[:3])
    before = onehot.copy()
    result = attribute(net_pipeline[-1], onehot, method="saliency")
    assert all(m.training for m in module.modules())
    module.eval()
    np.testing.assert_array_equal(onehot, before)
    assert not np.shares_memory(result.inputs, onehot)
    assert torch.is_grad_enabled()


def test_padding_keeps_its_share_of_a_user_reference(data, net_pipeline):
    # Shorter sequences are padded with zeros; a user's reference has letters
    # there, and their attributions stay (the total is unchanged).
    short = np.array([s[:30] for s in data.sequences[:3]])
    reference = np.full((1, 4, 40), 0.25, dtype=np.float32)
    result = attribute(
        net_pipeline[-1],
        _pad(short),
        method="integrated_gradients",
        baselines=reference,
        n_steps=100,
    )
    net = net_pipeline[-1]
    log_proba = net.predict_log_proba(_pad(short))
    log_ref = net.predict_log_proba(reference)
    change = (log_proba[:, 1] - log_proba[:, 0]) - (log_ref[0, 1] - log_ref[0, 0])
    np.testing.assert_allclose(
        result.attributions.sum(axis=(1, 2)) - change,
        result.convergence_delta,
        atol=1e-4,
    )
    assert np.abs(result.attributions[:, :, 30:]).max() > 0


def _pad(sequences):
    return SequenceOneHotEncoder(length=40).fit_transform(sequences)
