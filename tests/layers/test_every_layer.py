"""Every registered layer passes the harness: gradients, float32, config and file round trips, clear errors."""

import pytest
from harness import SPECS, check_layer, registered_layers


@pytest.mark.parametrize("cls", registered_layers(), ids=lambda c: c.registered_name())
def test_layer_passes_the_harness(cls):
    check_layer(cls)


def test_every_spec_names_a_registered_layer():
    names = {c.registered_name() for c in registered_layers()}
    assert set(SPECS) <= names, f"specs for layers that no longer exist: {sorted(set(SPECS) - names)}"
