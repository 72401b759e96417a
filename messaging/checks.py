from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register

from accounts.aliases import alias_random_length

ALIAS_DOMAIN_TOO_LONG_ID = "messaging.E001"


@register()
def check_alias_domain(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    """R1: aliases must stay unguessable, so the domain may not eat the random part."""
    domain = settings.MESSAGING_ALIAS_DOMAIN
    random_chars = alias_random_length(domain=domain, total_length=settings.MESSAGING_ALIAS_LENGTH)
    if random_chars < settings.MESSAGING_ALIAS_MIN_RANDOM_CHARS:
        return [
            Error(
                f"MESSAGING_ALIAS_DOMAIN {domain!r} leaves {random_chars} random characters in a "
                f"{settings.MESSAGING_ALIAS_LENGTH}-character alias; at least "
                f"{settings.MESSAGING_ALIAS_MIN_RANDOM_CHARS} are needed.",
                hint="Use a shorter alias domain.",
                id=ALIAS_DOMAIN_TOO_LONG_ID,
            )
        ]
    return []
