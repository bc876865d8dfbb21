"""Reading STORAGE_URL into the AWS_* settings of django-storages (read while the settings load)."""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured


def s3_settings_from_url(url: str) -> dict:
    """The ``AWS_*`` settings a ``STORAGE_URL`` stands for.

    ``s3://KEY:SECRET@/bucket`` is Amazon S3 itself; ``s3+http://KEY:SECRET@minio:9000/bucket`` (or ``s3+https``)
    another S3-compatible server. Query parameters: ``region`` and ``public_endpoint`` (the address browsers reach
    the server at, when it differs from the one the portal uses).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"s3", "s3+http", "s3+https"}:
        raise ImproperlyConfigured(f"STORAGE_URL must start with s3://, s3+http:// or s3+https://, not {parts.scheme}")
    bucket = parts.path.strip("/")
    if not bucket or "/" in bucket:
        raise ImproperlyConfigured("STORAGE_URL must name one bucket as its path: s3://KEY:SECRET@host/bucket")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    found = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_ACCESS_KEY_ID": parts.username or "",
        "AWS_SECRET_ACCESS_KEY": parts.password or "",
        "AWS_S3_REGION_NAME": query.get("region", "us-east-1"),
    }
    if parts.hostname:
        scheme = "http" if parts.scheme == "s3+http" else "https"
        port = f":{parts.port}" if parts.port else ""
        found["AWS_S3_ENDPOINT_URL"] = f"{scheme}://{parts.hostname}{port}"
    if "public_endpoint" in query:
        found["AWS_S3_PUBLIC_ENDPOINT_URL"] = query["public_endpoint"].rstrip("/")
    return found
