"""PDFs of agenda and time plan versions, rendered by WeasyPrint from the portal's own templates."""

from meetings.pdf import render_template_pdf


def agenda_pdf(meeting, version, tree) -> bytes:
    return render_template_pdf("agenda/pdf/agenda.html", {"meeting": meeting, "version": version, "tree": tree})


def time_plan_pdf(meeting, version, days) -> bytes:
    return render_template_pdf("agenda/pdf/time_plan.html", {"meeting": meeting, "version": version, "days": days})
