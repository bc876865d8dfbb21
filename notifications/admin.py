from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    actions = ["retry"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue the selected failed mails again"))
    def retry(self, request, queryset):
        count = services.retry_failed(queryset)
        self.message_user(
            request,
            ngettext("%d mail queued again.", "%d mails queued again.", count) % count,
            messages.SUCCESS,
        )
