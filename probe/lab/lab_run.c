/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_run: lab up, down, status and exec. See lab.h for the model. */
#include "lab.h"
#include "lab_conf.h"
#include "lab_fleet.h"
#include "lab_mta.h"
#include "lab_plan.h"
#include "lab_ready.h"
#include "lab_state.h"
#include "labenv.h"
#include "lab_user.h"
#include "lab_userns.h"
#include "lab_which.h"
#include "paths.h"
#include "signer.h"
#include "tp_util.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
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

#define LAB_MAX_CMDS (LAB_MAX_INSTANCES + 8) /* resolvers, nsd, the proxy, the MX */

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *lab_default_dir(void)
{
	static char buf[4096];
	const char *e = getenv("TRUSTPROBE_LAB_DIR");
	if (e && *e)
		return e;
	const char *tmp = getenv("TMPDIR");
	snprintf(buf, sizeof buf, "%s/trustprobe-lab-%u", tmp && *tmp ? tmp : "/tmp",
		 (unsigned)getuid());
	return buf;
}

/* ---- choosing instances ---- */

/* Marks the named instances (and the upstreams they need) in sel[], and those the user
 * named in named[] (all 0 for "all" or no list). "misconfig" in the list stands for every
 * misconfiguration instance (lab_plan.h), each selected but not named (one whose program
 * is missing is skipped); "hostile" for every hostile resolver. The instances added for this run (lab_user.h) are always
 * selected, and named unless --shipped all added them. */
static enum lab_status select_instances(const char *list, int roll, int *sel, int *named,
					char *err, size_t errlen)
{
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n; i++)
		named[i] = lab_instance_run(&ins[i])->user == 1;
	if (!list || !*list || strcmp(list, "all") == 0) {
		/* the roll's controls run only in a rehearsal, or when named; the
		 * misconfigurations only when named */
		for (size_t i = 0; i < n; i++)
			sel[i] = (!ins[i].roll_only || roll) && ins[i].fault == LAB_FAULT_NONE &&
				 !ins[i].hostile;
		return LAB_OK;
	}
	for (size_t i = 0; i < n; i++)
		sel[i] = lab_instance_run(&ins[i])->user != 0;
	char *copy = strdup(list), *save = NULL;
	if (!copy) {
		seterr(err, errlen, "out of memory");
		return LAB_ERR_USAGE;
	}
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "misconfig") == 0) {
			for (size_t i = 0; i < n; i++)
				sel[i] |= ins[i].fault != LAB_FAULT_NONE;
			continue;
		}
		if (strcmp(tok, "hostile") == 0) {
			for (size_t i = 0; i < n; i++)
				sel[i] |= ins[i].hostile != NULL;
			continue;
		}
		const struct lab_instance *f = lab_instance_find(tok);
		if (!f) {
			/* the groups by their names, not each member: the list must fit a line */
			char names[1024] = "";
			for (size_t i = 0; i < n; i++) {
				if (ins[i].fault != LAB_FAULT_NONE || ins[i].hostile)
					continue;
				strncat(names, names[0] ? ", " : "", sizeof names - strlen(names) - 1);
				strncat(names, ins[i].name, sizeof names - strlen(names) - 1);
			}
			strncat(names, ", mis-NAME (misconfig: all of them), hostile-MODE (hostile: all)",
				sizeof names - strlen(names) - 1);
			seterr(err, errlen, "unknown resolver '%.100s' (known: %s)", tok, names);
			free(copy);
			return LAB_ERR_USAGE;
		}
		sel[f - ins] = 1;
		named[f - ins] = 1;
	}
	free(copy);
	/* a forwarder needs its upstream running, and that one its own (fwd-x -> liar ->
	 * unbound-novalidate): repeat until nothing more is pulled in */
	for (int more = 1; more;) {
		more = 0;
		for (size_t i = 0; i < n; i++) {
			const struct lab_instance *u =
				sel[i] && ins[i].upstream ? lab_instance_find(ins[i].upstream) : NULL;
			if (u && !sel[u - ins])
				sel[u - ins] = more = 1;
		}
	}
	return LAB_OK;
}

/* Leaves out the selected instances whose program is missing, and those forwarding to
 * an instance left out, recording each in info->skipped; one the user named is an error.
 * progs[i] gets the full path of instance i's program. */
static enum lab_status drop_missing(int *sel, const int *named, char progs[][4096],
				    struct lab_up_info *info, char *err, size_t errlen)
{
	size_t n;
	const struct lab_instance *ins = lab_instances(&n);
	int skip[LAB_MAX_CMDS] = {0};
	char why[LAB_MAX_CMDS][256];
	for (size_t i = 0; i < n; i++) {
		if (!sel[i])
			continue;
		const char *prog = lab_kind_program(ins[i].kind);
		if (lab_instance_program(&ins[i], progs[i], sizeof progs[i]))
			continue;
		snprintf(why[i], sizeof why[i], "%s not installed: apt-get install %s", prog,
			 lab_kind_package(ins[i].kind));
		if (named[i]) {
			seterr(err, errlen, "resolver %s cannot run: %s", ins[i].name, why[i]);
			return LAB_ERR_USAGE;
		}
		skip[i] = 1;
	}
	/* cause[i]: the instance whose program is missing; an upstream's skip goes down the
	 * chain of forwarders, each naming its own upstream and that program */
	size_t cause[LAB_MAX_CMDS];
	for (size_t i = 0; i < n; i++)
		cause[i] = i;
	for (int more = 1; more;) {
		more = 0;
		for (size_t i = 0; i < n; i++) {
			if (!sel[i] || skip[i] || !ins[i].upstream)
				continue;
			size_t u = (size_t)(lab_instance_find(ins[i].upstream) - ins);
			if (!skip[u])
				continue;
			cause[i] = cause[u];
			snprintf(why[i], sizeof why[i], "upstream %s skipped: %.200s", ins[u].name,
				 why[cause[u]]);
			if (named[i]) {
				seterr(err, errlen, "resolver %s cannot run: %s", ins[i].name, why[i]);
				return LAB_ERR_USAGE;
			}
			skip[i] = 2;
			more = 1;
		}
	}
	size_t left = 0;
	for (size_t i = 0; i < n; i++) {
		if (skip[i] && info->n_skipped < LAB_MAX_SKIPPED) {
			struct lab_skip *k = &info->skipped[info->n_skipped++];
			const struct lab_instance *pk = &ins[cause[i]];
			snprintf(k->name, sizeof k->name, "%s", ins[i].name);
			snprintf(k->program, sizeof k->program, "%s", lab_kind_program(ins[i].kind));
			snprintf(k->package, sizeof k->package, "%s", lab_kind_package(pk->kind));
			snprintf(k->reason, sizeof k->reason, "%s", why[i]);
		}
		if (skip[i])
			sel[i] = 0;
		left += sel[i] != 0;
	}
	if (left == 0) {
		seterr(err, errlen, "no resolver of the lab is installed: apt-get install unbound "
		       "bind9 pdns-recursor knot-resolver dnsmasq-base");
		return LAB_ERR_USAGE;
	}
	return LAB_OK;
}

