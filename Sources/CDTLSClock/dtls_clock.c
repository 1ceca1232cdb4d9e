#include "dtls_clock.h"
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

/* Seconds added to the caller's clock: the real time when the process first entered (so that
   OpenSSL's session times, taken with time(), stay near its timer times; never 0). */
static int64_t origin_seconds = 0;

static _Thread_local int inside = 0;
static _Thread_local int64_t caller_milliseconds = 0;
static _Thread_local uint64_t reads = 0;

void bc260_dtls_clock_enter(int64_t milliseconds) {
    if (__atomic_load_n(&origin_seconds, __ATOMIC_SEQ_CST) == 0) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        int64_t expected = 0;
        __atomic_compare_exchange_n(&origin_seconds, &expected, (int64_t)now.tv_sec, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
    caller_milliseconds = milliseconds;
    inside = 1;
}

void bc260_dtls_clock_leave(void) { inside = 0; }

uint64_t bc260_dtls_clock_reads(void) { return reads; }

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;
    if (inside) {
        reads++;
        int64_t ms = caller_milliseconds;
        int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
        tv->tv_sec = (time_t)(__atomic_load_n(&origin_seconds, __ATOMIC_RELAXED) + seconds);
        tv->tv_usec = (suseconds_t)((ms - seconds * 1000) * 1000);
        return 0;
    }
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0) return -1;
    tv->tv_sec = now.tv_sec;
    tv->tv_usec = (suseconds_t)(now.tv_nsec / 1000);
    return 0;
}
