cmd_/work/main/module/modules.order := {   echo /work/main/module/ks3.ko; :; } > /work/main/module/modules.order