/* ---- the holder (runs in the child, inside the namespace) ---- */

struct holder {
	const char *dir;
	struct lab_cmd *cmds;
	size_t n;
	const char *extra_addr; /* lab up --delegate: its address, or NULL */
	pid_t pid[LAB_MAX_CMDS];
	int alive[LAB_MAX_CMDS];
	int sfd;         /* signalfd for TERM, INT, HUP, CHLD */
	int report;      /* pipe to the parent, -1 once reported */
	int stop;        /* a stop signal arrived */
	int died;        /* index of a daemon that died during startup, or -1 */
	int died_status;
	double timeout;
	const struct lab_up_info *info; /* the instances skipped, recorded in lab.state */
	const struct lab_mta_ids *mta;  /* the accounts of the lab's MX to map, or NULL */
	unsigned fleet;                 /* the fleet's addresses (lab_fleet.h), or 0 */
};

static void report(struct holder *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(struct holder *h, const char *fmt, ...)
{
	if (h->report < 0)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof buf - 1)
		len = (int)sizeof buf - 1;
	ssize_t w = write(h->report, buf, (size_t)len);
	(void)w;
	close(h->report);
	h->report = -1;
}

static int write_proc_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return w == (ssize_t)strlen(text) ? 0 : -1;
}

/* The one line for a failed step of make_namespace: when namespaces are turned off, which
 * setting does it and what to change (lab_userns_explain). */
static void namespace_error(enum lab_userns_step step, int e, const char *what, char *err,
			    size_t errlen)
{
	struct lab_userns_facts f = {.step = step, .err = e, .is_root = geteuid() == 0};
	lab_userns_read(&f);
	/* a map failure that is no known setting keeps naming the file */
	if (!lab_userns_explain(&f, err, errlen) && step == LAB_USERNS_MAP)
		seterr(err, errlen, "cannot write %s: %s", what, strerror(e));
}

/* Creates the user+network namespace with this process as uid 0 inside. With mta (only
 * ever for root), lab_mta_unshare maps the accounts Postfix's daemons drop to as well. */
static int make_namespace(const struct lab_mta_ids *mta, char *err, size_t errlen)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	if (mta) {
		int in_map = 0;
		if (lab_mta_unshare(mta, &in_map) == 0)
			return 0;
		namespace_error(in_map ? LAB_USERNS_MAP : LAB_USERNS_UNSHARE, errno,
				in_map ? "uid_map or gid_map" : "", err, errlen);
		return -1;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
		namespace_error(LAB_USERNS_UNSHARE, errno, "", err, errlen);
		return -1;
	}
	if (write_proc_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT) {
		namespace_error(LAB_USERNS_MAP, errno, "setgroups", err, errlen);
		return -1;
	}
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_proc_file("/proc/self/uid_map", map) != 0) {
		namespace_error(LAB_USERNS_MAP, errno, "uid_map", err, errlen);
		return -1;
	}
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	if (write_proc_file("/proc/self/gid_map", map) != 0) {
		namespace_error(LAB_USERNS_MAP, errno, "gid_map", err, errlen);
		return -1;
	}
	return 0;
}

