/*
 * test_docs.c - the documentation follows the tables (STYLE.md rule 9).
 *
 *  - man/mailhop.1 documents every option of cli_option_list(), and
 *    documents no option the table lacks.  An option is "documented" by
 *    a tag line: a ".B" or ".BR" line right after ".TP" or ".TQ" whose
 *    first word is the option (\- escapes, cut at '=', '[', space, font
 *    change), e.g. ".B \-f \fIaddress\fR" or ".B \-\-tls\fR[...]".
 *  - The bash, zsh and fish completions name every option: bash and zsh
 *    as the word "-x" / "--name"; fish as "-s x", "-l name", "-o word".
 *  - man/mailhoprc.5 documents every rc key of conf_key_list() as a
 *    ".B key" line.
 *
 * Files are read from $top_srcdir (set by make check), else ".".  One
 * TAP check per option (or key) per file.
 */
#include "cli.h"
#include "conf.h"
#include "tap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our docs are a few dozen KiB; anything near this is a wrong file. */
#define DOC_FILE_MAX (1024 * 1024)
/* More tag lines than any man page of ours has. */
#define MAN_OPTS_MAX 512
#define WORD_MAX     64

enum { COMP_BASH, COMP_ZSH, COMP_FISH };

static char *read_doc(const char *top, const char *rel)
{
	char path[4096];
	FILE *f;
	char *text;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	text = malloc(DOC_FILE_MAX + 1);
	n = text ? fread(text, 1, DOC_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!text || n > DOC_FILE_MAX) {
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

static int is_word_char(int c)
{
	return isalnum(c) || c == '_';
}

/*
 * Does tok occur in text as a whole word?  Before it: not a word
 * character or '-'; after it: not a word character, and not '-' that
 * continues a longer option name ("--tls" is not in "--tls-starttls").
 */
static int has_token(const char *text, const char *tok)
{
	size_t len = strlen(tok);
	const char *p;

	for (p = strstr(text, tok); p; p = strstr(p + 1, tok)) {
		const char *after = p + len;

		if (p > text && (is_word_char(p[-1]) || p[-1] == '-'))
			continue;
		if (is_word_char(*after))
			continue;
		if (*after == '-' && is_word_char(after[1]))
			continue;
		return 1;
	}
	return 0;
}

/* "-x", "-oi" or "--name" for option k. */
static void spelling(const struct cli_option_info *o, int use_long, char *dst,
		     size_t n)
{
	if (use_long)
		snprintf(dst, n, "--%s", o->long_name);
	else if (o->short_word)
		snprintf(dst, n, "-%s", o->short_word);
	else
		snprintf(dst, n, "-%c", o->short_name);
}

/* How the fish completion names the same option. */
static void fish_spelling(const struct cli_option_info *o, int use_long,
			  char *dst, size_t n)
{
	if (use_long)
		snprintf(dst, n, "-l %s", o->long_name);
	else if (o->short_word)
		snprintf(dst, n, "-o %s", o->short_word);
	else
		snprintf(dst, n, "-s %c", o->short_name);
}

/* The option word of a man tag line, unescaped; "" if none. */
static void man_option_word(const char *line, char *dst, size_t n)
{
	size_t o = 0;

	dst[0] = '\0';
	if (strncmp(line, ".B ", 3) == 0)
		line += 3;
	else if (strncmp(line, ".BR ", 4) == 0)
		line += 4;
	else
		return;
	if (strncmp(line, "\\-", 2) != 0)
		return;
	while (*line && o + 1 < n) {
		if (line[0] == '\\' && line[1] == '-') {
			dst[o++] = '-';
			line += 2;
			continue;
		}
		if (strchr(" =[\"\\", *line))
			break;
		dst[o++] = *line++;
	}
	dst[o] = '\0';
}

/* Collect the option words of every tag line (after .TP or .TQ). */
static size_t man_options(char *man, char words[][WORD_MAX], size_t max)
{
	size_t count = 0;
	int tag = 0;
	char *line, *save = NULL;

	for (line = strtok_r(man, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (tag && count < max) {
			man_option_word(line, words[count], WORD_MAX);
			if (words[count][0])
				count++;
		}
		tag = strcmp(line, ".TP") == 0 || strcmp(line, ".TQ") == 0;
	}
	return count;
}

static int in_words(char words[][WORD_MAX], size_t n, const char *w)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strcmp(words[k], w) == 0)
			return 1;
	return 0;
}

/* Is w the spelling of an option in the table? */
static int in_table(const struct cli_option_info *list, size_t n, const char *w)
{
	char s[WORD_MAX];
	size_t k;

	for (k = 0; k < n; k++) {
		if (list[k].short_name || list[k].short_word) {
			spelling(&list[k], 0, s, sizeof(s));
			if (strcmp(s, w) == 0)
				return 1;
		}
		if (list[k].long_name) {
			spelling(&list[k], 1, s, sizeof(s));
			if (strcmp(s, w) == 0)
				return 1;
		}
	}
	return 0;
}

static void check_man(const char *top, const struct cli_option_info *list,
		      size_t n)
{
	static char words[MAN_OPTS_MAX][WORD_MAX];
	char *man = read_doc(top, "man/mailhop.1");
	char s[WORD_MAX], name[2 * WORD_MAX];
	size_t nwords, k;
	int l;

	if (!ok(man != NULL, "read man/mailhop.1"))
		return;
	nwords = man_options(man, words, MAN_OPTS_MAX);
	ok(nwords < MAN_OPTS_MAX, "man page tag lines counted");
	for (k = 0; k < n; k++)
		for (l = 0; l < 2; l++) {
			if (l ? !list[k].long_name
			      : !(list[k].short_name || list[k].short_word))
				continue;
			spelling(&list[k], l, s, sizeof(s));
			snprintf(name, sizeof(name), "mailhop.1 documents %s",
				 s);
			ok(in_words(words, nwords, s), name);
		}
	for (k = 0; k < nwords; k++) {
		snprintf(name, sizeof(name),
			 "mailhop.1 option %s is in the table", words[k]);
		ok(in_table(list, n, words[k]), name);
	}
	free(man);
}

/*
 * The bash completion offers options from one word list, opts="...";
 * check inside it only, so a name used in a case pattern does not count.
 */
static char *bash_word_list(char *text)
{
	char *start = strstr(text, "opts=\""), *end;

	if (!start)
		return NULL;
	start += strlen("opts=\"");
	end = strchr(start, '"');
	if (!end)
		return NULL;
	*end = '\0';
	return start;
}

static void check_completion(const char *top, const char *rel, int kind,
			     const struct cli_option_info *list, size_t n)
{
	char *file = read_doc(top, rel), *text = file;
	char s[WORD_MAX], name[2 * WORD_MAX + 64];
	size_t k;
	int l;

	snprintf(name, sizeof(name), "read %s", rel);
	if (file && kind == COMP_BASH)
		text = bash_word_list(file);
	if (!ok(text != NULL, name)) {
		free(file);
		return;
	}
	for (k = 0; k < n; k++)
		for (l = 0; l < 2; l++) {
			if (l ? !list[k].long_name
			      : !(list[k].short_name || list[k].short_word))
				continue;
			if (kind == COMP_FISH)
				fish_spelling(&list[k], l, s, sizeof(s));
			else
				spelling(&list[k], l, s, sizeof(s));
			snprintf(name, sizeof(name), "%s completes '%s'", rel,
				 s);
			ok(has_token(text, s), name);
		}
	free(file);
}

/* A line ".B key" (maybe followed by its argument) in mailhoprc(5). */
static int man_has_key(const char *man, const char *key)
{
	size_t len = strlen(key);
	const char *line = man;

	while (line) {
		const char *after = line + 3 + len;

		if (strncmp(line, ".B ", 3) == 0 &&
		    strncmp(line + 3, key, len) == 0 &&
		    (*after == ' ' || *after == '\n' || *after == '\0'))
			return 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

static void check_rc_keys(const char *top)
{
	const struct conf_key_info *keys;
	char *man = read_doc(top, "man/mailhoprc.5");
	char name[256];
	size_t n, k;

	if (!ok(man != NULL, "read man/mailhoprc.5"))
		return;
	keys = conf_key_list(&n);
	ok(n > 0, "rc key table is not empty");
	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "mailhoprc.5 documents %s",
			 keys[k].name);
		ok(man_has_key(man, keys[k].name), name);
	}
	free(man);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	const struct cli_option_info *list;
	size_t n;

	if (!top || !*top)
		top = ".";
	list = cli_option_list(&n);
	ok(n > 0, "option table is not empty");
	check_man(top, list, n);
	check_completion(top, "completions/mailhop", COMP_BASH, list, n);
	check_completion(top, "completions/_mailhop", COMP_ZSH, list, n);
	check_completion(top, "completions/mailhop.fish", COMP_FISH, list, n);
	check_rc_keys(top);
	return tap_done();
}
