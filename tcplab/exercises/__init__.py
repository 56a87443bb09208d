"""The workbook's exercises, one module per lesson; each registers with tcplab.checks."""
