"""The ladder of a host with several connections (issue 16): whose state each box is,
and one connection's own ladder."""

import xml.etree.ElementTree as ET

import pytest

from tcplab import Network, sequence_diagram

NS = "{http://www.w3.org/2000/svg}"


def boxes(diagram):
    """(host, text) of every state box, top first."""
    root = ET.fromstring(diagram.svg())
    out = []
    for g in root.iter(NS + "g"):
        if g.get("class") == "state":
            out.append((g.get("data-host"), g.find(NS + "text").text))
    return out


def arrows(diagram):
    root = ET.fromstring(diagram.svg())
    return [g for g in root.iter(NS + "g") if (g.get("class") or "").startswith("seg ")]


def server_with_two_clients():
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B")
    b.listen(port=80)
    first = a.connect("B", port=80, local_port=5000)
    second = a.connect("B", port=80, local_port=5001)
    net.run(until=1)
    first.close()
    net.run(until=2)
    return net, first, second


def test_each_state_box_names_its_socket_when_a_host_has_several():
    net, first, second = server_with_two_clients()
    shown = boxes(sequence_diagram(net, notation="numeric"))
    assert ("B", "80 LISTEN") in shown
    assert ("B", "80/A:5000 ESTABLISHED") in shown and ("B", "80/A:5001 ESTABLISHED") in shown
    assert ("B", "80/A:5000 CLOSE-WAIT") in shown
    assert ("A", "5000/B:80 FIN-WAIT-2") in shown
    assert not any(text in ("ESTABLISHED", "SYN-RECEIVED") for _host, text in shown)


def test_the_description_for_screen_readers_names_the_socket_too():
    net, _first, _second = server_with_two_clients()
    svg = sequence_diagram(net, notation="numeric").svg()
    assert "B enters ESTABLISHED (socket 80/A:5001)." in svg
    assert "B enters LISTEN (socket 80)." in svg


def test_a_picture_of_one_moment_says_so():
    net = Network(seed=0)
    net.host("A"), net.host("B")
    words = sequence_diagram(net).reading().summary
    assert words.startswith("The picture shows the moment t = 0 s.")
    assert "from 0 s to 0 s" not in words


def test_a_host_with_one_socket_keeps_plain_boxes():
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B")
    b.listen()
    a.connect("B")
    net.run(until=1)
    shown = boxes(sequence_diagram(net))
    assert ("A", "ESTABLISHED") in shown and ("B", "ESTABLISHED") in shown
    # one connection with ports: the client has one socket, the server two (the
    # listening socket and the connection it made)
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B")
    b.listen(port=80)
    a.connect("B", port=80, local_port=5000)
    net.run(until=1)
    shown = boxes(sequence_diagram(net))
    assert ("A", "ESTABLISHED") in shown and ("B", "80/A:5000 ESTABLISHED") in shown


def test_one_connections_ladder_draws_its_segments_and_its_two_ends_only():
    net, first, second = server_with_two_clients()
    whole = sequence_diagram(net, notation="numeric")
    mine = sequence_diagram(net, notation="numeric", connection=first)
    assert len(arrows(whole)) == 8 and len(arrows(mine)) == 5  # 3 + FIN and its ACK
    shown = boxes(mine)
    assert ("B", "80 LISTEN") in shown and ("B", "80/A:5000 CLOSE-WAIT") in shown
    assert not any("5001" in text for _host, text in shown)
    # the client end has one socket in this picture: plain boxes
    assert ("A", "FIN-WAIT-2") in shown
    # the server's end, or the socket pair written out, draws the same picture
    peer = next(c for c in net.hosts["B"].connections if c.remote == ("A", 5000))
    assert sequence_diagram(net, notation="numeric", connection=peer).svg() == mine.svg()
    pair = (("A", 5000), ("B", 80))
    assert sequence_diagram(net, notation="numeric", connection=pair).svg() == mine.svg()


def test_one_connections_ladder_draws_only_its_two_hosts():
    net = Network(seed=0)
    a, b, c = net.host("A"), net.host("B"), net.host("C")
    b.listen(port=80)
    conn = c.connect("B", port=80)
    a.connect("B", port=80)
    net.run(until=1)
    assert sequence_diagram(net, connection=conn).hosts == ["B", "C"]


@pytest.mark.parametrize("bad", ["A", 80, (("A", "x"), ("B", 80)), (("A", 1),)])
def test_a_connection_that_is_not_one_is_refused_in_words(bad):
    net, _first, _second = server_with_two_clients()
    with pytest.raises(TypeError, match="socket pair"):
        sequence_diagram(net, connection=bad)


def test_one_connections_letters_are_its_own():
    net, first, second = server_with_two_clients()
    svg = sequence_diagram(net, connection=second).svg()   # not the first connection's
    assert f"{second.local_port}→80 SYN, seq=x" in svg
    assert f"80→{second.local_port} SYN+ACK, seq=y, ack=x+1" in svg
