"""Creates the private bucket the documents go to, when the portal stores files in object storage.

Run by the one-shot ``migrate`` service of docker-compose.yml before the web nodes start; does nothing on the
file system, and nothing to a bucket that exists. The bucket is left private: downloads are presigned URLs.
"""

from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from sg17portal.storage import uses_object_storage


class Command(BaseCommand):
    help = "Creates the private object-storage bucket for documents if it does not exist."

    def handle(self, *args, **options):
        if not uses_object_storage(default_storage):
            self.stdout.write("Files are stored on the file system; no bucket to prepare.")
            return
        client = default_storage.connection.meta.client
        bucket = default_storage.bucket_name
        try:
            client.head_bucket(Bucket=bucket)
            self.stdout.write(f"Bucket {bucket} exists.")
            return
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket", "NotFound"}:
                raise
        client.create_bucket(Bucket=bucket)
        # No policy and no ACL: nothing in it can be read without a signature.
        self.stdout.write(f"Bucket {bucket} created (private).")
