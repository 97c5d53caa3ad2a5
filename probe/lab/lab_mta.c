/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_mta: see lab_mta.h. The certificate is OpenSSL's (libcrypto); the server is Postfix
 * 3.7 as Debian ships it. Every main.cf line differs from Postfix's default for a reason
 * written beside it; [netns] and [offline] mean what they mean in lab_conf.c. */
#include "lab_mta.h"
#include "lab_plan.h"
#include "tp_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MTA_HOST "mx.mta.test" /* the MX of testvectors/zones/mta.zone */
#define CERT_DAYS 30
/* Debian's queue_directory and data_directory, the lab's own bind-mounted over them */
#define SPOOL "/var/spool/postfix"
#define DATA "/var/lib/postfix"

static enum lab_conf_status mfail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum lab_conf_status mfail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return LAB_CONF_ERR_IO;
}

/* The key, the certificate and the TLSA data, or 0 (err says why). */
static int make_cert(EVP_PKEY **key, X509 **crt, char tlsa[LAB_MTA_TLSA_LEN])
{
	*key = EVP_EC_gen("P-256");
	*crt = X509_new();
	if (!*key || !*crt)
		return 0;
	X509_NAME *name = X509_get_subject_name(*crt);
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, *crt, *crt, NULL, NULL, 0);
	X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name,
						  "DNS:" MTA_HOST ", DNS:mismatch.mta.test");
	int ok = san && X509_set_version(*crt, 2) &&
		 ASN1_INTEGER_set(X509_get_serialNumber(*crt), (long)time(NULL)) &&
		 X509_gmtime_adj(X509_getm_notBefore(*crt), -3600) &&
		 X509_gmtime_adj(X509_getm_notAfter(*crt), (long)CERT_DAYS * 86400) &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					    (const unsigned char *)MTA_HOST, -1, -1, 0) &&
		 X509_set_issuer_name(*crt, name) && X509_add_ext(*crt, san, -1) &&
		 X509_set_pubkey(*crt, *key) && X509_sign(*crt, *key, EVP_sha256()) > 0;
	X509_EXTENSION_free(san);
	if (!ok)
		return 0;
	/* RFC 6698 2.1: selector 1 is the DER SubjectPublicKeyInfo, matching type 1 SHA-256 */
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int len = i2d_PUBKEY(*key, &der);
	ok = len > 0 && EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL) &&
	     mdlen == 32;
	OPENSSL_free(der);
	for (unsigned int i = 0; ok && i < mdlen; i++)
		snprintf(tlsa + 2 * i, 3, "%02X", md[i]);
	return ok;
}

/* Writes PEM to path, created afresh with mode (an earlier file may have other bits). */
static int write_pem(const char *path, mode_t mode, EVP_PKEY *key, X509 *crt)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	int ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
		     : PEM_write_X509(f, crt);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok)
		errno = EIO;
	return ok ? 0 : -1;
}

enum lab_conf_status lab_mta_cert(const char *dir, char tlsa[LAB_MTA_TLSA_LEN], char *err,
				  size_t errlen)
{
	char pdir[4096], kpath[4200], cpath[4200];
	if (tp_pathf(pdir, sizeof pdir, "%s/postfix", dir) != 0 || tp_mkdir_p(pdir) != 0)
		return mfail(err, errlen, "cannot create %s/postfix: %s", dir, strerror(errno));
	EVP_PKEY *key = NULL;
	X509 *crt = NULL;
	tlsa[0] = '\0';
	int ok = make_cert(&key, &crt, tlsa);
	enum lab_conf_status st = LAB_CONF_OK;
	snprintf(kpath, sizeof kpath, "%s/key.pem", pdir);
	snprintf(cpath, sizeof cpath, "%s/cert.pem", pdir);
	if (!ok)
		st = mfail(err, errlen, "OpenSSL could not make the lab MX's P-256 key and "
			   "certificate");
	else if (write_pem(kpath, 0600, key, NULL) != 0)
		st = mfail(err, errlen, "cannot write %s: %s", kpath, strerror(errno));
	else if (write_pem(cpath, 0644, NULL, crt) != 0)
		st = mfail(err, errlen, "cannot write %s: %s", cpath, strerror(errno));
	EVP_PKEY_free(key);
	X509_free(crt);
	return st;
}

