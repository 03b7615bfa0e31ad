/*
 * fuzz_reply.c - the SMTP reply parser (reply.c) on an arbitrary server
 * byte stream, cut into lines at LF as the session does.
 *
 * Properties: every completed reply has a code in 200..599, 1 to
 * REPLY_LINES_MAX lines, NUL-free text of at most REPLY_LINE_MAX octets
 * per line, an enhanced code that is empty or of the reply's class;
 * reply_summary() fits any buffer and is printable ASCII; errors are
 * sanitised; after an error the parser takes the next reply.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "reply.h"

static void check_summary(const struct reply *r, size_t dstsz)
{
	char dst[600];
	const char *s = reply_summary(r, dst, dstsz);
	size_t i;

	FUZZ_ASSERT(s != NULL);
	FUZZ_ASSERT(memchr(s, '\0', dstsz) != NULL);
	for (i = 0; s[i]; i++)
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] < 0x7f);
}

static void check_reply(const struct reply *r)
{
	const char *t = r->text.data ? r->text.data : "";
	const char *p, *nl;
	int lines = 1;

	FUZZ_ASSERT(r->code >= 200 && r->code <= 599);
	FUZZ_ASSERT(r->nlines >= 1 && r->nlines <= REPLY_LINES_MAX);
	FUZZ_ASSERT(strlen(t) == r->text.len);
	for (p = t; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		FUZZ_ASSERT((size_t)(nl - p) <= REPLY_LINE_MAX);
		lines++;
	}
	FUZZ_ASSERT(strlen(p) <= REPLY_LINE_MAX);
	FUZZ_ASSERT(lines == r->nlines);
	FUZZ_ASSERT(memchr(r->enhanced, '\0', sizeof(r->enhanced)));
	if (r->enhanced[0]) {
		FUZZ_ASSERT(r->enhanced[0] == '0' + r->code / 100);
		FUZZ_ASSERT(strncmp(t, r->enhanced, strlen(r->enhanced)) == 0);
	}
	check_summary(r, 1);
	check_summary(r, 17);
	check_summary(r, 600);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct reply_parser p;
	struct reply r;
	size_t pos = 0;

	reply_parser_init(&p);
	reply_init(&r);
	while (pos < size) {
		const char *nl = memchr(d + pos, '\n', size - pos);
		size_t n = nl ? (size_t)(nl - (d + pos)) + 1 : size - pos;
		struct err e = ERR_INIT;
		int res = reply_feed(&p, d + pos, n, &r, &e);

		fuzz_check_err(&e);
		FUZZ_ASSERT(res >= -1 && res <= 1);
		FUZZ_ASSERT((res == -1) == (e.kind != ERR_NONE));
		if (res == -1)
			FUZZ_ASSERT(e.kind == ERR_PROTOCOL && p.code == 0 &&
				    p.nlines == 0 && p.text.len == 0);
		if (res == 1)
			check_reply(&r);
		pos += n;
	}
	reply_release(&r);
	reply_parser_release(&p);
	return 0;
}
