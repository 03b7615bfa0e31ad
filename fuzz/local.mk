# fuzz/local.mk - libFuzzer targets, make fuzz, and the replay of their
# seed corpus and crash reproducers in make check.  Included from
# Makefile.am; paths are relative to the top directory.
#
#  - ./configure --enable-fuzzing: fuzz/fuzz-NAME are libFuzzer programs
#    (built by make); "make fuzz" runs each for FUZZ_TIME seconds on a
#    scratch copy of fuzz/corpus/NAME/ (plus fuzz/regress/NAME/, read
#    only), one make target per fuzzer (fuzz-NAME), so make -j2 fuzz runs
#    two at once.  A crash fails make fuzz and names the reproducer.
#  - every build: fuzz/replay-NAME (the same target with fuzz/replay.c
#    as main()) runs every seed and reproducer once, as a TAP test of
#    make check (under ASan + UBSan with --enable-sanitizers).
#  - fuzz/corpus.mk lists every seed and reproducer for EXTRA_DIST; it is
#    written by fuzz/corpus-list.sh, whose --check mode is a test
#    (fuzz/corpus-check.sh).  fuzz/mkseeds.py writes the seeds.

FUZZ_NAMES = addr conf dotstuff header reply sasl smtp
# Seconds per fuzzer for make fuzz (CI: at least 60).
FUZZ_TIME = 60
# Extra libFuzzer flags for make fuzz (e.g. FUZZ_FLAGS=-jobs=2).
FUZZ_FLAGS =
FUZZ_LDADD = src/libmailhop.a $(LIBDEPS)
FUZZ_REPLAY = fuzz/replay-addr fuzz/replay-conf fuzz/replay-dotstuff fuzz/replay-header fuzz/replay-reply fuzz/replay-sasl fuzz/replay-smtp

include $(srcdir)/fuzz/corpus.mk

UNIT_TESTS += $(FUZZ_REPLAY)
SCRIPT_TESTS += fuzz/corpus-check.sh
TEST_DIRS += fuzz
EXTRA_DIST += fuzz/fuzz.h fuzz/run.sh fuzz/corpus.mk fuzz/corpus-list.sh \
	fuzz/mkseeds.py $(FUZZ_INPUTS) \
	fuzz/addr.dict fuzz/conf.dict fuzz/header.dict fuzz/smtp.dict


fuzz_replay_addr_SOURCES = fuzz/fuzz_addr.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_addr_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"addr"'
fuzz_replay_addr_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_addr_SOURCES = fuzz/fuzz_addr.c fuzz/fuzz.h
fuzz_fuzz_addr_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_addr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_conf_SOURCES = fuzz/fuzz_conf.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_conf_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"conf"'
fuzz_replay_conf_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_conf_SOURCES = fuzz/fuzz_conf.c fuzz/fuzz.h
fuzz_fuzz_conf_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_dotstuff_SOURCES = fuzz/fuzz_dotstuff.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_dotstuff_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"dotstuff"'
fuzz_replay_dotstuff_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_dotstuff_SOURCES = fuzz/fuzz_dotstuff.c fuzz/fuzz.h
fuzz_fuzz_dotstuff_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_dotstuff_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_header_SOURCES = fuzz/fuzz_header.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_header_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"header"'
fuzz_replay_header_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_header_SOURCES = fuzz/fuzz_header.c fuzz/fuzz.h
fuzz_fuzz_header_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_header_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_reply_SOURCES = fuzz/fuzz_reply.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_reply_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"reply"'
fuzz_replay_reply_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_reply_SOURCES = fuzz/fuzz_reply.c fuzz/fuzz.h
fuzz_fuzz_reply_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_reply_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_sasl_SOURCES = fuzz/fuzz_sasl.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_sasl_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"sasl"'
fuzz_replay_sasl_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_sasl_SOURCES = fuzz/fuzz_sasl.c fuzz/fuzz.h
fuzz_fuzz_sasl_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_sasl_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz_replay_smtp_SOURCES = fuzz/fuzz_smtp.c fuzz/replay.c fuzz/fuzz.h
fuzz_replay_smtp_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"smtp"'
fuzz_replay_smtp_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_smtp_SOURCES = fuzz/fuzz_smtp.c fuzz/fuzz.h
fuzz_fuzz_smtp_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_smtp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

# The libFuzzer programs go in check_PROGRAMS (which Makefile.am defines
# first) so that no fragment has to define noinst_PROGRAMS; all-local
# builds them with make.
if FUZZING
FUZZERS = fuzz/fuzz-addr fuzz/fuzz-conf fuzz/fuzz-dotstuff fuzz/fuzz-header \
	fuzz/fuzz-reply fuzz/fuzz-sasl fuzz/fuzz-smtp
check_PROGRAMS += $(FUZZERS)

fuzz: fuzz-addr fuzz-conf fuzz-dotstuff fuzz-header fuzz-reply fuzz-sasl fuzz-smtp
	@echo "make fuzz: every fuzzer ran $(FUZZ_TIME) s without a crash"

fuzz-addr: fuzz/fuzz-addr
	@$(SHELL) $(srcdir)/fuzz/run.sh addr fuzz/fuzz-addr '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-conf: fuzz/fuzz-conf
	@$(SHELL) $(srcdir)/fuzz/run.sh conf fuzz/fuzz-conf '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-dotstuff: fuzz/fuzz-dotstuff
	@$(SHELL) $(srcdir)/fuzz/run.sh dotstuff fuzz/fuzz-dotstuff '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-header: fuzz/fuzz-header
	@$(SHELL) $(srcdir)/fuzz/run.sh header fuzz/fuzz-header '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-reply: fuzz/fuzz-reply
	@$(SHELL) $(srcdir)/fuzz/run.sh reply fuzz/fuzz-reply '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-sasl: fuzz/fuzz-sasl
	@$(SHELL) $(srcdir)/fuzz/run.sh sasl fuzz/fuzz-sasl '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
fuzz-smtp: fuzz/fuzz-smtp
	@$(SHELL) $(srcdir)/fuzz/run.sh smtp fuzz/fuzz-smtp '$(srcdir)' \
	  '$(FUZZ_TIME)' $(FUZZ_FLAGS)
else
FUZZERS =

fuzz fuzz-addr fuzz-conf fuzz-dotstuff fuzz-header fuzz-reply fuzz-sasl fuzz-smtp:
	@echo "make $@: fuzzing needs a build configured with" \
	  "./configure --enable-fuzzing (clang with libFuzzer)" >&2; exit 1
endif

all-local: $(FUZZERS)
clean-local: fuzz-clean
fuzz-clean:
	rm -rf fuzz/work

.PHONY: fuzz fuzz-clean fuzz-addr fuzz-conf fuzz-dotstuff fuzz-header fuzz-reply fuzz-sasl fuzz-smtp
