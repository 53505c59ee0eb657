from pathlib import Path

from rrm.workflow import TRANSITIONS, mermaid_diagram

README = Path(__file__).resolve().parents[2] / "README.md"


def test_it_keeps_the_readme_diagram_equal_to_the_transitions_in_code():
    assert mermaid_diagram() in README.read_text(encoding="utf-8")


def test_it_draws_every_transition_from_every_source_stage():
    diagram = mermaid_diagram()
    for step in TRANSITIONS.values():
        for source in step.sources:
            assert f"    {source} --> {step.target}: {step.action}" in diagram
