from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Buyer-Seller Messaging"

    def ready(self) -> None:
        # The system checks register themselves; so do the tasks, which `messaging.jobs` queues
        # by name (a web process would not import them otherwise).
        from messaging import checks, tasks  # noqa: F401
        from messaging.notices import receivers  # noqa: F401  (connects the order notices)
