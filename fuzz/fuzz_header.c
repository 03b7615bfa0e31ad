/*
 * fuzz_header.c - the message on stdin: msg_read() (spool, header block
 * scan, facts), envelope_build() (sender and recipients from the header
 * fields with -t / --read-envelope-from, header edits), then the message
 * as it goes out (msg_reader through the DATA encoder).
 *
 * Input: two control bytes, then the message.
 *  byte 0: bit 0 -i (ignore dots), 1 -t, 2 --read-envelope-from,
 *          3 -f sender@example.org, 4 -f "<>", 5 an argv recipient,
 *          6 account from, 7 qualify_domain
 *  byte 1: bits 0-1 set_from_header, 2-3 set_date_header (0 auto, 1 on,
 *          2 off), 4 remove_bcc_headers, 5 undisclosed_recipients,
 *          6 a full name (7: a non-ASCII one), 7 set_msgid_header off
 *
 * Properties: the header fields lie inside the header block and their
 * unfolded values hold no CR or LF; every envelope address passes
 * addr_check_envelope() (no header can inject a command); with
 * remove_bcc_headers no Bcc or Resent-Bcc field goes out; msg_out_size()
 * is the size of the message after CRLF normalisation (SIZE=, BDAT);
 * the DATA bytes hold no bare CR or LF; errors are sanitised.
 */
#include "config.h"

#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "dotstuff.h"
#include "envelope.h"
#include "fuzz.h"
#include "msg.h"

#define FUZZ_NOW ((time_t)1795000000)

/* One memfd for every input: msg_read() reads it like stdin. */
static int input_fd(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t done = 0;

	if (fd < 0)
		fd = memfd_create("fuzz-header", MFD_CLOEXEC);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		FUZZ_ASSERT(n > 0);
		done += (size_t)n;
	}
	FUZZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

static void check_headers(const struct msg *m)
{
	size_t i;

	FUZZ_ASSERT(m->body_offset >= 0 && m->body_offset <= m->size);
	FUZZ_ASSERT((off_t)m->hdr_block.len == m->body_offset);
	for (i = 0; i < m->nheaders; i++) {
		const struct msg_header *h = &m->headers[i];

		FUZZ_ASSERT(h->off + h->len <= m->hdr_block.len);
		FUZZ_ASSERT(strncmp(h->raw, m->hdr_block.data + h->off,
				    strlen(h->raw)) == 0);
		FUZZ_ASSERT(strpbrk(h->value, "\r\n") == NULL);
		FUZZ_ASSERT(strncmp(h->raw, h->name, strlen(h->name)) == 0);
	}
}

/* Does the header block hold a field of this name (outside folding)? */
static int has_field(const char *p, size_t n, const char *name)
{
	size_t pos = 0, nl = strlen(name);

	while (pos < n) {
		size_t end = pos, k = pos;

		while (end < n && p[end] != '\n' && p[end] != '\r')
			end++;
		if (p[pos] != ' ' && p[pos] != '\t') {
			while (k < end && p[k] != ':')
				k++;
			while (k > pos && (p[k - 1] == ' ' || p[k - 1] == '\t'))
				k--;
			if (k - pos == nl &&
			    strncasecmp(p + pos, name, nl) == 0)
				return 1;
		}
		pos = end + 1;
	}
	return 0;
}

