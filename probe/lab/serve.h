/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause
 *
 * serve: 'trustprobe serve' (issue 13), the test vectors on the Internet. It signs every
 * zone of testvectors/manifest below the lab-zone, moved under ZONE (signer.h, reroot),
 * with stable keys kept in DIR/keys (the only private keys the project writes, 0600 in a
 * 0700 directory), runs one nsd for them on a loopback backend (authoritative only, every
 * zone, lab_conf_nsd_opts) and one attacker proxy per --listen address in front of it
 * (proxy.h --serve: the attack rules moved under ZONE, ANY and transfers refused, REFUSED
 * for names outside ZONE, a per-source rate limit), and prints the DS, NS and glue for
 * ZONE's parent. It stays in the foreground (for systemd) and re-signs before the
 * signatures expire, then reloads nsd (SIGHUP, by PID).
 *
 * Files under DIR:
 *   zone          the zone the keys belong to (a restart with another --zone is refused)
 *   keys/         K<zone>+<role>.private (signer.h)
 *   zones/, zones.list, parent.ds    the signed vectors (re-signed into stage/, then
 *                 renamed into place file by file)
 *   attacks       the attack rules under ZONE
 *   nsd-serve/    nsd's config, pid file and state;  log/  nsd's and the proxies' logs
 *
 * Logs one line on stderr per start, re-sign and stop. SIGTERM or SIGINT: stops nsd and
 * the proxies by PID and exits 0; SIGHUP: re-signs now (after 'serve rollover'). */
#ifndef TP_SERVE_H
#define TP_SERVE_H

/* "trustprobe serve ..." (argv[0] "serve"; serve_opts.h has the command line). Returns
 * the exit status: 0 stopped by a signal (or ds/rollover done), 1 a daemon died or the
 * service failed after it started, 2 bad input or a setup failure before it started
 * (one line on stderr). Never calls exit(). */
int serve_main(int argc, char **argv);

#endif
