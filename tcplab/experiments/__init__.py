"""The lessons' experiments: many connections on the toy network, counted.

A story shows what *can* happen once; an experiment plays the same story a few
hundred times with random delays and counts what *does* happen.  Each
experiment here is built from a single run that a notebook can also show on
its own (its network, its trace, its pictures):

stale_syn_run / stale_syn_experiment     lesson 03.  Old connection requests
    (已失效的连接请求报文段): A's SYNs are held in the network at random and
    come out at a random later time.  With the two-way handshake B opens
    connections nobody asked for and waits in them; with the three-way
    handshake it never does.
time_wait_run / time_wait_experiment     lesson 04.  Old duplicates and
    TIME-WAIT: a fast sender's segment takes a slow path (bounded by MSL, as
    every segment is); A reconnects after TIME-WAIT with a clock-driven ISN.
    With a short TIME-WAIT the old segment can land in the new connection's
    window and corrupt its data; with 2MSL it never can.
syn_flood_run / syn_flood_experiment     lesson 11.  A SYN flood from spoofed
    addresses fills the listening socket's SYN queue and a real client times
    out; with SYN cookies it gets in.  Shown as a plot of success rate against
    flood rate.

Everything is deterministic: the same arguments give the same numbers.
Results print as text tables and show as HTML tables in Jupyter
(:mod:`.show`, which also puts pictures :func:`side_by_side`).
"""

from .show import SideBySide, side_by_side
from .stale_syn import (StaleSynResult, StaleSynRow, StaleSynRun, stale_syn_experiment,
                        stale_syn_run)
from .time_wait import (TIME_WAIT_SETUP, TimeWaitResult, TimeWaitRow, TimeWaitRun,
                        lost_last_ack, time_wait_experiment, time_wait_run)
from .syn_flood import (FloodResult, FloodRow, FloodRun, syn_flood_experiment,
                        syn_flood_run)

__all__ = [
    "StaleSynRun", "StaleSynRow", "StaleSynResult", "stale_syn_run", "stale_syn_experiment",
    "TimeWaitRun", "TimeWaitRow", "TimeWaitResult", "time_wait_run", "time_wait_experiment",
    "lost_last_ack", "side_by_side", "TIME_WAIT_SETUP",
    "FloodRun", "FloodRow", "FloodResult", "syn_flood_run", "syn_flood_experiment",
]
