"""/accounts/: sign-in, sign-out, password reset, invitations, the security page."""

from django.urls import path

from accounts import views

app_name = "accounts"

# (route, view, name), by what the pages are for.
SIGNING_IN = (
    ("", views.home, "home"),
    ("sign-in/", views.sign_in, "login"),
    ("sign-out/", views.sign_out, "logout"),
    ("security/two-factor/", views.two_factor, "two-factor"),
)
PASSWORD_RESET = (
    ("password-reset/", views.password_reset, "password-reset"),
    ("password-reset/sent/", views.password_reset_sent, "password-reset-sent"),
    ("password-reset/<uidb64>/<token>/", views.password_reset_confirm, "password-reset-confirm"),
    ("password-reset/done/", views.password_reset_complete, "password-reset-complete"),
)
INVITATIONS = (
    ("invite/", views.invite, "invite"),
    ("invitations/<str:token>/", views.accept_invitation, "accept-invitation"),
)
SECURITY = (
    ("security/", views.security, "security"),
    ("security/sessions/<int:session_id>/end/", views.end_session, "end-session"),
    ("security/tokens/<str:token_key>/revoke/", views.revoke_token, "revoke-token"),
)
urlpatterns = [
    path(route, view, name=name)
    for route, view, name in (*SIGNING_IN, *PASSWORD_RESET, *INVITATIONS, *SECURITY)
]
