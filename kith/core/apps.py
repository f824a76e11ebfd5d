from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kith.core"
    label = "core"
    verbose_name = "Kith core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from kith.core.staff_sessions import on_user_logged_in, on_user_logged_out

        # Every way of signing in ends in django.contrib.auth.login; see kith.core.staff_sessions.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="kith_staff_session_start")
        user_logged_out.connect(on_user_logged_out, dispatch_uid="kith_staff_session_finish")
