import CoAP

/// One request the bootstrap server sends a client between its Bootstrap-Request and the
/// Bootstrap-Finish (LwM2M 1.0 §5.2.7): Write (PUT) or Delete on a path such as `/0`, `/1/0`,
/// or `/` (Delete all but the bootstrap account).
public enum BootstrapStep: Hashable, Sendable, CustomStringConvertible {
    case write(LwM2MPath, EncodedContent)
    case delete(LwM2MPath)

    func request(token: Token) -> Message {
        switch self {
        case .write(let path, let content):
            return .request(.put, token: token, path: path.segments, contentFormat: UInt32(content.format.rawValue),
                            payload: content.bytes)
        case .delete(let path):
            return .request(.delete, token: token, path: path.segments)
        }
    }

    public var description: String {
        switch self {
        case .write(let path, let content): "Write \(path) (\(content.format), \(content.bytes.count) B)"
        case .delete(let path): "Delete \(path)"
        }
    }
}
