"""The miniature activation search: its space of candidates and its closed-form child task."""

import numpy as np
from scipy.special import expit

from activation_lab import data, search


def test_the_space_holds_every_unary_function_and_every_unordered_core_unit():
    space = search.candidates()
    u, b = len(search.UNARY), len(search.BINARY)
    assert len(space) == u + b * u * (u + 1) // 2
    x = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(space["mul(x, sigmoid(x))"](x), x * expit(x))
    np.testing.assert_allclose(space["max(x, relu(x))"](x), np.maximum(x, 0))
    np.testing.assert_allclose(space["relu(x)"](x), np.maximum(x, 0))


def _task():
    train, test = data.spirals(seed=0), data.spirals(seed=1)
    return train.X.double().numpy(), train.y.numpy(), test.X.double().numpy(), test.y.numpy()


def test_an_identity_hidden_layer_is_a_linear_least_squares_classifier():
    X, y, X_test, y_test = _task()
    # With the identity, the hidden layer spans affine functions of the input, so the fitted
    # readout is (up to the tiny ridge) ordinary least squares onto the one-hot labels.
    design = np.column_stack([X, np.ones(len(X))])
    coefficients, *_ = np.linalg.lstsq(design, np.eye(3)[y], rcond=None)
    expected = np.mean((np.column_stack([X_test, np.ones(len(X_test))]) @ coefficients).argmax(1) == y_test)
    accuracy = search.random_feature_accuracy(lambda z: z, X, y, X_test, y_test, seeds=range(3))
    np.testing.assert_allclose(accuracy, expected, atol=1e-9)


def test_scores_are_seeded_and_non_finite_activations_score_nan():
    task = _task()
    first = search.random_feature_accuracy(np.tanh, *task, seeds=range(3))
    np.testing.assert_array_equal(first, search.random_feature_accuracy(np.tanh, *task, seeds=range(3)))
    assert ((first > 0.5) & (first <= 1)).all()
    assert np.isnan(search.random_feature_accuracy(lambda z: np.exp(1000 * z), *task, seeds=range(2))).all()
