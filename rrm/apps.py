from django.apps import AppConfig


class RrmConfig(AppConfig):
    name = "rrm"
    verbose_name = "RRM case record"
