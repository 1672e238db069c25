#ifndef SLUICE_CSOCKETSHIMS_H
#define SLUICE_CSOCKETSHIMS_H
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

/// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC: Glibc's Swift overlay does not export accept4.
int csock_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len);

/// memmem, which the Glibc overlay does not export either.
const void *csock_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen);

/// writev through sendmsg with MSG_NOSIGNAL: a peer that went away yields EPIPE, never SIGPIPE.
ssize_t csock_writev_nosignal(int fd, const struct iovec *iov, int iovcnt);

/// send with MSG_NOSIGNAL.
ssize_t csock_send_nosignal(int fd, const void *buf, size_t len);

/// Sets TCP_NODELAY (1) on a TCP socket; returns setsockopt's result.
int csock_set_nodelay(int fd);

/// Sets O_NONBLOCK and FD_CLOEXEC on a descriptor; returns 0 or -1.
int csock_set_nonblocking(int fd);

/// Keeps glibc's allocator from returning memory to the kernel and taking it back for every
/// large buffer (mmap/munmap and page faults per streamed batch): blocks up to
/// `mmap_threshold` bytes come from the heap, and the heap is trimmed only when more than
/// `trim_threshold` bytes are free at its top. Returns 0 when both settings were accepted.
int cshim_tune_malloc(int mmap_threshold, int trim_threshold);
/// malloc_trim(0): releases free heap pages in every arena; returns 1 if any were released.
int cshim_malloc_trim(void);
#endif
