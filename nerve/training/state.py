"""The training state: where a ``fit`` is, as the progress bar, History and callbacks read it."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TrainingState"]


@dataclass
class TrainingState:
    """Where a run is: ``fit`` keeps it in ``model.training_state``; callbacks read ``self.model.training_state``.

    Attributes:
        epochs: the epoch ``fit`` stops before (its ``epochs`` argument).
        steps_per_epoch: batches per epoch, or None when an iterable does not say.
        initial_epoch: the epoch this run started at (``fit(initial_epoch=...)``, resumed runs).
        epoch: the current epoch, counted from 0.
        step: batches finished in the current epoch.
        samples: samples seen in the current epoch (this process's, when the batches are sharded).
        running_logs: the epoch's running averages (loss and metrics, weighted by batch size).
        global_step: batches finished in this run, across epochs.
    """

    epochs: int
    steps_per_epoch: int | None = None
    initial_epoch: int = 0
    epoch: int = 0
    step: int = 0
    samples: int = 0
    global_step: int = 0
    _sums: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def running_logs(self) -> dict[str, float]:
        """The epoch's running averages so far (a new dict on every read; made when read, not every step)."""
        return {k: v / self.samples for k, v in self._sums.items()}

    def begin_epoch(self, epoch: int) -> None:
        """Start ``epoch``: the step count and the running averages start again."""
        self.epoch, self.step, self.samples = epoch, 0, 0
        self._sums = {}

    def record_batch(self, logs: dict[str, float], size: int) -> None:
        """Add one finished batch of ``size`` samples to the running averages."""
        self.step += 1
        self.global_step += 1
        self.samples += size
        sums = self._sums
        for k, v in logs.items():
            sums[k] = sums.get(k, 0.0) + v * size
