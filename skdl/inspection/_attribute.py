"""Attributions of a fitted skdl net, mapped back to the input the user gave."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from sklearn.utils import Bunch, check_random_state

from skdl.inspection._common import (
    Response,
    first_encoder,
    resolve_response,
    split_pipeline,
)
from skdl.inspection._ism import in_silico_mutagenesis
from skdl.inspection._shuffle import dinucleotide_shuffle
from skdl.nn import ReverseComplementNet
from skdl.nn._reverse_complement import reverse_complement_one_hot
from skdl.utils._optional import import_captum
from skdl.utils._parallel import torch_threads, worker_threads
from skdl.utils._sklearn import Interval, StrOptions, validate_params

_CALLER = "attribute"
METHODS = (
    "saliency",
    "input_x_gradient",
    "integrated_gradients",
    "deeplift_shap",
    "ism",
)
#: Methods whose attributions are differences from a reference.
_REFERENCE_METHODS = ("integrated_gradients", "deeplift_shap")
#: Token of a k-mer that is not in the vocabulary (see KmerTokenizer): the
#: reference of integrated gradients for token input; padding (0) stays.
_UNKNOWN_TOKEN = 1


class _ResponseModule(torch.nn.Module):
    """A module's outputs combined linearly into the measured responses.

    Column ``k`` of ``weights`` turns the raw outputs into the response of
    output ``k`` (the target logit minus the mean of the other logits for a
    softmax classifier). The combination is linear, so DeepLIFT's rules and
    the completeness of integrated gradients carry over unchanged.
    """

    def __init__(self, module: torch.nn.Module, weights: NDArray[np.float64]) -> None:
        super().__init__()
        self.module = module
        self.register_buffer("weights", torch.as_tensor(weights, dtype=torch.float32))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        weights: torch.Tensor = self.weights  # type: ignore[assignment]
        return self.module(X) @ weights.to(X.device)


def _averages_strands(module: torch.nn.Module) -> bool:
    """Whether the module averages both strands when evaluated."""
    return isinstance(module, ReverseComplementNet) and module.mode in (
        "average",
        "both",
    )


def _embedding(module: torch.nn.Module) -> torch.nn.Module:
    for layer in module.modules():
        if isinstance(layer, torch.nn.Embedding):
            return layer
    raise ValueError(  # pragma: no cover - every token net embeds its tokens
        f"{_CALLER}: the network takes tokens but has no torch.nn.Embedding layer."
    )


def _net_input(model: Any, pre: Any, X: Any) -> NDArray[np.float32]:
    """``X`` as the network sees it: through the steps before it, validated.

    A copy: the result holds it, and the user's array is never aliased.
    """
    Xt = pre.transform(X) if pre is not None else X
    return np.array(model._validate_predict_data(Xt), copy=True)


def _one_hot_like(inputs: NDArray[Any]) -> bool:
    """Whether ``inputs`` are one-hot sequences ``(n, letters, length)``.

    Every position holds values in [0, 1] summing to 1 (a letter, or an
    ambiguity code spread over its letters) or to 0 (padding).
    """
    if inputs.ndim != 3 or not np.issubdtype(inputs.dtype, np.floating):
        return False
    if inputs.size and (inputs.min() < 0 or inputs.max() > 1):
        return False
    totals = inputs.sum(axis=1)
    return bool(np.all(np.isclose(totals, 1.0, atol=1e-5) | (totals == 0)))


def _as_sequences(
    estimator: Any, inputs: NDArray[Any], attributions: NDArray[Any], kind: str
) -> tuple[NDArray[Any], NDArray[Any], str]:
    """Put flattened one-hot rows back in shape ``(n, letters, length)``.

    An MLP after ``SequenceOneHotEncoder(flatten=True)`` reads each sequence
    as one row; its features are the encoder's letters at each position.
    """
    encoder = first_encoder(estimator)
    if kind != "features" or encoder is None or not encoder.flatten:
        return inputs, attributions, kind
    shape = (len(encoder.alphabet_), encoder.length_)
    if inputs.shape[1] != shape[0] * shape[1]:
        return inputs, attributions, kind
    return (
        inputs.reshape(len(inputs), *shape),
        attributions.reshape(len(attributions), *shape),
        "channels",
    )


def _input_kind(model: Any, inputs: NDArray[Any]) -> str:
    if getattr(model, "vocab_size", None) is not None:
        return "tokens"
    return "channels" if inputs.ndim >= 3 else "features"


def _names(
    estimator: Any, pre: Any, model: Any, kind: str, inputs: NDArray[Any]
) -> dict[str, Any]:
    """Name the parts of the input: sequence letters, or table features."""
    encoder = first_encoder(estimator)
    if kind == "channels":
        if encoder is not None:
            return {"alphabet": encoder.alphabet_}
        dna = inputs.ndim == 3 and inputs.shape[1] == 4 and _one_hot_like(inputs)
        return {"alphabet": "ACGT" if dna else None}
    if kind == "features":
        names = None
        if pre is not None and hasattr(pre, "get_feature_names_out"):
            try:
                names = np.asarray(pre.get_feature_names_out(), dtype=object)
            except (AttributeError, ValueError, TypeError):
                names = None
        elif hasattr(model, "feature_names_in_"):
            names = np.asarray(model.feature_names_in_, dtype=object)
        if names is None:
            names = np.asarray([f"x{i}" for i in range(model.n_features_in_)], object)
        return {"feature_names": names}
    return {}


def _baselines(
    method: str,
    kind: str,
    inputs: NDArray[np.float32],
    given: NDArray[np.float32] | None,
    n_baselines: int,
    random_state: Any,
) -> NDArray[np.float32]:
    """Return references, shaped ``(n_samples, n_references, *sample_shape)``."""
    n = len(inputs)
    if given is not None:
        if method == "integrated_gradients" and len(given) not in (1, n):
            raise ValueError(
                f"{_CALLER}: integrated_gradients takes one reference for all "
                f"samples or one per sample ({n}); got {len(given)} baselines."
            )
        if len(given) == n and method == "integrated_gradients":
            return given[:, None]
        return np.broadcast_to(given[None], (n, *given.shape))
    if kind == "tokens":
        reference = np.where(inputs == 0, 0, _UNKNOWN_TOKEN).astype(inputs.dtype)
        return reference[:, None]
    if method == "deeplift_shap" and _one_hot_like(inputs):
        return dinucleotide_shuffle(
            inputs, n_shuffles=n_baselines, random_state=random_state
        )
    return np.zeros((n, 1, *inputs.shape[1:]), dtype=inputs.dtype)


def _captum_attributions(
    method: str,
    network: _ResponseModule,
    kind: str,
    x: torch.Tensor,
    references: torch.Tensor,
    target: torch.Tensor,
    n_steps: int,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """One batch's attributions and convergence deltas (None without one)."""
    attr = import_captum(_CALLER)
    if kind == "tokens":
        layer = _embedding(network)
        if method == "integrated_gradients":
            ig = attr.LayerIntegratedGradients(network, layer)
            result, delta = ig.attribute(
                x,
                baselines=references[:, 0],
                target=target,
                n_steps=n_steps,
                return_convergence_delta=True,
            )
            return result.sum(dim=-1), delta
        multiply = method == "input_x_gradient"
        grads = attr.LayerGradientXActivation(
            network, layer, multiply_by_inputs=multiply
        ).attribute(x, target=target)
        return (grads.sum(dim=-1) if multiply else grads.abs().sum(dim=-1)), None
    if method == "saliency":
        return attr.Saliency(network).attribute(x, target=target, abs=True), None
    if method == "input_x_gradient":
        return attr.InputXGradient(network).attribute(x, target=target), None
    if method == "integrated_gradients":
        result, delta = attr.IntegratedGradients(network).attribute(
            x,
            baselines=references[:, 0],
            target=target,
            n_steps=n_steps,
            return_convergence_delta=True,
        )
        return result, delta
    return _deeplift_shap(attr, network, x, references, target)


