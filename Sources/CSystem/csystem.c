#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "csystem.h"

/* A new pseudo-terminal master, granted and unlocked; -1 with errno set on failure. */
int bc260_open_pty_master(void) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) return -1;
    return fd;
}

int bc260_pty_slave_name(int master, char *buffer, unsigned long length) {
    return ptsname_r(master, buffer, length);
}

/* ioctl is variadic, which Swift cannot call. */
int bc260_input_queue_count(int fd) {
    int count = 0;
    if (ioctl(fd, FIONREAD, &count) != 0) return -1;
    return count;
}

/* mmsghdr and the *mmsg calls need _GNU_SOURCE, which Swift's Glibc module lacks. */
int bc260_receive_datagrams(int fd, unsigned char *slots, unsigned long slot_size, void *addresses,
                            unsigned int *address_lengths, unsigned long *lengths, unsigned int count) {
    if (count > BC260_DATAGRAM_BATCH_MAX) count = BC260_DATAGRAM_BATCH_MAX;
    struct mmsghdr messages[BC260_DATAGRAM_BATCH_MAX];
    struct iovec vectors[BC260_DATAGRAM_BATCH_MAX];
    struct sockaddr_storage *peers = addresses;
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = slots + (unsigned long)i * slot_size;
        vectors[i].iov_len = slot_size;
        struct msghdr *h = &messages[i].msg_hdr;
        h->msg_name = &peers[i];
        h->msg_namelen = sizeof(struct sockaddr_storage);
        h->msg_iov = &vectors[i];
        h->msg_iovlen = 1;
        h->msg_control = NULL;
        h->msg_controllen = 0;
        h->msg_flags = 0;
        messages[i].msg_len = 0;
    }
    int received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < received; i++) {
        lengths[i] = messages[i].msg_len;
        address_lengths[i] = messages[i].msg_hdr.msg_namelen;
    }
    return received;
}

int bc260_send_datagrams(int fd, const unsigned char *data, const unsigned long *lengths, const void *addresses,
                         const unsigned int *address_lengths, unsigned int count) {
    if (count > BC260_DATAGRAM_BATCH_MAX) count = BC260_DATAGRAM_BATCH_MAX;
    struct mmsghdr messages[BC260_DATAGRAM_BATCH_MAX];
    struct iovec vectors[BC260_DATAGRAM_BATCH_MAX];
    const struct sockaddr_storage *peers = addresses;
    unsigned long offset = 0;
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)(data + offset);
        vectors[i].iov_len = lengths[i];
        offset += lengths[i];
        struct msghdr *h = &messages[i].msg_hdr;
        h->msg_name = (void *)&peers[i];
        h->msg_namelen = address_lengths[i];
        h->msg_iov = &vectors[i];
        h->msg_iovlen = 1;
        h->msg_control = NULL;
        h->msg_controllen = 0;
        h->msg_flags = 0;
        messages[i].msg_len = 0;
    }
    return sendmmsg(fd, messages, count, MSG_NOSIGNAL);
}
