"""nerve.layout: an array's axis order in memory, and bringing an array into another one's layout."""

import numpy as np

from nerve.layout import axis_order, in_layout_of


def channels_last(a):
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


def test_axis_order_reads_the_memory_layout():
    a = np.zeros((2, 3, 4, 5), np.float32)
    assert axis_order(a) == [0, 1, 2, 3]
    assert axis_order(channels_last(a)) == [0, 2, 3, 1]
    assert axis_order(a.T) == [3, 2, 1, 0]


def test_in_layout_of_copies_only_across_layouts_unless_asked():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    template = channels_last(np.zeros_like(a))
    moved = in_layout_of(a, template)
    np.testing.assert_array_equal(moved, a)
    assert moved is not a and moved.strides == template.strides
    same = channels_last(a)
    assert in_layout_of(same, template) is same
    copied = in_layout_of(same, template, copy=True)
    assert copied is not same and copied.strides == template.strides
    np.testing.assert_array_equal(copied, a)
    half = in_layout_of(a.astype(np.float64), template)  # keeps a's dtype
    assert half.dtype == np.float64 and axis_order(half) == [0, 2, 3, 1]
