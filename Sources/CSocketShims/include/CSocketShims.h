#ifndef SLUICE_CSOCKETSHIMS_H
#define SLUICE_CSOCKETSHIMS_H
#include <stddef.h>
#include <sys/socket.h>

/// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC: Glibc's Swift overlay does not export accept4.
int csock_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len);

/// memmem, which the Glibc overlay does not export either.
const void *csock_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen);
#endif
