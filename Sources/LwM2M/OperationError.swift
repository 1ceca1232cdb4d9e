import CoAP

/// Why a data-model operation (read, write, execute, create, delete, discover) failed, each case
/// tied to the CoAP response code a client sends for it (LwM2M 1.0 §5.4, Table 21 and §8).
public enum OperationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 4.00: bad payload, a missing mandatory resource on create, an instance that exists.
    case badRequest(String)
    /// 4.01
    case unauthorized
    /// 4.04: no such object, instance or resource.
    case notFound(LwM2MPath)
    /// 4.05: the resource does not allow the operation (read on E, write on R, ...).
    case methodNotAllowed(LwM2MPath)
    /// 4.06: the requested Accept format cannot represent the target.
    case notAcceptable(ContentFormat)
    /// 4.15: the request's Content-Format is not one this side decodes.
    case unsupportedContentFormat(ContentFormat)
    /// 5.00
    case internalError(String)

    /// The CoAP response code to answer with.
    public var code: Code {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .notAcceptable: .notAcceptable
        case .unsupportedContentFormat: .unsupportedContentFormat
        case .internalError: .internalServerError
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let s): "4.00 bad request: \(s)"
        case .unauthorized: "4.01 unauthorized"
        case .notFound(let p): "4.04 not found: \(p)"
        case .methodNotAllowed(let p): "4.05 method not allowed on \(p)"
        case .notAcceptable(let f): "4.06 not acceptable: \(f)"
        case .unsupportedContentFormat(let f): "4.15 unsupported content format \(f.rawValue)"
        case .internalError(let s): "5.00 \(s)"
        }
    }

    /// Maps a content decoding failure to the answer a client gives (4.00 or 4.15).
    public init(_ error: ContentError) {
        switch error {
        case .unsupportedFormat(let f): self = .unsupportedContentFormat(f)
        default: self = .badRequest(error.description)
        }
    }
}
