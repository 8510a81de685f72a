"""Helpers shared by the test suite's folders (imported as ``support``: pytest puts
``tests/`` on the path through ``tests/conftest.py``)."""
