#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Not a test: `run.sh hold` keeps the guest up for manual work. Writes the
# suites' environment to $KS3_S3_OUT/env (source it) and waits until that
# file is removed (at most KS3_S3_HOLD_SECONDS, default 3600).
set -u
env | grep -E '^(KS3_|AWS_)' | sed 's/^/export /' >"$KS3_S3_OUT/env"
echo "# holding: source $KS3_S3_OUT/env; rm it to stop" >&2
end=$((SECONDS + ${KS3_S3_HOLD_SECONDS:-3600}))
while [ -e "$KS3_S3_OUT/env" ] && [ $SECONDS -lt $end ]; do
	sleep 1
done
echo "ok - hold"
