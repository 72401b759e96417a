from django.urls import reverse


def test_pages_are_served_under_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_remote_images_in_messages_are_not_loaded(client, db):
    """A remote image (a tracking pixel) would reveal when and from where a message was read."""
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "img-src 'self' data:;" in policy
    assert "https:" not in policy
