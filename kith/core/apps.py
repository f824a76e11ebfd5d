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

        from django.tasks.signals import task_finished

        from kith.core.background import task_retry_or_give_up

        # A failed attempt of a task on the database queue goes back in it, with back-off.
        task_finished.connect(task_retry_or_give_up, dispatch_uid="kith_task_retry")
