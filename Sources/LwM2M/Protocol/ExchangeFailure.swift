import CoAP

/// Why an LwM2M request ended without the success it asked for. The CoAP exchange beneath
/// reports `timeout` (retransmissions exhausted) and `reset` (the peer sent RST); the protocol
/// machines add `response` for an error code (4.xx/5.xx) and `malformedResponse` for a success
/// that cannot be used (no Location-Path after Register, say).
public enum ExchangeFailure: Error, Hashable, Sendable, CustomStringConvertible {
    case timeout
    case reset
    case response(Code)
    case malformedResponse(String)
    /// The request could not be sent at all (no route, no session).
    case notSent

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .reset: "reset by peer"
        case .response(let c): "error response \(c)"
        case .malformedResponse(let why): "malformed response: \(why)"
        case .notSent: "not sent"
        }
    }
}
