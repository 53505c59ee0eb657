from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public data"

    def ready(self) -> None:
        # The case record changes through the rrm workflow, the importer and the staff admin, all of
        # which save model instances; receivers on those models see every change without this app
        # reaching into the others' services (see public/signals.py).
        from public import signals
        from public.api import schema  # noqa: F401  (registers the API key with drf-spectacular)

        signals.connect_receivers()
