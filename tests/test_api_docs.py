import pytest


@pytest.mark.django_db
def test_it_serves_swagger_ui_under_a_policy_that_refuses_inline_scripts(client):
    response = client.get("/api/docs/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in script_src and "<script src=" in response.content.decode()


@pytest.mark.django_db
def test_it_serves_swagger_uis_starting_script_as_a_file(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"] and b"SwaggerUIBundle" in response.content
