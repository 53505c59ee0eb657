"""/accounts/: sign-in, sign-out, password reset, invitations, the security page."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("security/", views.security, name="security"),
    path("security/sessions/<int:session_id>/end/", views.end_session, name="end-session"),
    path("security/tokens/<str:token_key>/revoke/", views.revoke_token, name="revoke-token"),
    path("security/two-factor/", views.two_factor, name="two-factor"),
]
