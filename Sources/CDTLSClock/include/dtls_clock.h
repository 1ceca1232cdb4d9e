#ifndef BC260_DTLS_CLOCK_H
#define BC260_DTLS_CLOCK_H
#include <stdint.h>
/* OpenSSL 3.0 times DTLS handshake retransmissions with gettimeofday(), which no API can
   replace. This target defines gettimeofday() for the process: it returns the real wall clock,
   except on a thread between bc260_dtls_clock_enter() and bc260_dtls_clock_leave(), where it
   returns the caller's clock (milliseconds since an arbitrary origin, shifted so that it is
   never 0). The DTLS target brackets every OpenSSL call with them, so a handshake's timers run
   on the same clock as everything else (virtual time in tests, the event loop's in real time). */
void bc260_dtls_clock_enter(int64_t milliseconds);
void bc260_dtls_clock_leave(void);
/* How many gettimeofday() calls answered with the caller's clock on this thread: a check that
   the definition here is the one OpenSSL calls. */
uint64_t bc260_dtls_clock_reads(void);
#endif
