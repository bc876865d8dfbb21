"""Agendas and time plans are edited in the portal's own pages, where the draft lock and the versions are kept;
the admin only shows them."""

from django.contrib import admin

from .models import AgendaVersion, TimePlanVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgendaVersion)
class AgendaVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "number", "published_at", "published_by", "td_revision"]
    list_filter = ["meeting__study_group"]
    list_select_related = ["meeting__study_group", "published_by", "td_revision__document"]


@admin.register(TimePlanVersion)
class TimePlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "number", "published_at", "published_by"]
    list_filter = ["meeting__study_group"]
    list_select_related = ["meeting__study_group", "published_by"]
