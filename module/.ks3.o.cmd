cmd_/work/main/module/ks3.o := ld -m elf_x86_64 -z noexecstack --no-warn-rwx-segments   -r -o /work/main/module/ks3.o @/work/main/module/ks3.mod 
