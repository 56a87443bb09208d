"""Soak: one network carries hundreds of thousands of segments under loss, duplication and
jitter, connection after connection; no invariant breaks and memory stays flat."""

import random
import tracemalloc

from tcplab import Network, State


def test_soak_many_connections_under_faults():
    net = Network(seed=42, loss=0.05, duplicate=0.05, jitter=0.05, msl=2.0, record=False)
    a = net.host("A", time_wait=0.5)
    b = net.host("B", time_wait=0.5)
    rng = random.Random(7)
    sent_segments = 0
    memory = []
    tracemalloc.start()
    try:
        for cycle in range(700):
            b.listen()
            a.connect("B")
            up = rng.randbytes(rng.randrange(1, 80_000))
            down = rng.randbytes(rng.randrange(1, 80_000))
            before_a, before_b = len(a.received), len(b.received)
            a.send(up)                      # queued in SYN-SENT, sent once established
            while b.state is not State.ESTABLISHED and not net.idle:
                net.step()
            if b.state is State.ESTABLISHED:
                b.send(down)
            else:
                down = b""
            net.run(until=net.now + 60)
            if a.state in (State.ESTABLISHED, State.SYN_SENT, State.CLOSE_WAIT):
                a.close()
            while not net.idle:             # B closes as soon as A's FIN has arrived
                net.step()
                if b.state is State.CLOSE_WAIT:
                    b.close()
            # every byte once, in order, unless a side gave up and says so
            if a.error is None and b.error is None:
                assert b.received[before_b:] == up, cycle
                assert a.received[before_a:] == down, cycle
            else:
                assert b.received[before_b:] == up[:len(b.received) - before_b]
            assert net.idle
            assert a.state in (State.CLOSED,) and b.state in (State.CLOSED, State.LISTEN)
            if b.state is State.LISTEN:
                b.abort()
            # the applications' buffers are the test's, not TCP's: drop them
            a.endpoint._received.clear()
            b.endpoint._received.clear()
            a.endpoint.history[:] = a.endpoint.history[-1:]
            b.endpoint.history[:] = b.endpoint.history[-1:]
            a.endpoint.transitions.clear()
            b.endpoint.transitions.clear()
            if cycle in (50, 699):
                memory.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    sent_segments = net.counts["send"]
    print(f"soak: {sent_segments} segments sent, counts {net.counts}, growth {memory[1] - memory[0]} B")
    assert sent_segments > 200_000, sent_segments     # hundreds of thousands
    assert net.counts.get("lost", 0) > 5_000 and net.counts.get("duplicate", 0) > 5_000
    assert net.trace == [] and net.sent == []
    growth = memory[1] - memory[0]
    assert growth < 512 * 1024, f"memory grew by {growth} bytes over 650 connections"
