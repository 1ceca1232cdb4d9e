#ifndef BC260_COPENSSL_SHIM_H
#define BC260_COPENSSL_SHIM_H
/* OpenSSL 3 for the DTLS target. The functions below wrap macros Swift cannot import
   (SSL_ctrl/BIO_ctrl calls and 64-bit option bits); everything else imports directly. */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/bio.h>
#include <sys/time.h>

static inline uint64_t bc260_ssl_op_no_query_mtu(void) { return SSL_OP_NO_QUERY_MTU; }
static inline uint64_t bc260_ssl_op_cookie_exchange(void) { return SSL_OP_COOKIE_EXCHANGE; }
static inline uint64_t bc260_ssl_op_no_ticket(void) { return SSL_OP_NO_TICKET; }

static inline int bc260_ssl_ctx_set_versions(SSL_CTX *ctx, int minimum, int maximum) {
    return SSL_CTX_set_min_proto_version(ctx, minimum) == 1 && SSL_CTX_set_max_proto_version(ctx, maximum) == 1;
}
static inline void bc260_ssl_ctx_set_server_cache(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
}
static inline long bc260_ssl_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
/* 1 and the time left while a handshake timer runs, else 0. */
static inline long bc260_dtls_get_timeout(SSL *ssl, struct timeval *left) { return DTLSv1_get_timeout(ssl, left); }
static inline long bc260_dtls_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }
static inline void bc260_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void bc260_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }
#endif
