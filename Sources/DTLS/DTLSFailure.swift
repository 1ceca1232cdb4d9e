/// Why a DTLS session ended other than by a close_notify.
public enum DTLSFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The peer never answered a flight, through every retransmission.
    case timedOut
    /// The peer sent a fatal alert (`decrypt error`, `unknown PSK identity`...).
    case alertReceived(String)
    /// We sent a fatal alert: the peer's handshake was wrong (a bad Finished, an identity we do
    /// not know).
    case alertSent(String)
    /// OpenSSL refused something else; the text is its error queue.
    case protocolError(String)
    /// The OpenSSL context or session could not be made (a version this OpenSSL lacks).
    case setup(String)

    public var description: String {
        switch self {
        case .timedOut: "DTLS handshake timed out"
        case .alertReceived(let a): "DTLS alert received: \(a)"
        case .alertSent(let a): "DTLS alert sent: \(a)"
        case .protocolError(let e): "DTLS error: \(e)"
        case .setup(let e): "DTLS setup failed: \(e)"
        }
    }
}
