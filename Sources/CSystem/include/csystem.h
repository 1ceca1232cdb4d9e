#ifndef BC260_CSYSTEM_H
#define BC260_CSYSTEM_H
/* Thin wrappers for libc calls that Swift's Glibc module does not import. */
int bc260_open_pty_master(void);
int bc260_pty_slave_name(int master, char *buffer, unsigned long length);
#endif
