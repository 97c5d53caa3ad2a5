/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * serve: see serve.h. */
#include "serve.h"
#include "lab.h"
#include "lab_conf.h"
#include "lab_ready.h"
#include "lab_which.h"
#include "manifest.h"
#include "paths.h"
#include "query.h"
#include "serve_opts.h"
#include "signer.h"
#include "tp_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PATHLEN 4096
#define ERRLEN 16384 /* room for two paths and a reason */
#define MAX_DAEMONS (1 + SERVE_MAX_LISTEN * SERVE_MAX_WORKERS)
/* the templates' {mta_addr} and {mta_tlsa}: serve has no mail host (the lab's MX is the
 * lab's); the names stay, with a documentation address and a digest no key has */
#define SERVE_MTA_ADDR "192.0.2.25"
#define SERVE_MTA_TLSA "0000000000000000000000000000000000000000000000000000000000000000"

struct serve {
	struct serve_opts o;
	char dir[PATHLEN];
	char vectors[PATHLEN];
	char nsd[PATHLEN];
	char lab_zone[MANIFEST_NAME_MAX]; /* the manifest's own ("test.") */
	uint8_t apex_alg;                 /* the lab-zone's algorithm (rollover) */
	char glue[64];                    /* the first IPv4 --listen address, no port */
	char backend_addr[64];
	unsigned backend_port;
	struct passwd pw;                 /* --user, when changing to it */
	int change_user;
	struct lab_cmd cmd[MAX_DAEMONS];
	pid_t pid[MAX_DAEMONS];
	int alive[MAX_DAEMONS];
	size_t n;
	int sfd;
	int stop;      /* a stop signal: its number */
	int resign_now; /* SIGHUP */
	int died;      /* index of a daemon that exited, or -1 */
	int died_status;
	size_t zones;
	time_t valid_until;
};

