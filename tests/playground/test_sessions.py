"""Session store: fresh ids, idle expiry, a size cap, one request at a time per session."""

from __future__ import annotations

import threading
import time

import pytest

from nerve.playground.sessions import FairSlots, SessionStore
from nerve.playground.validation import RequestError


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_sessions_get_distinct_unguessable_ids():
    store = SessionStore()
    ids = {store.create().id for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 20 for i in ids)


def test_idle_sessions_are_dropped_after_the_timeout():
    clock = FakeClock()
    store = SessionStore(idle_timeout=60, clock=clock)
    old, recent = store.create(), store.create()
    clock.now = 50
    with store.use(recent.id):
        pass
    clock.now = 70  # old idle for 70 s, recent for 20 s
    assert store.sweep() == 1
    with pytest.raises(RequestError) as err:
        with store.use(old.id):
            pass
    assert err.value.status == 404
    with store.use(recent.id) as s:
        assert s is recent


def test_a_busy_session_is_not_dropped_while_in_use():
    clock = FakeClock()
    store = SessionStore(idle_timeout=10, clock=clock)
    s = store.create()
    with store.use(s.id):
        clock.now = 100
        assert store.sweep() == 0
    assert len(store) == 1


def test_the_cap_refuses_new_sessions_with_503_until_idle_ones_expire():
    clock = FakeClock()
    store = SessionStore(idle_timeout=30, max_sessions=2, clock=clock)
    store.create()
    store.create()
    with pytest.raises(RequestError) as err:
        store.create()
    assert err.value.status == 503
    clock.now = 31
    assert store.create() is not None and len(store) == 1


def test_requests_of_one_session_run_one_at_a_time():
    store = SessionStore()
    s = store.create()
    inside, overlaps = [], []

    def work():
        with store.use(s.id):
            if inside:
                overlaps.append(1)
            inside.append(1)
            time.sleep(0.01)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []


def test_delete_and_bad_arguments():
    store = SessionStore()
    s = store.create()
    assert store.delete(s.id) is True and store.delete(s.id) is False
    with pytest.raises(ValueError, match="idle_timeout"):
        SessionStore(idle_timeout=0)
    with pytest.raises(ValueError, match="max_sessions"):
        SessionStore(max_sessions=0)


def _wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def _run_through(slots: FairSlots, n: int, held: int) -> tuple[list[int], int]:
    """n threads arrive one by one (each queued before the next); returns (admission order, most inside)."""
    order, inside, most = [], [0], [0]
    guard = threading.Lock()
    release = threading.Event()

    def work(i):
        with slots:
            with guard:
                order.append(i)
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            release.wait(5)
            with guard:
                inside[0] -= 1

    threads = []
    for i in range(n):
        threads.append(threading.Thread(target=work, args=(i,)))
        threads[-1].start()
        _wait_until(lambda k=i + 1: len(order) == min(k, held) and len(slots._waiters) == max(0, k - held))
    release.set()
    for t in threads:
        t.join(5)
    return order, most[0]


def test_fair_slots_admit_waiters_in_arrival_order():
    order, most = _run_through(FairSlots(1), 8, held=1)
    assert order == list(range(8)) and most == 1


def test_fair_slots_cap_the_holders_and_give_every_slot_back():
    slots = FairSlots(2)
    order, most = _run_through(slots, 6, held=2)
    assert sorted(order) == list(range(6)) and most == 2
    with slots, slots:
        assert not slots._waiters and slots._free == 0
    assert slots._free == 2
    with pytest.raises(ValueError, match="at least one slot"):
        FairSlots(0)
