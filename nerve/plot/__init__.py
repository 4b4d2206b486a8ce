"""matplotlib figures (headless-safe: every function returns a Figure and can save a PNG with ``path=``)."""

from __future__ import annotations

from .activations import ACTIVATION_NAMES, plot_activations
from .boundary import plot_decision_boundary
from .calculus import plot_gradient_field, plot_tangent, sum_of_squares, tangent_line
from .evaluation import plot_confusion_matrix, plot_pr_curve, plot_roc_curve
from .history import plot_history
from .images import plot_images
from .optimizer_paths import BOOK_LEARNING_RATES, elongated_bowl, optimizer_paths, plot_optimizer_paths
from .schedules import plot_lr_find, plot_schedules
from .sweep import plot_sweep
from .weights import plot_activation_histograms, plot_feature_maps, plot_filters

__all__ = [
    "plot_history", "plot_decision_boundary", "plot_activations", "ACTIVATION_NAMES", "plot_tangent",
    "tangent_line", "plot_gradient_field", "sum_of_squares", "optimizer_paths", "plot_optimizer_paths",
    "elongated_bowl", "BOOK_LEARNING_RATES", "plot_activation_histograms", "plot_filters", "plot_feature_maps",
    "plot_confusion_matrix", "plot_roc_curve", "plot_pr_curve", "plot_schedules", "plot_lr_find", "plot_images",
    "plot_sweep",
]
