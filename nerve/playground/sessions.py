"""Per-tab sessions: each browser tab trains its own model; idle sessions are dropped after a while."""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator

from .validation import RequestError

__all__ = ["Session", "SessionStore", "FairSlots"]


class FairSlots:
    """At most ``n`` holders at once, admitted strictly in arrival order (``with slots: ...``).

    A ``threading.Semaphore`` wakes an arbitrary waiter, so under load some requests wait many turns while
    others wait none; here a released slot goes to the longest waiter, which keeps the slowest replies
    close to the typical one.
    """

    def __init__(self, n: int):
        if n < 1:
            raise ValueError(f"FairSlots: need at least one slot, got {n!r}")
        self._free = int(n)
        self._waiters: deque[threading.Lock] = deque()
        self._lock = threading.Lock()

    def __enter__(self) -> FairSlots:
        with self._lock:
            if self._free:
                self._free -= 1
                return self
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by __exit__ of the holder whose slot this waiter inherits
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()  # the slot passes straight to the longest waiter
            else:
                self._free += 1


class Session:
    """One tab's state: an id, a lock that serialises its requests, and the task it trains."""

    def __init__(self, session_id: str, now: float):
        self.id = session_id
        self.lock = threading.Lock()
        self.last_used = now
        self.task = None  # a RegressionTask or ClassificationTask once configured
        self.race = None  # an OptimizerRace of the classifier's configuration, once asked for

    def __repr__(self) -> str:
        return f"Session({self.id[:6]}..., task={type(self.task).__name__})"


class SessionStore:
    """Thread-safe map of session id -> :class:`Session` with idle expiry and a size cap.

    Args:
        idle_timeout: seconds without a request after which a session is dropped.
        max_sessions: most sessions held at once; creating one more answers HTTP 503.
        clock: time source (monotonic seconds); tests pass a fake one.
    """

    def __init__(self, idle_timeout: float = 900.0, max_sessions: int = 64,
                 clock: Callable[[], float] = time.monotonic):
        if not idle_timeout > 0:
            raise ValueError(f"SessionStore: `idle_timeout` must be > 0 seconds, got {idle_timeout!r}")
        if max_sessions < 1:
            raise ValueError(f"SessionStore: `max_sessions` must be >= 1, got {max_sessions!r}")
        self.idle_timeout = float(idle_timeout)
        self.max_sessions = int(max_sessions)
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def sweep(self) -> int:
        """Drop sessions idle for longer than ``idle_timeout`` (not those busy right now); return how many."""
        now = self._clock()
        with self._lock:
            stale = [sid for sid, s in self._sessions.items()
                     if now - s.last_used > self.idle_timeout and not s.lock.locked()]
            for sid in stale:
                del self._sessions[sid]
        return len(stale)

    def create(self) -> Session:
        """A new session with a fresh unguessable id."""
        self.sweep()
        with self._lock:
            if len(self._sessions) >= self.max_sessions:
                raise RequestError(f"too many open sessions ({self.max_sessions}); close a tab or wait "
                                   f"{int(self.idle_timeout)} s for idle ones to expire", status=503)
            session = Session(secrets.token_urlsafe(16), self._clock())
            self._sessions[session.id] = session
        return session

    def delete(self, session_id: str) -> bool:
        """Forget a session; True when it existed."""
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    @contextlib.contextmanager
    def use(self, session_id: str) -> Iterator[Session]:
        """Hold the session's lock for one request (requests of one tab run one at a time)."""
        self.sweep()
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            raise RequestError("unknown or expired session; reload the page to start a new one", status=404)
        with session.lock:
            session.last_used = self._clock()
            try:
                yield session
            finally:
                session.last_used = self._clock()
