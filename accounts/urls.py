"""/accounts/: sign-in, sign-out, password reset, invitations, the security page."""

from django.urls import path

from accounts import views

app_name = "accounts"

# Each prefix, written once, with the (route, view, name) of the pages below it.
ROUTES = {
    "": (
        ("", views.home, "home"),
        ("sign-in/", views.sign_in, "login"),
        ("sign-out/", views.sign_out, "logout"),
        ("invite/", views.invite, "invite"),
        ("invitations/<str:token>/", views.accept_invitation, "accept-invitation"),
    ),
    "password-reset/": (
        ("", views.password_reset, "password-reset"),
        ("sent/", views.password_reset_sent, "password-reset-sent"),
        ("<uidb64>/<token>/", views.password_reset_confirm, "password-reset-confirm"),
        ("done/", views.password_reset_complete, "password-reset-complete"),
    ),
    "security/": (
        ("", views.security, "security"),
        ("two-factor/", views.two_factor, "two-factor"),
        ("sessions/<int:session_id>/end/", views.end_session, "end-session"),
        ("tokens/<str:token_key>/revoke/", views.revoke_token, "revoke-token"),
    ),
}
urlpatterns = [
    path(prefix + route, view, name=name) for prefix, rows in ROUTES.items() for route, view, name in rows
]
