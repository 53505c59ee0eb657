import pytest

from rrm.webhook_targets import target_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
    ],
)
def test_it_refuses_addresses_that_are_not_public(url):
    problem = target_problem(url, allow_private=False)
    assert problem is not None and "not a public address" in problem


def test_it_refuses_plain_http_outside_development():
    assert target_problem("http://93.184.215.14/hook", allow_private=False) == "Use an https:// address."


def test_it_accepts_https_to_a_public_address():
    assert target_problem("https://93.184.215.14/hook", allow_private=False) is None


def test_it_accepts_a_loopback_receiver_where_private_networks_are_allowed():
    assert target_problem("http://127.0.0.1:8123/hook", allow_private=True) is None


def test_it_refuses_an_address_without_a_host_or_of_another_scheme():
    assert (
        target_problem("ftp://example.org/x", allow_private=True)
        == "Use an https:// address with a host name."
    )
    assert target_problem("https:///path", allow_private=False) == "Use an https:// address with a host name."