static const char *postfix_dir(void)
{
	const char *e = getenv("TRUSTPROBE_LAB_POSTFIX");
	return e && *e ? e : "/usr/lib/postfix/sbin";
}

/* 1 if id is mapped in the calling process's user namespace (path: /proc/self/uid_map or
 * gid_map), so that a namespace made from it can map id too. */
static int id_mapped(const char *path, unsigned long id)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	unsigned long in, out, n;
	int found = 0;
	while (!found && fscanf(f, "%lu %lu %lu", &in, &out, &n) == 3)
		found = id >= in && id - in < n;
	fclose(f);
	return found;
}

int lab_mta_available(struct lab_mta_ids *ids, char *why, size_t whylen)
{
	char smtpd[4200];
	const char *pd = postfix_dir();
	memset(ids, 0, sizeof *ids);
	snprintf(ids->master, sizeof ids->master, "%s/master", pd);
	snprintf(smtpd, sizeof smtpd, "%s/smtpd", pd);
	if (access(ids->master, X_OK) != 0 || access(smtpd, X_OK) != 0) {
		snprintf(why, whylen, "postfix not installed (no %s): apt-get install postfix",
			 access(ids->master, X_OK) != 0 ? ids->master : smtpd);
		return 0;
	}
	struct stat sb;
	if (stat(SPOOL, &sb) != 0 || !S_ISDIR(sb.st_mode) || stat(DATA, &sb) != 0 ||
	    !S_ISDIR(sb.st_mode)) {
		snprintf(why, whylen, "postfix is installed but %s or %s is missing: reinstall "
			 "postfix", SPOOL, DATA);
		return 0;
	}
	struct passwd *pw = getpwnam("postfix");
	struct group *gr = getgrnam("postdrop");
	if (!pw || !gr || pw->pw_uid == 0) {
		snprintf(why, whylen, "postfix is installed but the account %s is missing: "
			 "reinstall postfix", !pw || pw->pw_uid == 0 ? "postfix" : "group postdrop");
		return 0;
	}
	ids->owner_uid = pw->pw_uid;
	ids->owner_gid = pw->pw_gid;
	ids->sgid_gid = gr->gr_gid;
	if (geteuid() != 0) {
		snprintf(why, whylen, "the lab runs as uid %u: Postfix's smtpd drops privileges to "
			 "its mail_owner (postfix, never uid 0), which the lab's user namespace can "
			 "map only for root", (unsigned)geteuid());
		return 0;
	}
	if (!id_mapped("/proc/self/uid_map", ids->owner_uid) ||
	    !id_mapped("/proc/self/gid_map", ids->owner_gid) ||
	    !id_mapped("/proc/self/gid_map", ids->sgid_gid)) {
		snprintf(why, whylen, "the lab runs in a user namespace that does not map postfix's "
			 "uid %u or its groups, which smtpd drops privileges to",
			 (unsigned)ids->owner_uid);
		return 0;
	}
	return 1;
}

/* The mapper child: writes pid's maps once told that pid has unshared; exits 0 or errno. */
static int write_maps(pid_t pid, const struct lab_mta_ids *ids, int go)
{
	char b, path[64], map[160];
	if (read(go, &b, 1) != 1)
		return EPIPE;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	snprintf(map, sizeof map, "0 %u 1\n%u %u 1\n", (unsigned)uid, (unsigned)ids->owner_uid,
		 (unsigned)ids->owner_uid);
	snprintf(path, sizeof path, "/proc/%ld/uid_map", (long)pid);
	if (tp_write_file(path, map, strlen(map)) != 0)
		return errno;
	int k = snprintf(map, sizeof map, "0 %u 1\n%u %u 1\n", (unsigned)gid,
			 (unsigned)ids->owner_gid, (unsigned)ids->owner_gid);
	if (ids->sgid_gid != ids->owner_gid)
		snprintf(map + k, sizeof map - (size_t)k, "%u %u 1\n", (unsigned)ids->sgid_gid,
			 (unsigned)ids->sgid_gid);
	snprintf(path, sizeof path, "/proc/%ld/gid_map", (long)pid);
	return tp_write_file(path, map, strlen(map)) != 0 ? errno : 0;
}

