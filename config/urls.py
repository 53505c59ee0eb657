from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import set_language
from config.health import healthz

allow_inline_styles = csp_update({"style-src": ["'unsafe-inline'"]})
swagger_ui = allow_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="schema"))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Staff sign in on the accounts page, which asks case officers for their authenticator code.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include(("config.api_v1", "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's starting script as a file, so the page keeps the CSP for
    # scripts; Swagger UI writes one inline style, allowed on this page only.
    path("api/docs/", swagger_ui, name="swagger-ui"),
    # Django's set_language, which also keeps a signed-in user's choice (accounts.views.set_language).
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("public.feeds")),
]

# The pages carry their language in the address (/en/…, /es/…), so that a link shows the page in the
# language it was shared in; an address without one is redirected to the visitor's language (the
# language cookie, then Accept-Language) by LocaleMiddleware. The API, admin, feeds and /healthz keep
# their addresses.
urlpatterns += i18n_patterns(path("", include("pages.urls")))
