# tests/security/local.mk - the security regression suite (one named test per attack).
# Included from Makefile.am; paths are relative to the top directory.
#
# tests/security/run.py runs tests/security/cases/<attack>.t with the
# black-box runner (tests/blackbox/run.py; case format in
# tests/blackbox/README): every case checks the exit status and the exact
# bytes the fake server received.  The TAP test names are the file names.
#
# The smuggle-*.t cases (the SMTP smuggling matrix) are written by
# tests/security/gen-cases.py (see its header to change the matrix);
# tests/security/gen-check.sh checks that the committed files are what it
# writes and that EXTRA_DIST below lists each one.

SCRIPT_TESTS += tests/security/run.py tests/security/gen-check.sh
TEST_DIRS += tests/security
EXTRA_DIST += tests/security/valgrind.supp \
	tests/security/gen-cases.py \
	tests/security/gen-check.sh \
	tests/security/cases/cert-expired-implicit.t \
	tests/security/cases/cert-expired-starttls.t \
	tests/security/cases/cert-fingerprint-mismatch.t \
	tests/security/cases/cert-fingerprint-sha1-mismatch.t \
	tests/security/cases/cert-not-yet-valid-implicit.t \
	tests/security/cases/cert-not-yet-valid-starttls.t \
	tests/security/cases/cert-queued-not-sent.t \
	tests/security/cases/cert-revoked-implicit.t \
	tests/security/cases/cert-revoked-starttls.t \
	tests/security/cases/cert-self-signed-implicit.t \
	tests/security/cases/cert-self-signed-starttls.t \
	tests/security/cases/cert-unknown-ca-implicit.t \
	tests/security/cases/cert-unknown-ca-starttls.t \
	tests/security/cases/cert-wrong-host-implicit.t \
	tests/security/cases/cert-wrong-host-starttls.t \
	tests/security/cases/eval-hang.t \
	tests/security/cases/inject-B-crlf.t \
	tests/security/cases/inject-F-cr.t \
	tests/security/cases/inject-F-crlf-dot.t \
	tests/security/cases/inject-F-crlf.t \
	tests/security/cases/inject-F-lf.t \
	tests/security/cases/inject-N-crlf.t \
	tests/security/cases/inject-N-space.t \
	tests/security/cases/inject-R-crlf.t \
	tests/security/cases/inject-f-angle-param.t \
	tests/security/cases/inject-f-cr.t \
	tests/security/cases/inject-f-crlf-dot.t \
	tests/security/cases/inject-f-crlf.t \
	tests/security/cases/inject-f-glued-crlf.t \
	tests/security/cases/inject-f-lf.t \
	tests/security/cases/inject-f-mail-param.t \
	tests/security/cases/inject-f-space-group.t \
	tests/security/cases/inject-f-space-words.t \
	tests/security/cases/inject-from-long-option-crlf.t \
	tests/security/cases/inject-r-crlf.t \
	tests/security/cases/inject-rc-crlf-line-ends.t \
	tests/security/cases/inject-rc-domain-cr.t \
	tests/security/cases/inject-rc-domain-space.t \
	tests/security/cases/inject-rc-dsn-notify-space.t \
	tests/security/cases/inject-rc-dsn-return-cr.t \
	tests/security/cases/inject-rc-from-cr.t \
	tests/security/cases/inject-rc-from-full-name-cr.t \
	tests/security/cases/inject-rc-from-nul.t \
	tests/security/cases/inject-rc-from-space.t \
	tests/security/cases/inject-rc-host-cr.t \
	tests/security/cases/inject-rc-password-cr.t \
	tests/security/cases/inject-rc-qualify-domain-cr.t \
	tests/security/cases/inject-rc-user-cr.t \
	tests/security/cases/inject-rcpt-angle-param.t \
	tests/security/cases/inject-rcpt-control-byte.t \
	tests/security/cases/inject-rcpt-cr.t \
	tests/security/cases/inject-rcpt-crlf-dot.t \
	tests/security/cases/inject-rcpt-crlf.t \
	tests/security/cases/inject-rcpt-greater-param.t \
	tests/security/cases/inject-rcpt-lf.t \
	tests/security/cases/inject-rcpt-space-group.t \
	tests/security/cases/passwordeval-background-holds-pipe.t \
	tests/security/cases/passwordeval-empty-line.t \
	tests/security/cases/passwordeval-exit-nonzero.t \
	tests/security/cases/passwordeval-hang.t \
	tests/security/cases/passwordeval-huge-output.t \
	tests/security/cases/passwordeval-killed.t \
	tests/security/cases/passwordeval-no-output.t \
	tests/security/cases/passwordeval-not-found.t \
	tests/security/cases/phpmailer-X-after-double-dash.t \
	tests/security/cases/phpmailer-X-separate-args.t \
	tests/security/cases/phpmailer-cve-2016-10033-argv.t \
	tests/security/cases/phpmailer-cve-2016-10045-quoted-local-part.t \
	tests/security/cases/phpmailer-f-X-one-arg.t \
	tests/security/cases/phpmailer-f-oQ-X-C-one-arg.t \
	tests/security/cases/reply-100k-line-ehlo.t \
	tests/security/cases/reply-100k-line-greeting.t \
	tests/security/cases/reply-100k-line-rcpt.t \
	tests/security/cases/reply-endless-continuation-ehlo.t \
	tests/security/cases/reply-endless-continuation-greeting.t \
	tests/security/cases/reply-endless-continuation-mail.t \
	tests/security/cases/secret-auth-failed-debug.t \
	tests/security/cases/secret-auth-login-debug.t \
	tests/security/cases/secret-auth-plain-debug.t \
	tests/security/cases/secret-oauth2-refresh-debug.t \
	tests/security/cases/secret-oauthbearer-token-debug.t \
	tests/security/cases/secret-passwordeval-debug.t \
	tests/security/cases/secret-pretend.t \
	tests/security/cases/secret-queued-message.t \
	tests/security/cases/secret-serverinfo.t \
	tests/security/cases/secret-xoauth2-token-debug.t \
	tests/security/cases/smuggle-bare-cr-body-start-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-body-start-i-data.t \
	tests/security/cases/smuggle-bare-cr-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-body-start-no-i-data.t \
	tests/security/cases/smuggle-bare-cr-end-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-end-i-data.t \
	tests/security/cases/smuggle-bare-cr-end-no-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-end-no-i-data.t \
	tests/security/cases/smuggle-bare-cr-message-start-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-message-start-i-data.t \
	tests/security/cases/smuggle-bare-cr-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-message-start-no-i-data.t \
	tests/security/cases/smuggle-bare-cr-mid-body-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-mid-body-i-data.t \
	tests/security/cases/smuggle-bare-cr-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-bare-cr-mid-body-no-i-data.t \
	tests/security/cases/smuggle-bare-lf-body-start-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-body-start-i-data.t \
	tests/security/cases/smuggle-bare-lf-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-body-start-no-i-data.t \
	tests/security/cases/smuggle-bare-lf-end-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-end-i-data.t \
	tests/security/cases/smuggle-bare-lf-end-no-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-end-no-i-data.t \
	tests/security/cases/smuggle-bare-lf-message-start-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-message-start-i-data.t \
	tests/security/cases/smuggle-bare-lf-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-message-start-no-i-data.t \
	tests/security/cases/smuggle-bare-lf-mid-body-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-mid-body-i-data.t \
	tests/security/cases/smuggle-bare-lf-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-bare-lf-mid-body-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-body-start-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-body-start-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-body-start-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-end-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-end-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-end-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-end-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-message-start-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-message-start-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-message-start-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-mid-body-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-mid-body-i-data.t \
	tests/security/cases/smuggle-cr-dot-cr-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-cr-mid-body-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-body-start-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-body-start-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-body-start-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-end-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-end-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-end-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-end-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-message-start-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-message-start-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-message-start-no-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-mid-body-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-mid-body-i-data.t \
	tests/security/cases/smuggle-cr-dot-lf-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-cr-dot-lf-mid-body-no-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-body-start-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-body-start-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-body-start-no-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-end-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-end-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-end-no-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-end-no-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-message-start-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-message-start-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-message-start-no-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-mid-body-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-mid-body-i-data.t \
	tests/security/cases/smuggle-crlf-dot-cr-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-crlf-dot-cr-mid-body-no-i-data.t \
	tests/security/cases/smuggle-dot-crlf-body-start-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-body-start-i-data.t \
	tests/security/cases/smuggle-dot-crlf-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-body-start-no-i-data.t \
	tests/security/cases/smuggle-dot-crlf-end-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-end-i-data.t \
	tests/security/cases/smuggle-dot-crlf-end-no-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-end-no-i-data.t \
	tests/security/cases/smuggle-dot-crlf-message-start-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-message-start-i-data.t \
	tests/security/cases/smuggle-dot-crlf-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-message-start-no-i-data.t \
	tests/security/cases/smuggle-dot-crlf-mid-body-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-mid-body-i-data.t \
	tests/security/cases/smuggle-dot-crlf-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-dot-crlf-mid-body-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-body-start-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-body-start-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-body-start-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-end-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-end-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-end-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-end-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-message-start-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-message-start-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-message-start-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-mid-body-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-mid-body-i-data.t \
	tests/security/cases/smuggle-lf-dot-crlf-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-crlf-mid-body-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-body-start-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-body-start-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-body-start-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-body-start-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-end-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-end-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-end-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-end-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-message-start-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-message-start-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-message-start-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-message-start-no-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-mid-body-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-mid-body-i-data.t \
	tests/security/cases/smuggle-lf-dot-lf-mid-body-no-i-bdat.t \
	tests/security/cases/smuggle-lf-dot-lf-mid-body-no-i-data.t \
	tests/security/cases/starttls-caps-forgotten-after-tls.t \
	tests/security/cases/starttls-injection-fake-auth-success.t \
	tests/security/cases/starttls-injection-same-packet.t \
	tests/security/cases/starttls-strip-220-no-handshake.t \
	tests/security/cases/starttls-strip-454.t \
	tests/security/cases/starttls-strip-502.t \
	tests/security/cases/starttls-strip-connection-dropped.t \
	tests/security/cases/starttls-strip-implicit-tls-plaintext-server.t \
	tests/security/cases/starttls-strip-not-offered.t \
	tests/security/cases/symlink-logfile-dangling.t \
	tests/security/cases/symlink-logfile.t \
	tests/security/cases/symlink-oauth2-cache.t \
	tests/security/cases/symlink-queue-dir.t \
	tests/security/cases/symlink-queue-failed-dir.t \
	tests/security/cases/symlink-queue-lock.t \
	tests/security/cases/symlink-queue-tmp-dir.t \
	tests/security/cases/symlink-tls-session-cache.t