int lab_mta_unshare(const struct lab_mta_ids *ids, int *in_map)
{
	int go[2];
	*in_map = 0;
	if (pipe2(go, O_CLOEXEC) != 0)
		return -1;
	pid_t self = getpid();
	pid_t m = fork();
	if (m < 0) {
		int e = errno;
		close(go[0]);
		close(go[1]);
		errno = e;
		return -1;
	}
	if (m == 0) {
		close(go[1]);
		_exit(write_maps(self, ids, go[0]));
	}
	close(go[0]);
	int rc = unshare(CLONE_NEWUSER | CLONE_NEWNET);
	int e = errno;
	if (rc == 0 && write(go[1], "x", 1) != 1)
		rc = -1, e = errno;
	close(go[1]);
	int status = 0;
	while (waitpid(m, &status, 0) < 0 && errno == EINTR)
		;
	if (rc != 0) {
		errno = e;
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*in_map = 1;
		errno = WIFEXITED(status) ? WEXITSTATUS(status) : ECHILD;
		return -1;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

/* D/postfix/rel made afresh with mode and owner; the queue of an earlier run (sockets,
 * master.pid, master.lock) must not be reused. */
static enum lab_conf_status fresh_dir(const char *pdir, const char *rel, mode_t mode, uid_t uid,
				      gid_t gid, char *err, size_t errlen)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", pdir, rel);
	if (nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
		return mfail(err, errlen, "cannot remove the stale %s: %s", p, strerror(errno));
	if (mkdir(p, mode) != 0 || chown(p, uid, gid) != 0 || chmod(p, mode) != 0)
		return mfail(err, errlen, "cannot create %s: %s", p, strerror(errno));
	return LAB_CONF_OK;
}

/* Writes D/postfix/rel, dated a minute back: Postfix re-reads a configuration file whose
 * mtime is within the last second or two ("hot", dict_load_file) every 300 ms until it
 * has cooled down, which held master up for 1.5 s at every lab up. */
static enum lab_conf_status put(const char *pdir, const char *rel, const char *text,
				char *err, size_t errlen)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", pdir, rel);
	const struct timespec t[2] = {{time(NULL) - 60, 0}, {time(NULL) - 60, 0}};
	if (tp_write_file(p, text, strlen(text)) != 0 || utimensat(AT_FDCWD, p, t, 0) != 0)
		return mfail(err, errlen, "cannot write %s: %s", p, strerror(errno));
	return LAB_CONF_OK;
}

enum lab_conf_status lab_mta_conf(const char *dir, const struct lab_mta_ids *ids,
				  struct lab_cmd *cmd, char *err, size_t errlen)
{
	char pdir[4096];
	if (tp_pathf(pdir, sizeof pdir, "%s/postfix", dir) != 0 || strchr(dir, ' ') ||
	    strchr(dir, ','))
		return mfail(err, errlen, "lab dir %s cannot be written into main.cf", dir);
	enum lab_conf_status st;
	uid_t u = ids->owner_uid;
	gid_t g = ids->owner_gid;
	if ((st = fresh_dir(pdir, "queue", 0755, 0, 0, err, errlen)) != LAB_CONF_OK ||
	    (st = fresh_dir(pdir, "queue/pid", 0755, 0, 0, err, errlen)) != LAB_CONF_OK ||
	    (st = fresh_dir(pdir, "queue/private", 0700, u, g, err, errlen)) != LAB_CONF_OK ||
	    (st = fresh_dir(pdir, "queue/public", 02710, u, ids->sgid_gid, err, errlen)) !=
		    LAB_CONF_OK ||
	    (st = fresh_dir(pdir, "data", 0700, u, g, err, errlen)) != LAB_CONF_OK)
		return st;
	char text[5 * sizeof pdir + 4096];
	snprintf(text, sizeof text,
		 "# trustprobe lab: Postfix's smtpd as the lab's MX (probe/lab/lab_mta.c).\n"
		 "# Written by 'trustprobe lab up'; only what differs from Postfix 3.7's defaults.\n"
		 "compatibility_level = 3.6\n"
		 "# queue_directory and data_directory keep their defaults: master runs in a mount\n"
		 "# namespace of its own where %s/queue and data are bind-mounted over\n"
		 "# /var/spool/postfix and /var/lib/postfix (the host's stay untouched, and the\n"
		 "# daemons reach them as postfix whatever the mode of the lab directory)\n"
		 "# the lab's MX address only, IPv4 (the namespace has no IPv6 address)\n"
		 "inet_interfaces = %s\n"
		 "inet_protocols = ipv4\n"
		 "myhostname = " MTA_HOST "\n"
		 "mydomain = mta.test\n"
		 "# [offline] no DNS lookup of clients: the namespace's /etc/resolv.conf is the host's\n"
		 "smtpd_peername_lookup = no\n"
		 "# it accepts no mail: the lab needs the greeting and the TLS handshake only\n"
		 "mydestination =\n"
		 "relay_domains =\n"
		 "local_recipient_maps =\n"
		 "alias_maps =\n"
		 "alias_database =\n"
		 "smtpd_relay_restrictions = reject\n"
		 "smtpd_recipient_restrictions = reject\n"
		 "notify_classes =\n"
		 "biff = no\n"
		 "# [netns] no syslog in the namespace: postlogd writes to master's stdout\n"
		 "# (master -s keeps it), which is D/log/mta.log\n"
		 "maillog_file = /dev/stdout\n"
		 "# STARTTLS with the lab's certificate; mta.test. has its TLSA (3 1 1)\n"
		 "smtpd_tls_cert_file = %s/cert.pem\n"
		 "smtpd_tls_key_file = %s/key.pem\n"
		 "smtpd_tls_security_level = may\n"
		 "smtpd_tls_loglevel = 1\n",
		 pdir, lab_mta_addr(), pdir, pdir);
	if ((st = put(pdir, "main.cf", text, err, errlen)) != LAB_CONF_OK)
		return st;
	/* [netns] chroot n: the chroot would be /var/spool/postfix, not the lab's */
	if ((st = put(pdir, "master.cf",
		      "# trustprobe lab: only what smtpd needs (probe/lab/lab_mta.c); no chroot\n"
		      "smtp      inet  n       -       n       -       -       smtpd\n"
		      "# TLS session keys and entropy for smtpd\n"
		      "tlsmgr    unix  -       -       n       1000?   1       tlsmgr\n"
		      "# maillog_file's writer\n"
		      "postlog   unix-dgram n  -       n       -       1       postlogd\n",
		      err, errlen)) != LAB_CONF_OK)
		return st;
	char cdir[4200];
	snprintf(cdir, sizeof cdir, "%s/client", pdir);
	if (tp_mkdir_p(cdir) != 0)
		return mfail(err, errlen, "cannot create %s: %s", cdir, strerror(errno));
	if ((st = put(pdir, "client/main.cf",
		      "# trustprobe lab: posttls-finger's configuration (MAIL_CONFIG), so that the\n"
		      "# host's /etc/postfix is never read. posttls-finger runs inside the lab, with\n"
		      "# a lab resolv.conf bind-mounted over /etc/resolv.conf (tests/lab/59-posttls.t).\n"
		      "compatibility_level = 3.6\n"
		      "# the namespace has no IPv6 address: no AAAA lookups of the MX\n"
		      "inet_protocols = ipv4\n",
		      err, errlen)) != LAB_CONF_OK)
		return st;
	memset(cmd, 0, sizeof *cmd);
	snprintf(cmd->name, sizeof cmd->name, "mta");
	snprintf(cmd->addr, sizeof cmd->addr, "%s", lab_mta_addr());
	snprintf(cmd->workdir, sizeof cmd->workdir, "%s", pdir);
	if (tp_pathf(cmd->config, sizeof cmd->config, "%s/main.cf", pdir) != 0 ||
	    tp_pathf(cmd->log, sizeof cmd->log, "%s/log/mta.log", dir) != 0)
		return mfail(err, errlen, "paths under %s are too long", dir);
	cmd->ready_smtp = 1;
	/* unshare -m (no fork: the PID stays master's; propagation private) and the bind
	 * mounts, then master -s: foreground, its own session (so that its SIGTERM handler can
	 * stop its process group), stdout kept for maillog_file */
	char q[4200], d[4200];
	snprintf(q, sizeof q, "%s/queue", pdir);
	snprintf(d, sizeof d, "%s/data", pdir);
	const char *argv[] = {"unshare", "-m", "sh", "-c",
			      "mount --bind \"$1\" " SPOOL " && mount --bind \"$2\" " DATA
			      " && exec \"$3\" -c \"$4\" -s",
			      "mta", q, d, ids->master, pdir, NULL};
	for (size_t i = 0; argv[i]; i++)
		if (!(cmd->argv[i] = strdup(argv[i]))) {
			lab_cmd_free(cmd);
			return mfail(err, errlen, "out of memory");
		}
	return LAB_CONF_OK;
}
