import pytest

from oneplan.knowledge.guidance import load_reference


@pytest.fixture
def knowledge_data(db):
    """The reference guidance and KPI library, as `oneplan load-reference` loads them."""
    return load_reference()
