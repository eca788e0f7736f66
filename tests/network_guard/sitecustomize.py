"""The network guard for processes the tests start (`python -m bot run` and its children):
Python imports `sitecustomize` from PYTHONPATH at start-up, and tests/conftest.py puts this
folder there. A connection to anywhere but this machine is refused, and its address is written
to $KYR_TEST_NETWORK_LOG, which the test reads to fail (the bot may swallow the error)."""

from tests_network_guard import install

install()
