/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_userns: see lab_userns.h. The sysctls and their effects:
 *   user.max_user_namespaces (all kernels since 4.9; per user namespace): 0 makes
 *     unshare(CLONE_NEWUSER) fail with ENOSPC, as does reaching the limit or nesting more
 *     than 32 deep (EUSERS before 4.9).
 *   kernel.unprivileged_userns_clone (Debian's kernels before 6.1's upstream default; some
 *     distributions still): 0 makes it fail with EPERM for a non-root caller.
 *   kernel.apparmor_restrict_unprivileged_userns (Ubuntu 23.10 and later): 1 lets unshare
 *     succeed without capabilities in the new namespace, so writing uid_map fails with
 *     EPERM (or unshare fails with EPERM/EACCES under an AppArmor deny rule).
 * With none of them at fault, EPERM comes from a container's seccomp filter (Docker's
 * default profile denies unshare of a user namespace) or from running in a chroot. */
#include "lab_userns.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char buf[64];
	char *end;
	long v = -1;
	if (fgets(buf, sizeof buf, f)) {
		errno = 0;
		v = strtol(buf, &end, 10);
		if (errno || end == buf)
			v = -1;
	}
	fclose(f);
	return v;
}

void lab_userns_read(struct lab_userns_facts *f)
{
	f->max_user_ns = read_sysctl("/proc/sys/user/max_user_namespaces");
	f->unpriv_clone = read_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
	f->apparmor_restrict = read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
}

int lab_userns_explain(const struct lab_userns_facts *f, char *out, size_t outlen)
{
	static const char off[] = "user namespaces are unavailable";
	const char *what = f->step == LAB_USERNS_MAP ? "cannot write the namespace's uid_map"
						     : "cannot create a user+network namespace";
	int perm = f->err == EPERM || f->err == EACCES;

	if ((f->err == ENOSPC || f->err == EUSERS) && f->max_user_ns == 0)
		snprintf(out, outlen,
			 "%s: user.max_user_namespaces is 0; allow them with "
			 "'sysctl -w user.max_user_namespaces=15000'", off);
	else if (f->err == ENOSPC || f->err == EUSERS)
		snprintf(out, outlen,
			 "%s: the limit user.max_user_namespaces (%ld) is reached, or namespaces "
			 "are nested too deep; raise it with 'sysctl -w user.max_user_namespaces=15000'",
			 off, f->max_user_ns);
	else if (perm && f->step == LAB_USERNS_UNSHARE && f->unpriv_clone == 0 && !f->is_root)
		snprintf(out, outlen,
			 "%s: kernel.unprivileged_userns_clone is 0; allow them with "
			 "'sysctl -w kernel.unprivileged_userns_clone=1'", off);
	else if (perm && f->apparmor_restrict == 1 && !f->is_root)
		snprintf(out, outlen,
			 "%s: AppArmor restricts unprivileged ones "
			 "(kernel.apparmor_restrict_unprivileged_userns is 1); allow them with "
			 "'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0', or give "
			 "trustprobe an AppArmor profile with 'userns,'", off);
	else if (perm && f->step == LAB_USERNS_UNSHARE)
		snprintf(out, outlen,
			 "%s (unshare: %s) though no setting in /proc/sys forbids them: a "
			 "container's seccomp filter or a chroot does; run the container with "
			 "'--security-opt seccomp=unconfined' (or with CAP_SYS_ADMIN), or outside "
			 "the chroot", off, strerror(f->err));
	else if (f->err == EINVAL && f->step == LAB_USERNS_UNSHARE)
		snprintf(out, outlen, "%s: this kernel was built without them (CONFIG_USER_NS)", off);
	else {
		snprintf(out, outlen, "%s: %s", what, strerror(f->err));
		return 0;
	}
	return 1;
}
