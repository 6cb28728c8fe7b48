cmd_/work/main/module/ks3.mod := printf '%s\n'   main.o server.o control/genl.o http/tls_agent.o storage/bucket_name.o | awk '!x[$$0]++ { print("/work/main/module/"$$0) }' > /work/main/module/ks3.mod
