"""Fixtures shared by several test modules."""

import pytest


@pytest.fixture(scope="session")
def register_identifiers() -> set[str]:
    """The person and case identifiers of the sample register, to look for in notebook outputs."""
    from notebook_checks import SAMPLE, input_identifiers
    from salto_analysis import io

    register = io.load_register(io.find_input(SAMPLE, "register"))
    ids = input_identifiers([register], ("person_id", "case_id"))
    assert ids
    return ids
