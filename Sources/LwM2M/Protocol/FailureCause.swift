import CoAP

/// Why an LwM2M request ended without the success it asked for: the cause every failure event
/// carries. The CoAP exchange beneath reports `timeout` (retransmissions exhausted), `reset`
/// (the peer sent RST) and `noResponse` (acknowledged, but no response came); the protocol
/// machines add `response` for an error code (4.xx/5.xx) and `malformedResponse` for a success
/// that cannot be used (no Location-Path after Register, say).
public enum FailureCause: Error, Hashable, Sendable, CustomStringConvertible {
    case timeout
    case reset
    case noResponse
    case response(Code)
    case malformedResponse(String)
    /// The request could not be sent at all (no route, no session).
    case notSent

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .reset: "reset by peer"
        case .noResponse: "no response"
        case .response(let c): "error response \(c)"
        case .malformedResponse(let why): "malformed response: \(why)"
        case .notSent: "not sent"
        }
    }
}
