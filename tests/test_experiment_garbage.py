"""An experiment lets each run's network go as soon as it is counted (tcplab.experiments
.garbage): a lesson's kernel no longer piles up a few hundred networks and traces.

A network and its hosts point at each other, so a run is freed only by the cycle
collector; these tests check that the experiments collect, that the collector's frozen
state is given back as it was, and that a run still kept by the student is not touched.
"""

import gc
import weakref

import pytest

from tcplab import Network
from tcplab.experiments import (stale_syn_experiment, syn_flood_experiment,
                                time_wait_experiment)
from tcplab.experiments.garbage import runs_let_go


def live_networks() -> int:
    return sum(isinstance(o, Network) for o in gc.get_objects())


def test_a_network_is_a_cycle_that_let_go_frees():
    with runs_let_go() as let_go:
        net = Network(seed=1)
        net.host("A")
        gone = weakref.ref(net)
        del net
        assert gone() is not None, "a network and its hosts form a cycle: only gc frees it"
        let_go()
        assert gone() is None


def test_a_run_still_held_is_kept():
    with runs_let_go() as let_go:
        a = Network(seed=1).host("A")       # the network is held through its host
        a.listen()
        let_go()
        assert a.state.name == "LISTEN" and a.network.hosts["A"] is a


@pytest.mark.parametrize("experiment, options", [
    (stale_syn_experiment, {"n": 6}),
    (time_wait_experiment, {"n": 4}),
    (syn_flood_experiment, {"n": 2, "rates": [1.0, 50.0]}),
])
def test_no_network_of_an_experiment_outlives_it(experiment, options):
    gc.collect()
    before = live_networks()
    gc.disable()                  # only the experiment's own collections may free them
    try:
        experiment(**options)
        assert live_networks() == before
    finally:
        gc.enable()


def test_the_collector_is_given_back_as_it_was():
    assert gc.get_freeze_count() == 0
    with runs_let_go():
        assert gc.get_freeze_count() > 0           # the kernel's objects are set aside
    assert gc.get_freeze_count() == 0
    gc.freeze()                                    # someone else's freeze stays theirs
    try:
        frozen = gc.get_freeze_count()
        with runs_let_go() as let_go:
            let_go()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
