#!/bin/sh
# tests/install/run.sh - `make install DESTDIR=...` installs a working tree (TAP).
#
# Runs `$MAKE -C $top_builddir install DESTDIR=$tmp` and checks the
# installed files and their modes, the sendmail/mailq/newaliases links
# when configure had --enable-sendmail-links (SENDMAIL_LINKS=yes), that
# the installed binary runs, that mailq and newaliases through their
# argv[0] behave, and that `make uninstall` removes everything again.
# The directory values come from the Makefile (INST_* in
# AM_TESTS_ENVIRONMENT), so the test follows --prefix and friends.

: "${top_builddir:?run from make check (top_builddir unset)}"
: "${MAKE:=make}"
: "${SENDMAIL_LINKS:=no}"
: "${INST_BINDIR:?}" "${INST_SBINDIR:?}" "${INST_MANDIR:?}"
: "${INST_DATADIR:?}" "${INST_DOCDIR:?}"

n=0
fail=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
notok() {
	n=$((n + 1))
	fail=1
	echo "not ok $n - $1"
}
check() { # check NAME COMMAND...
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name"; fi
}
mode_of() { stat -c %a "$1" 2>/dev/null; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailhop-install.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
dest=$tmp/dest
bin=$dest$INST_BINDIR/mailhop
sbin=$dest$INST_SBINDIR

echo "1..19"

# The make output stays out of the TAP stream; the outer make's jobserver
# and flags stay out of the inner make.  -o: install what `make` built,
# never rebuild it here (a relink while other tests run the binary would
# make them fail).
# (-o is not passed down to sub-makes: automake's install target runs
# one, with $(AM_MAKEFLAGS).)
keep="-o Makefile -o src/mailhop -o src/libmailhop.a"
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE -C "$top_builddir" \
		$keep AM_MAKEFLAGS="$keep" "$@"
}
if submake install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... succeeds"
else
	notok "make install DESTDIR=... succeeds"
	tail -n 20 "$tmp/install.log" | sed 's/^/# /'
fi

check "binary installed in bindir" test -f "$bin"
m=$(mode_of "$bin")
check "binary is mode 755 (got $m)" test "$m" = 755
check "installed binary runs (--version)" "$bin" --version
if "$bin" --version 2>/dev/null | grep -q 'mailhop'; then
	ok "--version names mailhop"
else
	notok "--version names mailhop"
fi
for f in man1/mailhop.1 man5/mailhoprc.5; do
	m=$(mode_of "$dest$INST_MANDIR/$f")
	check "man page $f installed, mode 644 (got $m)" test "$m" = 644
done
for f in bash-completion/completions/mailhop zsh/site-functions/_mailhop \
	fish/vendor_completions.d/mailhop.fish; do
	m=$(mode_of "$dest$INST_DATADIR/$f")
	check "completion $f installed, mode 644 (got $m)" test "$m" = 644
done
m=$(mode_of "$dest$INST_DOCDIR/examples/mailhoprc.example")
check "example rc in docdir/examples, mode 644 (got $m)" test "$m" = 644
if find "$dest" -type f -perm -o+w -print | grep -q .; then
	notok "no world-writable file installed"
else
	ok "no world-writable file installed"
fi

# A private HOME whose rc file names an empty queue in $tmp (root's
# default queue would be $(localstatedir)/spool/mailhop, outside DESTDIR).
home=$tmp/home
mkdir -p "$home/.config/mailhop"
printf 'account default\nhost localhost\nqueue_dir %s/queue\n' "$tmp" \
	>"$home/.config/mailhop/config"
chmod 600 "$home/.config/mailhop/config"
run_as() { # run_as PROGRAM ARGS...
	HOME=$home XDG_CONFIG_HOME=$home/.config XDG_STATE_HOME=$home/.state \
		XDG_CACHE_HOME=$home/.cache "$@"
}

if test "$SENDMAIL_LINKS" = yes; then
	for l in sendmail mailq newaliases; do
		if test -L "$sbin/$l"; then
			t=$(readlink "$sbin/$l")
			case $t in
			/*) real=$dest$t ;;
			*) real=$sbin/$t ;;
			esac
			if test "$real" -ef "$bin"; then
				ok "$l link in sbindir -> $t"
			else
				notok "$l link in sbindir -> $t (not the installed mailhop)"
			fi
		else
			notok "$l link in sbindir"
		fi
	done
	# Run through the installed links when they resolve inside DESTDIR
	# (relative links), else through private links to the same binary.
	d=$sbin
	if ! test -x "$sbin/mailq" || ! test -x "$sbin/newaliases"; then
		d=$tmp/links
		mkdir -p "$d"
		ln -s "$bin" "$d/mailq"
		ln -s "$bin" "$d/newaliases"
	fi
	out=$(run_as "$d/mailq" 2>&1)
	rc=$?
	if test $rc = 0 && printf '%s\n' "$out" | grep -qi 'queue'; then
		ok "mailq through its link lists the queue"
	else
		notok "mailq through its link lists the queue (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	check "newaliases through its link exits 0" run_as "$d/newaliases"
else
	for l in sendmail mailq newaliases; do
		check "no $l in sbindir without --enable-sendmail-links" \
			test ! -e "$sbin/$l" -a ! -L "$sbin/$l"
	done
	# The installed binary still answers to the names: private links.
	d=$tmp/links
	mkdir -p "$d"
	ln -s "$bin" "$d/mailq"
	ln -s "$bin" "$d/newaliases"
	out=$(run_as "$d/mailq" 2>&1)
	rc=$?
	if test $rc = 0 && printf '%s\n' "$out" | grep -qi 'queue'; then
		ok "installed binary run as mailq lists the queue"
	else
		notok "installed binary run as mailq lists the queue (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	check "installed binary run as newaliases exits 0" \
		run_as "$d/newaliases"
fi

if submake uninstall DESTDIR="$dest" >"$tmp/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=... succeeds"
else
	notok "make uninstall DESTDIR=... succeeds"
	tail -n 20 "$tmp/uninstall.log" | sed 's/^/# /'
fi
left=$(find "$dest" \( -type f -o -type l \) -print 2>/dev/null)
if test -z "$left"; then
	ok "make uninstall leaves no file or link"
else
	notok "make uninstall leaves no file or link"
	printf '%s\n' "$left" | sed 's/^/# /'
fi
exit $fail
