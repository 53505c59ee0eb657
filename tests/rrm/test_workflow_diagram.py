from pathlib import Path

from rrm.workflow import TRANSITIONS, mermaid_diagram

WORKFLOW_DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_it_keeps_the_documented_diagram_equal_to_the_transitions_in_code():
    assert mermaid_diagram() in WORKFLOW_DOC.read_text(encoding="utf-8")


def test_it_draws_every_transition_from_every_source_stage():
    diagram = mermaid_diagram()
    for step in TRANSITIONS.values():
        for source in step.sources:
            assert f"    {source} --> {step.target}: {step.action}" in diagram
