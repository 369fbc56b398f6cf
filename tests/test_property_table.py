"""The property table: kinks, linearity and the vector functions' coordinate views."""

import numpy as np
import pytest

from activation_lab import functions, properties, property_table


class Probe:
    def __init__(self, f, df):
        self.f, self.derivative = f, df

    def __call__(self, x):
        return self.f(np.asarray(x, dtype=float))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("relu", [(0.0, "kink")]), ("leaky_relu", [(0.0, "kink")]), ("selu", [(0.0, "kink")]),
     ("hard_tanh", [(-1.0, "kink"), (1.0, "kink")]), ("hard_sigmoid", [(-3.0, "kink"), (3.0, "kink")]),
     ("step", [(0.0, "jump")]), ("elu", []), ("gelu", []), ("mish", []), ("sigmoid", []), ("identity", [])],
)
def test_kinks_of_registered_functions(name, expected):
    assert property_table.kinks(functions.get(name)) == expected


def test_kinks_found_away_from_the_usual_places():
    assert property_table.kinks(Probe(lambda x: np.abs(x - 1.5), np.sign)) == [(1.5, "kink")]
    assert property_table.kinks(Probe(lambda x: np.where(x > -2.25, x, 0.0), np.ones_like)) == [(-2.25, "jump")]
    assert property_table.kinks(Probe(np.sin, np.cos)) == []


def test_only_affine_functions_pass_the_midpoint_test():
    assert property_table.is_linear(Probe(lambda x: 2 * x + 1, lambda x: 2 + 0 * x))
    assert not property_table.is_linear(Probe(lambda x: x**3, lambda x: 3 * x**2))
    assert not property_table.is_linear(functions.get("leaky_relu"))


def test_coordinate_views_of_softmax_and_log_softmax():
    x = np.linspace(-6, 6, 101)
    sigmoid = functions.get("sigmoid")
    softmax = property_table.coordinate(functions.get("softmax"))
    log_softmax = property_table.coordinate(functions.get("log_softmax"))
    assert np.allclose(softmax(x), sigmoid(x)) and np.allclose(softmax.derivative(x), sigmoid.derivative(x))
    assert np.allclose(log_softmax(x), -np.logaddexp(0, -x))
    assert np.allclose(log_softmax.derivative(x), 1 - sigmoid(x))
    measured = properties.measure(log_softmax)
    assert measured.saturates_right and not measured.saturates_left  # slope 1 - sigma(x) -> 1 on the left


def test_rows_cover_the_registry_and_the_html_table_has_one_row_each():
    table = property_table.rows()
    assert list(table) == functions.names()
    assert table["identity"]["non-linear"] == "no" and table["relu"]["non-linear"] == "yes"
    assert table["relu"]["kinks"] == "0" and table["step"]["kinks"] == "0 (jump)"
    text = property_table.html_table(table, labels={"relu": "ReLU <max>"}, caption="Properties")
    assert text.count("<tr>") == 1 + len(table) and text.count('<th scope="col">') == len(property_table.COLUMNS) + 1
    assert '<th scope="row">ReLU &lt;max&gt;</th>' in text and ">Properties</caption>" in text
    # Every element-wise entry's measured properties agree with the ones the registry declares.
    assert all(table[name]["agrees"] == "yes" for name in functions.ELEMENTWISE)
