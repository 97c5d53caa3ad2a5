/* Copyright (c) 2026 The trustprobe authors. SPDX-License-Identifier: BSD-3-Clause */
/* lab_ready: see lab_ready.h. */
#include "lab_ready.h"
#include "query.h" /* tp_target_parse */
#include "tp_util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LAB_READY_MAX 32

static int open_target(const char *addr)
{
	struct tp_target t;
	if (tp_target_parse(addr, &t, NULL, 0) != 0)
		return -1;
	int fd = socket(t.ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&t.ss, t.sslen) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A non-blocking TCP connection to addr port 25 under way, or -1. */
static int open_smtp(const char *addr)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(25)};
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Reads what an SMTP target sent: ready on a "220" greeting (then QUIT, so that the
 * server logs a clean session); any other outcome closes the connection, to be tried
 * again at the next round. */
static void read_smtp(struct lab_ready_target *t, int *fd)
{
	char buf[512];
	ssize_t r = recv(*fd, buf, sizeof buf, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r >= 4 && memcmp(buf, "220", 3) == 0 && (buf[3] == ' ' || buf[3] == '-')) {
		t->ready = 1;
		ssize_t w = send(*fd, "QUIT\r\n", 6, MSG_NOSIGNAL);
		(void)w;
	}
	close(*fd);
	*fd = -1;
}

static int make_query(uint8_t **wire, size_t *len, uint16_t *id)
{
	ldns_pkt *q = NULL;
	if (ldns_pkt_query_new_frm_str(&q, ".", LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, 0) !=
	    LDNS_STATUS_OK)
		return -1;
	ldns_pkt_set_random_id(q);
	*id = ldns_pkt_id(q);
	ldns_status st = ldns_pkt2wire(wire, q, len);
	ldns_pkt_free(q);
	return st == LDNS_STATUS_OK ? 0 : -1;
}

enum lab_ready_status lab_ready_wait(struct lab_ready_target *t, size_t n, double timeout_s,
				     int (*check)(void *), void *arg)
{
	if (n > LAB_READY_MAX)
		return LAB_READY_ERR;
	int fds[LAB_READY_MAX];
	uint8_t *wire = NULL;
	size_t wlen = 0;
	uint16_t id = 0;
	if (make_query(&wire, &wlen, &id) != 0)
		return LAB_READY_ERR;
	for (size_t i = 0; i < n; i++) {
		t[i].ready = 0;
		fds[i] = t[i].smtp ? open_smtp(t[i].addr) : open_target(t[i].addr);
	}
	double end = tp_now() + timeout_s, next_send = 0;
	enum lab_ready_status st = LAB_READY_TIMEOUT;
	for (;;) {
		size_t left = 0;
		for (size_t i = 0; i < n; i++)
			left += !t[i].ready;
		if (left == 0) {
			st = LAB_READY_ALL;
			break;
		}
		if (check && check(arg)) {
			st = LAB_READY_ABORTED;
			break;
		}
		double now = tp_now();
		if (now >= end)
			break;
		if (now >= next_send) {
			for (size_t i = 0; i < n; i++) {
				if (t[i].ready)
					continue;
				if (t[i].smtp) {
					if (fds[i] < 0)
						fds[i] = open_smtp(t[i].addr);
					continue;
				}
				if (fds[i] < 0)
					fds[i] = open_target(t[i].addr);
				if (fds[i] >= 0 && send(fds[i], wire, wlen, 0) < 0) {
					/* ECONNREFUSED from an earlier ICMP: not listening yet */
				}
			}
			next_send = now + 0.1;
		}
		struct pollfd pfd[LAB_READY_MAX];
		for (size_t i = 0; i < n; i++) {
			pfd[i].fd = t[i].ready ? -1 : fds[i];
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		(void)poll(pfd, n, 20);
		for (size_t i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			if (t[i].smtp) {
				read_smtp(&t[i], &fds[i]);
				continue;
			}
			uint8_t buf[4096];
			ssize_t r = recv(fds[i], buf, sizeof buf, 0);
			if (r >= 12 && ((buf[0] << 8) | buf[1]) == id && (buf[2] & 0x80))
				t[i].ready = 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(wire);
	return st;
}
