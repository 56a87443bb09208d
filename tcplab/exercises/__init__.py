"""The workbook's exercises, one module per lesson; each registers with tcplab.grading.

:data:`MODULES` is the order in which :func:`tcplab.checks.exercises` lists
them (the order they have always been listed in); a module not named here
comes after, alphabetically.
"""

MODULES = ("handshake", "close", "close_traces", "state_machine", "state_machine_words",
           "corner_cases",
           "corner_closing", "corner_lab", "proving", "real", "stale_syn", "time_wait",
           "wireshark", "production")
