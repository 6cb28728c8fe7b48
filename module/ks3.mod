/work/main/module/main.o
/work/main/module/server.o
/work/main/module/control/genl.o
/work/main/module/http/tls_agent.o
/work/main/module/storage/bucket_name.o
