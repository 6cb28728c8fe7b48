# SPDX-License-Identifier: GPL-2.0
# Objects of ks3.ko other than main.o, relative to module/. Shared by
# module/Kbuild (ks3.ko) and the top-level Kbuild (ks3_test.ko for KUnit).
ks3-core-objs := \
	server.o \
	control/config.o \
	control/genl.o \
	http/conn.o \
	http/listener.o \
	http/parse.o \
	http/tls_agent.o \
	s3/aws_chunked.o \
	s3/checksum.o \
	s3/cond.o \
	s3/digest.o \
	s3/errors.o \
	s3/handler.o \
	s3/hmac.o \
	s3/sigv4.o \
	s3/meta.o \
	s3/ops_bucket.o \
	s3/ops_copy.o \
	s3/ops_delete.o \
	s3/ops_list.o \
	s3/ops_multipart.o \
	s3/ops_object.o \
	s3/router.o \
	s3/uri.o \
	s3/xml.o \
	s3/xml_req.o \
	storage/alloc.o \
	storage/apply.o \
	storage/bucket.o \
	storage/bucket_name.o \
	storage/cache.o \
	storage/checkpoint.o \
	storage/dev.o \
	storage/index.o \
	storage/journal.o \
	storage/keystore.o \
	storage/multipart.o \
	storage/object.o \
	storage/op.o \
	storage/record.o \
	storage/store.o \
	storage/super.o
