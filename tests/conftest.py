"""Fixtures shared by several test modules."""

import pytest


@pytest.fixture(scope="session")
def sample_identifiers() -> set[str]:
    """Every identifier of the sample inputs: persons and cases of the register, pupils and schools of the survey."""
    from notebook_checks import SAMPLE, input_identifiers
    from salto_analysis import io

    register = io.load_register(io.find_input(SAMPLE, "register"))
    survey = io.load_survey(io.find_input(SAMPLE, "survey"))
    ids = input_identifiers([register], ("person_id", "case_id")) | input_identifiers([survey], ("pupil_id",
                                                                                                  "school_id"))
    assert ids
    return ids
