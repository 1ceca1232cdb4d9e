#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
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
