from django.contrib import admin

from .models import DigestSubscription, Document, DocumentFile, NumberSeries, Revision, TdDraft, TdDraftFile


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["number", "created_at", "created_by", "is_late", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "source", "meeting", "is_late", "withdrawn_at"]
    list_filter = ["kind", "study_group", "study_period", "is_late"]
    search_fields = ["title", "source", "number"]
    list_select_related = ["meeting__study_group", "study_group"]
    raw_id_fields = ["meeting", "posted_by", "withdrawn_by", "source_entity"]
    readonly_fields = ["kind", "number", "series", "study_group", "study_period", "latest_revision"]
    inlines = [RevisionInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    list_display = ["name", "original_name", "size", "sha256"]
    search_fields = ["name", "original_name", "sha256"]
    raw_id_fields = ["revision"]
    readonly_fields = ["file", "size", "sha256", "content_type", "extension"]


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    list_display = ["study_group", "study_period", "kind", "scope", "last_number"]
    readonly_fields = ["last_number"]


class TdDraftFileInline(admin.TabularInline):
    model = TdDraftFile
    extra = 0
    fields = ["original_name", "size", "sha256"]
    readonly_fields = fields
    can_delete = False


@admin.register(TdDraft)
class TdDraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sender_email", "channel", "state", "received_at"]
    list_filter = ["state", "channel"]
    raw_id_fields = ["meeting", "submitted_by", "decided_by", "document"]
    inlines = [TdDraftFileInline]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "meeting", "last_digest_day"]
    raw_id_fields = ["user", "meeting"]
