/*
 * test_smtp.c - table-driven tests of the protocol engine (smtp.c).
 *
 * Each scenario is an envelope, a configuration and a script of server
 * replies (the server's capabilities are its EHLO reply).  A small
 * harness plays the session: it loops on smtp_next(); on WANT_REPLY it
 * appends smtp_output() to the transcript, clears it and feeds the next
 * scripted reply through reply.c; on WANT_BODY it appends "<BODY>" (for
 * BDAT after smtp_bdat_command(), one 6-byte chunk per scripted chunk)
 * and calls smtp_body_done(); on WANT_TLS it appends "<TLS>" (the
 * handshake) and calls smtp_tls_done(); on WANT_SECRET it appends
 * "<SECRET>" and hands over the scenario's password (user "user",
 * password "pass"; SASL over a connection taken as encrypted unless the
 * scenario says plaintext); on DONE/FAIL it appends the
 * output (QUIT), on ABORT nothing.  Expected: the exact bytes written, the final want,
 * the error kind and a substring of its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "smtp.h"
#include "tap.h"

#define MAX_RCPTS   4
#define MAX_REPLIES 16
#define BODY	    "<BODY>"
#define TLS	    "<TLS>"
#define SECRET	    "<SECRET>"

/* Server replies used in many scenarios (lines joined by CRLF). */
#define GREET	 "220 mx.example.org ESMTP ready"
#define EHLO_MIN "250-mx.example.org\r\n250 HELP"
#define EHLO_8	 "250-mx.example.org\r\n250 8BITMIME"
#define EHLO_PIPE                                                      \
	"250-mx.example.org greets you\r\n250-PIPELINING\r\n250-SIZE " \
	"10000\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES"
#define EHLO_CHUNK                                                     \
	"250-mx.example.org greets you\r\n250-PIPELINING\r\n250-SIZE " \
	"10000\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 "                \
	"ENHANCEDSTATUSCODES"
#define EHLO_DSN "250-mx.example.org\r\n250-PIPELINING\r\n250 DSN"
#define EHLO_TLS                                                       \
	"250-mx.example.org\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-" \
	"8BITMIME\r\n250 STARTTLS"
#define EHLO_AUTH                                                       \
	"250-mx.example.org\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN " \
	"CRAM-MD5\r\n250 8BITMIME"
#define EHLO_AUTH_NOPIPE "250-mx.example.org\r\n250 AUTH PLAIN LOGIN"
#define EHLO_AUTH_CHUNK                                                \
	"250-mx.example.org\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-" \
	"AUTH=PLAIN\r\n250 AUTH PLAIN EXTERNAL XOAUTH2"
#define AUTH_OK	 "235 2.7.0 Authentication successful"
#define AUTH_BAD "535 5.7.8 Authentication credentials invalid"
/* base64 of "\0user\0pass", "user", "pass" */
#define PLAIN_IR "AHVzZXIAcGFzcw=="
#define B64_USER "dXNlcg=="
#define B64_PASS "cGFzcw=="
#define ENV_1 \
	"MAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n"
#define TLS_GO "220 2.0.0 Ready to start TLS"
#define OK     "250 2.1.0 Ok"
#define GO     "354 End data with <CR><LF>.<CR><LF>"
#define QUEUED "250 2.0.0 Ok: queued as 4ABC"

#define ENVID_29  "abcdefghijklmnopqrstuvwxyz123"
#define ENVID_145 ENVID_29 ENVID_29 ENVID_29 ENVID_29 ENVID_29
#define W_DONE	  SMTP_WANT_DONE
#define W_FAIL	  SMTP_WANT_FAIL
#define W_ABORT	  SMTP_WANT_ABORT

struct scenario {
	const char *name;
	int lmtp;
	int no_pipelining; /* allow_pipelining = 0 */
	int no_chunking;   /* allow_chunking = 0 */
	int starttls;	   /* starttls = 1, server "mx.example.org" */
	const char *from;
	const char *rcpts[MAX_RCPTS];
	long long size;
	int body_8bit;
	int smtputf8;
	const char *notify, *ret, *envid;
	int chunks; /* BDAT chunks the harness sends; 0 = 1 */
	const char *replies[MAX_REPLIES];
	const char *expect;
	enum smtp_want want;
	enum err_kind kind;
	const char *msg;    /* substring of the error message */
	int data_sent;	    /* expected smtp_data_sent() at the end */
	const char *auth;   /* NULL: off; "on": choose; else the method */
	int plaintext;	    /* SASL sees an unencrypted connection */
	int no_secret;	    /* the session finds no password */
	const char *secret; /* the password; NULL: "pass" */
	int rejected;	    /* expected smtp_auth_rejected() */
};

