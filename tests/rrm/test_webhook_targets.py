import pytest

from rrm.webhook_targets import NOT_ALLOWED, target_problem


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
    assert target_problem(url, allow_private=False) == NOT_ALLOWED


@pytest.mark.parametrize(
    "url",
    [
        "https://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
        "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
        "https://[64:ff9b:1::a00:1]/hook",  # local-use NAT64
        "https://[::127.0.0.1]/hook",  # IPv4-compatible
        "https://[::ffff:169.254.169.254]/hook",  # IPv4-mapped
        "https://[2002:a00:1::1]/hook",  # 6to4 of 10.0.0.1
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",  # Teredo of 127.0.0.1
        "https://224.0.0.1/hook",
        "https://[ff02::1]/hook",
    ],
)
def test_it_refuses_ipv6_forms_that_carry_a_private_ipv4_address_and_multicast(url):
    assert target_problem(url, allow_private=False) == NOT_ALLOWED


def test_it_accepts_nat64_of_a_public_ipv4_address():
    assert target_problem("https://[64:ff9b::5db8:d70e]/hook", allow_private=False) is None


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