# make check-valgrind: the black-box suite and the security suite with
# every mailhop run under valgrind memcheck (MAILHOP_VALGRIND=1 in
# tests/blackbox/run.py): a case fails on any memcheck error or definite
# leak.  Needs an uninstrumented build (not --enable-sanitizers).  The
# TAP output goes to tests/security/valgrind-*.log; failures and the
# summaries are shown.  VALGRIND_JOBS cases run at a time.
# valgrind costs about 1.5 s of CPU per mailhop run, so for CI the
# security suite's smuggling matrix is cut to one position (mid-body:
# still every input form, with and without -i, DATA and BDAT); the same
# dot-stuffing code runs in the black-box 04x cases too.  For everything:
#   make check-valgrind VALGRIND_SECURITY_CASES=
VALGRIND_JOBS = 2
VALGRIND_BLACKBOX_CASES =
VALGRIND_SECURITY_CASES = 'starttls-*' 'cert-*' 'inject-*' 'phpmailer-*' \
	'reply-*' 'secret-*' 'passwordeval-*' 'eval-*' 'symlink-*' \
	'smuggle-*-mid-body-*'
VALGRIND_RUN = MAILHOP='$(abs_top_builddir)/src/mailhop' \
	PYTHON3='$(PYTHON3)' MAILHOP_VALGRIND=1 $(PYTHON3)
