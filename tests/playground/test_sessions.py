"""Session store: fresh ids, idle expiry, a size cap, one request at a time per session."""

from __future__ import annotations

import threading
import time

import pytest

from nerve.playground.sessions import SessionStore
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
