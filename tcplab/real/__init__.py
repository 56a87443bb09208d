"""The real TCP of this machine, seen through two sockets on 127.0.0.1.

tcplab's hosts live in virtual time; this module asks the operating system's
own TCP.  :func:`real_story` opens a listening socket and a client socket on
the loopback address 127.0.0.1 (nothing ever leaves the machine), plays the
story of lesson 02 with socket calls, and after every step reads each side's
state as the kernel reports it, in two ways:

* ``TCP_INFO``: the socket option ``getsockopt(IPPROTO_TCP, TCP_INFO)``, whose
  first byte (``tcpi_state``) is the state of the connection behind a socket
  the program still holds (Linux);
* the kernel's table of connections, ``/proc/net/tcp`` (what ``ss -tan``
  prints; ``ss`` is the fallback when ``/proc`` is hidden): it lists
  connections that no socket holds any more, such as one in TIME-WAIT.

The same story is played on a tcplab :class:`~tcplab.network.Network` with
fixed ISNs (:func:`predict`), and the result (:class:`RealStory`) shows both
side by side, with a note for every difference.

Rules this module keeps (tests check them):

* only the address 127.0.0.1 is ever bound or connected to (:data:`LOOPBACK`),
  only ephemeral ports (port 0: the kernel chooses; the reopen story binds again
  the port the kernel chose for its first connection a moment before);
* every socket it opens is closed before :func:`real_story` returns, also when
  a step fails or the kernel is interrupted (``KeyboardInterrupt``);
* it starts no process, except ``ss`` when ``/proc/net/tcp`` cannot be read,
  with a timeout (``subprocess.run`` kills it on timeout or interrupt);
* it needs no root, and never waits for TIME-WAIT to end (60 s on Linux).

On macOS and Windows (no Linux ``TCP_INFO``, no ``/proc/net/tcp``) no socket is
opened: :func:`support` explains what cannot be shown, and the stories are replays
(below); with ``TCPLAB_REAL=live`` :func:`real_story` returns tcplab's prediction
alone there.

Two shorter stories go beyond lesson 02: :func:`time_wait_syn` (:mod:`.reopen`), a
client that connects again from the same port while the server's side is in
TIME-WAIT, next to tcplab's three ``time_wait_syn`` rules; and
:func:`abort_vs_close` (:mod:`.abort`), the orderly release against the abortive
one (``SO_LINGER`` 0), next to tcplab's ``close()`` and ``abort()``.

Where the stories cannot run live (the browser edition, a server that hides
/proc or refuses sockets, macOS, Windows; or ``TCPLAB_REAL=replay``), each
story replays a recording made on Linux by ``python tools/record_real.py``, and
says so on its first line: :func:`mode` decides, with the reason
(:mod:`.where`); :mod:`.recording` reads the recordings.  Lesson 10's
:func:`tshark` (:mod:`.wireshark`) shows Wireshark's own reading of a capture file the
same way: tshark live where it runs, its recorded output elsewhere.

The package: :mod:`.kernel` (sockets, TCP_INFO, the kernel's table),
:mod:`.story` (the story, tcplab's prediction, :class:`RealStory`),
:mod:`.explain` (the notes on every difference), :mod:`.tables` (showing them),
:mod:`.reopen` and :mod:`.abort` (the two shorter stories); :mod:`.production` (lesson 11:
CLOSE-WAIT and TIME-WAIT piling up, SO_REUSEADDR, a full listen backlog).
"""

from .kernel import (LINUX_STATES, LINUX_TIME_WAIT, LOOPBACK, PROC_NET_TCP, Observation, Row,
                     Support, explanation, kernel_rows, support, supported)
from .story import STORY, Prediction, RealStory, Step, StoryStep, predict, real_story
from .reopen import TimeWaitSyn, kernel_reopen, tcplab_rules, time_wait_syn
from .abort import Release, Releases, abort_vs_close, kernel_release, tcplab_release
from .production import Seen, switches, trouble
from .where import Mode, mode, tshark_mode
from .wireshark import Dissection, tshark

__all__ = [
    "LOOPBACK", "LINUX_STATES", "LINUX_TIME_WAIT", "PROC_NET_TCP", "STORY", "Support",
    "support", "supported", "explanation", "Observation", "Row", "Step", "Prediction",
    "RealStory", "predict", "real_story", "kernel_rows",
    "TimeWaitSyn", "time_wait_syn", "tcplab_rules", "kernel_reopen",
    "Release", "Releases", "abort_vs_close", "tcplab_release", "kernel_release",
    "Mode", "mode", "tshark_mode", "Dissection", "tshark", "Seen", "trouble", "switches",
]