static const struct scenario scenarios[] = {
	/* ---- success paths */
	{.name = "no PIPELINING: one command per reply",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 100,
	 .replies = {GREET, EHLO_MIN, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "no PIPELINING: two recipients",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "PIPELINING: MAIL, RCPTs and DATA in one flight",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1234,
	 .replies = {GREET, EHLO_PIPE, OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1234\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "PIPELINING offered but not allowed",
	 .no_pipelining = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 10,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> "
		   "SIZE=10\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "null sender",
	 .from = "",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "CHUNKING, one recipient: all in one flight",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "CHUNKING, one recipient, three chunks",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 18,
	 .chunks = 3,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=18\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6\r\n" BODY "BDAT 6\r\n" BODY
		   "BDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "CHUNKING, two recipients: BDAT after the RCPT replies",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nBDAT 6 LAST\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "CHUNKING without PIPELINING: DATA",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "250-mx\r\n250-CHUNKING\r\n250 8BITMIME", OK, OK,
		     GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "CHUNKING offered but not allowed: DATA",
	 .no_chunking = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "8BITMIME: BODY=8BITMIME for an 8-bit body",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .body_8bit = 1,
	 .replies = {GREET, EHLO_8, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> "
		   "BODY=8BITMIME\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "8BITMIME offered, 7-bit body: no BODY=",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_8, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "8-bit body, server without 8BITMIME",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .body_8bit = 1,
	 .replies = {GREET, EHLO_MIN},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "8-bit data but the server does not offer 8BITMIME"},
	{.name = "SMTPUTF8 offered and needed",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .smtputf8 = 1,
	 .replies = {GREET, "250-mx\r\n250 SMTPUTF8", OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SMTPUTF8\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "SMTPUTF8 needed, not offered",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .smtputf8 = 1,
	 .replies = {GREET, EHLO_MIN},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "needs SMTPUTF8, which the server does not offer"},
	{.name = "DSN offered: RET, ENVID, NOTIFY",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .notify = "success,failure",
	 .ret = "hdrs",
	 .envid = "QQ314159",
	 .replies = {GREET, EHLO_DSN, OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> RET=HDRS "
		   "ENVID=QQ314159\r\nRCPT TO:<b@y.org> "
		   "NOTIFY=SUCCESS,FAILURE\r\nRCPT TO:<c@z.org> "
		   "NOTIFY=SUCCESS,FAILURE\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "DSN asked for, not offered: sent without it",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .notify = "NEVER",
	 .ret = "FULL",
	 .replies = {GREET, EHLO_PIPE, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=0\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "DSN notify with a space refused before anything is sent",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .notify = "SUCCESS FAILURE",
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "invalid DSN notify"},
	{.name = "DSN envelope id with '=' refused",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .envid = "a=b",
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "invalid DSN envelope id"},
	{.name = "DSN envelope id kept as given, 150 characters",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .envid = "Id+2B" ENVID_145,
	 .replies = {GREET, EHLO_DSN, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> ENVID=Id+2B" ENVID_145
		   "\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "SIZE without a limit: no precheck",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 99999999,
	 .replies = {GREET, "250-mx\r\n250 SIZE", OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> "
		   "SIZE=99999999\r\nRCPT TO:<b@y.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "SIZE equal to the limit is fine",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 10000,
	 .replies = {GREET, EHLO_PIPE, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=10000\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "SIZE precheck: too large, nothing but QUIT",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 10001,
	 .replies = {GREET, EHLO_PIPE},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "message size 10001 exceeds the server's limit of 10000"},
	{.name = "HELO fallback on 5xx to EHLO",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 5,
	 .replies = {GREET, "502 5.5.1 command not implemented",
		     "250 mx.example.org", OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nHELO localhost\r\nMAIL "
		   "FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nRCPT "
		   "TO:<c@z.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "HELO fallback refused",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "500 what?", "550 go away"},
	 .expect = "EHLO localhost\r\nHELO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused HELO: 550 go away"},
	{.name = "multi-line reply summarised with its enhanced code",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK,
		     "550-5.1.1 The account does not exist.\r\n550 5.1.1 "
		     "See https://help"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <b@y.org>: 550 5.1.1 The account "
		"does not exist. See https://help"},
	{.name = "server text sanitised in the error",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, "550 evil\x1b[2J text"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "550 evil?[2J text"},

	/* ---- authentication (RFC 4954) */
	{.name = "AUTH PLAIN pipelined with the envelope",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "AUTH PLAIN without PIPELINING: envelope after 235",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE, AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "AUTH PLAIN pipelined, 535: MAIL/RCPT/DATA refused, QUIT",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, AUTH_BAD,
		     "530 5.7.0 Authentication required",
		     "503 5.5.1 Error: need MAIL command",
		     "503 5.5.1 Error: need RCPT command"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "DATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 535 5.7.8 Authentication "
		"credentials invalid",
	 .rejected = 1},
	{.name = "AUTH PLAIN pipelined, 535 but DATA 354: abort, no data",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, AUTH_BAD, "530 5.7.0 no", OK, GO},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "DATA\r\n",
	 .want = W_ABORT,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 535",
	 .rejected = 1},
	{.name = "AUTH PLAIN pipelined with CHUNKING, 535, AUTH required",
	 .auth = "plain",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_BAD, "530 5.7.0 no",
		     "503 5.5.1 no", "503 5.5.1 no"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "BDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 535",
	 .data_sent = 1,
	 .rejected = 1},
	{.name = "AUTH PLAIN pipelined with CHUNKING, 535, message taken",
	 .auth = "plain",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_BAD, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "BDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1,
	 .rejected = 1},
	{.name = "AUTH PLAIN pipelined with CHUNKING, 535, large: no BDAT",
	 .auth = "plain",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = SMTP_AUTH_BODY_MAX + 1,
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_BAD, OK, OK},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 535",
	 .rejected = 1},
	{.name = "AUTH PLAIN pipelined with CHUNKING, large: BDAT after 235",
	 .auth = "plain",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = SMTP_AUTH_BODY_MAX + 1,
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_OK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "BDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "AUTH PLAIN pipelined: a 334 cannot be answered: abort",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334 "},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nMAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n"
		   "DATA\r\n",
	 .want = W_ABORT,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to AUTH PLAIN with an initial "
		"response: 334"},
	{.name = "AUTH EXTERNAL: no secret asked, empty response \"=\"",
	 .auth = "external",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_OK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\nAUTH EXTERNAL =\r\nMAIL "
		   "FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nBDAT 6 "
		   "LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "AUTH LOGIN: two 334 rounds, envelope pipelined after 235",
	 .auth = "login",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6",
		     AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH LOGIN\r\n" B64_USER
		   "\r\n" B64_PASS "\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "auth on without TLS: CRAM-MD5, never PLAIN",
	 .auth = "on",
	 .plaintext = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH,
		     "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+",
		     AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET
		   "AUTH CRAM-MD5\r\ndXNlciAzNzE5ZTYwOTRmYjJhMGJiNDM0Yjg2NWM0"
		   "OTM4YzIxNQ==\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "auth on without TLS, only PLAIN and LOGIN: refused",
	 .auth = "on",
	 .plaintext = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server 'mx.example.org' offers no authentication method "
		"mailhop may use (offered: PLAIN LOGIN)"},
	{.name = "auth plain named explicitly: allowed without TLS",
	 .auth = "plain",
	 .plaintext = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE, AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "AUTH not offered: no secret fetched, QUIT",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_PIPE},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server 'mx.example.org' does not offer authentication"},
	{.name = "HELO only, auth on: no authentication",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "500 no EHLO", "250 mx"},
	 .expect = "EHLO localhost\r\nHELO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "does not offer authentication"},
	{.name = "explicit method not offered: no fallback",
	 .auth = "cram-md5",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server 'mx.example.org' does not offer authentication "
		"method CRAM-MD5 (offered: PLAIN LOGIN)"},
	{.name = "no password: QUIT after the secret lookup",
	 .auth = "on",
	 .no_secret = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH},
	 .expect = "EHLO localhost\r\n" SECRET "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_CONFIG,
	 .msg = "no password for user 'user' at 'mx.example.org'"},
	{.name = "AUTH 454: temporary",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE,
		     "454 4.7.0 Temporary authentication failure"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "authentication failed: 454 4.7.0 Temporary authentication "
		"failure"},
	{.name = "AUTH 534: refused",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE,
		     "534 5.7.9 Please log in with your web browser"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 534 5.7.9 Please log in"},
	{.name = "AUTH 421: stop at once",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE, "421 4.3.2 bye"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.3.2 bye"},
	{.name = "AUTH 250: out of sequence",
	 .auth = "on",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_NOPIPE, "250 ok"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to AUTH: 250 ok"},
	{.name = "garbage 334: cancelled with *",
	 .auth = "login",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334 !!not base64!!",
		     "501 5.7.0 Authentication aborted"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH LOGIN\r\n*\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "LOGIN challenge from server 'mx.example.org' is not valid "
		"base64"},
	{.name = "334 after LOGIN finished: cancelled",
	 .auth = "login",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6",
		     "334 VXNlcm5hbWU6", "501 5.7.0 aborted"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH LOGIN\r\n" B64_USER
		   "\r\n" B64_PASS "\r\n*\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "after the exchange ended"},
	{.name = "334 of several lines: cancelled",
	 .auth = "login",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334-VXNlcm5h\r\n334 bWU6",
		     "501 5.7.0 aborted"},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH LOGIN\r\n*\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "challenge of several lines"},
	{.name = "LOGIN 535 after the password",
	 .auth = "login",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH, "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6",
		     AUTH_BAD},
	 .expect = "EHLO localhost\r\n" SECRET "AUTH LOGIN\r\n" B64_USER
		   "\r\n" B64_PASS "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed: 535 5.7.8",
	 .rejected = 1},
	{.name = "XOAUTH2: initial response, not pipelined",
	 .auth = "xoauth2",
	 .secret = "tok",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_CHUNK, AUTH_OK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\n" SECRET
		   "AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHRvawEB\r\n"
		   "MAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nBDAT 6 "
		   "LAST\r\n" BODY "QUIT\r\n",
	 .size = 6,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "XOAUTH2 refused: error JSON, empty answer, 535",
	 .auth = "xoauth2",
	 .secret = "tok",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_AUTH_CHUNK,
		     "334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIn0=",
		     "535 5.7.8 Username and Password not accepted"},
	 .expect = "EHLO localhost\r\n" SECRET
		   "AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHRvawEB\r\n"
		   "\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOPERM,
	 .msg = "authentication failed (the server said "
		"{\"status\":\"400\",\"schemes\":\"Bearer\"}): 535 5.7.8 "
		"Username and Password not accepted",
	 .rejected = 1},

	{.name = "STARTTLS, then AUTH from the capabilities after TLS",
	 .auth = "on",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "250-mx\r\n250-AUTH LOGIN\r\n250 STARTTLS", TLS_GO,
		     EHLO_AUTH, AUTH_OK, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\n" SECRET "AUTH PLAIN " PLAIN_IR
		   "\r\n" ENV_1,
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "STARTTLS, AUTH gone after TLS: fail, never in plain text",
	 .auth = "on",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "250-mx\r\n250-AUTH PLAIN\r\n250 STARTTLS", TLS_GO,
		     EHLO_PIPE},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "does not offer authentication"},

	/* ---- the greeting and EHLO */
	{.name = "greeting 421",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {"421 4.3.2 too busy"},
	 .expect = "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.3.2 too busy"},
	{.name = "greeting 554",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {"554 5.7.1 no service for you"},
	 .expect = "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server is unavailable: 554 5.7.1 no service for you"},
	{.name = "greeting 250 is out of sequence",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {"250 hello"},
	 .expect = "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to the greeting: 250 hello"},
	{.name = "EHLO 421",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "421 4.4.2 closing"},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.4.2 closing"},
	{.name = "EHLO 451",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "451 try later"},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused EHLO: 451 try later"},
	{.name = "EHLO 354 is out of sequence",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "354 what"},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to EHLO: 354 what"},

	/* ---- MAIL */
	{.name = "MAIL 550",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, "550 5.7.1 sender rejected"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "server refused the sender <a@x.org>: 550 5.7.1 sender "
		"rejected"},
	{.name = "MAIL 451",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, "451 4.3.0 local error"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused the sender <a@x.org>: 451 4.3.0"},
	{.name = "MAIL 550 pipelined: the rest drained, then QUIT",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, "550 5.7.1 no", "503 5.5.1 no MAIL",
		     "503 5.5.1 no RCPT"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "server refused the sender <a@x.org>: 550 5.7.1 no"},
	{.name = "MAIL 354 pipelined: out of sequence, DATA pending: abort",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, GO},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n",
	 .want = W_ABORT,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to MAIL FROM: 354"},

	/* ---- RCPT */
	{.name = "first RCPT 550, no PIPELINING: second never sent",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .replies = {GREET, EHLO_MIN, OK, "550 5.1.1 no such user"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <b@y.org>: 550 5.1.1 no such user"},
	{.name = "second RCPT 550, no PIPELINING",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, "550 5.1.1 no such user"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <c@z.org>: 550 5.1.1 no such user"},
	{.name = "RCPT 354, no PIPELINING: out of sequence",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, GO},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to RCPT TO: 354"},
	{.name = "first RCPT 550 pipelined, DATA 554: QUIT",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, "550 5.1.1 unknown",
		     "554 5.5.1 no valid recipients"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <b@y.org>: 550 5.1.1 unknown"},
	{.name = "second RCPT 550 pipelined, DATA 354: abort, no dot",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, OK, "550 5.1.1 unknown", GO},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n",
	 .want = W_ABORT,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <c@z.org>: 550 5.1.1 unknown"},
	{.name = "RCPT 450 pipelined: temporary",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, "450 4.2.0 busy", OK,
		     "554 no valid"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused recipient <b@y.org>: 450 4.2.0 busy"},
	{.name = "RCPT 421 pipelined: stop at once, DATA pending: abort",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, "421 4.3.0 shutting down"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n",
	 .want = W_ABORT,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.3.0 shutting down"},
	{.name = "CHUNKING, two recipients, second refused: no BDAT",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, "550 5.1.1 unknown"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <c@z.org>: 550 5.1.1 unknown"},
	{.name = "CHUNKING, one recipient refused: BDAT reply drained",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, "550 5.1.1 unknown",
		     "554 5.5.1 no valid recipients"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <b@y.org>: 550 5.1.1 unknown",
	 .data_sent = 1},

	/* ---- DATA and the final dot */
	{.name = "DATA 554",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, "554 5.7.0 no thanks"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused the message: 554 5.7.0 no thanks"},
	{.name = "DATA 451",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, "451 4.3.0 later"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused the message: 451 4.3.0 later"},
	{.name = "DATA 250 is out of sequence",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, "250 ok"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to DATA: 250 ok"},
	{.name = "final dot 550",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, GO, "550 5.7.1 spam"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused the message: 550 5.7.1 spam",
	 .data_sent = 1},
	{.name = "final dot 452",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, GO, "452 4.3.1 full"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused the message: 452 4.3.1 full",
	 .data_sent = 1},
	{.name = "final dot 354 is out of sequence",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_MIN, OK, OK, GO, GO},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to the message data: 354",
	 .data_sent = 1},
	{.name = "BDAT LAST 554",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, "554 5.6.0 bad content"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused the message: 554 5.6.0 bad content",
	 .data_sent = 1},
	{.name = "first BDAT chunk 552",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 12,
	 .chunks = 2,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, "552 5.3.4 too big",
		     "503 5.5.1 no"},
	 .expect = "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=12\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6\r\n" BODY "BDAT 6 LAST\r\n" BODY
		   "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused the message: 552 5.3.4 too big",
	 .data_sent = 1},

	/* ---- STARTTLS */
	{.name = "STARTTLS: alone, then EHLO again and the envelope",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_TLS, TLS_GO, EHLO_CHUNK, OK, OK, QUEUED},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nBDAT 6 LAST\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "STARTTLS: capabilities before TLS are forgotten",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_TLS, TLS_GO, EHLO_MIN, OK, OK, GO, QUEUED},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "STARTTLS: offered again after TLS, not sent again",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, TLS_GO, "250-mx\r\n250 STARTTLS", OK, OK,
		     GO, QUEUED},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "STARTTLS: not offered, nothing but QUIT",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_PIPE},
	 .expect = "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server 'mx.example.org' does not offer STARTTLS"},
	{.name = "STARTTLS: HELO-only server cannot do it",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "500 5.5.1 what?", "250 mx.example.org"},
	 .expect = "EHLO localhost\r\nHELO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "does not offer STARTTLS"},
	{.name = "STARTTLS 454: temporary, nothing but QUIT",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, "454 4.7.0 TLS not available"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused STARTTLS: 454 4.7.0 TLS not available"},
	{.name = "STARTTLS 502: still temporary (no plain fallback)",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, "502 5.5.1 not implemented"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused STARTTLS: 502 5.5.1 not implemented"},
	{.name = "STARTTLS 554",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, "554 5.7.3 no"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server refused STARTTLS: 554 5.7.3 no"},
	{.name = "STARTTLS 421",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, "421 4.3.2 shutting down"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.3.2 shutting down"},
	{.name = "STARTTLS 250 is out of sequence",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, "250 fine"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to STARTTLS: 250 fine"},
	{.name = "STARTTLS 354 is out of sequence",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, GO},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_PROTOCOL,
	 .msg = "unexpected server reply to STARTTLS: 354"},
	{.name = "STARTTLS: EHLO after TLS 421",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, TLS_GO, "421 4.4.2 closing"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "server is unavailable: 421 4.4.2 closing"},
	{.name = "STARTTLS: refused recipient after TLS",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, TLS_GO, EHLO_MIN, OK,
		     "550 5.1.1 no such user"},
	 .expect = "EHLO localhost\r\nSTARTTLS\r\n" TLS
		   "EHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused recipient <b@y.org>"},
	{.name = "STARTTLS with LMTP",
	 .starttls = 1,
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, EHLO_TLS, TLS_GO, EHLO_MIN, OK, OK, GO,
		     "250 2.0.0 <b> ok"},
	 .expect = "LHLO localhost\r\nSTARTTLS\r\n" TLS
		   "LHLO localhost\r\nMAIL FROM:<a@x.org>\r\nRCPT "
		   "TO:<b@y.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "STARTTLS: bad envelope, nothing sent at all",
	 .starttls = 1,
	 .from = "a@x.org",
	 .rcpts = {NULL},
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_USAGE,
	 .msg = "no recipients"},

	/* ---- LMTP */
	{.name = "LMTP: one reply per recipient after the dot",
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, OK, OK, GO, "250 2.0.0 <b> ok",
		     "250 2.0.0 <c> ok"},
	 .expect = "LHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},
	{.name = "LMTP: second recipient fails after the dot",
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, OK, OK, GO, "250 2.0.0 <b> ok",
		     "552 5.2.2 over quota"},
	 .expect = "LHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_NOUSER,
	 .msg = "server refused the message for recipient <c@z.org>: 552 "
		"5.2.2 over quota",
	 .data_sent = 1},
	{.name = "LMTP: first recipient fails, the rest is still read",
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 1,
	 .replies = {GREET, EHLO_PIPE, OK, OK, OK, GO, "451 4.2.0 locked",
		     "250 2.0.0 <c> ok"},
	 .expect = "LHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=1\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nDATA\r\n" BODY
		   "QUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_TEMPFAIL,
	 .msg = "for recipient <b@y.org>: 451 4.2.0 locked",
	 .data_sent = 1},
	{.name = "LMTP: no HELO fallback",
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org"},
	 .replies = {GREET, "500 5.5.1 unknown command"},
	 .expect = "LHLO localhost\r\nQUIT\r\n",
	 .want = W_FAIL,
	 .kind = ERR_UNAVAILABLE,
	 .msg = "server refused LHLO: 500 5.5.1 unknown command"},
	{.name = "LMTP with CHUNKING: per-recipient replies to BDAT LAST",
	 .lmtp = 1,
	 .from = "a@x.org",
	 .rcpts = {"b@y.org", "c@z.org"},
	 .size = 6,
	 .replies = {GREET, EHLO_CHUNK, OK, OK, OK, "250 2.0.0 b",
		     "250 2.0.0 c"},
	 .expect = "LHLO localhost\r\nMAIL FROM:<a@x.org> SIZE=6\r\nRCPT "
		   "TO:<b@y.org>\r\nRCPT TO:<c@z.org>\r\nBDAT 6 LAST\r\n" BODY
		   "QUIT\r\n",
	 .want = W_DONE,
	 .data_sent = 1},

	/* ---- defence in depth: nothing sent at all */
	{.name = "recipient with CRLF refused before the greeting",
	 .from = "a@x.org",
	 .rcpts = {"b@y.org\r\nDATA"},
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "invalid recipient address"},
	{.name = "sender with LF refused before the greeting",
	 .from = "a@x.org\nRSET",
	 .rcpts = {"b@y.org"},
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_DATAERR,
	 .msg = "invalid sender address"},
	{.name = "no recipients",
	 .from = "a@x.org",
	 .rcpts = {NULL},
	 .replies = {NULL},
	 .expect = "",
	 .want = W_FAIL,
	 .kind = ERR_USAGE,
	 .msg = "no recipients"},
};

struct run {
	const char *secret; /* handed over on SMTP_WANT_SECRET, or NULL */
	struct buf transcript;
	enum smtp_want want;
	struct err e;
	int data_sent;
	int exhausted; /* the engine wanted more replies than scripted */
};

/* A SASL object as the session makes it: user "user", TLS or not. */
static struct sasl *make_sasl(const char *auth, int encrypted)
{
	struct sasl_params p;
	struct err e = ERR_INIT;
	struct sasl *x;

	memset(&p, 0, sizeof(p));
	p.method = strcmp(auth, "on") == 0 ? NULL : auth;
	p.user = "user";
	p.server = "mx.example.org";
	p.host = "mx.example.org";
	p.port = 587;
	x = sasl_new(&p, &e);
	if (x && encrypted)
		sasl_set_tls(x, SASL_CB_NONE, NULL, 0, &e);
	return x;
}

/* Feed one scripted reply (lines joined by CRLF) through reply.c. */
static int feed_script_reply(struct smtp *s, const char *text, struct err *e)
{
	struct reply_parser p;
	struct reply r;
	size_t i = 0, len = strlen(text);
	int res = 0;

	reply_parser_init(&p);
	reply_init(&r);
	while (i < len && res == 0) {
		const char *nl = strstr(text + i, "\r\n");
		size_t n = nl ? (size_t)(nl - (text + i)) + 2 : len - i;

		res = reply_feed(&p, text + i, n, &r, e);
		i += n;
	}
	if (res == 1)
		res = smtp_feed_reply(s, &r, e);
	else
		res = -1;
	reply_release(&r);
	reply_parser_release(&p);
	return res;
}

static void take_output(struct smtp *s, struct buf *t)
{
	struct buf *o = smtp_output(s);

	buf_append(t, o->data ? o->data : "", o->len);
	buf_reset(o);
}

static void send_body(struct smtp *s, int chunks, struct run *rr)
{
	int i;

	if (smtp_body_mode(s) == SMTP_BODY_DATA) {
		take_output(s, &rr->transcript);
		buf_puts(&rr->transcript, BODY);
	} else {
		for (i = 0; i < chunks; i++) {
			smtp_bdat_command(s, strlen(BODY), i == chunks - 1,
					  &rr->e);
			take_output(s, &rr->transcript);
			buf_puts(&rr->transcript, BODY);
		}
	}
	smtp_body_done(s);
}

/* Play the session against a script of replies. */
static void play(struct smtp *s, const char *const *replies, int chunks,
		 struct run *rr)
{
	size_t next = 0, steps;

	for (steps = 0; steps < 10000; steps++) {
		enum smtp_want w = smtp_next(s, &rr->e);

		rr->want = w;
		if (w == SMTP_WANT_REPLY) {
			take_output(s, &rr->transcript);
			if (next >= MAX_REPLIES || !replies[next]) {
				rr->exhausted = 1;
				break;
			}
			feed_script_reply(s, replies[next++], &rr->e);
		} else if (w == SMTP_WANT_BODY) {
			send_body(s, chunks ? chunks : 1, rr);
		} else if (w == SMTP_WANT_SECRET) {
			struct err why = ERR_INIT;

			take_output(s, &rr->transcript);
			buf_puts(&rr->transcript, SECRET);
			if (!rr->secret)
				err_set(&why, ERR_CONFIG,
					"no password for user 'user' at "
					"'mx.example.org'");
			smtp_secret_done(s, rr->secret, &why);
		} else if (w == SMTP_WANT_TLS) {
			take_output(s, &rr->transcript);
			buf_puts(&rr->transcript, TLS);
			smtp_tls_done(s);
		} else {
			if (w != SMTP_WANT_ABORT)
				take_output(s, &rr->transcript);
			break;
		}
	}
	rr->data_sent = smtp_data_sent(s);
}

static void run_scenario(const struct scenario *sc)
{
	struct envelope env;
	struct smtp_config cfg;
	struct smtp *s;
	struct run rr;
	char *rcpts[MAX_RCPTS];
	char name[300];
	size_t n = 0;

	memset(&env, 0, sizeof(env));
	while (n < MAX_RCPTS && sc->rcpts[n]) {
		rcpts[n] = (char *)sc->rcpts[n];
		n++;
	}
	env.from = (char *)sc->from;
	env.rcpts.v = rcpts;
	env.rcpts.n = n;
	env.size = (off_t)sc->size;
	env.body_8bit = sc->body_8bit;
	env.needs_smtputf8 = sc->smtputf8;
	env.dsn_notify = sc->notify;
	env.dsn_return = sc->ret;
	env.dsn_envid = sc->envid;
	memset(&cfg, 0, sizeof(cfg));
	cfg.protocol = sc->lmtp ? PROTO_LMTP : PROTO_SMTP;
	cfg.helo_domain = "localhost";
	cfg.env = &env;
	cfg.allow_chunking = !sc->no_chunking;
	cfg.allow_pipelining = !sc->no_pipelining;
	cfg.starttls = sc->starttls;
	cfg.server = sc->starttls ? "mx.example.org" : NULL;

	memset(&rr, 0, sizeof(rr));
	buf_init(&rr.transcript, 1 << 20);
	err_init(&rr.e);
	if (sc->auth) {
		cfg.sasl = make_sasl(sc->auth, !sc->plaintext);
		rr.secret = sc->no_secret ? NULL
			    : sc->secret  ? sc->secret
					  : "pass";
	}
	s = smtp_new(&cfg);
	play(s, sc->replies, sc->chunks, &rr);

	snprintf(name, sizeof(name), "%s: bytes sent", sc->name);
	is_str(rr.transcript.data ? rr.transcript.data : "", sc->expect, name);
	snprintf(name, sizeof(name), "%s: script not exhausted", sc->name);
	ok(!rr.exhausted, name);
	snprintf(name, sizeof(name), "%s: final want", sc->name);
	is_int(rr.want, sc->want, name);
	snprintf(name, sizeof(name), "%s: error kind", sc->name);
	is_int(rr.e.kind, sc->kind, name);
	if (sc->msg) {
		snprintf(name, sizeof(name), "%s: message", sc->name);
		ok(strstr(rr.e.msg, sc->msg) != NULL, name);
		if (!strstr(rr.e.msg, sc->msg))
			printf("#   got '%s'\n#  want '%s'\n", rr.e.msg,
			       sc->msg);
	}
	snprintf(name, sizeof(name), "%s: data sent", sc->name);
	is_int(rr.data_sent, sc->data_sent, name);
	if (sc->auth) {
		snprintf(name, sizeof(name), "%s: credentials rejected",
			 sc->name);
		is_int(smtp_auth_rejected(s), sc->rejected, name);
	}
	smtp_free(s);
	sasl_free(cfg.sasl);
	buf_release(&rr.transcript);
}

/* ---- tests that need more than the table */

struct fixture {
	struct envelope env;
	struct smtp_config cfg;
	char *rcpts[200];
	struct smtp *s;
	struct run rr;
};

static void fixture_init(struct fixture *f, size_t nrcpts)
{
	static char names[200][48];
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < nrcpts; i++) {
		snprintf(names[i], sizeof(names[i]), "r%zu@example.org", i);
		f->rcpts[i] = names[i];
	}
	f->env.from = "a@x.org";
	f->env.rcpts.v = f->rcpts;
	f->env.rcpts.n = nrcpts;
	f->cfg.protocol = PROTO_SMTP;
	f->cfg.helo_domain = "localhost";
	f->cfg.env = &f->env;
	f->cfg.allow_chunking = 1;
	f->cfg.allow_pipelining = 1;
	buf_init(&f->rr.transcript, 1 << 20);
	err_init(&f->rr.e);
}

static void fixture_release(struct fixture *f)
{
	smtp_free(f->s);
	buf_release(&f->rr.transcript);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static void test_caps(void)
{
	static const char *const replies[] = {
		GREET,
		"250-mx.example.org PIPELINING\r\n250-pipelining\r\n"
		"250-size 52428800\r\n250-8bitmime\r\n250-SmtpUtf8\r\n"
		"250-CHUNKING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
		"250-STARTTLS\r\n250-AUTH PLAIN login x#y CRAM-MD5 PLAIN "
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n250-AUTH=LOGIN XOAUTH2\r\n"
		"250-X-UNKNOWN foo\r\n250 HELP",
		NULL,
	};
	struct fixture f;
	const struct smtp_caps *c;

	fixture_init(&f, 1);
	f.s = smtp_new(&f.cfg);
	play(f.s, replies, 1, &f.rr);
	c = smtp_caps(f.s);
	ok(c->esmtp, "caps: esmtp");
	ok(c->pipelining, "caps: pipelining (lower case)");
	ok(c->size, "caps: size");
	is_int((long long)c->size_max, 52428800, "caps: size limit");
	ok(c->eightbitmime, "caps: 8bitmime");
	ok(c->smtputf8, "caps: smtputf8 (mixed case)");
	ok(c->chunking, "caps: chunking");
	ok(c->dsn, "caps: dsn");
	ok(c->enhancedstatuscodes, "caps: enhancedstatuscodes");
	ok(c->starttls, "caps: starttls");
	is_str(c->auth, "PLAIN LOGIN CRAM-MD5 XOAUTH2",
	       "caps: auth mechanisms, bad and duplicate names dropped");
	is_int(smtp_body_mode(f.s), SMTP_BODY_BDAT, "caps: BDAT chosen");
	fixture_release(&f);
}

static void test_hostile_ehlo(void)
{
	struct fixture f;
	struct buf ehlo = BUF_INIT(1 << 20);
	const char *replies[4];
	const struct smtp_caps *c;
	int i;

	buf_puts(&ehlo, "250-mx\r\n250-SIZE 99999999999999999999999999\r\n");
	for (i = 0; i < 60; i++) {
		size_t start = ehlo.len;

		buf_puts(&ehlo, "250-AUTH");
		while (ehlo.len - start < 2000)
			buf_puts(&ehlo, i % 2 ? " M" : " LONGMECH-NAME-1");
		buf_puts(&ehlo, "\r\n");
	}
	buf_puts(&ehlo, "250-=\r\n250-\r\n250- \r\n250-AUTH\r\n250 SIZE");
	replies[0] = GREET;
	replies[1] = ehlo.data;
	replies[2] = NULL;
	fixture_init(&f, 1);
	f.s = smtp_new(&f.cfg);
	play(f.s, replies, 1, &f.rr);
	c = smtp_caps(f.s);
	ok(c->esmtp, "hostile EHLO: accepted");
	ok(strlen(c->auth) < sizeof(c->auth), "hostile EHLO: auth bounded");
	is_str(c->auth, "LONGMECH-NAME-1 M", "hostile EHLO: names once each");
	is_int((long long)c->size_max, 0, "hostile EHLO: huge SIZE = no limit");
	ok(strstr(f.rr.transcript.data, "MAIL FROM:<a@x.org> SIZE=0\r\n") !=
		   NULL,
	   "hostile EHLO: MAIL still sent");
	fixture_release(&f);
	buf_release(&ehlo);
}

/* More than SMTP_PIPELINE_RCPTS recipients go in several flights. */
static void test_many_rcpts(void)
{
	struct fixture f;
	struct err e = ERR_INIT;
	struct buf *o;
	size_t n = SMTP_PIPELINE_RCPTS + 50, i;
	enum smtp_want w;

	fixture_init(&f, n);
	f.s = smtp_new(&f.cfg);
	smtp_next(f.s, &e);
	feed_script_reply(f.s, GREET, &e);
	smtp_next(f.s, &e);
	buf_reset(smtp_output(f.s));
	feed_script_reply(f.s, EHLO_PIPE, &e);
	w = smtp_next(f.s, &e);
	o = smtp_output(f.s);
	is_int(w, SMTP_WANT_REPLY, "many rcpts: first flight");
	is_int((long long)count(o->data, "RCPT TO:"), SMTP_PIPELINE_RCPTS,
	       "many rcpts: first flight holds SMTP_PIPELINE_RCPTS RCPTs");
	ok(strstr(o->data, "DATA") == NULL, "many rcpts: no DATA yet");
	buf_reset(o);
	for (i = 0; i < SMTP_PIPELINE_RCPTS + 1; i++)
		feed_script_reply(f.s, OK, &e);
	is_int((long long)count(o->data, "RCPT TO:"), 50,
	       "many rcpts: second flight holds the rest");
	ok(strstr(o->data, "RCPT TO:<r149@example.org>\r\nDATA\r\n") != NULL,
	   "many rcpts: DATA ends the last flight");
	is_int(e.kind, ERR_NONE, "many rcpts: no error");
	fixture_release(&f);
}

/* A command over SMTP_CMD_MAX: nothing of its flight is sent. */
static void test_long_command(void)
{
	static const char *const replies[] = {GREET, EHLO_PIPE, NULL};
	struct fixture f;
	char addr[600];

	fixture_init(&f, 2);
	memset(addr, 'x', sizeof(addr));
	memcpy(addr + 500, "@example.org", 13);
	f.rcpts[1] = addr;
	f.s = smtp_new(&f.cfg);
	play(f.s, replies, 1, &f.rr);
	is_str(f.rr.transcript.data, "EHLO localhost\r\nQUIT\r\n",
	       "long command: the flight is dropped, QUIT sent");
	is_int(f.rr.want, SMTP_WANT_FAIL, "long command: fail");
	is_int(f.rr.e.kind, ERR_DATAERR, "long command: data error");
	ok(strstr(f.rr.e.msg, "longer than 512") != NULL,
	   "long command: message");
	fixture_release(&f);
}

/* STARTTLS is a flight of its own, even with PIPELINING offered. */
static void test_starttls_alone(void)
{
	struct fixture f;
	struct err e = ERR_INIT;
	struct buf *o;

	fixture_init(&f, 1);
	f.cfg.starttls = 1;
	f.s = smtp_new(&f.cfg);
	smtp_next(f.s, &e);
	feed_script_reply(f.s, GREET, &e);
	smtp_next(f.s, &e);
	o = smtp_output(f.s);
	buf_reset(o);
	feed_script_reply(f.s, EHLO_TLS, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "starttls: wants a reply");
	is_str(o->data, "STARTTLS\r\n", "starttls: alone in its flight");
	buf_reset(o);
	feed_script_reply(f.s, TLS_GO, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_TLS, "starttls: wants TLS");
	is_int((long long)o->len, 0, "starttls: nothing queued after 220");
	ok(smtp_caps(f.s)->pipelining, "starttls: caps kept until TLS");
	smtp_tls_done(f.s);
	ok(!smtp_caps(f.s)->pipelining && !smtp_caps(f.s)->starttls,
	   "starttls: caps forgotten after TLS");
	ok(smtp_ehlo_reply(f.s) == NULL, "starttls: EHLO reply forgotten");
	is_str(o->data, "EHLO localhost\r\n", "starttls: EHLO again");
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "starttls: EHLO reply");
	is_int(e.kind, ERR_NONE, "starttls: no error");
	smtp_tls_done(f.s);
	is_int(smtp_next(f.s, &e), SMTP_WANT_FAIL,
	       "starttls: smtp_tls_done out of sequence fails");
	is_int(e.kind, ERR_SOFTWARE, "starttls: software error");
	fixture_release(&f);
}

/* --serverinfo: greeting, EHLO (and STARTTLS, EHLO), QUIT; no envelope. */
static void test_info_mode(void)
{
	static const char *const plain[] = {GREET, EHLO_PIPE, NULL};
	static const char *const tls[] = {GREET, EHLO_TLS, TLS_GO, EHLO_CHUNK,
					  NULL};
	struct fixture f;
	const struct reply *r;

	fixture_init(&f, 0);
	f.cfg.env = NULL;
	f.cfg.info_only = 1;
	f.s = smtp_new(&f.cfg);
	ok(f.s != NULL, "info: no envelope needed");
	play(f.s, plain, 1, &f.rr);
	is_str(f.rr.transcript.data, "EHLO localhost\r\nQUIT\r\n",
	       "info: EHLO then QUIT");
	is_int(f.rr.want, SMTP_WANT_DONE, "info: done");
	r = smtp_greeting(f.s);
	ok(r && r->code == 220 &&
		   !strcmp(r->text.data, "mx.example.org ESMTP ready"),
	   "info: greeting kept");
	r = smtp_ehlo_reply(f.s);
	ok(r && strstr(r->text.data, "\nSIZE 10000\n"),
	   "info: EHLO reply kept");
	fixture_release(&f);

	fixture_init(&f, 0);
	f.cfg.env = NULL;
	f.cfg.info_only = 1;
	f.cfg.starttls = 1;
	f.s = smtp_new(&f.cfg);
	play(f.s, tls, 1, &f.rr);
	is_str(f.rr.transcript.data,
	       "EHLO localhost\r\nSTARTTLS\r\n" TLS
	       "EHLO localhost\r\nQUIT\r\n",
	       "info: STARTTLS, EHLO again, QUIT");
	is_int(f.rr.want, SMTP_WANT_DONE, "info with TLS: done");
	r = smtp_ehlo_reply(f.s);
	ok(r && strstr(r->text.data, "CHUNKING"),
	   "info: the EHLO reply after TLS kept");
	fixture_release(&f);
}

/* ---- authentication beyond the table */

static void auth_fixture(struct fixture *f, const char *auth)
{
	fixture_init(f, 1);
	f->cfg.sasl = make_sasl(auth, 1);
	f->s = smtp_new(&f->cfg);
}

static void auth_fixture_release(struct fixture *f)
{
	struct sasl *x = f->cfg.sasl;

	fixture_release(f);
	sasl_free(x);
}

/* Up to the moment the engine asks for the secret. */
static enum smtp_want auth_to_secret(struct fixture *f, const char *ehlo,
				     struct err *e)
{
	smtp_next(f->s, e);
	feed_script_reply(f->s, GREET, e);
	smtp_next(f->s, e);
	buf_reset(smtp_output(f->s));
	feed_script_reply(f->s, ehlo, e);
	return smtp_next(f->s, e);
}

/* With AUTH in the flight, BDAT waits for its reply (no content out
 * before the credentials are accepted). */
static void test_auth_bdat_waits(void)
{
	struct fixture f;
	struct err e = ERR_INIT;
	struct buf *o;

	auth_fixture(&f, "plain");
	is_int(auth_to_secret(&f, EHLO_AUTH_CHUNK, &e), SMTP_WANT_SECRET,
	       "auth bdat: secret wanted");
	smtp_secret_done(f.s, "pass", NULL);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "auth bdat: replies");
	o = smtp_output(f.s);
	is_str(o->data,
	       "AUTH PLAIN " PLAIN_IR "\r\nMAIL FROM:<a@x.org>\r\nRCPT "
	       "TO:<r0@example.org>\r\n",
	       "auth bdat: AUTH, MAIL, RCPT in one flight, no BDAT");
	buf_reset(o);
	feed_script_reply(f.s, AUTH_OK, &e);
	feed_script_reply(f.s, OK, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "auth bdat: RCPT reply");
	feed_script_reply(f.s, OK, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_BODY, "auth bdat: then the body");
	is_str(smtp_auth_mech(f.s), "PLAIN", "auth bdat: mechanism kept");
	is_int(e.kind, ERR_NONE, "auth bdat: no error");
	auth_fixture_release(&f);
}

/* An initial response too long for the AUTH line follows a 334. */
static void test_auth_long_ir(void)
{
	struct fixture f;
	struct err e = ERR_INIT;
	char token[700];
	struct buf *o;

	memset(token, 'T', sizeof(token) - 1);
	token[sizeof(token) - 1] = '\0';
	auth_fixture(&f, "xoauth2");
	is_int(auth_to_secret(&f, EHLO_AUTH_CHUNK, &e), SMTP_WANT_SECRET,
	       "long IR: secret wanted");
	smtp_secret_done(f.s, token, NULL);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "long IR: AUTH reply");
	o = smtp_output(f.s);
	is_str(o->data, "AUTH XOAUTH2\r\n", "long IR: AUTH without it");
	buf_reset(o);
	feed_script_reply(f.s, "334 ", &e);
	ok(o->len > SMTP_CMD_MAX &&
		   strncmp(o->data, "dXNlcj11c2VyAWF1", 16) == 0 &&
		   strcmp(o->data + o->len - 2, "\r\n") == 0,
	   "long IR: the response after the empty 334");
	buf_reset(o);
	feed_script_reply(f.s, AUTH_OK, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_BODY,
	       "long IR: envelope and BDAT (AUTH was not in the flight)");
	ok(strncmp(o->data, "MAIL FROM:<a@x.org>", 19) == 0,
	   "long IR: MAIL after 235");
	is_int(e.kind, ERR_NONE, "long IR: no error");
	auth_fixture_release(&f);
}

/* SCRAM: a 235 before the server proved itself is refused. */
static void test_auth_scram_early(void)
{
	struct fixture f;
	struct err e = ERR_INIT;

	auth_fixture(&f, "on");
	is_int(auth_to_secret(&f, "250-mx\r\n250 AUTH SCRAM-SHA-256 PLAIN", &e),
	       SMTP_WANT_SECRET, "scram: secret wanted");
	smtp_secret_done(f.s, "pass", NULL);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY, "scram: AUTH sent");
	ok(strncmp(smtp_output(f.s)->data, "AUTH SCRAM-SHA-256 biws", 23) == 0,
	   "scram: chosen over PLAIN, client-first inline");
	buf_reset(smtp_output(f.s));
	feed_script_reply(f.s, AUTH_OK, &e);
	is_int(smtp_next(f.s, &e), SMTP_WANT_FAIL, "scram: early 235 fails");
	is_int(e.kind, ERR_PROTOCOL, "scram: protocol error");
	ok(strstr(e.msg, "before proving it knows the credentials") != NULL,
	   "scram: message");
	is_str(smtp_output(f.s)->data, "QUIT\r\n", "scram: QUIT only");
	auth_fixture_release(&f);
}

static void test_auth_misuse(void)
{
	struct fixture f;
	struct err e = ERR_INIT;

	auth_fixture(&f, "on");
	smtp_secret_done(f.s, "pass", NULL);
	is_int(smtp_next(f.s, &e), SMTP_WANT_FAIL,
	       "auth misuse: secret out of sequence");
	is_int(e.kind, ERR_SOFTWARE, "auth misuse: software error");
	ok(smtp_auth_mech(f.s) == NULL, "auth misuse: no mechanism");
	auth_fixture_release(&f);
}

/* -v transcript: no credentials, in any form. */
static void test_auth_redaction(void)
{
	static const char *const login[] = {GREET,
					    EHLO_AUTH,
					    "334 VXNlcm5hbWU6",
					    "334 UGFzc3dvcmQ6",
					    AUTH_OK,
					    OK,
					    OK,
					    GO,
					    QUEUED,
					    NULL};
	static const char *const plain[] = {GREET, EHLO_AUTH, AUTH_OK, OK,
					    OK,	   GO,	      QUEUED,  NULL};
	char path[] = "/tmp/test_smtp_log_XXXXXX";
	struct fixture f;
	char text[8192];
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	fflush(stderr);
	dup2(fd, 2);
	log_level = 1;
	auth_fixture(&f, "login");
	f.rr.secret = "pass";
	play(f.s, login, 1, &f.rr);
	auth_fixture_release(&f);
	auth_fixture(&f, "on");
	f.rr.secret = "pass";
	play(f.s, plain, 1, &f.rr);
	auth_fixture_release(&f);
	log_level = 0;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	ok(strstr(text, "--> AUTH LOGIN\n") != NULL, "redaction: AUTH LOGIN");
	is_int((long long)count(text, "--> [credentials hidden]\n"), 2,
	       "redaction: both answers to 334 hidden");
	ok(strstr(text, "--> AUTH PLAIN [credentials hidden]\n") != NULL,
	   "redaction: AUTH PLAIN keeps the mechanism");
	ok(!strstr(text, PLAIN_IR) && !strstr(text, B64_USER) &&
		   !strstr(text, B64_PASS) && !strstr(text, "pass"),
	   "redaction: no password, no base64 of it");
	ok(strstr(text, "--> MAIL FROM:<a@x.org>\n") != NULL,
	   "redaction: other commands shown");
}

static void test_api_misuse(void)
{
	static const char *const replies[] = {GREET, EHLO_MIN, OK,  OK,
					      GO,    QUEUED,   NULL};
	struct fixture f;
	struct reply r;
	struct err e = ERR_INIT;
	const struct reply *fin;

	fixture_init(&f, 1);
	f.s = smtp_new(&f.cfg);
	is_int(smtp_next(f.s, &e), SMTP_WANT_REPLY,
	       "misuse: first want is a reply (the greeting)");
	is_int((long long)smtp_output(f.s)->len, 0,
	       "misuse: nothing sent before the greeting");
	ok(smtp_final_reply(f.s) == NULL, "misuse: no final reply yet");
	is_int(smtp_bdat_command(f.s, 10, 1, &e), -1,
	       "misuse: BDAT outside the body refused");
	smtp_free(f.s);

	f.s = smtp_new(&f.cfg);
	play(f.s, replies, 1, &f.rr);
	is_int(f.rr.want, SMTP_WANT_DONE, "misuse: a normal run");
	fin = smtp_final_reply(f.s);
	ok(fin && fin->code == 250 && !strcmp(fin->enhanced, "2.0.0"),
	   "misuse: final reply kept");
	is_int(smtp_next(f.s, &f.rr.e), SMTP_WANT_DONE, "misuse: DONE stays");
	reply_init(&r);
	r.code = 250;
	err_init(&e);
	is_int(smtp_feed_reply(f.s, &r, &e), -1,
	       "misuse: reply when none is expected");
	is_int(e.kind, ERR_SOFTWARE, "misuse: software error");
	reply_release(&r);
	fixture_release(&f);
	ok(smtp_new(NULL) == NULL, "misuse: smtp_new(NULL)");
}

/* ---- batch mode (smtp.h "Batch mode"): several messages, one dialogue */

#define BATCH_MSGS    3
#define BATCH_REPLIES 24
#define MSG_DATA \
	"MAIL FROM:<a@x.org> SIZE=0\r\nRCPT TO:<r0@example.org>\r\nDATA\r\n"
#define MSG_BDAT                                                            \
	"MAIL FROM:<a@x.org> SIZE=0\r\nRCPT TO:<r0@example.org>\r\nBDAT 6 " \
	"LAST\r\n" BODY

struct batch_case {
	const char *name;
	int no_pipelining;
	const char *ehlo;
	int nmsg;
	unsigned long long sizes[BATCH_MSGS]; /* env.size of each message */
	const char *replies[BATCH_REPLIES];   /* the whole dialogue */
	/* per message: final want (-1: smtp_next_message() refused) */
	int wants[BATCH_MSGS];
	enum err_kind kinds[BATCH_MSGS];
	int reusable;	    /* after the last message */
	const char *expect; /* bytes, with smtp_quit() at the end */
};

static const struct batch_case batch_cases[] = {
	{"two messages, pipelined: RSET in the next flight, one EHLO",
	 0,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, OK, OK, GO, QUEUED},
	 {W_DONE, W_DONE},
	 {ERR_NONE, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA BODY
	 "QUIT\r\n"},
	{"no PIPELINING: RSET alone, then one command per reply",
	 1,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, OK, OK, GO, QUEUED},
	 {W_DONE, W_DONE},
	 {ERR_NONE, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA BODY
	 "QUIT\r\n"},
	{"a refused recipient fails one message, the next goes on",
	 0,
	 EHLO_PIPE,
	 3,
	 {0, 0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, OK,
	  "550 5.1.1 no such user", "554 5.5.1 no valid recipients", OK, OK, OK,
	  GO, QUEUED},
	 {W_DONE, W_FAIL, W_DONE},
	 {ERR_NONE, ERR_NOUSER, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA
	 "RSET\r\n" MSG_DATA BODY "QUIT\r\n"},
	{"4xx to the final dot: temporary, dialogue still usable",
	 0,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, "451 4.3.0 try later", OK, OK, OK, GO,
	  QUEUED},
	 {W_FAIL, W_DONE},
	 {ERR_TEMPFAIL, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA BODY
	 "QUIT\r\n"},
	{"421 to RSET ends the batch (a DATA was in flight: abort)",
	 0,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, "421 4.3.2 shutting down"},
	 {W_DONE, W_ABORT},
	 {ERR_NONE, ERR_TEMPFAIL},
	 0,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA},
	{"421 to the next MAIL without PIPELINING: QUIT, not reusable",
	 1,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, "421 4.3.2 closing"},
	 {W_DONE, W_FAIL},
	 {ERR_NONE, ERR_TEMPFAIL},
	 0,
	 "EHLO localhost\r\n" MSG_DATA BODY
	 "RSET\r\nMAIL FROM:<a@x.org> SIZE=0\r\nQUIT\r\n"},
	{"RSET refused: the dialogue is not trusted any more",
	 1,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, "502 5.5.1 no RSET"},
	 {W_DONE, W_FAIL},
	 {ERR_NONE, ERR_TEMPFAIL},
	 0,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\nQUIT\r\n"},
	{"too large for SIZE: nothing sent for it, the next goes on",
	 0,
	 EHLO_PIPE,
	 3,
	 {0, 20000, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, OK, OK, GO, QUEUED},
	 {W_DONE, W_FAIL, W_DONE},
	 {ERR_NONE, ERR_DATAERR, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n"
	 "MAIL FROM:<a@x.org> SIZE=0\r\nRCPT TO:<r0@example.org>\r\n"
	 "DATA\r\n" BODY "QUIT\r\n"},
	{"refused recipient after a pipelined 354: abort, no reuse",
	 0,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, OK, OK, "550 5.1.1 no", GO},
	 {W_DONE, W_ABORT},
	 {ERR_NONE, ERR_NOUSER},
	 0,
	 "EHLO localhost\r\n" MSG_DATA BODY "RSET\r\n" MSG_DATA},
	{"not reusable after a failed greeting",
	 0,
	 EHLO_PIPE,
	 2,
	 {0, 0},
	 {"554 5.3.2 go away"},
	 {W_FAIL, -1},
	 {ERR_UNAVAILABLE, ERR_SOFTWARE},
	 0,
	 "QUIT\r\n"},
	{"CHUNKING: RSET, MAIL, RCPT and BDAT LAST in one flight",
	 0,
	 EHLO_CHUNK,
	 2,
	 {0, 0},
	 {GREET, EHLO_CHUNK, OK, OK, QUEUED, OK, OK, OK, QUEUED},
	 {W_DONE, W_DONE},
	 {ERR_NONE, ERR_NONE},
	 1,
	 "EHLO localhost\r\n" MSG_BDAT "RSET\r\n" MSG_BDAT "QUIT\r\n"},
};

/* The play() loop, resuming at *next in a script shared by messages. */
static enum smtp_want play_batch(struct smtp *s, const char *const *replies,
				 size_t *next, struct run *rr)
{
	size_t steps;

	for (steps = 0; steps < 10000; steps++) {
		enum smtp_want w = smtp_next(s, &rr->e);

		if (w == SMTP_WANT_REPLY) {
			take_output(s, &rr->transcript);
			if (*next >= BATCH_REPLIES || !replies[*next]) {
				rr->exhausted = 1;
				return w;
			}
			feed_script_reply(s, replies[(*next)++], &rr->e);
		} else if (w == SMTP_WANT_BODY) {
			send_body(s, 1, rr);
		} else {
			if (w != SMTP_WANT_ABORT)
				take_output(s, &rr->transcript);
			return w;
		}
	}
	return SMTP_WANT_ABORT;
}

static void run_batch_case(const struct batch_case *bc)
{
	struct fixture f;
	struct envelope envs[BATCH_MSGS];
	char name[300];
	size_t next = 0;
	int i, w;

	fixture_init(&f, 1);
	f.cfg.batch = 1;
	f.cfg.allow_pipelining = !bc->no_pipelining;
	f.s = smtp_new(&f.cfg);
	for (i = 0; i < bc->nmsg; i++) {
		envs[i] = f.env;
		envs[i].size = (off_t)bc->sizes[i];
		err_init(&f.rr.e);
		if (i == 0)
			w = (int)play_batch(f.s, bc->replies, &next, &f.rr);
		else if (smtp_next_message(f.s, &envs[i], &f.rr.e) < 0)
			w = -1;
		else
			w = (int)play_batch(f.s, bc->replies, &next, &f.rr);
		snprintf(name, sizeof(name), "batch %s: message %d want",
			 bc->name, i + 1);
		is_int(w, bc->wants[i], name);
		snprintf(name, sizeof(name), "batch %s: message %d error",
			 bc->name, i + 1);
		is_int(f.rr.e.kind, bc->kinds[i], name);
	}
	snprintf(name, sizeof(name), "batch %s: reusable", bc->name);
	is_int(smtp_reusable(f.s), bc->reusable, name);
	smtp_quit(f.s);
	take_output(f.s, &f.rr.transcript);
	snprintf(name, sizeof(name), "batch %s: bytes sent", bc->name);
	is_str(f.rr.transcript.data ? f.rr.transcript.data : "", bc->expect,
	       name);
	snprintf(name, sizeof(name), "batch %s: script used up", bc->name);
	ok(!f.rr.exhausted && !bc->replies[next], name);
	fixture_release(&f);
}

static void test_batch(void)
{
	size_t i;
	struct fixture f;

	for (i = 0; i < sizeof(batch_cases) / sizeof(batch_cases[0]); i++)
		run_batch_case(&batch_cases[i]);
	/* Without batch mode QUIT follows the data and nothing is reusable. */
	fixture_init(&f, 1);
	f.s = smtp_new(&f.cfg);
	{
		const char *r[] = {GREET, EHLO_PIPE, OK, OK, GO, QUEUED, NULL};
		size_t next = 0;

		play_batch(f.s, r, &next, &f.rr);
	}
	is_str(f.rr.transcript.data,
	       "EHLO localhost\r\n" MSG_DATA BODY "QUIT\r\n",
	       "no batch: QUIT pipelined after the data");
	ok(!smtp_reusable(f.s), "no batch: not reusable");
	ok(smtp_next_message(f.s, &f.env, &f.rr.e) < 0 &&
		   f.rr.e.kind == ERR_SOFTWARE,
	   "no batch: smtp_next_message refused");
	fixture_release(&f);
}

/* ---- international mail: every address/message kind x server ---------- */

/* Capability sets of the matrix (EHLO replies). */
#define EHLO_NONE "250-mx.example.org\r\n250 PIPELINING"
#define EHLO_8BIT "250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME"
#define EHLO_UTF8 "250-mx.example.org\r\n250-PIPELINING\r\n250 SMTPUTF8"
#define EHLO_BOTH                                                      \
	"250-mx.example.org\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 " \
	"SMTPUTF8"

struct intl_case {
	const char *kind;   /* what the envelope/message holds */
	const char *ehlo;   /* the server */
	int send_8bit;	    /* 1: env->send_8bit, 2: cfg.send_8bit */
	const char *from;   /* envelope sender (already in envelope form) */
	const char *rcpt;   /* the one recipient */
	int smtputf8;	    /* env->needs_smtputf8 */
	int header_utf8;    /* env->header_utf8 (implies body_8bit) */
	int body_8bit;	    /* 8-bit body only */
	const char *mail;   /* exact MAIL line (no CRLF); NULL: refused */
	const char *errmsg; /* when refused: the whole error message */
};

#define A_FROM "a@x.org"
#define A_RCPT "b@y.org"
#define I_RCPT "b@xn--bcher-kva.example"
#define U_RCPT "j\xc3\xb6rg@y.org"
#define U_FROM "\xd1\x80\xd0\xb8\xd1\x82\xd0\xb0@x.org"
#define NEED_U                                                \
	"address <j??rg@y.org> needs SMTPUTF8, which server " \
	"'mx.example.org' does not offer"
#define NEED_U_F                                                 \
	"address <????????@x.org> needs SMTPUTF8, which server " \
	"'mx.example.org' does not offer"
#define NEED_8                                                      \
	"the message has 8-bit data but the server does not offer " \
	"8BITMIME (set send_8bit_without_8bitmime on to send it anyway)"
#define M_A "MAIL FROM:<a@x.org>"

static const struct intl_case intl_cases[] = {
	/* ASCII everything: never a parameter, whatever is offered */
	{"ascii", EHLO_NONE, 0, A_FROM, A_RCPT, 0, 0, 0, M_A, NULL},
	{"ascii", EHLO_8BIT, 0, A_FROM, A_RCPT, 0, 0, 0, M_A, NULL},
	{"ascii", EHLO_UTF8, 0, A_FROM, A_RCPT, 0, 0, 0, M_A, NULL},
	{"ascii", EHLO_BOTH, 0, A_FROM, A_RCPT, 0, 0, 0, M_A, NULL},
	/* IDN domain: envelope.c made it an A-label; nothing else needed */
	{"idn domain", EHLO_NONE, 0, A_FROM, I_RCPT, 0, 0, 0, M_A, NULL},
	{"idn domain", EHLO_8BIT, 0, A_FROM, I_RCPT, 0, 0, 0, M_A, NULL},
	{"idn domain", EHLO_UTF8, 0, A_FROM, I_RCPT, 0, 0, 0, M_A, NULL},
	{"idn domain", EHLO_BOTH, 0, A_FROM, I_RCPT, 0, 0, 0, M_A, NULL},
	/* UTF-8 local part (7-bit message): SMTPUTF8 or refused */
	{"utf8 local", EHLO_NONE, 0, A_FROM, U_RCPT, 1, 0, 0, NULL, NEED_U},
	{"utf8 local", EHLO_8BIT, 0, A_FROM, U_RCPT, 1, 0, 0, NULL, NEED_U},
	{"utf8 local", EHLO_UTF8, 0, A_FROM, U_RCPT, 1, 0, 0, M_A " SMTPUTF8",
	 NULL},
	{"utf8 local", EHLO_BOTH, 0, A_FROM, U_RCPT, 1, 0, 0, M_A " SMTPUTF8",
	 NULL},
	{"utf8 local, send_8bit", EHLO_NONE, 1, A_FROM, U_RCPT, 1, 0, 0, NULL,
	 NEED_U},
	{"utf8 sender", EHLO_8BIT, 0, U_FROM, A_RCPT, 1, 0, 0, NULL, NEED_U_F},
	{"utf8 sender", EHLO_UTF8, 0, U_FROM, A_RCPT, 1, 0, 0,
	 "MAIL FROM:<" U_FROM "> SMTPUTF8", NULL},
	/* UTF-8 header (ASCII addresses): SMTPUTF8 only when offered */
	{"utf8 header", EHLO_NONE, 0, A_FROM, A_RCPT, 0, 1, 0, NULL, NEED_8},
	{"utf8 header", EHLO_8BIT, 0, A_FROM, A_RCPT, 0, 1, 0,
	 M_A " BODY=8BITMIME", NULL},
	{"utf8 header", EHLO_UTF8, 0, A_FROM, A_RCPT, 0, 1, 0, NULL, NEED_8},
	{"utf8 header", EHLO_BOTH, 0, A_FROM, A_RCPT, 0, 1, 0,
	 M_A " BODY=8BITMIME SMTPUTF8", NULL},
	{"utf8 header, send_8bit", EHLO_NONE, 1, A_FROM, A_RCPT, 0, 1, 0, M_A,
	 NULL},
	{"utf8 header, send_8bit", EHLO_8BIT, 1, A_FROM, A_RCPT, 0, 1, 0,
	 M_A " BODY=8BITMIME", NULL},
	{"utf8 header, send_8bit", EHLO_UTF8, 1, A_FROM, A_RCPT, 0, 1, 0,
	 M_A " SMTPUTF8", NULL},
	{"utf8 header, cfg send_8bit", EHLO_UTF8, 2, A_FROM, A_RCPT, 0, 1, 0,
	 M_A " SMTPUTF8", NULL},
	/* 8-bit body only: BODY=8BITMIME, never SMTPUTF8 */
	{"8bit body", EHLO_NONE, 0, A_FROM, A_RCPT, 0, 0, 1, NULL, NEED_8},
	{"8bit body", EHLO_8BIT, 0, A_FROM, A_RCPT, 0, 0, 1,
	 M_A " BODY=8BITMIME", NULL},
	{"8bit body", EHLO_UTF8, 0, A_FROM, A_RCPT, 0, 0, 1, NULL, NEED_8},
	{"8bit body", EHLO_BOTH, 0, A_FROM, A_RCPT, 0, 0, 1,
	 M_A " BODY=8BITMIME", NULL},
	{"8bit body, send_8bit", EHLO_NONE, 1, A_FROM, A_RCPT, 0, 0, 1, M_A,
	 NULL},
	{"8bit body, cfg send_8bit", EHLO_UTF8, 2, A_FROM, A_RCPT, 0, 0, 1, M_A,
	 NULL},
	/* UTF-8 local part and UTF-8 header: the address error comes first */
	{"utf8 local+header", EHLO_NONE, 0, A_FROM, U_RCPT, 1, 1, 0, NULL,
	 NEED_U},
	{"utf8 local+header", EHLO_8BIT, 0, A_FROM, U_RCPT, 1, 1, 0, NULL,
	 NEED_U},
	{"utf8 local+header", EHLO_UTF8, 0, A_FROM, U_RCPT, 1, 1, 0, NULL,
	 NEED_8},
	{"utf8 local+header", EHLO_UTF8, 1, A_FROM, U_RCPT, 1, 1, 0,
	 M_A " SMTPUTF8", NULL},
	{"utf8 local+header", EHLO_BOTH, 0, A_FROM, U_RCPT, 1, 1, 0,
	 M_A " BODY=8BITMIME SMTPUTF8", NULL},
};

static void run_intl(const struct intl_case *c)
{
	const char *replies[] = {GREET, c->ehlo, OK, OK, GO, QUEUED, NULL};
	struct envelope env;
	struct smtp_config cfg;
	struct smtp *s;
	struct run rr;
	char *rcpts[1] = {(char *)c->rcpt};
	char name[400], want[600];
	const char *srv = !strcmp(c->ehlo, EHLO_NONE)	? "none"
			  : !strcmp(c->ehlo, EHLO_8BIT) ? "8BITMIME"
			  : !strcmp(c->ehlo, EHLO_UTF8) ? "SMTPUTF8"
							: "8BITMIME+SMTPUTF8";

	memset(&env, 0, sizeof(env));
	env.from = (char *)c->from;
	env.rcpts.v = rcpts;
	env.rcpts.n = 1;
	env.needs_smtputf8 = c->smtputf8;
	env.header_utf8 = c->header_utf8;
	env.body_8bit = c->header_utf8 || c->body_8bit;
	env.send_8bit = c->send_8bit == 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.protocol = PROTO_SMTP;
	cfg.helo_domain = "localhost";
	cfg.env = &env;
	cfg.allow_chunking = 1;
	cfg.allow_pipelining = 1;
	cfg.server = "mx.example.org";
	cfg.send_8bit = c->send_8bit == 2;
	memset(&rr, 0, sizeof(rr));
	buf_init(&rr.transcript, 1 << 20);
	err_init(&rr.e);
	s = smtp_new(&cfg);
	play(s, replies, 1, &rr);
	if (c->mail)
		snprintf(want, sizeof(want),
			 "EHLO localhost\r\n%s\r\nRCPT TO:<%s>\r\nDATA\r\n" BODY
			 "QUIT\r\n",
			 c->mail, c->rcpt);
	else
		snprintf(want, sizeof(want), "EHLO localhost\r\nQUIT\r\n");
	snprintf(name, sizeof(name), "intl %s, server %s%s: bytes sent",
		 c->kind, srv, c->send_8bit ? ", send_8bit" : "");
	is_str(rr.transcript.data ? rr.transcript.data : "", want, name);
	snprintf(name, sizeof(name), "intl %s, server %s%s: outcome", c->kind,
		 srv, c->send_8bit ? ", send_8bit" : "");
	if (c->mail) {
		ok(rr.want == SMTP_WANT_DONE && rr.e.kind == ERR_NONE, name);
	} else {
		ok(rr.want == SMTP_WANT_FAIL && rr.e.kind == ERR_DATAERR, name);
		snprintf(name, sizeof(name), "intl %s, server %s: message",
			 c->kind, srv);
		is_str(rr.e.msg, c->errmsg, name);
	}
	smtp_free(s);
	buf_release(&rr.transcript);
}

/* Batch: SMTPUTF8 is decided per message, not once per connection. */
static void test_intl_batch(void)
{
	const char *r[] = {GREET, EHLO_BOTH, OK, OK, GO,     QUEUED,
			   OK,	  OK,	     OK, GO, QUEUED, NULL};
	struct fixture f;
	struct envelope second;
	size_t next = 0;

	fixture_init(&f, 1);
	f.cfg.batch = 1;
	f.env.header_utf8 = 1;
	f.env.body_8bit = 1;
	f.s = smtp_new(&f.cfg);
	play_batch(f.s, r, &next, &f.rr);
	second = f.env;
	second.header_utf8 = 0;
	second.body_8bit = 0;
	ok(smtp_next_message(f.s, &second, &f.rr.e) == 0, "intl batch: next");
	play_batch(f.s, r, &next, &f.rr);
	smtp_quit(f.s);
	take_output(f.s, &f.rr.transcript);
	is_str(f.rr.transcript.data,
	       "EHLO localhost\r\nMAIL FROM:<a@x.org> BODY=8BITMIME "
	       "SMTPUTF8\r\nRCPT TO:<r0@example.org>\r\nDATA\r\n" BODY
	       "RSET\r\nMAIL FROM:<a@x.org>\r\nRCPT "
	       "TO:<r0@example.org>\r\nDATA\r\n" BODY "QUIT\r\n",
	       "intl batch: SMTPUTF8 only on the message that wants it");
	fixture_release(&f);
}

static void test_intl(void)
{
	size_t i;

	for (i = 0; i < sizeof(intl_cases) / sizeof(intl_cases[0]); i++)
		run_intl(&intl_cases[i]);
	test_intl_batch();
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run_scenario(&scenarios[i]);
	test_caps();
	test_hostile_ehlo();
	test_many_rcpts();
	test_long_command();
	test_starttls_alone();
	test_info_mode();
	test_api_misuse();
	test_auth_bdat_waits();
	test_auth_long_ir();
	test_auth_scram_early();
	test_auth_misuse();
	test_auth_redaction();
	test_batch();
	test_intl();
	return tap_done();
}
