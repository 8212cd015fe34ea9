#!/bin/sh
# Creates one MinIO bucket per layer, named by the TM_BUCKET_* settings of config/local.env (the same ones the
# application reads), so the two cannot drift. Running it again changes nothing.
set -eu

mc alias set local http://minio:9000 "${TM_S3_ACCESS_KEY:?}" "${TM_S3_SECRET_KEY:?}"
for bucket in \
  "${TM_BUCKET_LANDING:?}" \
  "${TM_BUCKET_BRONZE:?}" \
  "${TM_BUCKET_SILVER:?}" \
  "${TM_BUCKET_GOLD:?}" \
  "${TM_BUCKET_SPATIAL:?}" \
  "${TM_BUCKET_QUARANTINE:?}" \
  "${TM_BUCKET_OBSERVABILITY:?}"
do
  mc mb --ignore-existing "local/${bucket}"
done
