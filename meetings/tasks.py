from celery import shared_task

from . import pdf, pdf_jobs


@shared_task(name="meetings.render_pdf_job", ignore_result=True)
def render_pdf_job(job_id: int):
    """Renders one PDF job (queue ``pdf``, so a long render never holds up mail)."""
    pdf_jobs.render_job(job_id)


@shared_task(name="meetings.render_issued_pdfs", ignore_result=True)
def render_issued_pdfs(issue_id: int):
    """Renders a letter or addendum just issued, in every language, into storage (queue ``pdf``)."""
    pdf.store_issued_pdfs(issue_id)


@shared_task(name="meetings.sweep", ignore_result=True)
def sweep():
    """Queues again PDF jobs whose message was lost while the broker was down; fails the renders whose worker
    stopped; deletes the finished jobs older than PDF_JOB_RETENTION, with their files."""
    pdf_jobs.requeue_lost_jobs()
    pdf_jobs.fail_abandoned_renders()
    pdf_jobs.delete_old_pdf_jobs()