/* The message as sent: DATA bytes clean, size as announced. */
static void check_output(struct msg *m, int remove_bcc)
{
	struct buf wire = BUF_INIT((size_t)1 << 30);
	struct buf bdat = BUF_INIT((size_t)1 << 30);
	struct dotstuff data, norm;
	struct msg_reader r;
	struct err e = ERR_INIT;
	char chunk[97];
	ssize_t n;

	if (remove_bcc) {
		FUZZ_ASSERT(!has_field(m->out_headers.data, m->out_headers.len,
				       "Bcc"));
		FUZZ_ASSERT(!has_field(m->out_headers.data, m->out_headers.len,
				       "Resent-Bcc"));
	}
	dotstuff_init(&data, DOTSTUFF_DATA);
	dotstuff_init(&norm, DOTSTUFF_BDAT);
	msg_reader_init(&r, m);
	while ((n = msg_reader_read(&r, chunk, sizeof(chunk), &e)) > 0) {
		FUZZ_ASSERT(dotstuff_feed(&data, chunk, (size_t)n, &wire) == 0);
		FUZZ_ASSERT(dotstuff_feed(&norm, chunk, (size_t)n, &bdat) == 0);
	}
	FUZZ_ASSERT(n == 0);
	FUZZ_ASSERT(dotstuff_finish(&data, &wire) == 0);
	FUZZ_ASSERT(dotstuff_finish(&norm, &bdat) == 0);
	FUZZ_ASSERT(fuzz_crlf_only(wire.data, wire.len));
	FUZZ_ASSERT(msg_out_size(m) == (off_t)bdat.len);
	buf_release(&wire);
	buf_release(&bdat);
}

static void check_envelope(const struct envelope *env)
{
	struct err e = ERR_INIT;
	size_t i;

	FUZZ_ASSERT(env->from != NULL);
	FUZZ_ASSERT(addr_check_envelope(env->from, 1, &e) == 0);
	FUZZ_ASSERT(env->rcpts.n > 0);
	for (i = 0; i < env->rcpts.n; i++)
		FUZZ_ASSERT(addr_check_envelope(env->rcpts.v[i], 0, &e) == 0);
}

static struct account *make_account(unsigned f1, unsigned f2)
{
	static const enum conf_auto modes[] = {AUTO_AUTO, AUTO_ON, AUTO_OFF,
					       AUTO_AUTO};
	struct account *a = account_new("fuzz", NULL);

	FUZZ_ASSERT(a != NULL);
	if (f1 & 0x40)
		a->from = strdup("account@example.org");
	if (f1 & 0x80)
		a->qualify_domain = strdup("example.net");
	a->set_from_header = modes[f2 & 3];
	a->set_date_header = modes[(f2 >> 2) & 3];
	a->set_msgid_header = f2 & 0x80 ? AUTO_OFF : AUTO_AUTO;
	a->remove_bcc_headers = (f2 & 0x10) != 0;
	a->undisclosed_recipients = (f2 & 0x20) != 0;
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char argv_rcpt[] = "Argv Person <argv@example.org>";
	char *rcpts[1] = {argv_rcpt};
	struct account *a;
	struct envelope env;
	struct cli cli;
	struct msg m;
	struct err e = ERR_INIT;
	unsigned f1, f2;

	if (size < 2)
		return 0;
	f1 = data[0];
	f2 = data[1];
	msg_init(&m);
	if (msg_read(&m, input_fd(data + 2, size - 2), f1 & 1, &e) < 0) {
		FUZZ_ASSERT(e.kind == ERR_DATAERR || e.kind == ERR_OSERR ||
			    e.kind == ERR_IOERR);
		fuzz_check_err(&e);
		msg_release(&m);
		return 0;
	}
	check_headers(&m);

	cli_init(&cli);
	cli.read_recipients = (f1 & 2) != 0;
	cli.read_envelope_from = (f1 & 4) != 0;
	cli.envelope_from = f1 & 8 ? "sender@example.org" : f1 & 16 ? "" : NULL;
	if (f1 & 32) {
		cli.rcpts = rcpts;
		cli.nrcpts = 1;
	}
	if (f2 & 0x40)
		cli.full_name =
			f2 & 0x80 ? "J\xc3\xb6rg M\xc3\xbcller" : "Fuzz Tester";
	a = make_account(f1, f2);
	envelope_init(&env);
	env.now = FUZZ_NOW;
	env.mailname = "/dev/null";
	if (envelope_build(&env, &cli, a, &m, &e) == 0) {
		check_envelope(&env);
		check_output(&m, a->remove_bcc_headers);
	}
	fuzz_debug("envelope", &e);
	fuzz_check_err(&e);
	envelope_release(&env);
	account_free(a);
	cli.rcpts = NULL;
	cli.nrcpts = 0;
	cli_release(&cli);
	msg_release(&m);
	return 0;
}
