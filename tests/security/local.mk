# tests/security/local.mk - the security regression suite (one named test per attack).
# Included from Makefile.am; paths are relative to the top directory.
