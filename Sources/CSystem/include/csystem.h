#ifndef BC260_CSYSTEM_H
#define BC260_CSYSTEM_H
/* Thin wrappers for libc calls that Swift's Glibc module does not import. */
int bc260_open_pty_master(void);
/* ptsname_r: 0 on success, else an errno value (it does not set errno). */
int bc260_pty_slave_name(int master, char *buffer, unsigned long length);
/* Bytes waiting to be read on a terminal (FIONREAD); -1 with errno set on failure. */
int bc260_input_queue_count(int fd);
#endif
