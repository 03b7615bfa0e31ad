# fuzz/local.mk - libFuzzer targets (--enable-fuzzing) and make fuzz.
# Included from Makefile.am; paths are relative to the top directory.