check-valgrind: src/mailhop tests/dirs.stamp
	@st=0; \
	echo "check-valgrind: tests/blackbox (log: tests/security/valgrind-blackbox.log)"; \
	$(VALGRIND_RUN) '$(abs_top_srcdir)/tests/blackbox/run.py' \
	  -j $(VALGRIND_JOBS) $(VALGRIND_BLACKBOX_CASES) \
	  >tests/security/valgrind-blackbox.log 2>&1 || st=1; \
	grep -v -e '^ok ' -e '^1\.\.' tests/security/valgrind-blackbox.log; \
	echo "check-valgrind: tests/security (log: tests/security/valgrind-security.log)"; \
	$(VALGRIND_RUN) '$(abs_top_srcdir)/tests/security/run.py' \
	  -j $(VALGRIND_JOBS) $(VALGRIND_SECURITY_CASES) \
	  >tests/security/valgrind-security.log 2>&1 || st=1; \
	grep -v -e '^ok ' -e '^1\.\.' tests/security/valgrind-security.log; \
	exit $$st
MOSTLYCLEANFILES = tests/security/valgrind-blackbox.log \
	tests/security/valgrind-security.log
.PHONY: check-valgrind

# The security policy (issue 9 item 5).
EXTRA_DIST += SECURITY.md
