"""What makes a lab's session exact to undo: a list of actions replayed on a fresh network.

The network is deterministic for its seed, so replaying the same actions on a fresh one
gives the same run bit for bit: undo is "replay all but the last", reset "replay none".
:class:`tcplab.session.Session` (two hosts) and :class:`tcplab.session_many.ServerSession`
(a server and its clients) both are one; each says how to start afresh (``_fresh``) and
what an action does (``_apply``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["Replayable"]


class Replayable:
    """A session whose state is its ``actions`` replayed (a mixin)."""

    actions: list[tuple]

    def _fresh(self) -> None:           # pragma: no cover - each session has its own
        raise NotImplementedError

    def _apply(self, action: tuple) -> Any:   # pragma: no cover
        raise NotImplementedError

    def _rebuild(self, actions: list[tuple]) -> None:
        self._fresh()
        self.actions = []
        for action in actions:
            self._apply(action)
            self.actions.append(action)

    def do(self, *action) -> Any:
        """Apply one action and remember it; an action that raises is not remembered."""
        result = self._apply(tuple(action))
        self.actions.append(tuple(action))
        return result

    def undo(self) -> bool:
        """Take the last action back (False if there was none)."""
        if not self.actions:
            return False
        self._rebuild(self.actions[:-1])
        return True

    def reset(self) -> None:
        """Start again: same config, same seed, no actions."""
        self._rebuild([])
