/*
 * replay.c - main() for the fuzz targets in builds without libFuzzer:
 * runs LLVMFuzzerTestOneInput() once on every file of the target's seed
 * corpus (fuzz/corpus/NAME/) and crash reproducers (fuzz/regress/NAME/),
 * as a TAP test of make check.  NAME comes from FUZZ_TARGET (set by
 * fuzz/local.mk), the directories from $top_srcdir (the test
 * environment) or the arguments: "replay-NAME [FILE|DIR]...".
 *
 * A crash (ASan, UBSan, a FUZZ_ASSERT) kills the program; the "# input"
 * line printed and flushed before each run names the file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif

/* Seeds and reproducers are small; anything larger is a mistake. */
#define REPLAY_FILE_MAX (16 * 1024 * 1024)

static int ntests, nfailed;

static void report(int ok, const char *path, const char *why)
{
	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - %s %s%s%s\n", ok ? "" : "not ", ntests, FUZZ_TARGET,
	       path, why ? ": " : "", why ? why : "");
	fflush(stdout);
}

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	long n;

	if (!f) {
		report(0, path, strerror(errno));
		return;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > REPLAY_FILE_MAX || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		report(0, path, "cannot size the file (or it is too large)");
		return;
	}
	/* An exact-size copy: ASan catches a read one past the input. */
	data = malloc(n ? (size_t)n : 1);
	if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		fclose(f);
		report(0, path, "cannot read the file");
		return;
	}
	fclose(f);
	printf("# input %s (%ld bytes)\n", path, n);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	report(1, path, NULL);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir (dot files skipped), in name order. */
static void run_dir(const char *dir, int must_exist)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	if (!d) {
		if (must_exist || errno != ENOENT)
			report(0, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char **v;

		if (de->d_name[0] == '.')
			continue;
		v = realloc(names, (n + 1) * sizeof(*v));
		if (!v)
			break;
		names = v;
		names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[n])
			break;
		snprintf(names[n], strlen(dir) + strlen(de->d_name) + 2,
			 "%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

static void run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		run_dir(path, 1);
	else
		run_file(path);
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			run_path(argv[i]);
	} else {
		if (!top)
			top = ".";
		snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", top,
			 FUZZ_TARGET);
		run_dir(dir, 1);
		snprintf(dir, sizeof(dir), "%s/fuzz/regress/%s", top,
			 FUZZ_TARGET);
		run_dir(dir, 0);
	}
	if (ntests == 0)
		report(0, "(no input)", "no seed or reproducer found");
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
