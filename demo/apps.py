from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: `seed_demo` plays demo stories through the real services (top layer)."""

    name = "demo"
    verbose_name = "Demo data"