/* One line on stderr, "trustprobe serve: ..." (the log of the service, and its errors). */
static void logline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logline(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("trustprobe serve: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
	va_end(ap);
}

/* An error before the service runs: its line, and exit status 2. */
#define fail2(...) (logline(__VA_ARGS__), 2)

static void utc(time_t t, char *buf, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* ---- the state directory ---- */

/* dir exists (made 0700 if missing), is a directory of ours or of also (the --user of a
 * root serve, which owns it after the first start; (uid_t)-1: none) and no symlink, and
 * is made owner-only. 0, or -1 with err. */
static int own_dir(const char *dir, uid_t also, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid() && st.st_uid != also) {
		snprintf(err, errlen, "%s belongs to uid %u, not to this user (uid %u)", dir,
			 (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	if ((st.st_mode & 07777) != 0700 && chmod(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot make %s owner-only: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The owner besides us that the state directory may have: root may run serve for the
 * --user that owns it (a restart), and serve ds and rollover for whoever runs serve
 * (their new files are then given to that owner). */
static uid_t other_owner(const struct serve *s)
{
	if (geteuid() != 0)
		return (uid_t)-1;
	if (s->o.cmd == SERVE_ROLLOVER || s->o.cmd == SERVE_DS) {
		struct stat st;
		return stat(s->o.state, &st) == 0 ? st.st_uid : (uid_t)-1;
	}
	return s->change_user ? s->pw.pw_uid : (uid_t)-1;
}

/* DIR and DIR/keys, and DIR/zone naming zone (written the first time). */
static int state_open(struct serve *s, int need_zone, char *err, size_t errlen)
{
	char p[PATHLEN + 16];
	uid_t also = other_owner(s);
	if (own_dir(s->o.state, also, err, errlen) != 0 || !realpath(s->o.state, s->dir)) {
		if (!err[0])
			snprintf(err, errlen, "%s: %s", s->o.state, strerror(errno));
		return -1;
	}
	if (strlen(s->dir) > PATHLEN - 256 || strpbrk(s->dir, "\"\\\n ")) {
		snprintf(err, errlen, "--state %s: too long, or holds a blank, quote or backslash",
			 s->dir);
		return -1;
	}
	snprintf(p, sizeof p, "%s/keys", s->dir);
	if (own_dir(p, also, err, errlen) != 0)
		return -1;
	snprintf(p, sizeof p, "%s/zone", s->dir);
	size_t len = 0;
	char *had = tp_read_file(p, 512, &len);
	if (had) {
		had[strcspn(had, "\n")] = '\0';
		if (!s->o.zone[0] && !need_zone) {
			snprintf(s->o.zone, sizeof s->o.zone, "%s", had);
		} else if (strcmp(had, s->o.zone) != 0) {
			snprintf(err, errlen, "%s holds the keys of %s, not of %s (use another --state)",
				 s->dir, had, s->o.zone);
			free(had);
			return -1;
		}
		free(had);
		return 0;
	}
	if (!need_zone) {
		snprintf(err, errlen, "%s is no state directory of trustprobe serve (no %s)", s->dir, p);
		return -1;
	}
	char line[300];
	snprintf(line, sizeof line, "%s\n", s->o.zone);
	if (tp_write_file(p, line, strlen(line)) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", p, strerror(errno));
		return -1;
	}
	return 0;
}

/* The manifest's lab-zone and its algorithm. */
static int read_manifest(struct serve *s, char *err, size_t errlen)
{
	struct manifest *m = calloc(1, sizeof *m);
	char path[PATHLEN + 16];
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(path, sizeof path, "%s/manifest", s->vectors);
	int rc = manifest_load(path, m, err, errlen);
	if (rc == 0) {
		snprintf(s->lab_zone, sizeof s->lab_zone, "%s", m->lab_zone);
		for (size_t i = 0; i < m->n_zones; i++)
			if (strcmp(m->zones[i].name, m->lab_zone) == 0)
				s->apex_alg = m->zones[i].alg;
		if (!s->apex_alg) {
			snprintf(err, errlen, "%s: the lab-zone %s is not signed", path, m->lab_zone);
			rc = -1;
		}
	}
	free(m);
	return rc;
}

/* ---- signing ---- */

/* Moves every file of from/ into to/ by rename (each one atomic). */
static int move_files(const char *from, const char *to, char *err, size_t errlen)
{
	DIR *d = opendir(from);
	if (!d) {
		snprintf(err, errlen, "%s: %s", from, strerror(errno));
		return -1;
	}
	if (mkdir(to, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", to, strerror(errno));
		closedir(d);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char a[PATHLEN + 300], b[PATHLEN + 300];
		snprintf(a, sizeof a, "%s/%s", from, e->d_name);
		snprintf(b, sizeof b, "%s/%s", to, e->d_name);
		if (rename(a, b) != 0) {
			snprintf(err, errlen, "cannot move %s to %s: %s", a, b, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* Signs every zone at now into DIR/stage, then moves the files into DIR. */
static int sign_all(struct serve *s, time_t now, char *err, size_t errlen)
{
	char stage[PATHLEN + 16], zones[PATHLEN + 16], e2[1024] = "";
	snprintf(stage, sizeof stage, "%s/stage", s->dir);
	snprintf(zones, sizeof zones, "%s/zones", s->dir);
	static const char *const roles[] = {"root", "tld", "child", "grandchild", "proxy"};
	struct signer_server srv[5];
	for (size_t i = 0; i < 5; i++) /* every NS and glue record names the proxy's address */
		srv[i] = (struct signer_server){roles[i], s->glue};
	const struct signer_var vars[] = {{"mta_addr", SERVE_MTA_ADDR},
					  {"mta_tlsa", SERVE_MTA_TLSA}};
	char keys[PATHLEN + 16];
	snprintf(keys, sizeof keys, "%s/keys", s->dir);
	struct signer_opts so = {.vectors_dir = s->vectors, .out_dir = stage, .servers = srv,
				 .n_servers = 5, .now = now, .vars = vars, .n_vars = 2,
				 .attacker = 1, .reroot = s->o.zone, .key_dir = keys,
				 .sentinel_tags = {s->o.tags[0], s->o.tags[1]},
				 .sig_valid = s->o.window};
	struct signer_result *res = calloc(1, sizeof *res);
	if (!res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	enum signer_status st = signer_build(&so, res, e2, sizeof e2);
	s->zones = res->n_zones;
	free(res);
	if (st != SIGNER_OK) {
		snprintf(err, errlen, "signing failed: %s", e2);
		return -1;
	}
	char sz[PATHLEN + 32];
	snprintf(sz, sizeof sz, "%s/zones", stage);
	if (move_files(sz, zones, err, errlen) != 0)
		return -1;
	static const char *const files[] = {"zones.list", "parent.ds"};
	for (size_t i = 0; i < 2; i++) {
		char a[PATHLEN + 32], b[PATHLEN + 32];
		snprintf(a, sizeof a, "%s/%s", stage, files[i]);
		snprintf(b, sizeof b, "%s/%s", s->dir, files[i]);
		if (rename(a, b) != 0) {
			snprintf(err, errlen, "cannot move %s to %s: %s", a, b, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ---- daemons ---- */

#define reap(s) lab_reap((s)->pid, (s)->alive, (s)->n, &(s)->died, &(s)->died_status)

/* Takes the signals that arrived: children reaped, SIGHUP a re-sign, others a stop. */
static void drain(struct serve *s)
{
	struct signalfd_siginfo si;
	while (read(s->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			reap(s);
		else if (si.ssi_signo == SIGHUP)
			s->resign_now = 1;
		else
			s->stop = (int)si.ssi_signo;
	}
}

static int ready_check(void *arg)
{
	struct serve *s = arg;
	drain(s);
	reap(s);
	return s->stop || s->died >= 0;
}

/* Children of ours that no longer have a daemon of ours as parent (nsd's helpers, when
 * nsd itself was killed): we are their subreaper. Kills and reaps them. */
static void kill_orphans(void)
{
	for (int round = 0; round < 50; round++) {
		DIR *d = opendir("/proc");
		size_t found = 0;
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			char p[300], buf[512];
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(p, sizeof p, "/proc/%s/stat", e->d_name);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t k = read(fd, buf, sizeof buf - 1);
			close(fd);
			if (k <= 0)
				continue;
			buf[k] = '\0';
			char *rp = strrchr(buf, ')');
			long ppid = 0;
			char state;
			if (rp && sscanf(rp + 1, " %c %ld", &state, &ppid) == 2 && ppid == (long)getpid() &&
			    state != 'Z') {
				kill((pid_t)atol(e->d_name), SIGKILL);
				found++;
			}
		}
		if (d)
			closedir(d);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!found)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* SIGTERM to every daemon by PID, a grace period, SIGKILL, then any orphan. */
static void stop_all(struct serve *s)
{
	lab_term(s->pid, s->alive, s->n, 5.0, &s->died, &s->died_status);
	for (size_t i = 0; i < s->n; i++)
		if (s->alive[i]) {
			kill(s->pid[i], SIGKILL);
			waitpid(s->pid[i], NULL, 0);
			s->alive[i] = 0;
		}
	kill_orphans();
}

static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *f);
static uid_t chown_uid;
static gid_t chown_gid;
static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return lchown(path, chown_uid, chown_gid) == 0 ? 0 : -1;
}

/* Root with --user: DIR becomes the user's (nsd, the proxies and the re-signs run as it). */
static int give_dir(struct serve *s, char *err, size_t errlen)
{
	if (!s->change_user)
		return 0;
	chown_uid = s->pw.pw_uid;
	chown_gid = s->pw.pw_gid;
	if (nftw(s->dir, chown_one, 16, FTW_PHYS) != 0) {
		snprintf(err, errlen, "cannot give %s to %s: %s", s->dir, s->pw.pw_name,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* serve ds or rollover as root in the state of a serve --user: what they wrote becomes
 * the owner's again. */
static int give_back(struct serve *s, char *err, size_t errlen)
{
	struct stat st;
	if (geteuid() != 0 || stat(s->dir, &st) != 0 || st.st_uid == 0)
		return 0;
	s->change_user = 1;
	s->pw.pw_uid = st.st_uid;
	s->pw.pw_gid = st.st_gid;
	s->pw.pw_name = (char *)"the owner of the state directory";
	return give_dir(s, err, errlen);
}

static int drop_self(struct serve *s, char *err, size_t errlen)
{
	if (!s->change_user)
		return 0;
	if (initgroups(s->pw.pw_name, s->pw.pw_gid) != 0 || setgid(s->pw.pw_gid) != 0 ||
	    setuid(s->pw.pw_uid) != 0 || setuid(0) == 0) {
		snprintf(err, errlen, "cannot change to user %s: %s", s->pw.pw_name, strerror(errno));
		return -1;
	}
	return 0;
}

/* nsd.conf and the proxy commands. */
static int prepare(struct serve *s, char *err, size_t errlen)
{
	char e2[ERRLEN] = "", rules[PATHLEN + 16], src[PATHLEN + 16];
	snprintf(src, sizeof src, "%s/attacks", s->vectors);
	snprintf(rules, sizeof rules, "%s/attacks", s->dir);
	size_t len = 0;
	char *text = tp_read_file(src, 1 << 20, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	char *moved = serve_reroot_rules(text, s->lab_zone, s->o.zone);
	free(text);
	if (!moved || tp_write_file(rules, moved, strlen(moved)) != 0) {
		snprintf(err, errlen, "cannot write %s (the attack rules under %s)", rules, s->o.zone);
		free(moved);
		return -1;
	}
	free(moved);
	struct lab_server srv = {"serve", s->backend_addr};
	struct lab_nsd_opts no = {.port = s->backend_port, .all_zones = 1, .serve = 1,
				  .username = s->change_user ? s->pw.pw_name : NULL};
	if (lab_conf_nsd_opts(&srv, s->dir, &no, &s->cmd[0], e2, sizeof e2) != LAB_CONF_OK) {
		snprintf(err, errlen, "nsd config: %s", e2);
		return -1;
	}
	free(s->cmd[0].argv[0]);
	s->cmd[0].argv[0] = strdup(s->nsd);
	snprintf(s->cmd[0].addr, sizeof s->cmd[0].addr, "%s", s->o.backend);
	s->n = 1;
	/* the proxies share their ledger of forgeries in dir/ledger (proxy.c), kept across
	 * restarts */
	for (size_t k = 0; k < s->o.n_listen * s->o.workers; k++) {
		size_t i = k / s->o.workers;
		char name[64];
		snprintf(name, sizeof name, "proxy-%zu-%u", i + 1, (unsigned)(k % s->o.workers) + 1);
		if (lab_conf_proxy_serve(s->dir, name, s->o.listen[i], s->o.backend, rules,
					 s->o.ratelimit, s->change_user ? s->pw.pw_name : NULL,
					 &s->cmd[s->n], e2, sizeof e2) != LAB_CONF_OK) {
			snprintf(err, errlen, "proxy config: %s", e2);
			return -1;
		}
		s->n++;
	}
	return 0;
}

/* What the parent of the zone needs: NS, glue and DS lines. */
static void print_delegation(const struct serve *s, FILE *out)
{
	char p[PATHLEN + 16];
	snprintf(p, sizeof p, "%s/parent.ds", s->dir);
	size_t len = 0;
	char *ds = tp_read_file(p, 1 << 16, &len);
	fprintf(out, "; trustprobe serve: give these records to the parent of %s\n", s->o.zone);
	if (s->glue[0]) {
		fprintf(out, "%s\t3600\tIN\tNS\tns.%s\n", s->o.zone, s->o.zone);
		fprintf(out, "ns.%s\t3600\tIN\tA\t%s\n", s->o.zone, s->glue);
	}
	fputs(ds ? ds : "; (no DS: parent.ds missing)\n", out);
	free(ds);
	fflush(out);
}

static const char *status_text(int st, char *buf, size_t n)
{
	if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, n, "exit status %d", WEXITSTATUS(st));
	return buf;
}

/* ---- the service ---- */

static int run(struct serve *s)
{
	char err[ERRLEN] = "", t1[40], t2[40], sb[64];
	sigset_t block, old; /* every signal serve acts on goes through the signalfd */
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD};
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	s->sfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sfd < 0)
		return fail2("signalfd: %s", strerror(errno));
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* nsd's helpers come back to us if nsd dies */
	if (geteuid() == 0 && !s->change_user)
		logline("warning: running as root without --user: nsd and the proxies keep root");
	s->died = -1;
	time_t now = time(NULL);
	if (sign_all(s, now, err, sizeof err) != 0 || prepare(s, err, sizeof err) != 0 ||
	    give_dir(s, err, sizeof err) != 0) {
		close(s->sfd);
		return fail2("%s", err);
	}
	s->valid_until = now + (time_t)s->o.window;
	char path[8192];
	if (lab_daemon_path(path, sizeof path) == 0)
		setenv("PATH", path, 1);
	for (size_t i = 0; i < s->n; i++) {
		s->pid[i] = lab_spawn(&s->cmd[i]);
		if (s->pid[i] < 0) {
			snprintf(err, sizeof err, "cannot start %s: %s", s->cmd[i].name, strerror(errno));
			stop_all(s);
			close(s->sfd);
			return fail2("%s", err);
		}
		s->alive[i] = 1;
	}
	struct lab_ready_target t[MAX_DAEMONS];
	for (size_t i = 0; i < s->n; i++)
		t[i] = (struct lab_ready_target){.addr = s->cmd[i].addr};
	enum lab_ready_status rs = lab_ready_wait(t, s->n, 20.0, ready_check, s);
	if (rs != LAB_READY_ALL) {
		if (s->stop)
			snprintf(err, sizeof err, "stopped by signal %d while starting", s->stop);
		else if (s->died >= 0)
			snprintf(err, sizeof err, "%s exited while starting (%s) [log: %s]",
				 s->cmd[s->died].name, status_text(s->died_status, sb, sizeof sb),
				 s->cmd[s->died].log);
		else
			snprintf(err, sizeof err, "nsd or a proxy did not answer within 20 s [logs: %s/log]",
				 s->dir);
		stop_all(s);
		close(s->sfd);
		int by_signal = s->stop != 0;
		fprintf(stderr, "trustprobe serve: %s\n", err);
		return by_signal ? 0 : 2;
	}
	if (drop_self(s, err, sizeof err) != 0) {
		stop_all(s);
		close(s->sfd);
		return fail2("%s", err);
	}
	print_delegation(s, stdout);
	time_t next = serve_next_resign(now, s->o.resign, 0, now);
	utc(s->valid_until, t1, sizeof t1);
	utc(next, t2, sizeof t2);
	char addrs[600] = "";
	for (size_t i = 0; i < s->o.n_listen; i++)
		snprintf(addrs + strlen(addrs), sizeof addrs - strlen(addrs), "%s%s", i ? " " : "",
			 s->o.listen[i]);
	logline("started: %s (%zu zones) on %s, nsd pid %ld on %s; signatures valid until %s, "
		"next re-sign %s", s->o.zone, s->zones, addrs, (long)s->pid[0], s->o.backend, t1, t2);
	int rc = 0;
	while (!s->stop) {
		now = time(NULL);
		if (s->resign_now || now >= next) {
			s->resign_now = 0;
			err[0] = '\0';
			if (sign_all(s, now, err, sizeof err) == 0) {
				s->valid_until = now + (time_t)s->o.window;
				kill(s->pid[0], SIGHUP); /* nsd reads the changed zone files */
				next = serve_next_resign(now, s->o.resign, 0, now);
				utc(s->valid_until, t1, sizeof t1);
				utc(next, t2, sizeof t2);
				logline("re-signed %zu zones: valid until %s, nsd (pid %ld) reloaded, next "
					"re-sign %s", s->zones, t1, (long)s->pid[0], t2);
			} else {
				next = serve_next_resign(now, s->o.resign, 1, now);
				utc(next, t2, sizeof t2);
				utc(s->valid_until, t1, sizeof t1);
				logline("re-sign failed: %s; again at %s (the signatures served expire %s)",
					err, t2, t1);
			}
		}
		long wait_ms = (long)(next - time(NULL)) * 1000;
		if (wait_ms < 0)
			wait_ms = 0;
		if (wait_ms > 60000)
			wait_ms = 60000;
		struct pollfd p = {.fd = s->sfd, .events = POLLIN};
		if (poll(&p, 1, (int)wait_ms + 1) > 0)
			drain(s);
		reap(s);
		if (s->died >= 0 && !s->stop) { /* with a stop signal (systemd's KillMode=
						 * control-group signals nsd too) it is no failure */
			logline("%s (pid %ld) stopped (%s): stopping [log: %s]", s->cmd[s->died].name,
				(long)s->pid[s->died], status_text(s->died_status, sb, sizeof sb),
				s->cmd[s->died].log);
			rc = 1;
			break;
		}
	}
	stop_all(s);
	close(s->sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (s->stop)
		logline("stopped by signal %d", s->stop);
	return rc;
}

/* ---- the subcommands ---- */

static int find_vectors(struct serve *s)
{
	const char *v = s->o.vectors ? s->o.vectors : tp_find_vectors();
	if (!v) {
		char e[2048];
		tp_vectors_not_found(e, sizeof e);
		return fail2("%s", e);
	}
	if (!realpath(v, s->vectors))
		return fail2("--vectors %s: %s", v, strerror(errno));
	return 0;
}

static void free_cmds(struct serve *s)
{
	for (size_t i = 0; i < MAX_DAEMONS; i++)
		lab_cmd_free(&s->cmd[i]);
}

int serve_main(int argc, char **argv)
{
	static struct serve s; /* large; serve_main runs once per process */
	char err[ERRLEN] = "";
	memset(&s, 0, sizeof s);
	if (serve_parse(argc, argv, &s.o, err, sizeof err) != 0) {
		fprintf(stderr, "trustprobe serve: %s (trustprobe serve --help)\n", err);
		return 2;
	}
	if (s.o.cmd == SERVE_HELP) {
		fputs(serve_usage(), stdout);
		return 0;
	}
	if (find_vectors(&s) != 0)
		return 2;
	if (read_manifest(&s, err, sizeof err) != 0)
		return fail2("%s", err);
	if (s.o.cmd == SERVE_ROLLOVER) {
		char ds[4096], keys[PATHLEN + 16];
		if (state_open(&s, 0, err, sizeof err) != 0)
			return fail2("%s", err);
		snprintf(keys, sizeof keys, "%s/keys", s.dir);
		if (signer_keys_roll(keys, s.o.zone, s.apex_alg, s.o.finish, ds, sizeof ds, err,
				     sizeof err) != SIGNER_OK)
			return fail2("rollover: %s", err);
		if (give_back(&s, err, sizeof err) != 0)
			return fail2("rollover: %s", err);
		printf("; %s: the DS records of %s's KSKs from the next re-sign on (send SIGHUP to "
		       "trustprobe serve to re-sign now)\n%s",
		       s.o.finish ? "rollover finished" : "rollover started", s.o.zone, ds);
		return 0;
	}
	for (size_t i = 0; i < s.o.n_listen && !s.glue[0]; i++) {
		struct tp_target t;
		tp_target_parse(s.o.listen[i], &t, NULL, 0);
		if (t.ss.ss_family == AF_INET) {
			snprintf(s.glue, sizeof s.glue, "%s", s.o.listen[i]);
			s.glue[strcspn(s.glue, "@")] = '\0';
		}
	}
	if (!s.glue[0]) /* serve ds without --listen: the NS and glue are not printed */
		snprintf(s.glue, sizeof s.glue, "192.0.2.53");
	if (s.o.user && s.o.cmd == SERVE_RUN) {
		struct passwd *pw = getpwnam(s.o.user);
		if (!pw)
			return fail2("--user %s: no such user", s.o.user);
		s.pw = *pw;
		s.pw.pw_name = strdup(pw->pw_name);
		if (geteuid() == 0)
			s.change_user = pw->pw_uid != 0;
		else if (pw->pw_uid != geteuid())
			return fail2("--user %s: changing user needs root (run as that user, or as "
				     "root)", s.o.user);
	}
	if (state_open(&s, 1, err, sizeof err) != 0)
		return fail2("%s", err);
	if (s.o.cmd == SERVE_DS) {
		if (sign_all(&s, time(NULL), err, sizeof err) != 0 || give_back(&s, err, sizeof err) != 0)
			return fail2("%s", err);
		if (!s.o.n_listen)
			s.glue[0] = '\0';
		print_delegation(&s, stdout);
		return 0;
	}
	struct tp_target b;
	tp_target_parse(s.o.backend, &b, NULL, 0);
	snprintf(s.backend_addr, sizeof s.backend_addr, "%s", s.o.backend);
	s.backend_addr[strcspn(s.backend_addr, "@")] = '\0';
	s.backend_port = ntohs(((struct sockaddr_in *)&b.ss)->sin_port);
	if (b.ss.ss_family != AF_INET)
		return fail2("--backend %s: an IPv4 loopback address", s.o.backend);
	if (!lab_find_program("nsd", s.nsd, sizeof s.nsd))
		return fail2("nsd not installed: apt-get install nsd");
	int rc = run(&s);
	free_cmds(&s);
	return rc;
}
