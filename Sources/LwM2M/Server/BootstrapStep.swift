import CoAP

/// One request the bootstrap server sends a client between its Bootstrap-Request and the
/// Bootstrap-Finish (LwM2M 1.0 §5.2.7): Write (PUT) or Delete on a path such as `/0`, `/1/0`,
/// or `/` (Delete all but the bootstrap account).
public enum BootstrapStep: Hashable, Sendable, CustomStringConvertible {
    case write(path: [UInt16], contentFormat: UInt32, payload: [UInt8])
    case delete(path: [UInt16])

    func request(token: Token) -> Message {
        switch self {
        case .write(let path, let format, let payload):
            return .request(.put, token: token, path: path.map(String.init), contentFormat: format, payload: payload)
        case .delete(let path):
            return .request(.delete, token: token, path: path.map(String.init))
        }
    }

    public var description: String {
        switch self {
        case .write(let path, let f, let p): "Write /\(path.map(String.init).joined(separator: "/")) (\(f), \(p.count) B)"
        case .delete(let path): "Delete /\(path.map(String.init).joined(separator: "/"))"
        }
    }
}
