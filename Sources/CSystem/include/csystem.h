#ifndef BC260_CSYSTEM_H
#define BC260_CSYSTEM_H
/* Thin wrappers for libc calls that Swift's Glibc module does not import. */
int bc260_open_pty_master(void);
/* ptsname_r: 0 on success, else an errno value (it does not set errno). */
int bc260_pty_slave_name(int master, char *buffer, unsigned long length);
/* Bytes waiting to be read on a terminal (FIONREAD); -1 with errno set on failure. */
int bc260_input_queue_count(int fd);
/* The most datagrams one call of the two below moves. */
#define BC260_DATAGRAM_BATCH_MAX 64
/* recvmmsg without waiting: up to `count` (at most BC260_DATAGRAM_BATCH_MAX) datagrams, the
   i-th into `slots + i * slot_size` with its length in lengths[i] and its sender in the i-th
   sockaddr_storage of `addresses` (length in address_lengths[i]). Returns how many arrived,
   or -1 with errno set (EAGAIN: none waiting). */
int bc260_receive_datagrams(int fd, unsigned char *slots, unsigned long slot_size, void *addresses,
                            unsigned int *address_lengths, unsigned long *lengths, unsigned int count);
/* sendmmsg: `count` (at most BC260_DATAGRAM_BATCH_MAX) payloads laid end to end in `data`
   (lengths[i] bytes each), the i-th to the i-th sockaddr_storage of `addresses`. Returns how
   many were sent from the first on (fewer than count when one failed), or -1 with errno set
   when the first one failed. */
int bc260_send_datagrams(int fd, const unsigned char *data, const unsigned long *lengths, const void *addresses,
                         const unsigned int *address_lengths, unsigned int count);
#endif
