"""The time-sequence (ladder) diagram of a network trace.

``sequence_diagram(net)`` draws what ``net.trace`` recorded so far as the
lecture draws a TCP conversation:

* one vertical time line per host (A left, B right, in the order the hosts
  were created); a name that segments are sent to or injected from but that
  has no host behind it gets a grey dashed line marked "(no host)";
* each segment an arrow from the moment it left its sender (on the sender's
  line) to the moment it arrived (on the receiver's line), so a long delay is
  a long slope; the label names it in the lecture's notation
  (``SYN, seq=x``) or with the numbers (``SYN seq=100``);
* a segment lost at random or dropped by a rule ends in a red cross
  half-way; a held segment is drawn dashed up to a "held" box, a dotted line
  waits below the box until the release, and the released segment leaves the
  box at the release time; a copy made by the network is a second, bowed
  arrow marked "duplicate"; a segment still on the wire at the end of the
  picture is a dashed line that stops at the bottom line ("in flight"); a
  segment that outlived MSL ends in a grey cross "expired (MSL)"; one sent to
  a name with no host ends in a grey cross "no such host";
* the state each host enters, in a small box beside its line at that time
  (the state in force at the top of the picture under the host's name);
* a time axis with ticks on the left.

Virtual time jumps (retransmission back-off, 2MSL of TIME-WAIT): a quiet
stretch longer than ``gap`` seconds (default: twice the network's one-way
delay) is drawn short, with broken-axis marks and its length ("≈ 60 s"), so a
handshake, a close and the whole TIME-WAIT fit on one screen.  Between the
quiet stretches the scale is linear: one delay is 44 px.

Long traces: ``start`` and ``end`` choose a window of virtual time (segments
that cross its edges are cut there); ``max_segments`` (default 60) stops the
picture before the segment after the 60th that leaves in the window, and says
so at the bottom (pass ``None`` for no limit).

The SVG is written here, by hand, without any dependency: real ``<text>``
(selectable), ``<title>`` and ``<desc>`` for screen readers, fixed precision
for every number, so the same trace always gives the same bytes.  Elements
carry classes (``seg``, ``arrow``, ``label``, ``cross``, ``held``, ``state``
...) and ``data-*`` attributes so that tests and widgets can read them back.

A lab redraws its ladder after every click: ``IncrementalLadder().draw(net, ...)``
(incremental.py) gives the same picture, byte for byte, reading only the records added
since its last draw and placing only the labels whose surroundings changed (memo.py).
"""

from .diagram import SequenceDiagram, sequence_diagram

__all__ = ["SequenceDiagram", "sequence_diagram"]
