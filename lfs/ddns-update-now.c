/*
 * ddns-update-now: the setuid-root entry of the Dynamic DNS page's
 * "Update now" button.
 *
 * The page runs as nobody; an update needs root (the history, every secret).
 * Installed as /usr/local/bin/ddns-update-now, mode 4750, group nobody, so
 * only the page's user can run it. It accepts exactly
 *
 *     ddns-update-now update-all
 *     ddns-update-now update HOSTNAME
 *
 * and starts the Python helper with an empty environment apart from PATH
 * and LANG, in isolated mode (-I: no PYTHON* variables, no user site, no
 * current directory on the import path). The host name is passed as one
 * argument, never through a shell; the helper refuses a name that is not a
 * host of ddns.conf.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"
#define MAX_HOSTNAME 253

static int usage(void) {
	fputs("usage: ddns-update-now update-all | update HOSTNAME\n", stderr);
	return 2;
}

static int plausible_hostname(const char *name) {
	size_t length = strlen(name);

	if (length == 0 || length > MAX_HOSTNAME || name[0] == '-')
		return 0;
	for (const char *c = name; *c; c++) {
		/* ASCII letters, digits, '-', '.', '_' and '*'; IDNs arrive as xn--. */
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("-._*", *c)))
			return 0;
	}
	return 1;
}

int main(int argc, char *argv[]) {
	char *const environment[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
		NULL,
	};
	char *arguments[] = {PYTHON, "-I", "-m", "ddns.ipfire.helper", NULL, NULL, NULL};

	if (argc == 2 && strcmp(argv[1], "update-all") == 0) {
		arguments[4] = "update-all";
	} else if (argc == 3 && strcmp(argv[1], "update") == 0 && plausible_hostname(argv[2])) {
		arguments[4] = "update";
		arguments[5] = argv[2];
	} else {
		return usage();
	}

	/* Real and effective ids both root: Python would otherwise notice the
	 * difference and the helper could not write root's files. */
	if (setgid(0) != 0 || setuid(0) != 0) {
		perror("ddns-update-now: cannot become root");
		return 1;
	}

	execve(PYTHON, arguments, environment);
	perror("ddns-update-now: cannot start " PYTHON);
	return 1;
}