/* Runs "ip -batch -" with the address plan on the namespace loopback. */
static int setup_addresses(const char *dir, unsigned fleet, const char *extra, char *err,
			   size_t errlen)
{
	char batch[2048] = "link set lo up\n", line[128];
	size_t n;
	const struct lab_server *srv = lab_servers(&n);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof line, "address add %s/32 dev lo\n", srv[i].addr);
		strncat(batch, line, sizeof batch - strlen(batch) - 1);
	}
	const struct lab_instance *ins = lab_instances(&n);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof line, "address add %s/32 dev lo\n", ins[i].addr);
		strncat(batch, line, sizeof batch - strlen(batch) - 1);
	}
	snprintf(line, sizeof line, "address add %s/32 dev lo\n", lab_proxy_addr());
	strncat(batch, line, sizeof batch - strlen(batch) - 1);
	snprintf(line, sizeof line, "address add %s/32 dev lo\n", lab_mta_addr());
	strncat(batch, line, sizeof batch - strlen(batch) - 1);
	for (const char *const *s = lab_spare_addrs(); *s; s++) {
		snprintf(line, sizeof line, "address add %s/32 dev lo\n", *s);
		strncat(batch, line, sizeof batch - strlen(batch) - 1);
	}
	if (extra) { /* --delegate */
		snprintf(line, sizeof line, "address add %s/32 dev lo\n", extra);
		strncat(batch, line, sizeof batch - strlen(batch) - 1);
	}
	char bpath[4096];
	if (tp_pathf(bpath, sizeof bpath, "%s/log/ip.batch", dir) != 0 ||
	    tp_write_file(bpath, batch, strlen(batch)) != 0 ||
	    (fleet && lab_fleet_batch(bpath, fleet) != 0)) {
		seterr(err, errlen, "cannot write %s: %s", bpath, strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		seterr(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execlp("ip", "ip", "-batch", bpath, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		seterr(err, errlen, "'ip -batch %s' failed (status %d): is iproute2 installed?",
		       bpath, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

/* See lab.h. */
pid_t lab_spawn(const struct lab_cmd *c)
{
	int logfd = open(c->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		if (c->workdir[0] && chdir(c->workdir) != 0)
			dprintf(2, "trustprobe lab: chdir %s: %s\n", c->workdir, strerror(errno));
		for (size_t i = 0; c->env[i]; i++) /* this daemon's own (lab_conf.h) */
			putenv(c->env[i]);
		execvp(c->argv[0], c->argv);
		dprintf(2, "trustprobe lab: cannot run %s: %s\n", c->argv[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	return pid;
}

/* See lab.h. */
void lab_reap(const pid_t *pid, int *alive, size_t n, int *died, int *died_status)
{
	int status;
	pid_t p;
	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (pid[i] == p && alive[i]) {
				alive[i] = 0;
				if (*died < 0) {
					*died = (int)i;
					*died_status = status;
				}
			}
		}
	}
}

/* See lab.h. */
size_t lab_term(const pid_t *pid, int *alive, size_t n, double grace, int *died,
		int *died_status)
{
	for (size_t i = 0; i < n; i++)
		if (alive[i])
			kill(pid[i], SIGTERM);
	double end = tp_now() + grace;
	for (;;) {
		lab_reap(pid, alive, n, died, died_status);
		size_t left = 0;
		for (size_t i = 0; i < n; i++)
			left += alive[i];
		if (left == 0 || tp_now() >= end)
			break;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	size_t killed = 0;
	for (size_t i = 0; i < n; i++)
		if (alive[i] && kill(pid[i], SIGKILL) == 0)
			killed++;
	return killed;
}

/* Reaps exited children; records a daemon's death. */
static void reap(struct holder *h)
{
	lab_reap(h->pid, h->alive, h->n, &h->died, &h->died_status);
}

/* Drains the signalfd; returns 1 if a stop signal arrived. */
static int drain_signals(struct holder *h)
{
	struct signalfd_siginfo si;
	while (read(h->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			reap(h);
		else
			h->stop = 1;
	}
	return h->stop;
}

static int ready_check(void *arg)
{
	struct holder *h = arg;
	drain_signals(h);
	reap(h);
	return h->stop || h->died >= 0;
}

/* Last non-empty line of a log, for one-line error messages. */
static void last_log_line(const char *path, char *out, size_t outlen)
{
	out[0] = '\0';
	size_t len;
	char *buf = tp_read_file(path, 1 << 20, &len);
	if (!buf)
		return;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	char *nl = strrchr(buf, '\n');
	snprintf(out, outlen, "%s", nl ? nl + 1 : buf);
	free(buf);
}

/* Stops every daemon: SIGTERM, a grace period, SIGKILL, then any process left in the
 * namespace. Returns how many needed SIGKILL. */
static size_t stop_all(struct holder *h)
{
	size_t killed = lab_term(h->pid, h->alive, h->n, 3.0, &h->died, &h->died_status);
	/* Children the daemons forked (some while being stopped) were reparented to us, the
	 * subreaper: kill whatever is left in the namespace until nothing remains. */
	unsigned long netns = lab_ns_inode(getpid(), "net");
	double end2 = tp_now() + 2.0;
	for (;;) {
		size_t k = lab_signal_ns(netns, SIGKILL, getpid());
		killed += k;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if ((k == 0 && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD) || tp_now() >= end2)
			break;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return killed;
}

static int holder_main(struct holder *h)
{
	char err[512] = "";
	setsid();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (make_namespace(h->mta, err, sizeof err) != 0 ||
	    setup_addresses(h->dir, h->fleet, h->extra_addr, err, sizeof err) != 0) {
		report(h, "NS %s\n", err); /* "NS": the namespace, not a daemon, failed */
		return 1;
	}
	struct lab_state st = {.holder = getpid(),
			       .netns = lab_ns_inode(getpid(), "net"),
			       .userns = lab_ns_inode(getpid(), "user")};
	for (size_t i = 0; i < h->n; i++) {
		if (drain_signals(h)) { /* told to stop: start no more */
			report(h, "INT stopped by a signal during startup\n");
			stop_all(h);
			return 1;
		}
		h->pid[i] = lab_spawn(&h->cmds[i]);
		if (h->pid[i] < 0) {
			report(h, "ERR cannot start %s: %s\n", h->cmds[i].name, strerror(errno));
			stop_all(h);
			return 1;
		}
		h->alive[i] = 1;
		struct lab_state_daemon *d = &st.d[st.n++];
		snprintf(d->name, sizeof d->name, "%s", h->cmds[i].name);
		snprintf(d->addr, sizeof d->addr, "%s", h->cmds[i].addr);
		snprintf(d->log, sizeof d->log, "%s", h->cmds[i].log);
		d->pid = h->pid[i];
	}
	for (size_t i = 0; i < h->info->n_skipped && st.n_skipped < LAB_STATE_MAX_DAEMONS; i++) {
		const struct lab_instance *ins = lab_instance_find(h->info->skipped[i].name);
		struct lab_state_skip *k = &st.s[st.n_skipped++];
		snprintf(k->name, sizeof k->name, "%s", h->info->skipped[i].name);
		snprintf(k->addr, sizeof k->addr, "%s", ins ? ins->addr : "-");
		snprintf(k->why, sizeof k->why, "%s", h->info->skipped[i].reason);
	}
	if (h->info->mta_skipped[0] && st.n_skipped < LAB_STATE_MAX_DAEMONS) {
		struct lab_state_skip *k = &st.s[st.n_skipped++];
		snprintf(k->name, sizeof k->name, "mta");
		snprintf(k->addr, sizeof k->addr, "%s", lab_mta_addr());
		snprintf(k->why, sizeof k->why, "%s", h->info->mta_skipped);
	}
	if (lab_state_write(h->dir, &st) != 0) {
		report(h, "ERR cannot write %s/lab.state: %s\n", h->dir, strerror(errno));
		stop_all(h);
		return 1;
	}
	struct lab_ready_target t[LAB_MAX_CMDS];
	for (size_t i = 0; i < h->n; i++) {
		t[i].addr = h->cmds[i].addr;
		t[i].smtp = h->cmds[i].ready_smtp;
	}
	enum lab_ready_status rs = lab_ready_wait(t, h->n, h->timeout, ready_check, h);
	if (rs != LAB_READY_ALL) {
		char last[300];
		if (h->stop) {
			report(h, "INT stopped by a signal during startup\n");
		} else if (h->died >= 0) {
			const struct lab_cmd *c = &h->cmds[h->died];
			int s = h->died_status;
			last_log_line(c->log, last, sizeof last);
			report(h, "ERR %s exited during startup (%s %d): %s [log: %s]\n", c->name,
			       WIFSIGNALED(s) ? "signal" : "status",
			       WIFSIGNALED(s) ? WTERMSIG(s) : WEXITSTATUS(s), last, c->log);
		} else if (rs == LAB_READY_TIMEOUT) {
			size_t i = 0;
			while (i < h->n && t[i].ready)
				i++;
			const struct lab_cmd *c = &h->cmds[i < h->n ? i : 0];
			last_log_line(c->log, last, sizeof last);
			report(h, "ERR %s did not answer on %s within %.1f s: %s [log: %s]\n",
			       c->name, c->addr, h->timeout, last, c->log);
		} else {
			report(h, "ERR cannot open a socket to check the daemons\n");
		}
		stop_all(h);
		return 1;
	}
	/* Stop tying our life to the parent's before telling it we are up: 'lab up' exits as
	 * soon as it reads OK, and its death must not stop the lab. */
	prctl(PR_SET_PDEATHSIG, 0);
	report(h, "OK\n");
	/* hold the namespace until told to stop */
	while (!h->stop) {
		struct signalfd_siginfo si;
		struct pollfd pfd = {.fd = h->sfd, .events = POLLIN};
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		ssize_t r = read(h->sfd, &si, sizeof si);
		if (r == (ssize_t)sizeof si) {
			if (si.ssi_signo == SIGCHLD)
				reap(h);
			else
				h->stop = 1;
		} else if (r < 0 && errno != EINTR && errno != EAGAIN) {
			break;
		}
	}
	stop_all(h);
	return 0;
}

/* ---- up ---- */

static volatile sig_atomic_t got_signal;
static void on_signal(int s)
{
	got_signal = s;
}

/* Makes cmd run the program found at path (the one lab_find_program saw). */
static enum lab_status use_program(struct lab_cmd *cmd, const char *path, char *err,
				   size_t errlen)
{
	char *p = strdup(path);
	if (!p) {
		seterr(err, errlen, "out of memory");
		return LAB_ERR_BUILD;
	}
	free(cmd->argv[0]);
	cmd->argv[0] = p;
	return LAB_OK;
}

static enum lab_status prepare(const struct lab_up_opts *o, const char *dir, const int *sel,
			       char progs[][4096], const char *nsd,
			       const struct lab_mta_ids *mta, char *tlsa, struct lab_cmd *cmds,
			       size_t *ncmds, struct signer_result *res, char *err, size_t errlen)
{
	size_t nsrv, nins;
	const struct lab_server *srv = lab_servers(&nsrv);
	const struct lab_instance *ins = lab_instances(&nins);
	struct signer_server ss[8];
	for (size_t i = 0; i < nsrv && i < 7; i++) {
		ss[i].name = srv[i].name;
		ss[i].addr = srv[i].addr;
	}
	ss[nsrv < 7 ? nsrv : 7] = (struct signer_server){"proxy", lab_proxy_addr()}; /* via=proxy */
	struct signer_opts so = {.vectors_dir = o->vectors,
				 .out_dir = dir,
				 .servers = ss,
				 .n_servers = (nsrv < 7 ? nsrv : 7) + 1,
				 .now = time(NULL),
				 .roll_ttl = o->roll_ttl,
				 /* the rehearsal sees RFC 8145 signals on their way to the root */
				 .root_pub = o->holddown ? lab_proxy_addr() : NULL,
				 .delegate_name = o->delegate_name, .delegate_addr = o->delegate_addr,
				 .delegate_ds = o->delegate_ds};
	char e2[512] = "";
	/* the lab MX's key first: the signed zones carry its TLSA (testvectors/README) */
	if (lab_mta_cert(dir, tlsa, e2, sizeof e2) != LAB_CONF_OK) {
		seterr(err, errlen, "the lab MX's certificate: %s", e2);
		return LAB_ERR_BUILD;
	}
	const struct signer_var vars[] = {{"mta_addr", lab_mta_addr()}, {"mta_tlsa", tlsa}};
	so.vars = vars;
	char atk[4096]; /* the attacker proxy runs when the vectors have attack rules */
	so.attacker = tp_pathf(atk, sizeof atk, "%s/attacks", o->vectors) == 0 &&
		      access(atk, F_OK) == 0;
	so.n_vars = sizeof vars / sizeof vars[0];
	if ((o->keep ? signer_build_session(&so, res, o->keep, e2, sizeof e2)
		     : signer_build(&so, res, e2, sizeof e2)) != SIGNER_OK) {
		seterr(err, errlen, "signing the test vectors failed: %s", e2);
		return LAB_ERR_BUILD;
	}
	*ncmds = 0;
	for (size_t i = 0; i < nsrv; i++) {
		int used = 0;
		for (size_t z = 0; z < res->n_zones; z++)
			used |= strcmp(res->zones[z].server, srv[i].name) == 0;
		if (!used)
			continue;
		if (lab_conf_nsd(&srv[i], dir, &cmds[*ncmds], e2, sizeof e2) != LAB_CONF_OK) {
			seterr(err, errlen, "nsd-%s config: %s", srv[i].name, e2);
			return LAB_ERR_BUILD;
		}
		if (use_program(&cmds[(*ncmds)++], nsd, err, errlen) != LAB_OK)
			return LAB_ERR_BUILD;
	}
	if (so.attacker) {
		if (lab_conf_proxy(o->vectors, dir, &cmds[*ncmds], e2, sizeof e2) != LAB_CONF_OK) {
			seterr(err, errlen, "proxy config: %s", e2);
			return LAB_ERR_BUILD;
		}
		(*ncmds)++;
	}
	for (size_t i = 0; i < nins; i++) {
		if (!sel[i])
			continue;
		const struct lab_run_extra *x = lab_instance_run(&ins[i]);
		struct lab_conf_opts co = {.holddown = o->holddown, .snippet = x->snippet,
					   .shipped = x->shipped};
		if (lab_conf_resolver_opts(&ins[i], dir, res->lab_zone, &co, &cmds[*ncmds], e2,
					   sizeof e2) != LAB_CONF_OK) {
			seterr(err, errlen, "%s config: %s", ins[i].name, e2);
			return LAB_ERR_BUILD;
		}
		if (use_program(&cmds[(*ncmds)++], progs[i], err, errlen) != LAB_OK)
			return LAB_ERR_BUILD;
	}
	char fleet_prog[4096]; /* lab up --fleet N: one more unbound (lab_fleet.h) */
	if (o->fleet && !lab_kind_find(LAB_UNBOUND, fleet_prog, sizeof fleet_prog)) {
		seterr(err, errlen, "--fleet needs unbound: apt-get install unbound");
		return LAB_ERR_USAGE;
	}
	if (o->fleet && (lab_fleet_conf(dir, res->lab_zone, o->fleet, &cmds[*ncmds], e2,
					sizeof e2) != LAB_CONF_OK ||
			 use_program(&cmds[(*ncmds)++], fleet_prog, err, errlen) != LAB_OK)) {
		seterr(err, errlen, "fleet config: %s", e2);
		return LAB_ERR_BUILD;
	}
	if (mta) {
		if (lab_mta_conf(dir, mta, &cmds[*ncmds], e2, sizeof e2) != LAB_CONF_OK) {
			seterr(err, errlen, "mta config: %s", e2);
			return LAB_ERR_BUILD;
		}
		(*ncmds)++;
	}
	/* configs for the user's own builds on the first spare address (D/spare/README) */
	if (lab_conf_spares(dir, res->lab_zone, lab_spare_addrs()[0], e2, sizeof e2) != LAB_CONF_OK) {
		seterr(err, errlen, "spare configs: %s", e2);
		return LAB_ERR_BUILD;
	}
	return LAB_OK;
}

static int write_env(const char *dir, const struct signer_result *res, const int *sel,
		     const struct lab_up_info *info)
{
	char path[4096];
	if (tp_pathf(path, sizeof path, "%s/lab.env", dir) != 0)
		return -1;
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	char p[4200];
	fputs("# trustprobe lab: source this file from a shell. Written by 'trustprobe lab up'.\n", f);
	fputs("LAB_DIR=", f);
	tp_shell_quote(f, dir);
	fputs("\nLAB_ZONE=", f);
	tp_shell_quote(f, res->lab_zone);
	static const char *const files[][2] = {
		{"LAB_ROOT_HINTS", "root.hints"},     {"LAB_TA_DS", "ta/root.ds"},
		{"LAB_TA_DNSKEY", "ta/root.dnskey"},   {"LAB_TA_NEXT_DS", "ta/root-next.ds"},
		{"LAB_TA_NEXT_DNSKEY", "ta/root-next.dnskey"}, {"LAB_TA_BIND", "ta/bind.conf"},
		{"LAB_TA_DNSMASQ", "ta/dnsmasq.conf"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		fprintf(f, "\n%s=", files[i][0]);
		snprintf(p, sizeof p, "%s/%s", dir, files[i][1]);
		tp_shell_quote(f, p);
	}
	fprintf(f, "\nLAB_KSK_CURRENT=%u\nLAB_KSK_NEXT=%u\nLAB_AUTH_ADDRS='", res->ksk_current_tag,
		res->ksk_next_tag);
	size_t n;
	const struct lab_server *srv = lab_servers(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s=%s", i ? " " : "", srv[i].name, srv[i].addr);
	fputs("'\nLAB_RESOLVERS='", f);
	const struct lab_instance *ins = lab_instances(&n);
	int first = 1;
	for (size_t i = 0; i < n; i++)
		if (sel[i]) {
			fprintf(f, "%s%s=%s", first ? "" : " ", ins[i].name, ins[i].addr);
			first = 0;
		}
	fputs("'\nLAB_SKIPPED='", f);
	first = 1;
	for (size_t i = 0; i < info->n_skipped; i++, first = 0)
		fprintf(f, "%s%s", first ? "" : " ", info->skipped[i].name);
	fputs("'\nLAB_SPARE_ADDRS='", f);
	first = 1;
	for (const char *const *s = lab_spare_addrs(); *s; s++, first = 0)
		fprintf(f, "%s%s", first ? "" : " ", *s);
	fputs("'\n", f);
	lab_user_write_env(f, sel); /* the instances added for this run (lab_user.h) */
	fprintf(f, "LAB_PROXY_ADDR=%s\n", lab_proxy_addr()); /* the attacker proxy */
	/* the lab's MX (lab_mta.h): posttls-finger takes MAIL_CONFIG=$LAB_MTA_CONFIG */
	fprintf(f, "LAB_MTA_ADDR=%s\nLAB_MTA_HOST=mx.mta.test\nLAB_MTA_MISMATCH_HOST=mismatch.mta.test\n",
		lab_mta_addr());
	static const char *const mfiles[][2] = {{"LAB_MTA_CONFIG", "postfix/client"},
						{"LAB_MTA_CERT", "postfix/cert.pem"}};
	for (size_t i = 0; i < 2; i++) {
		fprintf(f, "%s=", mfiles[i][0]);
		snprintf(p, sizeof p, "%s/%s", dir, mfiles[i][1]);
		tp_shell_quote(f, p);
		fputs("\n", f);
	}
	fprintf(f, "LAB_MTA_TLSA=%s\n", info->mta_tlsa);
	/* lab up --fleet N (lab_fleet.h): the file for 'trustprobe --targets' */
	fprintf(f, "LAB_FLEET_N=%u\nLAB_FLEET_TARGETS=", info->fleet);
	snprintf(p, sizeof p, "%s/fleet/targets", dir);
	tp_shell_quote(f, info->fleet ? p : "");
	fputs("\n", f);
	fputs("LAB_MTA_SKIPPED=", f);
	tp_shell_quote(f, info->mta_skipped);
	fputs("\n", f);
	return fclose(f);
}

/* After a failed up: kills anything still in the namespace lab.state names, removes it. */
static void sweep(const char *dir)
{
	struct lab_state st;
	char why[512];
	if (lab_state_read(dir, &st) == 0 && lab_state_trusted(dir, &st, why, sizeof why)) {
		for (int round = 0; round < 100 && lab_signal_ns(st.netns, SIGKILL, 0) > 0; round++) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	char p[4200];
	snprintf(p, sizeof p, "%s/lab.state", dir);
	unlink(p);
}

/* Waits up to secs for pid to be gone; reaps it if it is our child. */
static int wait_gone(pid_t pid, unsigned long netns, double secs)
{
	double end = tp_now() + secs;
	for (;;) {
		waitpid(pid, NULL, WNOHANG);
		if (!lab_pid_in_ns(pid, netns))
			return 1;
		if (tp_now() >= end)
			return 0;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

enum lab_status lab_up(const struct lab_up_opts *o, struct lab_up_info *info, char *err,
		       size_t errlen)
{
	double t0 = tp_now();
	memset(info, 0, sizeof *info);
	if (!o->vectors) {
		tp_vectors_not_found(err, errlen);
		return LAB_ERR_USAGE;
	}
	int sel[LAB_MAX_CMDS], named[LAB_MAX_CMDS];
	enum lab_status ls = select_instances(o->resolvers, o->holddown != 0, sel, named, err,
					      errlen);
	if (ls != LAB_OK)
		return ls;
	char nsd[4096];
	if (!lab_find_program("nsd", nsd, sizeof nsd)) {
		seterr(err, errlen, "nsd not installed: apt-get install nsd (the lab's authoritative "
		       "servers need it)");
		return LAB_ERR_USAGE;
	}
	static char progs[LAB_MAX_CMDS][4096]; /* lab_up is not reentrant (signal handlers) */
	if ((ls = drop_missing(sel, named, progs, info, err, errlen)) != LAB_OK)
		return ls;
	static struct lab_mta_ids mta_ids;
	const struct lab_mta_ids *mta =
		lab_mta_available(&mta_ids, info->mta_skipped, sizeof info->mta_skipped)
			? &mta_ids : NULL;
	if (tp_mkdir_p(o->dir) != 0 || !realpath(o->dir, info->dir)) {
		seterr(err, errlen, "cannot create lab directory %s: %s", o->dir, strerror(errno));
		return LAB_ERR_USAGE;
	}
	const char *dir = info->dir;
	char why[512];
	if (!lab_path_trusted(dir, why, sizeof why)) {
		seterr(err, errlen, "refusing lab directory: %s", why);
		return LAB_ERR_USAGE;
	}
	struct lab_state st;
	if (lab_state_read(dir, &st) == 0 && lab_pid_in_ns(st.holder, st.netns)) {
		seterr(err, errlen,
		       "a lab is already running in %s (holder pid %ld); run 'trustprobe lab down "
		       "--dir %s' first",
		       dir, (long)st.holder, dir);
		return LAB_ERR_RUNNING;
	}
	/* an earlier lab whose holder died: stop what it left in its namespace */
	sweep(dir);
	char p[4200];
	snprintf(p, sizeof p, "%s/lab.env", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/log", dir);
	if (tp_mkdir_p(p) != 0) {
		seterr(err, errlen, "cannot create %s: %s", p, strerror(errno));
		return LAB_ERR_USAGE;
	}

	struct lab_cmd cmds[LAB_MAX_CMDS];
	memset(cmds, 0, sizeof cmds);
	size_t ncmds = 0;
	struct signer_result *res = calloc(1, sizeof *res);
	if (!res) {
		seterr(err, errlen, "out of memory");
		return LAB_ERR_BUILD;
	}
	/* Signals from here on stop the holder, which stops what it started; one during
	 * signing stops the build before anything is started. */
	struct sigaction sa = {.sa_handler = on_signal}, old[3];
	sigemptyset(&sa.sa_mask);
	const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	got_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	ls = prepare(o, dir, sel, progs, nsd, mta, info->mta_tlsa, cmds, &ncmds, res, err, errlen);
	info->fleet = o->fleet;
	info->t_sign = tp_now() - t0;
	if (got_signal) {
		seterr(err, errlen, "interrupted by signal %d; nothing was started", (int)got_signal);
		ls = LAB_ERR_INTERRUPTED;
	}
	if (ls != LAB_OK)
		goto restore;

	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		seterr(err, errlen, "pipe: %s", strerror(errno));
		ls = LAB_ERR_NAMESPACE;
		goto restore;
	}
	sigset_t block, oldmask;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	fflush(NULL);
	pid_t parent = getpid();
	pid_t hp = fork();
	if (hp < 0) {
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		seterr(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		ls = LAB_ERR_NAMESPACE;
		goto restore;
	}
	if (hp == 0) {
		/* the holder: never returns */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		struct holder h = {.dir = dir, .cmds = cmds, .n = ncmds, .died = -1,
				   .timeout = o->timeout > 0 ? o->timeout : 20.0, .info = info,
				   .mta = mta, .fleet = o->fleet,
				   .extra_addr = o->delegate_name ? o->delegate_addr : NULL};
		/* dup2 clears close-on-exec: set it again so no daemon keeps the pipe open */
		if (dup2(pfd[1], 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) != 0)
			_exit(1);
		h.report = 3;
		if (close_range(4, ~0U, 0) != 0) /* kernels before 5.9 lack it */
			for (int fd = 4; fd < 1024; fd++)
				close(fd);
		char hl[4200];
		snprintf(hl, sizeof hl, "%s/log/holder.log", dir);
		int nul = open("/dev/null", O_RDONLY);
		int lf = open(hl, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (nul >= 0)
			dup2(nul, 0);
		if (lf >= 0) {
			dup2(lf, 1);
			dup2(lf, 2);
		}
		if (nul > 3)
			close(nul);
		if (lf > 3)
			close(lf);
		for (int i = 0; i < 3; i++)
			signal(sigs[i], SIG_DFL);
		/* lab up may be gone when the holder reports (killed, or it stopped reading
		 * after a signal): the write must fail with EPIPE, not end the holder before
		 * it stops what it started (each daemon gets SIG_DFL back in spawn) */
		signal(SIGPIPE, SIG_IGN);
		h.sfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
		if (h.sfd < 0) {
			report(&h, "ERR signalfd: %s\n", strerror(errno));
			_exit(1);
		}
		/* the daemons find their helpers in sbin even for an ordinary user; their
		 * programs are the full paths lab_find_program found in the same PATH */
		char np[8192];
		if (lab_daemon_path(np, sizeof np) == 0)
			setenv("PATH", np, 1);
		_exit(holder_main(&h));
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	close(pfd[1]);
	info->holder = hp;
	char line[1100];
	size_t got = 0;
	for (;;) {
		if (got_signal) {
			kill(hp, SIGTERM);
			break;
		}
		ssize_t r = read(pfd[0], line + got, sizeof line - 1 - got);
		if (r > 0) {
			got += (size_t)r;
			if (memchr(line, '\n', got) || got == sizeof line - 1)
				break; /* the holder reports one line */
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	close(pfd[0]);
	line[got] = '\0';
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	if (got_signal) {
		/* the signal may have come after the holder reported: stop it in any case */
		kill(hp, SIGTERM);
		waitpid(hp, NULL, 0);
		seterr(err, errlen, "interrupted by signal %d; everything the lab started was stopped",
		       (int)got_signal);
		ls = LAB_ERR_INTERRUPTED;
	} else if (strcmp(line, "OK") == 0) {
		if (write_env(dir, res, sel, info) != 0) {
			seterr(err, errlen, "cannot write %s/lab.env: %s", dir, strerror(errno));
			kill(hp, SIGTERM);
			waitpid(hp, NULL, 0);
			ls = LAB_ERR_BUILD;
		} else {
			info->n_daemons = ncmds;
			ls = LAB_OK;
		}
	} else {
		waitpid(hp, NULL, 0);
		if (strncmp(line, "ERR ", 4) == 0) {
			seterr(err, errlen, "%s", line + 4);
			ls = LAB_ERR_START;
		} else if (strncmp(line, "NS ", 3) == 0) {
			seterr(err, errlen, "%s", line + 3);
			ls = LAB_ERR_NAMESPACE;
		} else if (strncmp(line, "INT ", 4) == 0) {
			seterr(err, errlen, "%s", line + 4);
			ls = LAB_ERR_INTERRUPTED;
		} else {
			seterr(err, errlen, "the lab holder process died during startup [log: %s/log/holder.log]", dir);
			ls = LAB_ERR_START;
		}
	}
	if (ls != LAB_OK)
		sweep(dir);
restore:
	if (ls == LAB_ERR_INTERRUPTED)
		info->signal = (int)got_signal;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	/* a signal after the last check must not be lost: hand it to the caller's handler */
	if (ls == LAB_OK && got_signal)
		raise((int)got_signal);
	for (size_t i = 0; i < LAB_MAX_CMDS; i++)
		lab_cmd_free(&cmds[i]);
	free(res);
	info->t_total = tp_now() - t0;
	return ls;
}

/* ---- down, status, exec ---- */

enum lab_status lab_down(const char *dir, struct lab_down_info *info, char *err, size_t errlen)
{
	double t0 = tp_now();
	memset(info, 0, sizeof *info);
	struct lab_state st;
	if (lab_state_read(dir, &st) != 0) {
		if (errno == ENOENT)
			return LAB_OK; /* nothing to stop */
		seterr(err, errlen, "cannot read %s/lab.state: %s", dir, strerror(errno));
		return LAB_ERR_NOT_RUNNING;
	}
	char why[512];
	if (!lab_state_trusted(dir, &st, why, sizeof why)) {
		seterr(err, errlen, "refusing to stop anything: %s", why);
		return LAB_ERR_USAGE;
	}
	for (size_t i = 0; i < st.n; i++)
		info->n_stopped += lab_pid_in_ns(st.d[i].pid, st.netns);
	if (lab_pid_in_ns(st.holder, st.netns)) {
		info->was_running = 1;
		info->n_stopped++;
		kill(st.holder, SIGTERM);
		if (!wait_gone(st.holder, st.netns, 6.0)) {
			kill(st.holder, SIGKILL);
			info->n_killed++;
			wait_gone(st.holder, st.netns, 1.0);
		}
	} else {
		info->was_running = info->n_stopped > 0;
	}
	/* anything still in the namespace (a daemon the holder lost, a 'lab exec' command) */
	for (int round = 0; round < 50; round++) {
		size_t k = lab_signal_ns(st.netns, SIGKILL, 0);
		if (k == 0)
			break;
		info->n_killed += round == 0 ? k : 0;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	char p[4200];
	snprintf(p, sizeof p, "%s/lab.state", dir);
	unlink(p);
	info->t_total = tp_now() - t0;
	return LAB_OK;
}

enum lab_status lab_status(const char *dir, FILE *out, char *err, size_t errlen)
{
	struct lab_state st;
	char why[512];
	if (lab_state_read(dir, &st) != 0) {
		seterr(err, errlen, "no lab is running in %s", dir);
		return LAB_ERR_NOT_RUNNING;
	}
	int holder_up = lab_pid_in_ns(st.holder, st.netns);
	size_t left = 0; /* with the holder gone: processes still in the lab's namespace */
	if (!holder_up && lab_state_trusted(dir, &st, why, sizeof why))
		left = lab_signal_ns(st.netns, 0, 0); /* signal 0 only counts them */
	if (!holder_up && left == 0) {
		seterr(err, errlen, "no lab is running in %s", dir);
		return LAB_ERR_NOT_RUNNING;
	}
	size_t dead = 0;
	fprintf(out, "%-24s %8s  %-12s %s\n", "NAME", "PID", "ADDRESS", "STATE");
	fprintf(out, "%-24s %8ld  %-12s %s\n", "holder", (long)st.holder, "-",
		holder_up ? "running" : "gone");
	for (size_t i = 0; i < st.n; i++) {
		int up = lab_pid_in_ns(st.d[i].pid, st.netns);
		dead += !up;
		fprintf(out, "%-24s %8ld  %-12s %s\n", st.d[i].name, (long)st.d[i].pid,
			st.d[i].addr, up ? "running" : "stopped");
	}
	for (size_t i = 0; i < st.n_skipped; i++)
		fprintf(out, "%-24s %8s  %-12s skipped (%s)\n", st.s[i].name, "-", st.s[i].addr,
			st.s[i].why);
	if (!holder_up) {
		/* count the daemons of lab.state; their helpers (nsd's xfrd, ...) are theirs. With
		 * no daemon left, what still runs is e.g. a 'lab exec' command. */
		size_t daemons = st.n - dead, k = daemons ? daemons : left;
		const char *what = daemons ? (k == 1 ? "daemon" : "daemons")
					   : (k == 1 ? "process" : "processes");
		seterr(err, errlen,
		       "the lab's holder (pid %ld) is gone but %zu %s of the lab still %s; stop "
		       "them with 'trustprobe lab down --dir %s'",
		       (long)st.holder, k, what, k == 1 ? "runs" : "run", dir);
		return LAB_ERR_ORPHANED;
	}
	if (dead) {
		seterr(err, errlen, "%zu of %zu daemons have stopped (see %s/log/)", dead, st.n, dir);
		return LAB_ERR_DEAD;
	}
	return LAB_OK;
}

/* Exports KEY='value' lines of lab.env into the environment. */
static int export_one(const char *key, const char *val, void *ctx)
{
	(void)ctx;
	if (strncmp(key, "LAB_", 4) == 0) /* only the lab's own variables, never LD_PRELOAD */
		setenv(key, val, 1);
	return 0;
}

/* Exports the LAB_* variables of lab.env into the environment. */
static void export_env(const char *dir)
{
	char path[4200], why[512];
	snprintf(path, sizeof path, "%s/lab.env", dir);
	if (!lab_path_trusted(path, why, sizeof why))
		return; /* another user's file must not set our environment */
	tp_labenv_each(dir, export_one, NULL);
}

enum lab_status lab_join(const char *dir, char *err, size_t errlen)
{
	struct lab_state st;
	if (lab_state_read(dir, &st) != 0 || !lab_pid_in_ns(st.holder, st.netns)) {
		seterr(err, errlen, "no lab is running in %s", dir);
		return LAB_ERR_NOT_RUNNING;
	}
	if (lab_ns_inode(getpid(), "net") == st.netns)
		return LAB_OK; /* already inside, e.g. under 'lab exec' */
	char p[64];
	snprintf(p, sizeof p, "/proc/%ld/ns/user", (long)st.holder);
	int ufd = open(p, O_RDONLY | O_CLOEXEC);
	snprintf(p, sizeof p, "/proc/%ld/ns/net", (long)st.holder);
	int nfd = open(p, O_RDONLY | O_CLOEXEC);
	int ok = ufd >= 0 && nfd >= 0 && setns(ufd, CLONE_NEWUSER) == 0 &&
		 setns(nfd, CLONE_NEWNET) == 0;
	int e = errno;
	if (ufd >= 0)
		close(ufd);
	if (nfd >= 0)
		close(nfd);
	if (!ok) {
		seterr(err, errlen, "cannot join the lab's namespaces: %s", strerror(e));
		return LAB_ERR_NAMESPACE;
	}
	return LAB_OK;
}

enum lab_status lab_exec(const char *dir, char *const argv[], char *err, size_t errlen)
{
	enum lab_status ls = lab_join(dir, err, errlen);
	if (ls != LAB_OK)
		return ls;
	export_env(dir);
	setenv("TRUSTPROBE_LAB_DIR", dir, 1);
	execvp(argv[0], argv);
	seterr(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
	return LAB_ERR_USAGE;
}