def _deeplift_shap(
    attr: Any,
    network: _ResponseModule,
    x: torch.Tensor,
    references: torch.Tensor,
    target: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """DeepLIFT averaged over each sample's own references (DeepSHAP).

    captum's ``DeepLiftShap`` shares one set of references across a batch;
    DNA needs each sequence's own dinucleotide shuffles, so captum's
    ``DeepLift`` (its rules, not skdl's) runs once per reference, each sample
    paired with its own, and the results are averaged, as ``DeepLiftShap``
    does. A net that averages both strands calls its inner module twice, which
    DeepLIFT's hooks do not support; the linearity of the average lets each
    strand be explained by the inner module and the reverse strand's
    attributions be mapped back.
    """
    module = network.module
    strands = _averages_strands(module)
    inner = network
    if strands:
        weights: torch.Tensor = network.weights  # type: ignore[assignment]
        inner_module: torch.nn.Module = module.module  # type: ignore[assignment]
        inner = _ResponseModule(inner_module, weights.cpu().numpy()).to(x.device)
    deeplift = attr.DeepLift(inner)
    total = torch.zeros_like(x)
    deltas = torch.zeros(len(x), dtype=x.dtype, device=x.device)
    n_refs = references.shape[1]
    for k in range(n_refs):
        reference = references[:, k]
        result, delta = deeplift.attribute(
            x, baselines=reference, target=target, return_convergence_delta=True
        )
        if strands:
            reverse, reverse_delta = deeplift.attribute(
                reverse_complement_one_hot(x),
                baselines=reverse_complement_one_hot(reference),
                target=target,
                return_convergence_delta=True,
            )
            result = (result + reverse_complement_one_hot(reverse)) / 2
            delta = (delta + reverse_delta) / 2
        total += result
        deltas += delta
    return total / n_refs, deltas / n_refs


@validate_params(
    {
        "estimator": [object],
        "X": ["array-like"],
        "method": [StrOptions(set(METHODS))],
        "target": [object, None],
        "baselines": ["array-like", None],
        "n_baselines": [Interval(Integral, 1, None, closed="left")],
        "n_steps": [Interval(Integral, 2, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def attribute(
    estimator: Any,
    X: Any,
    *,
    method: str = "integrated_gradients",
    target: Any = None,
    baselines: Any = None,
    n_baselines: int = 20,
    n_steps: int = 50,
    batch_size: int = 64,
    random_state: Any = None,
) -> Bunch:
    """Attribute a fitted net's response to each part of its input.

    Works like :func:`sklearn.inspection.permutation_importance`: pass the
    fitted estimator (a skdl net, or a :class:`~sklearn.pipeline.Pipeline`
    whose last step is one) and the data as you would to ``predict``. The
    steps before the net are applied, and the attributions are mapped back to
    what you gave: per position and letter for sequences encoded by
    :class:`~skdl.preprocessing.SequenceOneHotEncoder` (flattened or not),
    per token position for :class:`~skdl.preprocessing.KmerTokenizer`, per
    feature (after the pipeline's preprocessing) for tables.

    The response explained is, for a classifier, the target class's logit
    minus the mean logit of the other classes (the log-odds for two classes);
    for a regressor, the target output. The gradient methods use captum
    (``pip install skdl[interpret]``); ``"ism"`` is
    :func:`in_silico_mutagenesis`, on the same response scale.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A fitted skdl net or a pipeline ending in one (``"ism"``: any fitted
        estimator that reads sequences).
    X : array-like
        Samples, as given to ``estimator.predict``.
    method : {"saliency", "input_x_gradient", "integrated_gradients", \
"deeplift_shap", "ism"}, default="integrated_gradients"
        - ``"saliency"``: the absolute gradient (Simonyan et al., 2014);
        - ``"input_x_gradient"``: gradient times input;
        - ``"integrated_gradients"``: the path integral of the gradient from
          a reference to the input (Sundararajan et al., 2017), ``n_steps``
          steps; its attributions sum to the response's change from the
          reference (``convergence_delta`` is the discrepancy);
        - ``"deeplift_shap"``: captum's DeepLIFT rescale rules (Shrikumar et
          al., 2017) averaged over ``n_baselines`` references per sample
          (DeepSHAP); for one-hot sequences the references are each
          sequence's dinucleotide shuffles (:func:`dinucleotide_shuffle`);
          not available for token input (no rules for attention);
        - ``"ism"``: minus the mean effect of the substitutions at each
          position, on the sequence's own letter.
    target : label, array-like of labels or None, default=None
        Class (or task) to explain, one for all samples or one per sample;
        for a regressor, an output index. None means the positive class
        ``classes_[1]`` of a binary classifier, or a regressor's only output.
    baselines : array-like or None, default=None
        References, given like ``X`` (raw sequences, table rows), for
        ``"integrated_gradients"`` (one row for all samples, or one per
        sample) and ``"deeplift_shap"`` (rows shared by all samples). None:
        all-zero input (for one-hot sequences, no letter; for standardized
        features, their training mean), the unknown token at every position
        of token input, and each sequence's dinucleotide shuffles for
        ``"deeplift_shap"``.
    n_baselines : int, default=20
        Shuffled references per sequence for ``"deeplift_shap"``.
    n_steps : int, default=50
        Integration steps of ``"integrated_gradients"``.
    batch_size : int, default=64
        Samples explained at once (integrated gradients evaluates ``n_steps``
        times as many inputs). ``"ism"`` sizes its batches of mutants itself
        (see :func:`in_silico_mutagenesis`).
    random_state : int, RandomState instance or None, default=None
        Seeds the dinucleotide shuffles.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``attributions``: ndarray of shape (n_samples, n_letters, length)
          for sequences, (n_samples, n_tokens) for tokens, or (n_samples,
          n_features) for tables;
        - ``convergence_delta``: ndarray of shape (n_samples,) for
          ``"integrated_gradients"`` and ``"deeplift_shap"``, else None;
        - ``inputs``: the net's input (one-hot, tokens or features);
        - ``alphabet`` (sequences) or ``feature_names`` (tables);
        - ``method``, ``target`` (per sample), ``response`` and ``input``
          (``"channels"``, ``"tokens"`` or ``"features"``).

    Notes
    -----
    For one-hot sequences, integrated gradients and DeepLIFT/SHAP explain the
    difference from a reference, so part of an attribution falls on letters
    that the reference has and the sequence has not. As in DeepLIFT's
    genomics examples, each position's attributions are summed over the
    letters and given to the sequence's own letter (spread over the letters
    of an ambiguity code); their total is unchanged. Saliency keeps a value
    for every letter (what the gradient says about each possible letter);
    to rank positions, sum the absolute attributions over the letters.

    ``convergence_delta`` says how far the attributions are from adding up
    to the response's change from the reference. It is near zero for MLPs;
    captum's DeepLIFT rule for max pooling is approximate, and on a ConvNet
    with max pooling the delta was about a fifth of the attributions' total
    in skdl's tests: read such attributions for ranking, not as exact shares.

    A net with ``reverse_complement="average"`` or ``"both"`` predicts the
    mean of its outputs on both strands; its attributions are those of that
    mean with respect to the forward strand, so a sequence and its reverse
    complement get mirrored attributions (reversed in position, complemented
    in letter), and a motif read on the minus strand shows at its
    forward-strand position as its reverse complement.

    For tables, :func:`sklearn.inspection.permutation_importance` (which
    works on skdl nets as on any estimator) measures how much the score drops
    when a feature is shuffled on held-out data, a global and model-agnostic
    answer; ``attribute`` explains each sample's prediction through the
    net's gradients. Use the first to rank features for a model, the second
    to see why a sample got its score.

    See Also
    --------
    in_silico_mutagenesis : Every single-letter substitution, scored.
    match_motifs : Match high-attribution segments to known motifs.
    plot_attribution_logo : Draw the attributions of one sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.neural_net import ConvNetClassifier
    >>> from skdl.preprocessing import SequenceOneHotEncoder
    >>> from skdl.inspection import attribute
    >>> rng = np.random.RandomState(0)
    >>> seqs = np.array(["".join(rng.choice(list("ACGT"), 20)) for _ in range(80)])
    >>> y = np.array([s[8:11] == "GAT" or "GAT" in s for s in seqs])
    >>> model = make_pipeline(SequenceOneHotEncoder(),
    ...                       ConvNetClassifier(filters=(8,), max_epochs=5,
    ...                                         random_state=0)).fit(seqs, y)
    >>> result = attribute(model, seqs[:3], method="input_x_gradient")
    >>> result.attributions.shape, result.alphabet
    ((3, 4, 20), 'ACGT')
    """
    if method == "ism":
        ism = in_silico_mutagenesis(estimator, X, target=target)
        contribution = ism.reference * np.nan_to_num(-ism.position_effects)[:, None]
        return Bunch(
            attributions=contribution,
            convergence_delta=None,
            inputs=ism.reference,
            alphabet=ism.alphabet,
            method=method,
            target=ism.target,
            response=ism.response,
            input="channels",
        )
    pre, model = split_pipeline(estimator, _CALLER)
    if not hasattr(model, "net_") or not hasattr(model, "_validate_predict_data"):
        raise TypeError(
            f"{_CALLER}: method={method!r} needs the gradients of a skdl net "
            f"(or a pipeline ending in one); got {type(model).__name__}. Use "
            "method='ism' for sequence models, or "
            "sklearn.inspection.permutation_importance for any model."
        )
    inputs = _net_input(model, pre, X)
    kind = _input_kind(model, inputs)
    if kind == "tokens" and method == "deeplift_shap":
        raise ValueError(
            f"{_CALLER}: method='deeplift_shap' has no DeepLIFT rules for the "
            "attention of a token transformer; use 'integrated_gradients'."
        )
    response = resolve_response(estimator, model, target, len(inputs), _CALLER)
    given = None if baselines is None else _net_input(model, pre, baselines)
    references = _baselines(
        method, kind, inputs, given, n_baselines, check_random_state(random_state)
    )
    attributions, delta = _run(
        model, method, kind, inputs, references, response, n_steps, batch_size
    )
    inputs, attributions, kind = _as_sequences(estimator, inputs, attributions, kind)
    if method in _REFERENCE_METHODS and _one_hot_like(inputs):
        # Attributions also fall on the reference's letters (x - reference is
        # -1 there); each position's total goes to the sequence's own letter,
        # as in DeepLIFT's genomics examples. Padding keeps its own, so the
        # sum over all is unchanged.
        letters = inputs.sum(axis=1, keepdims=True) > 0
        projected = attributions.sum(axis=1, keepdims=True) * inputs
        attributions = np.where(letters, projected, attributions)
    return Bunch(
        attributions=attributions,
        convergence_delta=delta,
        inputs=inputs,
        **{
            "alphabet": None,
            "feature_names": None,
            **_names(estimator, pre, model, kind, inputs),
        },
        method=method,
        target=response.labels,
        response=response.describe(),
        input=kind,
    )


def _run(
    model: Any,
    method: str,
    kind: str,
    inputs: NDArray[np.float32],
    references: NDArray[np.float32],
    response: Response,
    n_steps: int,
    batch_size: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """Explain ``inputs`` batch by batch on the net's device, deterministically."""
    device = torch.device(model.net_.device)
    module = model.net_.module_
    modes = {m: m.training for m in module.modules()}
    network = _ResponseModule(module, response.weights()).to(device)
    network.eval()
    pieces, deltas = [], []
    try:
        with (
            model._deterministic(None, device),
            torch_threads(worker_threads()),
            torch.enable_grad(),
            warnings.catch_warnings(),
        ):
            # captum announces at every call the hooks it sets on activations
            # and that it switched on the gradients of the input: both expected.
            for message in (".*hooks.*", ".*did not already require gradients.*"):
                warnings.filterwarnings("ignore", message=message, category=UserWarning)
            for begin in range(0, len(inputs), batch_size):
                part = slice(begin, begin + batch_size)
                result, delta = _captum_attributions(
                    method,
                    network,
                    kind,
                    torch.as_tensor(inputs[part], device=device),
                    torch.as_tensor(
                        np.ascontiguousarray(references[part]), device=device
                    ),
                    torch.as_tensor(response.index[part], device=device),
                    n_steps,
                )
                pieces.append(result.detach().cpu().numpy().astype(np.float64))
                if delta is not None:
                    deltas.append(delta.detach().cpu().numpy().astype(np.float64))
    finally:  # the fitted module is left as it was found
        for layer, training in modes.items():
            layer.training = training
    return np.concatenate(pieces), (np.concatenate(deltas) if deltas else None)
